// A Telegram-only citizen who blocked the bot is still told what became of their proposal: nothing is pushed
// to them while they are unreachable, and the decision is shown at the head of their first turn once they
// write again — whether the block was reported by Telegram (my_chat_member) or found by a 403 on the very
// notice. Shown once, never twice. The real workers run the notifications, as in production (main.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideModeration } from '../../../src/domain/decide-moderation.ts';
import { startWorker } from '../../../src/main.ts';
import type { Workers } from '../../../src/queues/workers.ts';
import { script } from '../../support/conversation.ts';
import { createProcess, createStaffMember, type ProcessFixture } from '../../support/fixtures.ts';
import { consentSteps, proposeSteps, TITLE } from '../../support/scripts.ts';
import {
  newUpdateId,
  startTelegramPlaza,
  TelegramChat,
  textOf,
  until,
  type TelegramPlaza,
} from './harness.ts';

let t: TelegramPlaza;
let workers: Workers;
let process: ProcessFixture;
let mod: { id: string };
const db = () => t.plaza.database.prisma;

beforeAll(async () => {
  t = await startTelegramPlaza();
  workers = await startWorker(t.plaza, t.telegram);
  process = await createProcess(db(), { phase: 'proposals', title: 'Barrios vivos' });
  mod = await createStaffMember(db());
});
afterAll(async () => {
  await workers?.close();
  await t?.close();
});

/** Telegram's update when the person blocks (`kicked`) or unblocks (`member`) the bot in their private chat. */
function membership(chatId: number, status: 'kicked' | 'member') {
  const user = { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'es' };
  return {
    update_id: newUpdateId(),
    my_chat_member: {
      chat: { id: chatId, type: 'private', first_name: 'Ana' },
      from: user,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { status: status === 'kicked' ? 'member' : 'kicked', user },
      new_chat_member: { status, user },
    },
  };
}

async function propose(): Promise<{ chat: TelegramChat; participantId: string; caseId: number }> {
  const chat = new TelegramChat(t);
  await script(chat, [...consentSteps, ...proposeSteps(process.slug, 'Barrios vivos')]);
  const account = await db().channelAccount.findUniqueOrThrow({
    where: { channel_externalId: { channel: 'telegram', externalId: chat.userId } },
  });
  const proposal = await db().proposal.findFirstOrThrow({
    where: { authorId: account.participantId },
    include: { cases: true },
  });
  return { chat, participantId: account.participantId, caseId: proposal.cases[0]!.id };
}

/** Every call aimed at the chat, refused ones too (a notice's chat id is a string, a turn's a number). */
const callsTo = (chat: TelegramChat) => t.fake.calls.filter((c) => String(c.params.chat_id) === chat.userId);

const unreachableAt = async (chat: TelegramChat) =>
  (
    await db().channelAccount.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'telegram', externalId: chat.userId } },
    })
  ).unreachableAt;

const REJECTED = `✖ Tu propuesta «${TITLE}» no se ha publicado.`;

/** The case-decided job has run to its end (the case is settled once its notices were handled). */
const settled = (caseId: number) =>
  until(`case ${caseId} settled`, async () => {
    const c = await db().moderationCase.findUniqueOrThrow({ where: { id: caseId } });
    return c.settledAt !== null;
  });

describe('a citizen who blocked the bot hears the decision when they come back', () => {
  it('blocked as Telegram reported (my_chat_member): recorded, not pushed, shown first at /start, once', async () => {
    const { chat, participantId, caseId } = await propose();
    expect((await t.post(membership(chat.chatId, 'kicked'))).status).toBe(200);
    expect(await unreachableAt(chat)).toBeInstanceOf(Date);
    const before = callsTo(chat).length;

    const decided = await decideModeration(t.plaza.domain, {
      caseId,
      staffMemberId: mod.id,
      decision: 'reject',
      reason: 'off-topic',
    });
    expect(decided).toMatchObject({ ok: true });
    await settled(caseId);
    // Nothing tried on a chat known to be blocked; the notice waits for them.
    await new Promise((r) => setTimeout(r, 200));
    expect(callsTo(chat)).toHaveLength(before);
    expect(await db().notice.findMany({ where: { participantId } })).toEqual([
      expect.objectContaining({ channel: 'telegram', deliveredAt: null, eventKey: `case:${caseId}` }),
    ]);

    expect((await t.post(membership(chat.chatId, 'member'))).status).toBe(200);
    await chat.say('/start');
    const said = chat.calls().map(textOf);
    expect(said[0]).toContain(REJECTED);
    expect(chat.text()).toMatch(/¿Qué quieres hacer\?/);
    expect(await db().notice.findFirstOrThrow({ where: { participantId } })).toMatchObject({
      deliveredVia: 'telegram',
      deliveredAt: expect.any(Date),
    });
    await chat.say('/start');
    expect(chat.text()).not.toContain(REJECTED);
  });

  // The channel queues a notice recorded (`notice:<id>`) and the outbox's onBlocked(chatId, dropped) reaches
  // mark-notice-undelivered (telegram-channel.ts, main.ts).
  it('blocked as a 403 on the notice itself: it stays undelivered and is shown first once they write again', async () => {
    const { chat, participantId, caseId } = await propose();
    t.fake.forbid(chat.chatId);
    await decideModeration(t.plaza.domain, {
      caseId,
      staffMemberId: mod.id,
      decision: 'reject',
      reason: 'off-topic',
    });
    await settled(caseId);
    // The push was tried and refused: the account is unreachable, the notice not delivered.
    await until('account unreachable', () => unreachableAt(chat).then((at) => at ?? undefined));
    await until(
      'notice back to undelivered',
      async () => {
        const n = await db().notice.findFirst({ where: { participantId } });
        return n?.deliveredAt === null;
      },
      3000,
    );
    expect(callsTo(chat).filter((c) => c.response.error_code === 403)).toHaveLength(1);

    t.fake.unforbid(chat.chatId);
    await chat.say('/start');
    expect(chat.calls().map(textOf)[0]).toContain(REJECTED);
    await chat.say('/start');
    expect(chat.text()).not.toContain(REJECTED);
  });
});
