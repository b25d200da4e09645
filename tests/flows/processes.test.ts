// A process as citizens read it: the current phase «hasta el» its last day, and the phases' dates.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Chat, consentSteps, script } from '../support/conversation.ts';
import { createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

const HOUR = 3600 * 1000;
const MADRID = 'Europe/Madrid';

/** Today's calendar day in Madrid, as a UTC midnight (a day count, no zone). */
function madridToday(): number {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: MADRID })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** The instant whose Madrid wall clock reads `hour`:00 on the day `days` after today. */
function madridAt(days: number, hour = 0): Date {
  const wall = madridToday() + days * 24 * HOUR + hour * HOUR;
  for (const offset of [1, 2]) {
    const at = new Date(wall - offset * HOUR);
    const clock = new Intl.DateTimeFormat('en-GB', {
      timeZone: MADRID,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
    }).format(at);
    if (clock === `${String(hour).padStart(2, '0')}:00`) return at;
  }
  throw new Error('no such wall clock time in Madrid');
}

/** A calendar day `days` after today, as Spanish texts write it («10 de marzo de 2027»). */
const spanishDay = (days: number) =>
  new Intl.DateTimeFormat('es-ES', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(madridToday() + days * 24 * HOUR + 12 * HOUR));

let plaza: TestPlaza;
let proc: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  proc = await createProcess(db, { phase: 'debate', title: 'Calles más tranquilas' });
  // Debate through the 9th day from today (its end, exclusive, is the 10th at 00:00 in Madrid); voting from
  // the 10th to the 15th at 18:00.
  await db.phase.deleteMany({ where: { processId: proc.id } });
  await db.phase.createMany({
    data: [
      { processId: proc.id, kind: 'debate', position: 1, startsAt: madridAt(-3), endsAt: madridAt(10) },
      { processId: proc.id, kind: 'voting', position: 2, startsAt: madridAt(10), endsAt: madridAt(15, 18) },
    ],
  });
});
afterAll(() => plaza?.cleanup());

describe('a process seen from the chat', () => {
  it('names the last day of a phase ending at midnight, and the time of one ending at another hour', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [
        `/start process_${proc.slug}`,
        [
          'Calles más tranquilas',
          `Fase actual: Debate (hasta el ${spanishDay(9)}).`,
          `▶ Debate: ${spanishDay(-3)} – ${spanishDay(9)}`,
          `· Votación: ${spanishDay(10)} – ${spanishDay(15)} a las 18:00`,
        ],
      ],
    ]);
  });
});
