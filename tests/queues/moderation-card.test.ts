// The moderation job and its card in the moderators' room, through the real Telegram channel, outbox and
// the fake Bot API: a case counts as announced only once Telegram took its card; a card given up is posted
// again by the next try; a case decided (or erased, or withdrawn by its author) while its card waited has that
// card edited (withdrawn, saying why) once it is out, and its `case-decided` job settles instead of waiting
// for a card that may never come.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import {
  CardNotInRoomError,
  handleModerationJob,
  type CardState,
  type ModerationHandlerDeps,
  type ModeratorsRoomPort,
} from '../../src/queues/moderation/handler.ts';
import { handleNotificationJob } from '../../src/queues/notifications/handler.ts';
import { ProposalIndexes } from '../../src/domain/prescreen-case.ts';
import { withdrawProposal } from '../../src/domain/withdraw-proposal.ts';
import { CardNotSentYetError } from '../../channels/telegram/telegram-channel.ts';
import {
  createCase,
  createParticipant,
  createProcess,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import {
  messageIdOf,
  startTelegramPlaza,
  textOf,
  until,
  type TelegramPlaza,
} from '../channels/telegram/harness.ts';

const ROOM = -1004242424242;
let t: TelegramPlaza;
let process: ProcessFixture;
let lucia: { id: string };
const db = () => t.plaza.database.prisma;

beforeAll(async () => {
  t = await startTelegramPlaza({ env: { TELEGRAM_MODERATORS_CHAT_ID: String(ROOM) } });
  process = await createProcess(db(), { phase: 'proposals', title: 'Barrios vivos' });
  lucia = await createStaffMember(db(), { name: 'Lucía' });
});
afterEach(() => {
  t.fake.reset();
  t.telegram.channel.outbox.start();
});
afterAll(async () => {
  await t?.close();
});

/** The channel's room, with where a card is: its message recorded (sent), in the room's queue, or neither. */
function room(): ModeratorsRoomPort {
  const channel = t.telegram.channel;
  return {
    ...channel.room!,
    async card(caseId): Promise<CardState> {
      if (await t.plaza.redis.exists(`${t.plaza.config.REDIS_PREFIX}:tg:card:case:${caseId}`)) return 'sent';
      return (await channel.outbox.holds(String(ROOM), `case:${caseId}`)) ? 'queued' : 'none';
    },
  };
}

const deps = (): ModerationHandlerDeps => ({
  domain: t.plaza.domain,
  indexes: new ProposalIndexes(),
  room: room(),
  cardWaitMs: 2000,
});
const moderate = (caseId: number, d = deps()) => handleModerationJob(d, { caseId });
const caseRow = (caseId: number) => db().moderationCase.findUniqueOrThrow({ where: { id: caseId } });
/** The card's sendMessage calls, refused ones included (their text read from the request). */
const cardCalls = (caseId: number) =>
  t.fake.callsOf('sendMessage').filter((c) => String(c.params.text).includes(`Caso #${caseId} `));

describe('the moderation job and its card', () => {
  it('counts a case as announced only once Telegram took its card', async () => {
    const { caseId } = await createCase(db(), process);
    await t.telegram.channel.outbox.stop();
    await expect(moderate(caseId, { ...deps(), cardWaitMs: 300 })).rejects.toThrow(CardNotInRoomError);
    expect((await caseRow(caseId)).announcedAt).toBeNull();
    t.telegram.channel.outbox.start();
    await expect(moderate(caseId)).resolves.toBe('announced');
    expect((await caseRow(caseId)).announcedAt).not.toBeNull();
    expect(cardCalls(caseId)).toHaveLength(1);
  });

  it('posts a card given up (a 400) again at the next try, and only then counts it', async () => {
    const { caseId } = await createCase(db(), process);
    t.fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    await expect(moderate(caseId)).rejects.toThrow(/given up/);
    expect((await caseRow(caseId)).announcedAt).toBeNull();
    await expect(moderate(caseId)).resolves.toBe('announced');
    expect(cardCalls(caseId).map((c) => c.response.ok)).toEqual([false, true]);
    expect((await caseRow(caseId)).announcedAt).not.toBeNull();
  });

  it('a case decided while its card waits: case-decided settles at once, the card is edited once it is out', async () => {
    const { caseId } = await createCase(db(), process);
    await t.telegram.channel.outbox.stop();
    await expect(moderate(caseId, { ...deps(), cardWaitMs: 100 })).rejects.toThrow(/still queued/);
    expect(
      await decideModeration(t.plaza.domain, { caseId, staffMemberId: lucia.id, decision: 'approve' }),
    ).toMatchObject({ ok: true });
    await handleNotificationJob(
      { domain: t.plaza.domain, room: room(), senders: {} },
      { kind: 'case-decided', caseId },
    );
    expect((await caseRow(caseId)).settledAt).not.toBeNull();
    // Still queued: the job waits for it.
    await expect(moderate(caseId)).rejects.toThrow(/still queued/);
    t.telegram.channel.outbox.start();
    const card = await until('card', () => cardCalls(caseId).find((c) => c.response.ok));
    await until('card recorded', async () => ((await room().card(caseId)) === 'sent' ? true : undefined));
    await expect(moderate(caseId)).resolves.toBe('decided');
    expect((await caseRow(caseId)).announcedAt).not.toBeNull();
    const edit = await until('edit', () =>
      t.fake.callsOf('editMessageText').find((c) => c.params.message_id === messageIdOf(card)),
    );
    expect(textOf(edit)).toContain('Lucía');
    // Once: a later run edits nothing more.
    await expect(moderate(caseId)).resolves.toBe('decided');
    await new Promise((r) => setTimeout(r, 200));
    expect(
      t.fake.callsOf('editMessageText').filter((c) => c.params.message_id === messageIdOf(card)),
    ).toHaveLength(1);
  });

  it('a card lost for good before its case was decided: case-decided settles without an edit, nothing fails', async () => {
    const { caseId } = await createCase(db(), process);
    t.fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    await expect(moderate(caseId)).rejects.toThrow(/given up/);
    await decideModeration(t.plaza.domain, { caseId, staffMemberId: lucia.id, decision: 'approve' });
    await handleNotificationJob(
      { domain: t.plaza.domain, room: room(), senders: {} },
      { kind: 'case-decided', caseId },
    );
    expect(await caseRow(caseId)).toMatchObject({ announcedAt: null, settledAt: expect.any(Date) });
    await expect(moderate(caseId)).resolves.toBe('decided');
    expect(t.fake.callsOf('editMessageText')).toEqual([]);
  });

  it('a card whose message was forgotten (Redis lost it, or 90 days passed): the outcome is posted anew, once, and the case settles', async () => {
    const { caseId } = await createCase(db(), process, { title: 'Tarjeta olvidada' });
    await expect(moderate(caseId)).resolves.toBe('announced');
    const card = cardCalls(caseId).find((c) => c.response.ok)!;
    // Redis restarted without persistence (or the card's 90 days passed): its message id is gone.
    await t.plaza.redis.del(`${t.plaza.config.REDIS_PREFIX}:tg:card:case:${caseId}`);
    expect(await room().card(caseId)).toBe('none');
    await decideModeration(t.plaza.domain, { caseId, staffMemberId: lucia.id, decision: 'approve' });
    const decided = () =>
      handleNotificationJob(
        { domain: t.plaza.domain, room: room(), senders: {} },
        { kind: 'case-decided', caseId },
      );
    await decided();
    expect((await caseRow(caseId)).settledAt).not.toBeNull();
    const outcome = await until('outcome card', () =>
      cardCalls(caseId).find((c) => c !== card && c.response.ok),
    );
    expect(textOf(outcome)).toContain('Aprobada por Lucía');
    expect(outcome.params.reply_markup).toBeUndefined();
    // Known again: a later erasure can withdraw it.
    await until('outcome card recorded', async () =>
      (await room().card(caseId)) === 'sent' ? true : undefined,
    );
    // Once: the job run again (a worker's restart) posts and edits nothing more.
    await decided();
    await new Promise((r) => setTimeout(r, 200));
    expect(cardCalls(caseId)).toHaveLength(2);
    expect(t.fake.callsOf('editMessageText')).toEqual([]);
  });

  it('a card still queued when its case is decided: case-decided retries until it is out, then edits it', async () => {
    const { caseId } = await createCase(db(), process);
    await t.telegram.channel.outbox.stop();
    await t.telegram.channel.room!.post(caseId);
    expect(await room().card(caseId)).toBe('queued');
    // Counted as announced meanwhile (as if by an earlier post Telegram took), yet its message is not known.
    await db().moderationCase.update({ where: { id: caseId }, data: { announcedAt: new Date() } });
    await decideModeration(t.plaza.domain, { caseId, staffMemberId: lucia.id, decision: 'approve' });
    const decided = () =>
      handleNotificationJob(
        { domain: t.plaza.domain, room: room(), senders: {} },
        { kind: 'case-decided', caseId },
      );
    await expect(decided()).rejects.toThrow(CardNotSentYetError);
    expect((await caseRow(caseId)).settledAt).toBeNull();
    t.telegram.channel.outbox.start();
    const card = await until('card', () => cardCalls(caseId).find((c) => c.response.ok));
    await until('card recorded', async () => ((await room().card(caseId)) === 'sent' ? true : undefined));
    await decided();
    expect((await caseRow(caseId)).settledAt).not.toBeNull();
    const edit = await until('edit', () =>
      t.fake.callsOf('editMessageText').find((c) => c.params.message_id === messageIdOf(card)),
    );
    expect(textOf(edit)).toContain('Aprobada por Lucía');
    // No second card.
    expect(cardCalls(caseId)).toHaveLength(1);
  });

  it('a case erased while its card waits: the card is withdrawn once it is out', async () => {
    const { caseId, proposalId } = await createCase(db(), process);
    await t.telegram.channel.outbox.stop();
    await expect(moderate(caseId, { ...deps(), cardWaitMs: 100 })).rejects.toThrow(/still queued/);
    await db().proposal.delete({ where: { id: proposalId } });
    t.telegram.channel.outbox.start();
    const card = await until('card', () => cardCalls(caseId).find((c) => c.response.ok));
    await until('card recorded', async () => ((await room().card(caseId)) === 'sent' ? true : undefined));
    await expect(moderate(caseId)).resolves.toBe('not-found');
    const edit = await until('withdrawal', () =>
      t.fake.callsOf('editMessageText').find((c) => c.params.message_id === messageIdOf(card)),
    );
    expect(textOf(edit)).toBe(`🗑️ Caso #${caseId} retirado: la persona autora borró sus datos.`);
  });

  it('a proposal its author withdrew while its card waits: the card says so once it is out', async () => {
    const author = await createParticipant(db());
    const { caseId, proposalId } = await createCase(db(), process, { authorId: author.id });
    await t.telegram.channel.outbox.stop();
    await expect(moderate(caseId, { ...deps(), cardWaitMs: 100 })).rejects.toThrow(/still queued/);
    // Not announced: withdraw-proposal has no card to edit (no `erased-cases` job); the case row goes.
    expect(await withdrawProposal(t.plaza.domain, { participantId: author.id, proposalId })).toMatchObject({
      ok: true,
    });
    expect(await db().moderationCase.findUnique({ where: { id: caseId } })).toBeNull();
    t.telegram.channel.outbox.start();
    const card = await until('card', () => cardCalls(caseId).find((c) => c.response.ok));
    await until('card recorded', async () => ((await room().card(caseId)) === 'sent' ? true : undefined));
    await expect(moderate(caseId)).resolves.toBe('not-found');
    const edit = await until('withdrawal', () =>
      t.fake.callsOf('editMessageText').find((c) => c.params.message_id === messageIdOf(card)),
    );
    expect(textOf(edit)).toBe(
      `↩️ Caso #${caseId} retirado: la persona autora retiró su propuesta antes de la decisión.`,
    );
    expect((edit.params.reply_markup as { inline_keyboard: unknown[] }).inline_keyboard).toEqual([]);
  });
});
