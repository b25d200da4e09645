// /difundir reaches any process, not only the newest ones the first list shows: staff page through the list
// («Más procesos») or type a process's slug at the question.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, press, script } from '../support/conversation.ts';
import { createProcess, createStaffMember, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';
import { createSubscriber } from '../support/subscribers.ts';

const NEWER = 25;

let plaza: TestPlaza;
let old: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  // A finished process with followers, and then many newer ones.
  old = await createProcess(db, { phase: 'results', title: 'Presupuestos de 2019' });
  await createSubscriber(db, old.id, { channel: 'telegram', locale: 'es' });
  for (let i = 1; i <= NEWER; i++) await createProcess(db, { title: `Proceso reciente ${i}` });
});
afterAll(() => plaza?.cleanup());

async function staffChat() {
  const staff = await createStaffMember(plaza.database.prisma, { role: 'staff' });
  const chat = new Chat(plaza.engine, {
    channelId: 'telegram',
    userId: staff.telegramUserId,
    conversationId: staff.telegramUserId,
  });
  return { staff, chat };
}

const broadcastsOf = (processId: number) =>
  plaza.database.prisma.broadcast.findMany({ where: { processId }, orderBy: { id: 'asc' } });

describe('/difundir to an older process', () => {
  it('pages the list with «Más procesos» until the process, and broadcasts to it', async () => {
    const { staff, chat } = await staffChat();
    await script(chat, [
      ['/difundir', [/Vas a preparar una difusión/, /qué proceso/, `1. Proceso reciente ${NEWER}`, /slug/]],
    ]);
    expect(chat.text()).not.toContain('Presupuestos de 2019');
    expect(chat.buttons()).toContain('Más procesos');
    await script(chat, [
      [press('Más procesos'), [/qué proceso/, '1. Proceso reciente 5', 'Presupuestos de 2019']],
    ]);
    expect(chat.text()).not.toMatch(/Vas a preparar una difusión/);
    expect(chat.buttons()).not.toContain('Más procesos');
    await script(chat, [
      [press('Presupuestos de 2019'), /¿A quién se la envías.*«Presupuestos de 2019»/],
      [press('A todas'), /texto en español/],
      ['Publicamos el seguimiento de las obras.', /texto en inglés/],
      [press('Omitir'), [/Ahora mismo lo recibiría 1 persona/, /¿Cuándo la envías\?/]],
      [press('Enviar ahora'), /Se enviará ahora a 1 persona suscrita a «Presupuestos de 2019»/],
      [press('Enviar'), /Difusión #\d+ en marcha/],
    ]);
    expect(await broadcastsOf(old.id)).toEqual([
      expect.objectContaining({
        createdById: staff.id,
        texts: { es: 'Publicamos el seguimiento de las obras.' },
      }),
    ]);
  });

  it('takes a typed slug of any process; an unknown one is said and asked again', async () => {
    const { chat } = await staffChat();
    await script(chat, [
      ['/difundir', /qué proceso/],
      [
        'no-existe-este-proceso',
        [/No hay ningún proceso con el slug «no-existe-este-proceso»/, /qué proceso/],
      ],
      [` ${old.slug.toUpperCase()} `, /¿A quién se la envías.*«Presupuestos de 2019»/],
      ['cancelar', /Difusión cancelada/],
    ]);
  });
});
