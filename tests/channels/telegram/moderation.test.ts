// Moderation end to end through the fake Bot API: a proposal written in a private chat reaches the
// moderators' group as a card with the pre-screen's findings; a registered moderator's press decides it,
// the card is edited to the outcome and the author is told in their chat; anyone else's press changes
// nothing; Reject asks the presser for the reason (their own words are confirmed first); two moderators at
// once make one decision; /cola lists what waits (excerpts cut between characters; a /cola addressed to
// another bot is not Plaza's); reports hide a proposal at the threshold and send it back to the group. Chat
// in the room while a question waits: moderation-room.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportContent } from '../../../src/domain/report-content.ts';
import { script } from '../../support/conversation.ts';
import {
  createCase,
  createParticipant,
  createProposal,
  type ProcessFixture,
} from '../../support/fixtures.ts';
import { consentSteps, proposeSteps, TITLE } from '../../support/scripts.ts';
import type { FakeCall } from '../../fakes/telegram-bot-api.ts';
import { messageIdOf, TelegramChat, textOf, until, type TelegramPlaza } from './harness.ts';
import {
  buttonsOf,
  groupUpdate,
  inRoom as inRoomOf,
  inRoomWithAnswer,
  pressIn,
  pressInWithAnswer,
  startModerationRoom,
  type Moderator,
  type ModerationRoom,
  type RoomInput,
} from './room.ts';

const ROOM = -1001234567;
let room: ModerationRoom;
let t: TelegramPlaza;
let process: ProcessFixture;
let lucia: Moderator;
let pablo: Moderator;
const db = () => t.plaza.database.prisma;

beforeAll(async () => {
  room = await startModerationRoom(ROOM);
  ({ t, process, lucia, pablo } = room);
  // As at every start: getMe tells the channel the bot's username (the fake's @plaza_test_bot).
  await t.telegram.api.check();
});
afterAll(() => room?.close());

/** The room's card for a case (its first message mentioning `Caso #id`). */
const cardOf = (caseId: number) =>
  until(`card of case ${caseId}`, () =>
    t.fake.sent(ROOM).find((c) => textOf(c).includes(`Caso #${caseId} `)),
  );

const inRoom = (fromId: string, body: RoomInput) => inRoomOf(t, ROOM, { telegramUserId: fromId }, body);

const press = (who: { telegramUserId: string }, card: FakeCall, label: RegExp) =>
  pressIn(t, ROOM, who, card, label);

/** A refusal meant for the presser alone: nothing said in the group, the press's own answer says it. */
const refusedPrivately = (said: { said: string; answer: string }, pattern: RegExp) => {
  expect(said.said).toBe('');
  expect(said.answer).toMatch(pattern);
};

async function proposeFromTelegram(): Promise<{ chat: TelegramChat; proposalId: number; caseId: number }> {
  const chat = new TelegramChat(t);
  await script(chat, [...consentSteps, ...proposeSteps(process.slug, 'Barrios vivos')]);
  const account = await db().channelAccount.findUniqueOrThrow({
    where: { channel_externalId: { channel: 'telegram', externalId: chat.userId } },
  });
  const proposal = await db().proposal.findFirstOrThrow({
    where: { authorId: account.participantId },
    include: { cases: true },
  });
  return { chat, proposalId: proposal.id, caseId: proposal.cases[0]!.id };
}

const editsOf = (messageId: number) =>
  t.fake.callsOf('editMessageText').filter((c) => c.response.ok && c.params.message_id === messageId);

describe('the moderators’ room on Telegram', () => {
  it('a proposal reaches the group; a stranger’s press changes nothing; Approve publishes and tells the author', async () => {
    const { chat, proposalId, caseId } = await proposeFromTelegram();
    const card = await cardOf(caseId);
    expect(textOf(card)).toContain(`Propuesta #${proposalId} · Barrios vivos`);
    expect(textOf(card)).toContain(TITLE);
    expect(textOf(card)).toMatch(/Revisión automática/);
    expect(buttonsOf(card).map((b) => b.text)).toEqual(['✅ Aprobar', '❌ Rechazar']);
    for (const b of buttonsOf(card)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

    const stranger = '424242';
    const groupBefore = t.fake.sent(ROOM).length;
    refusedPrivately(
      await pressInWithAnswer(t, ROOM, { telegramUserId: stranger }, card, /Aprobar/),
      /Solo el equipo de moderación registrado puede decidir/,
    );
    expect(t.fake.sent(ROOM)).toHaveLength(groupBefore);
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('pending');

    const before = t.fake.sent(chat.chatId).length;
    expect(await press(lucia, card, /Aprobar/)).toBe('');
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('published');
    const edit = await until('card edit', () => editsOf(messageIdOf(card))[0]);
    expect(String(edit.params.text)).toMatch(/✅ Aprobada por Lucía/);
    expect((edit.params.reply_markup as { inline_keyboard: unknown[] }).inline_keyboard).toEqual([]);
    // Decided: the card says how the case came, not «pendiente de publicar» any more.
    expect(textOf(card)).toContain('Nueva, pendiente de publicar');
    expect(String(edit.params.text)).toContain('Nueva (moderación previa)');
    expect(String(edit.params.text)).not.toMatch(/pendiente de publicar|se pueden redactar/);
    const told = await until('author told', () =>
      t.fake
        .sent(chat.chatId)
        .slice(before)
        .map(textOf)
        .find((x) => /ya está publicada/.test(x)),
    );
    expect(told).toContain(`«${TITLE}»`);
    expect(
      await db().auditLog.findFirst({
        where: { targetId: String(proposalId), action: 'moderation.approve' },
      }),
    ).toMatchObject({ actor: `staff:${lucia.id}` });
  });

  it('Reject asks the moderator for the reason; the author reads it', async () => {
    const { chat, proposalId, caseId } = await proposeFromTelegram();
    const card = await cardOf(caseId);
    expect(await press(lucia, card, /Rechazar/)).toMatch(/Lucía, ¿por qué se rechaza el caso #\d+\?/);
    const question = t.fake.sent(ROOM).at(-1)!;
    // Pablo cannot answer Lucía's question: the buttons are hers.
    const duplicate = buttonsOf(question).find((b) => /Repetida/.test(b.text))!;
    refusedPrivately(
      await inRoomWithAnswer(t, ROOM, pablo, { data: duplicate.callback_data }),
      /no es para ti o ya no vale/,
    );
    expect(await inRoom(lucia.telegramUserId, { data: duplicate.callback_data })).toBe('');
    expect(await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({
      status: 'rejected',
      rejectionReason: 'duplicate',
    });
    const edit = await until('card edit', () => editsOf(messageIdOf(card))[0]);
    expect(String(edit.params.text)).toMatch(
      /❌ Rechazada por Lucía\. Motivo: Repetida: ya existe una igual/,
    );
    await until('author told', () =>
      t.fake
        .sent(chat.chatId)
        .map(textOf)
        .find((x) => /no se ha publicado\. Motivo: Repetida: ya existe una igual/.test(x)),
    );
  });

  it('a reason in the moderator’s own words', async () => {
    const { chat, proposalId, caseId } = await proposeFromTelegram();
    const card = await cardOf(caseId);
    await press(pablo, card, /Rechazar/);
    const question = t.fake.sent(ROOM).at(-1)!;
    const other = buttonsOf(question).find((b) => /Otro motivo/.test(b.text))!;
    expect(await inRoom(pablo.telegramUserId, { data: other.callback_data })).toMatch(
      /Pablo, escribe el motivo/,
    );
    // Others talking in the group meanwhile are not answered.
    expect(await inRoom(lucia.telegramUserId, { text: '¿alguien ha visto la 12?' })).toBe('');
    // Pablo's own words are shown back; the case is rejected once he confirms.
    expect(await inRoom(pablo.telegramUserId, { text: 'Pide algo que ya está en marcha <desde 2025>' })).toBe(
      'Pablo, ¿rechazo el caso #' +
        caseId +
        ' con este motivo?\n«Pide algo que ya está en marcha <desde 2025>»',
    );
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('pending');
    const confirm = t.fake.sent(ROOM).at(-1)!;
    expect(buttonsOf(confirm).map((b) => b.text)).toEqual(['1. Rechazar', '2. Cancelar']);
    expect(await press(pablo, confirm, /Rechazar/)).toBe('');
    expect(await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Pide algo que ya está en marcha <desde 2025>',
    });
    await until('author told', () =>
      t.fake
        .sent(chat.chatId)
        .find((c) =>
          /Motivo: Pide algo que ya está en marcha &lt;desde 2025&gt;/.test(String(c.params.text)),
        ),
    );
  });

  it('a reason typed with a NUL or a lone surrogate is cleaned and stored, not lost', async () => {
    const { chat, proposalId, caseId } = await proposeFromTelegram();
    const card = await cardOf(caseId);
    await press(lucia, card, /Rechazar/);
    const question = t.fake.sent(ROOM).at(-1)!;
    const other = buttonsOf(question).find((b) => /Otro motivo/.test(b.text))!;
    await inRoom(lucia.telegramUserId, { data: other.callback_data });
    // Nothing left once cleaned: asked again, the case still open.
    expect(await inRoom(lucia.telegramUserId, { text: '\u0000 \u0007' })).toMatch(/Lucía, escribe el motivo/);
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('pending');
    expect(await inRoom(lucia.telegramUserId, { text: 'Motivo con \u0000 nulo y \ud800 suelto' })).toMatch(
      /«Motivo con {2}nulo y \ufffd suelto»/,
    );
    await press(lucia, t.fake.sent(ROOM).at(-1)!, /Rechazar/);
    expect(await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({
      status: 'rejected',
      rejectionReason: 'Motivo con  nulo y \ufffd suelto',
    });
    await until('author told', () =>
      t.fake
        .sent(chat.chatId)
        .find((c) => /Motivo: Motivo con {2}nulo y \ufffd suelto/.test(String(c.params.text))),
    );
  });

  it('two moderators pressing at once make one decision; the other is told who decided', async () => {
    const { proposalId, caseId } = await proposeFromTelegram();
    const card = await cardOf(caseId);
    const approve = buttonsOf(card).find((b) => /Aprobar/.test(b.text))!;
    const before = t.fake.sent(ROOM).length;
    await Promise.all(
      [lucia, pablo].map((m) =>
        t.post(
          groupUpdate(ROOM, m.telegramUserId, { data: approve.callback_data, messageId: messageIdOf(card) }),
        ),
      ),
    );
    await until('room delivery', async () => (await t.telegram.channel.outbox.pending(String(ROOM))) === 0);
    const said = t.fake.sent(ROOM).slice(before).map(textOf);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^(Lucía|Pablo) ya decidió el caso #\d+ \(aprobada\)\.$/);
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('published');
    expect(await db().auditLog.count({ where: { targetId: String(proposalId) } })).toBe(1);
  });

  it('/cola lists what waits, oldest first, for moderators only', async () => {
    const { caseId } = await proposeFromTelegram();
    await cardOf(caseId);
    expect(await inRoom('555', { text: '/cola' })).toMatch(/Solo el equipo de moderación/);
    const list = await inRoom(lucia.telegramUserId, { text: '/cola@Plaza_Test_Bot' });
    expect(list).toMatch(/casos? pendientes?, el más antiguo primero/);
    expect(list).toContain(`#${caseId} · Propuesta · hace`);
  });

  it('/cola addressed to another bot in the group is that bot’s: no answer', async () => {
    const { caseId } = await proposeFromTelegram();
    await cardOf(caseId);
    expect(await inRoom(lucia.telegramUserId, { text: '/cola@other_bot' })).toBe('');
    expect(await inRoom(lucia.telegramUserId, { text: '/ayuda@OtherBot' })).toBe('');
    expect(await inRoom(lucia.telegramUserId, { text: '/cola' })).toContain(`#${caseId} · Propuesta · hace`);
  });

  it('/cola cuts a long excerpt between characters, never inside an emoji or a flag', async () => {
    // 58 letters, then a flag (two code points, each a surrogate pair) where the cut falls.
    const { caseId } = await createCase(db(), process, { title: `${'x'.repeat(58)}🇪🇸 y mucho más texto` });
    // The oldest waiting, so it is among the lines shown.
    await db().moderationCase.update({
      where: { id: caseId },
      data: { openedAt: new Date(Date.now() - 400 * 86_400_000) },
    });
    const list = await inRoom(lucia.telegramUserId, { text: '/cola' });
    const line = list.split('\n').find((l) => l.startsWith(`#${caseId} · `));
    expect(line).toMatch(new RegExp(`^#${caseId} · Propuesta · hace 400 d · x{58}🇪🇸…$`, 'u'));
    expect(list).not.toContain('\uFFFD');
  });

  it('reports hide a proposal at the threshold and send it back to the group', async () => {
    const author = await createParticipant(db());
    const proposalId = await createProposal(db(), process, {
      authorId: author.id,
      title: 'Una propuesta denunciada',
    });
    for (let i = 0; i < 3; i++) {
      const someone = await createParticipant(db());
      await reportContent(t.plaza.domain, {
        participantId: someone.id,
        item: { kind: 'proposal', id: proposalId },
        reason: 'spam',
      });
    }
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('hidden');
    const reported = await db().moderationCase.findFirstOrThrow({
      where: { proposalId, reason: 'reported' },
    });
    const card = await cardOf(reported.id);
    expect(textOf(card)).toMatch(/🚩 Caso #\d+ · Propuesta/);
    expect(textOf(card)).toMatch(/Denunciada 3 veces y oculta: Spam o publicidad ×3/);
    expect(buttonsOf(card).map((b) => b.text)).toEqual(['✅ Restaurar', '❌ Retirar']);
    await press(lucia, card, /Restaurar/);
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('published');
  });

  it('a forged case button is refused', async () => {
    const { proposalId, caseId } = await proposeFromTelegram();
    const card = await cardOf(caseId);
    const approve = buttonsOf(card).find((b) => /Aprobar/.test(b.text))!;
    const forged = approve.callback_data.replace(/case:\d+/, `case:${caseId + 1}`);
    refusedPrivately(await inRoomWithAnswer(t, ROOM, lucia, { data: forged }), /no es para ti o ya no vale/);
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('pending');
  });
});
