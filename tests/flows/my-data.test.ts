// «Mis datos» as conversations: what Plaza keeps, the whole of it as a JSON file, withdrawing a consent
// purpose in one question — also for someone who withdrew participation consent.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createEngine } from '../../src/engine/engine.ts';
import { filesOf } from '../../src/engine/types.ts';
import { createLogger } from '../../src/logger.ts';
import { Chat, consentSteps, englishConsentSteps, press, script } from '../support/conversation.ts';
import { cancelEventRegistration } from '../../src/domain/cancel-event-registration.ts';
import { createEvent } from '../../src/domain/create-event.ts';
import { publishPrivacyNotice } from '../../src/domain/publish-privacy-notice.ts';
import { registerForEvent } from '../../src/domain/register-for-event.ts';
import { createProcess, createProposal, createStaffMember } from '../support/fixtures.ts';
import { createTestPlaza, deleteKeys, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
});
afterAll(() => plaza?.cleanup());

async function participantOf(chat: Chat): Promise<string> {
  const account = await db().channelAccount.findFirstOrThrow({ where: { externalId: chat.userId } });
  return account.participantId;
}

/** The JSON file of the last reply, parsed. */
function downloaded(chat: Chat): { participant: { id: string }; proposals: { title: string }[] } {
  const [file] = chat.replies.flatMap(filesOf);
  expect(file?.name).toMatch(/^plaza-datos-\d{4}-\d{2}-\d{2}\.json$/);
  const json = Buffer.from(file!.contentUrl.split(',')[1]!, 'base64').toString('utf8');
  return JSON.parse(json) as never;
}

describe('«Mis datos»', () => {
  it('shows what is kept and hands over all of it as a JSON file', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const process = await createProcess(db());
    const participantId = await participantOf(chat);
    await createProposal(db(), process, { authorId: participantId, title: 'Más bancos en la plaza' });
    await script(chat, [
      ['/misdatos', [/Esto es lo que Plaza guarda sobre ti/, /Tus cuentas: chat web/, /Propuestas: 1/]],
      [press('Descargar mis datos'), /todos tus datos en un archivo JSON/],
    ]);
    const data = downloaded(chat);
    expect(data.participant.id).toBe(participantId);
    expect(data.proposals.map((p) => p.title)).toEqual(['Más bancos en la plaza']);
  });

  it('names accounts and language in the person’s words, in English too, and the file in English', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...englishConsentSteps,
      ['my data', [/Your accounts: web chat\n/, /Your language: English\n/]],
      [press('Download my data'), /JSON/],
    ]);
    const [file] = chat.replies.flatMap(filesOf);
    expect(file?.name).toMatch(/^plaza-my-data-\d{4}-\d{2}-\d{2}\.json$/);
  });

  it('withdraws the updates consent in one question, and keeps participation', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const participantId = await participantOf(chat);
    await db().consentRecord.create({
      data: { participantId, purpose: 'updates', action: 'given', noticeVersion: 1, channel: 'webchat' },
    });
    await script(chat, [
      ['mis datos', /Consentimientos vigentes: participar, recibir novedades/],
      [press('Retirar un consentimiento'), /¿Qué consentimiento quieres retirar\?/],
      [press('recibir novedades'), /¿Dejar de recibir novedades\?/],
      [press('Sí'), /ya no recibirás novedades/],
    ]);
    const latest = await db().consentRecord.findFirstOrThrow({
      where: { participantId, purpose: 'updates' },
      orderBy: { id: 'desc' },
    });
    expect(latest.action).toBe('withdrawn');
    await script(chat, [['mis datos', /Consentimientos vigentes: participar$/m]]);
  });

  it('«Retirar un consentimiento» has a way back to «Mis datos»: «Volver», «volver» or «no» withdraw nothing', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const participantId = await participantOf(chat);
    await db().consentRecord.create({
      data: { participantId, purpose: 'updates', action: 'given', noticeVersion: 1, channel: 'webchat' },
    });
    const WHICH = /¿Qué consentimiento quieres retirar\?/;
    const MY_DATA = [/Esto es lo que Plaza guarda sobre ti/, /¿Qué quieres hacer ahora\?/];
    await script(chat, [
      ['mis datos', /Consentimientos vigentes: participar, recibir novedades/],
      [press('Retirar un consentimiento'), WHICH],
    ]);
    expect(chat.buttons()).toEqual(['participar', 'recibir novedades', 'Volver']);
    await script(chat, [
      [press('Volver'), MY_DATA],
      [press('Retirar un consentimiento'), WHICH],
      ['volver', MY_DATA],
      [press('Retirar un consentimiento'), WHICH],
      ['no', MY_DATA],
      // «Mis datos» again, its question answered as before.
      [press('Descargar mis datos'), /todos tus datos en un archivo JSON/],
    ]);
    expect(await db().consentRecord.count({ where: { participantId, action: 'withdrawn' } })).toBe(0);
  });

  it('counts the event places the person holds, not the registrations they cancelled', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const me = await participantOf(chat);
    const process = await createProcess(db());
    const staff = await createStaffMember(db(), { role: 'staff' });
    const at = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    const events: number[] = [];
    for (const title of ['Taller uno', 'Taller dos']) {
      const r = await createEvent(plaza.domain, {
        staffMemberId: staff.id,
        processId: process.id,
        kind: 'workshop',
        title: { es: title },
        place: 'Centro cívico',
        startsAt: at,
        capacity: 5,
      });
      if (!r.ok) throw new Error(r.reason);
      events.push(r.event.id);
    }
    for (const eventId of events) await registerForEvent(plaza.domain, { participantId: me, eventId });
    await cancelEventRegistration(plaza.domain, { participantId: me, eventId: events[0]! });
    await script(chat, [['mis datos', /inscripciones a talleres: 1\b/]]);
  });

  it('still serves someone who withdrew consent, and answers plainly someone unknown (in English too)', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    await script(chat, [
      ['retirar consentimiento', /¿Seguro que quieres retirar tu consentimiento\?/],
      [press('Sí'), /has retirado tu consentimiento/],
      ['mis datos', /Consentimientos vigentes: ninguno/],
      [press('Descargar mis datos'), /archivo JSON/],
    ]);
    expect(downloaded(chat).participant.id).toBe(await participantOf(chat));

    const stranger = new Chat(plaza.engine, { locale: 'en-US' });
    await script(stranger, [['my data', /We keep no data about you/]]);
  });
});

describe('«Borrar mis datos»', () => {
  it('erases after a yes and the typed word: public text unlinked, account gone, nothing left in Redis', async () => {
    const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
    // Everything logged, down to trace, over the person's whole time in Plaza: none of it may name them.
    const logs: string[] = [];
    const logger = createLogger(
      'trace',
      new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    );
    const engine = createEngine({
      redis: plaza.redis,
      domain: { ...plaza.domain, logger },
      logger,
      prefix,
      flood: { max: 1000, windowSeconds: 10 },
      stateTtlSeconds: 600,
      erasureSweepDelayMs: 200,
    });
    try {
      const chat = new Chat(engine);
      await script(chat, consentSteps);
      const process = await createProcess(db());
      const participantId = await participantOf(chat);
      const proposalId = await createProposal(db(), process, {
        authorId: participantId,
        title: 'Un banco a la sombra',
      });
      await script(chat, [
        ['mis datos', /Esto es lo que Plaza guarda/],
        [press('Borrar mis datos'), /No se puede deshacer/],
        [press('Sí'), /escribe BORRAR/],
        ['vale', /Escribe exactamente BORRAR/],
        ['borrar', /hemos borrado tus datos/],
      ]);
      expect(await db().channelAccount.count({ where: { externalId: chat.userId } })).toBe(0);
      expect(await db().participant.findUnique({ where: { id: participantId } })).toBeNull();
      expect(await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({
        title: 'Un banco a la sombra',
        authorId: null,
      });
      // After the second sweep, no key or value under this engine's prefix names the person or the chat.
      await new Promise((r) => setTimeout(r, 600));
      const left: string[] = [];
      for await (const keys of plaza.redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 }))
        for (const key of keys as unknown as string[]) {
          const value = (await plaza.redis.type(key)) === 'string' ? await plaza.redis.get(key) : '';
          if ([chat.userId, chat.conversationId].some((id) => key.includes(id) || value?.includes(id)))
            left.push(key);
        }
      expect(left).toEqual([]);
      // (Ordinary turns log little or nothing; whatever is logged must not name the person.)
      const named = logs.filter((line) =>
        [chat.userId, chat.conversationId, participantId, 'Un banco a la sombra'].some((x) =>
          line.includes(x),
        ),
      );
      expect(named).toEqual([]);
      // Writing again starts afresh.
      await script(chat, [['hola', /idioma|language/i]]);
    } finally {
      await deleteKeys(plaza, `${prefix}:*`);
    }
  });

  it('someone who withdrew consent can still erase: the right to erasure needs no consent', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const participantId = await participantOf(chat);
    await script(chat, [
      ['retirar consentimiento', /¿Seguro que quieres retirar tu consentimiento\?/],
      [press('Sí'), /has retirado tu consentimiento/],
      ['mis datos', /Consentimientos vigentes: ninguno/],
      [press('Borrar mis datos'), /No se puede deshacer/],
      [press('Sí'), /escribe BORRAR/],
      ['BORRAR', /hemos borrado tus datos/],
    ]);
    expect(await db().participant.findUnique({ where: { id: participantId } })).toBeNull();
  });

  it('a new privacy notice published meanwhile does not take over the erasure’s questions', async () => {
    // A Plaza of its own: a new notice would change the consent steps of the other tests.
    const own = await createTestPlaza();
    onTestFinished(() => own.cleanup());
    const chat = new Chat(own.engine);
    await script(chat, consentSteps);
    const participantId = await own.database.prisma.channelAccount
      .findFirstOrThrow({ where: { externalId: chat.userId } })
      .then((a) => a.participantId);
    await script(chat, [
      ['mis datos', /Esto es lo que Plaza guarda/],
      [press('Borrar mis datos'), /No se puede deshacer/],
    ]);
    const admin = await createStaffMember(own.database.prisma, { role: 'admin' });
    const published = await publishPrivacyNotice(own.domain, {
      staffMemberId: admin.id,
      texts: {
        es: { summary: 'Cambios en los plazos.', fullText: 'Aviso completo v2.' },
        en: { summary: 'Changes to the periods.', fullText: 'Full notice v2.' },
      },
    });
    if (!published.ok) throw new Error(published.reason);
    await script(chat, [[press('Sí'), /escribe BORRAR/]]);
    expect(chat.text()).not.toMatch(/aviso de privacidad/);
    await script(chat, [['BORRAR', /hemos borrado tus datos/]]);
    expect(await own.database.prisma.participant.findUnique({ where: { id: participantId } })).toBeNull();
  });

  it('keeps everything on a no', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    await script(chat, [
      ['mis datos', /Esto es lo que Plaza guarda/],
      [press('Borrar mis datos'), /No se puede deshacer/],
      [press('No'), /no cambia nada/],
    ]);
    expect(await db().channelAccount.count({ where: { externalId: chat.userId } })).toBe(1);
  });
});
