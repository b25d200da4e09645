// A process whose voting has closed, with supports and outcomes, for the results tests.
import type { Db } from '../../src/db/client.ts';
import { createParticipant, createProcess, createProposal, type ProcessFixture } from './fixtures.ts';

const DAY = 24 * 3600 * 1000;

/** A process whose voting phase ended an hour ago; its results phase is current. */
export async function createClosedProcess(db: Db, title: string): Promise<ProcessFixture> {
  const process = await createProcess(db, { phase: 'voting', title });
  const now = Date.now();
  await db.phase.updateMany({
    where: { processId: process.id, kind: 'voting' },
    data: { startsAt: new Date(now - 10 * DAY), endsAt: new Date(now - 3600_000) },
  });
  await db.phase.updateMany({
    where: { processId: process.id, kind: 'results' },
    data: { startsAt: new Date(now - 3600_000), endsAt: new Date(now + 30 * DAY) },
  });
  return process;
}

/** Proposals with `supports[i]` supports each (from distinct participants) and the given outcome. */
export async function createResults(
  db: Db,
  process: ProcessFixture,
  plan: {
    title: string;
    supports: number;
    status?: 'published' | 'selected' | 'not_selected';
    answer?: string;
  }[],
): Promise<number[]> {
  const most = Math.max(0, ...plan.map((p) => p.supports));
  const people = await Promise.all(Array.from({ length: most }, () => createParticipant(db)));
  const ids: number[] = [];
  for (const p of plan) {
    const id = await createProposal(db, process, { title: p.title, status: p.status ?? 'published' });
    if (p.answer)
      await db.proposal.update({ where: { id }, data: { answer: p.answer, answeredAt: new Date() } });
    await db.support.createMany({
      data: people.slice(0, p.supports).map((person) => ({ proposalId: id, participantId: person.id })),
    });
    ids.push(id);
  }
  return ids;
}

export const RESULTS_PLAN = [
  {
    title: 'Más autobuses nocturnos',
    supports: 5,
    status: 'selected' as const,
    answer: 'Empezarán en enero.',
  },
  { title: 'Carril bici <script>alert(1)</script> & más', supports: 3, status: 'not_selected' as const },
  { title: 'Fuentes 🚰 en los parques', supports: 1 },
];
