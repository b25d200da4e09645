// Erasure and the moderators' room, through the fake Bot API and a real worker: when the author of texts
// waiting in (or rejected by) moderation erases their data, the room's cards of those cases are edited to a
// neutral text, and no later call to Telegram carries the texts; the job that does it carries case ids only;
// running it again changes nothing, and a card deleted meanwhile is let go. A proposal its author withdrew
// before the decision (withdraw-proposal) has its card edited the same way, saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { startWorker } from '../../src/main.ts';
import { ErasedCardNotSentYetError, handleNotificationJob } from '../../src/queues/notifications/handler.ts';
import type { Workers } from '../../src/queues/workers.ts';
import { press, script, type Step } from '../support/conversation.ts';
import { createProcess, createStaffMember, type ProcessFixture } from '../support/fixtures.ts';
import { BODY, consentSteps, proposeSteps, TITLE } from '../support/scripts.ts';
import {
  BOT_TOKEN,
  messageIdOf,
  startTelegramPlaza,
  TelegramChat,
  textOf,
  until,
  type TelegramPlaza,
} from '../channels/telegram/harness.ts';

const ROOM = -1009876543;
let t: TelegramPlaza;
let workers: Workers;
let process: ProcessFixture;
let lucia: { id: string };
const db = () => t.plaza.database.prisma;

beforeAll(async () => {
  t = await startTelegramPlaza({ env: { TELEGRAM_MODERATORS_CHAT_ID: String(ROOM) } });
  workers = await startWorker(t.plaza, t.telegram);
  process = await createProcess(db(), { phase: 'proposals', title: 'Barrios vivos' });
  lucia = await createStaffMember(db(), { name: 'Lucía' });
});
afterAll(async () => {
  await workers?.close();
  await t?.close();
});

const editsOf = (messageId: number) =>
  t.fake.callsOf('editMessageText').filter((c) => c.params.message_id === messageId);
const ERASED = /^🗑️ Caso #(\d+) retirado: la persona autora borró sus datos\.$/;

/** A proposal sent from a Telegram chat, and its case once the room's card is out and recorded. */
async function propose(chat: TelegramChat) {
  await script(chat, proposeSteps(process.slug, 'Barrios vivos'));
  const account = await db().channelAccount.findUniqueOrThrow({
    where: { channel_externalId: { channel: 'telegram', externalId: chat.userId } },
  });
  const proposal = await db().proposal.findFirstOrThrow({
    where: { authorId: account.participantId },
    orderBy: { id: 'desc' },
    include: { cases: true },
  });
  const caseId = proposal.cases[0]!.id;
  const card = await until(`card of case ${caseId}`, () =>
    t.fake.sent(ROOM).find((c) => textOf(c).includes(`Caso #${caseId} `)),
  );
  await until('case announced', async () =>
    (await db().moderationCase.findUniqueOrThrow({ where: { id: caseId } })).announcedAt ? true : undefined,
  );
  return { participantId: account.participantId, proposalId: proposal.id, caseId, card };
}

const eraseSteps: Step[] = [
  ['/misdatos', /Esto es lo que Plaza guarda sobre ti/],
  [press('Borrar mis datos'), /No se puede deshacer/],
  [press('Sí'), /escribe BORRAR/],
  ['BORRAR', /hemos borrado tus datos/],
];

describe('erasure and the moderators’ room', () => {
  it('edits the cards of the erased texts (pending and rejected) to a neutral text; no later call shows them', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    const rejected = await propose(chat);
    const pending = await propose(chat);
    expect(textOf(pending.card)).toContain(TITLE);
    // The first is rejected: its card is edited to the decision (the outbox's `case-<id>-decided`).
    expect(
      await decideModeration(t.plaza.domain, {
        caseId: rejected.caseId,
        staffMemberId: lucia.id,
        decision: 'reject',
        reason: 'duplicate',
      }),
    ).toMatchObject({ ok: true });
    const decided = await until('decided card', () =>
      editsOf(messageIdOf(rejected.card)).find((c) => c.response.ok),
    );
    expect(String(decided.params.text)).toContain(TITLE);

    const before = t.fake.calls.length;
    await script(chat, eraseSteps);
    for (const { card, caseId } of [pending, rejected]) {
      const edit = await until(`card of case ${caseId} withdrawn`, () =>
        editsOf(messageIdOf(card)).find((c) => c.response.ok && ERASED.test(textOf(c))),
      );
      expect(textOf(edit).match(ERASED)?.[1]).toBe(String(caseId));
      expect(edit.params.chat_id).toBe(String(ROOM));
      expect((edit.params.reply_markup as { inline_keyboard: unknown[] }).inline_keyboard).toEqual([]);
    }
    await until('room delivered', async () => (await t.telegram.channel.outbox.pending(String(ROOM))) === 0);
    const later = t.fake.calls.slice(before).map((c) => JSON.stringify([c.params, c.response]));
    for (const text of [TITLE, BODY]) expect(later.filter((c) => c.includes(text))).toEqual([]);

    // The job: case ids only (no text, no participant, no chat of the person), in Redis as in its result.
    const { REDIS_PREFIX } = t.plaza.config;
    const caseIds = [rejected.caseId, pending.caseId].sort((a, b) => a - b);
    const stored = await t.plaza.redis.hGetAll(
      `${REDIS_PREFIX}:bull:notifications:erased-cases-${caseIds[0]}`,
    );
    expect(JSON.parse(stored.data!)).toEqual({ kind: 'erased-cases', caseIds });
    for (const needle of [TITLE, BODY, chat.userId, pending.participantId])
      expect(JSON.stringify(stored)).not.toContain(needle);

    // Running it again is harmless: each card's edit is queued once, nothing new reaches Telegram.
    const edits = t.fake.callsOf('editMessageText').length;
    const room = t.telegram.channel.room!;
    const deps = { domain: t.plaza.domain, room, senders: {} };
    const job = { kind: 'erased-cases' as const, caseIds };
    expect(await handleNotificationJob(deps, job)).toEqual({ delivered: 0, waiting: 0, cardsWithdrawn: 2 });
    await until('room delivered', async () => (await t.telegram.channel.outbox.pending(String(ROOM))) === 0);
    expect(t.fake.callsOf('editMessageText')).toHaveLength(edits);
  });

  it('withdraws every part of a card long enough to come in several messages', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    // Escaped for Telegram's HTML, each "<&>" takes 13 characters: the card needs more than one message.
    const body = `${'<&>'.repeat(600)} final-del-texto`;
    await script(chat, [
      [`/start process_${process.slug}`, /Puedes hacer propuestas/],
      [press('Hacer una propuesta'), /título/],
      ['Una propuesta con símbolos', /explica tu propuesta/],
      [body, /¿En qué categoría/],
      [press('Movilidad'), /¿La envías\?/],
      [press('Enviar propuesta'), /la revisará el equipo de moderación/],
    ]);
    const parts = await until('a card in several parts', () => {
      const sent = t.fake.sent(ROOM).filter((c) => textOf(c).includes('<&>'));
      return sent.length >= 2 && sent.some((c) => textOf(c).includes('final-del-texto')) ? sent : undefined;
    });
    const account = await db().channelAccount.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'telegram', externalId: chat.userId } },
    });
    const proposal = await db().proposal.findFirstOrThrow({
      where: { authorId: account.participantId },
      include: { cases: true },
    });
    await until('case announced', async () =>
      (await db().moderationCase.findUniqueOrThrow({ where: { id: proposal.cases[0]!.id } })).announcedAt
        ? true
        : undefined,
    );
    await script(chat, eraseSteps);
    for (const part of parts)
      await until(`part ${messageIdOf(part)} withdrawn`, () =>
        editsOf(messageIdOf(part)).find((c) => c.response.ok && ERASED.test(textOf(c))),
      );
  });

  it('lets go of a card deleted from the group meanwhile', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    const { card, caseId } = await propose(chat);
    const res = await fetch(`${t.fake.apiRoot}/bot${BOT_TOKEN}/deleteMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: ROOM, message_id: messageIdOf(card) }),
    });
    expect(res.status).toBe(200);

    await script(chat, eraseSteps);
    const refused = await until('edit refused', () => editsOf(messageIdOf(card))[0]);
    expect(refused.response).toMatchObject({ ok: false, error_code: 400 });
    expect(String(refused.response.description)).toMatch(/message to edit not found/);
    const job = await until('job done', async () => {
      const j = await t.plaza.queues.notifications.getJob(`erased-cases-${caseId}`);
      return (await j?.getState()) === 'completed' ? j : undefined;
    });
    expect(job.attemptsMade).toBe(1);
    // Given up at once: the 400 is not retried.
    await new Promise((r) => setTimeout(r, 300));
    expect(editsOf(messageIdOf(card))).toHaveLength(1);
  });

  it('retries while a card is not known yet, in the room’s language', async () => {
    const asked: [number, string][] = [];
    const room = {
      update: async () => undefined,
      withdraw: async (caseId: number, text: string) => {
        asked.push([caseId, text]);
        return caseId !== 8;
      },
    };
    const deps = { domain: t.plaza.domain, room, senders: {}, moderatorsLocale: 'en' as const };
    await expect(handleNotificationJob(deps, { kind: 'erased-cases', caseIds: [7, 8] })).rejects.toThrow(
      ErasedCardNotSentYetError,
    );
    expect(asked).toEqual([
      [7, '🗑️ Case #7 withdrawn: its author erased their data.'],
      [8, '🗑️ Case #8 withdrawn: its author erased their data.'],
    ]);
  });

  it('says the author withdrew the proposal when that is why the case went (withdraw-proposal)', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    const { card, caseId, proposalId } = await propose(chat);
    await script(chat, [
      ['mis propuestas', /Estado: ⏳ pendiente de moderación/],
      [press(`Retirar «${TITLE.slice(0, 27)}…»`), /¿Retiras tu propuesta/],
      [press('Sí'), /Hecho: has retirado tu propuesta/],
    ]);
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('withdrawn');
    const edit = await until('card withdrawn', () => editsOf(messageIdOf(card)).find((c) => c.response.ok));
    expect(textOf(edit)).toBe(
      `↩️ Caso #${caseId} retirado: la persona autora retiró su propuesta antes de la decisión.`,
    );
    expect((edit.params.reply_markup as { inline_keyboard: unknown[] }).inline_keyboard).toEqual([]);
  });
});
