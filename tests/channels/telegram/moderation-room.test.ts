// The moderators' room is a group where colleagues talk while a question waits. Only an unambiguous answer
// decides (a button, or exactly an option's number or title); a reason in one's own words is shown back and
// rejects only once confirmed (a cancel word alone cancels instead); a question lapses after ten minutes. A
// moderator's second press of their own decision is not news about a colleague; someone taken off the list is
// refused even on a question they had been asked; report reasons on a card read as citizens chose them; a
// reason is measured in characters.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reportContent } from '../../../src/domain/report-content.ts';
import { withdrawProposal } from '../../../src/domain/withdraw-proposal.ts';
import {
  createCase,
  createParticipant,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../../support/fixtures.ts';
import type { FakeCall } from '../../fakes/telegram-bot-api.ts';
import { messageIdOf, textOf, until, type TelegramPlaza } from './harness.ts';
import {
  buttonsOf,
  groupUpdate,
  inRoom as inRoomOf,
  pressIn,
  pressInWithAnswer,
  startModerationRoom,
  button,
  type Moderator,
  type ModerationRoom,
  type RoomInput,
} from './room.ts';

const ROOM = -1007654321;
const MINUTE = 60_000;
let room: ModerationRoom;
let t: TelegramPlaza;
let process: ProcessFixture;
let lucia: Moderator;
let pablo: Moderator;
const db = () => t.plaza.database.prisma;

beforeAll(async () => {
  room = await startModerationRoom(ROOM);
  ({ t, process, lucia, pablo } = room);
});
afterAll(() => room?.close());

// Time moves only for the domain's clock (what the room's questions are dated by).
const realNow = () => new Date();
afterEach(() => {
  t.plaza.domain.now = realNow;
});
const later = (ms: number) => {
  t.plaza.domain.now = () => new Date(Date.now() + ms);
};

/** What the bot said in the room after this update (joined). */
const inRoom = (who: { telegramUserId: string }, body: RoomInput) => inRoomOf(t, ROOM, who, body);
const says = (who: { telegramUserId: string }, text: string) => inRoom(who, { text });

/** A case with its card in the room (the moderation worker posts it). */
async function caseWithCard(opts: { authorId?: string; status?: 'pending' | 'published' } = {}) {
  const { caseId, proposalId } = await createCase(db(), process, opts);
  await t.plaza.queues.moderateCase(caseId);
  const card = await until(`card of case ${caseId}`, () =>
    t.fake.sent(ROOM).find((c) => textOf(c).includes(`Caso #${caseId} `) && buttonsOf(c).length > 0),
  );
  return { caseId, proposalId, card };
}

/** Presses a button of `message` (a card or a question). */
const press = (who: { telegramUserId: string }, message: FakeCall, label: RegExp) =>
  pressIn(t, ROOM, who, message, label);

/** The room's latest message matching `pattern` (a question asked). */
const lastSaid = (pattern: RegExp) => {
  const found = t.fake
    .sent(ROOM)
    .filter((c) => pattern.test(textOf(c)))
    .at(-1);
  if (!found) throw new Error(`nothing said matching ${pattern}`);
  return found;
};

const proposal = (id: number) =>
  db().proposal.findUniqueOrThrow({ where: { id }, select: { status: true, rejectionReason: true } });

describe('chat in the room while a reason question waits', () => {
  it('numbers and words inside sentences decide nothing and get no answer; exactly «2» does', async () => {
    const { caseId, proposalId, card } = await caseWithCard();
    expect(await press(lucia, card, /Rechazar/)).toMatch(
      new RegExp(`^Lucía, ¿por qué se rechaza el caso #${caseId}\\?`),
    );
    for (const chat of [
      'dame 2 minutos y lo miro',
      '¿alguien ha visto la 12?',
      'la segunda vez que lo veo',
      'esto es spam seguro',
      'insultos o faltas de respeto hay en el otro caso',
    ]) {
      expect(await says(lucia, chat), chat).toBe('');
      expect(await proposal(proposalId), chat).toMatchObject({ status: 'pending' });
    }
    expect(await db().moderationCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({
      decidedAt: null,
    });
    // Exactly the option's number (as the buttons show it) decides.
    expect(await says(lucia, '2')).toBe('');
    expect(await proposal(proposalId)).toEqual({ status: 'rejected', rejectionReason: 'insults' });
  });

  it('exactly an option’s title decides, case and punctuation aside', async () => {
    const { proposalId, card } = await caseWithCard();
    await press(pablo, card, /Rechazar/);
    expect(await says(pablo, 'publicidad')).toBe('');
    expect(await says(pablo, 'publicidad o SPAM')).toBe('');
    expect(await proposal(proposalId)).toEqual({ status: 'rejected', rejectionReason: 'spam' });
  });

  it('a reason in one’s own words is shown back and rejects only when confirmed', async () => {
    const { proposalId, card } = await caseWithCard();
    await press(lucia, card, /Rechazar/);
    expect(await press(lucia, lastSaid(/Lucía, ¿por qué/), /Otro motivo/)).toMatch(
      /Lucía, escribe el motivo/,
    );
    // Chat is taken for the reason… but only offered back.
    const offered = await says(lucia, 'jaja sí, ahora voy');
    expect(offered).toMatch(/Lucía, ¿rechazo el caso #\d+ con este motivo\?\n«jaja sí, ahora voy»/);
    const confirm = lastSaid(/con este motivo/);
    expect(buttonsOf(confirm).map((b) => b.text)).toEqual(['1. Rechazar', '2. Cancelar']);
    expect(await proposal(proposalId)).toMatchObject({ status: 'pending' });
    expect(await says(lucia, 'vale, ahora lo miro')).toBe('');
    expect(await proposal(proposalId)).toMatchObject({ status: 'pending' });
    expect(await press(lucia, confirm, /Cancelar/)).toMatch(/el caso #\d+ sigue pendiente/);
    expect(await says(lucia, 'Rechazar')).toBe(''); // nothing waits any more: chat
    expect(await proposal(proposalId)).toMatchObject({ status: 'pending' });

    await press(lucia, card, /Rechazar/);
    await press(lucia, lastSaid(/Lucía, ¿por qué/), /Otro motivo/);
    await says(lucia, 'Ya existe una propuesta igual en el barrio');
    expect(await press(lucia, lastSaid(/con este motivo/), /Rechazar/)).toBe('');
    expect(await proposal(proposalId)).toEqual({
      status: 'rejected',
      rejectionReason: 'Ya existe una propuesta igual en el barrio',
    });
  });

  it('«cancelar» (or «cancel») alone at «escribe el motivo» cancels: it is no reason', async () => {
    const { caseId, proposalId, card } = await caseWithCard();
    for (const word of ['cancelar', 'Cancel.', '¡CANCELAR!']) {
      await press(lucia, card, /Rechazar/);
      expect(await press(lucia, lastSaid(/Lucía, ¿por qué/), /Otro motivo/)).toMatch(
        /Lucía, escribe el motivo/,
      );
      expect(await says(lucia, word), word).toBe(`De acuerdo, el caso #${caseId} sigue pendiente.`);
      expect(await proposal(proposalId), word).toEqual({ status: 'pending', rejectionReason: null });
      // Nothing waits any more: the next message is chat.
      expect(await says(lucia, 'Rechazar'), word).toBe('');
    }
    // A reason that merely contains the word is still a reason, offered back.
    await press(lucia, card, /Rechazar/);
    await press(lucia, lastSaid(/Lucía, ¿por qué/), /Otro motivo/);
    expect(await says(lucia, 'cancelar la cuenta del vecino')).toMatch(/con este motivo\?\n«cancelar la/);
    await says(lucia, 'Cancelar');
    expect(await proposal(proposalId)).toMatchObject({ status: 'pending' });
  });

  it('a question lapses after ten minutes: then messages are chat, and ❌ starts over', async () => {
    const { proposalId, card } = await caseWithCard();
    await press(pablo, card, /Rechazar/);
    const question = lastSaid(/Pablo, ¿por qué/);
    later(11 * MINUTE);
    // Its button (or its exact words) is told it lapsed, once; after that it is chat.
    expect(await press(pablo, question, /Repetida/)).toMatch(/La pregunta sobre el caso #\d+ ha caducado/);
    expect(await says(pablo, '3')).toBe('');
    expect(await proposal(proposalId)).toMatchObject({ status: 'pending' });

    expect(await press(pablo, card, /Rechazar/)).toMatch(/Pablo, ¿por qué/);
    await press(pablo, lastSaid(/Pablo, ¿por qué/), /Otro motivo/);
    later(22 * MINUTE);
    expect(await says(pablo, 'jaja sí, ahora voy')).toBe('');
    expect(await proposal(proposalId)).toMatchObject({ status: 'pending' });

    later(23 * MINUTE);
    await press(pablo, card, /Rechazar/);
    expect(await says(pablo, '3')).toBe('');
    expect(await proposal(proposalId)).toEqual({ status: 'rejected', rejectionReason: 'duplicate' });
  });
});

describe('who pressed', () => {
  it('a double tap on one’s own decision is not reported as someone else’s', async () => {
    const { proposalId, card } = await caseWithCard();
    const approve = button(card, /Aprobar/);
    const before = t.fake.sent(ROOM).length;
    await Promise.all(
      [1, 2].map(() =>
        t.post(
          groupUpdate(ROOM, lucia.telegramUserId, {
            data: approve.callback_data,
            messageId: messageIdOf(card),
          }),
        ),
      ),
    );
    await until('room delivery', async () => (await t.telegram.channel.outbox.pending(String(ROOM))) === 0);
    expect(t.fake.sent(ROOM).slice(before).map(textOf)).toEqual([
      expect.stringMatching(/^El caso #\d+ ya está decidido \(aprobada\)\.$/),
    ]);
    expect((await proposal(proposalId)).status).toBe('published');
    // A colleague is still told who decided.
    expect(await press(pablo, card, /Aprobar/)).toMatch(/^Lucía ya decidió el caso #\d+ \(aprobada\)\.$/);
  });

  it('a colleague with the same name is told the other decided, not that it was their own decision', async () => {
    const namesake = await createStaffMember(db(), { name: 'Lucía' });
    const { card } = await caseWithCard();
    await press(lucia, card, /Aprobar/);
    expect(await press(namesake, card, /Aprobar/)).toMatch(/^Lucía ya decidió el caso #\d+ \(aprobada\)\.$/);
  });

  it('❌ on a case decided meanwhile says so at once, asking no reason', async () => {
    const { proposalId, card } = await caseWithCard();
    await press(lucia, card, /Aprobar/);
    expect(await press(pablo, card, /Rechazar/)).toMatch(/^Lucía ya decidió el caso #\d+ \(aprobada\)\.$/);
    // Nothing waits for Pablo: his next message is chat.
    expect(await says(pablo, '1')).toBe('');
    expect((await proposal(proposalId)).status).toBe('published');
  });

  it('a double tap on Reject asks once', async () => {
    const { card } = await caseWithCard();
    const reject = button(card, /Rechazar/);
    const before = t.fake.sent(ROOM).length;
    for (let i = 0; i < 2; i++)
      await t.post(
        groupUpdate(ROOM, pablo.telegramUserId, { data: reject.callback_data, messageId: messageIdOf(card) }),
      );
    await until('room delivery', async () => (await t.telegram.channel.outbox.pending(String(ROOM))) === 0);
    expect(t.fake.sent(ROOM).slice(before).map(textOf)).toEqual([
      expect.stringMatching(/^Pablo, ¿por qué se rechaza el caso #\d+\?/),
    ]);
    await says(pablo, 'Cancelar');
  });

  it('someone taken off the list refuses like any non-moderator, even on a question they were asked', async () => {
    const marta = await createStaffMember(db(), { name: 'Marta' });
    const { proposalId, card } = await caseWithCard();
    await press(marta, card, /Rechazar/);
    const question = lastSaid(/Marta, ¿por qué/);
    await db().staffMember.update({ where: { id: marta.id }, data: { disabledAt: new Date() } });
    const refused = await pressInWithAnswer(t, ROOM, marta, question, /spam/);
    expect(refused.said).toBe('');
    expect(refused.answer).toMatch(/Solo el equipo de moderación registrado puede decidir/);
    expect(await proposal(proposalId)).toMatchObject({ status: 'pending' });
    expect(await says(marta, 'pues vale')).toBe('');
  });
});

describe('a card whose message the room forgot (Redis lost it, or its 90 days passed)', () => {
  it('a press on it tells the room its message again: the decision edits that very card', async () => {
    const { caseId, card } = await caseWithCard();
    await until(
      'announced',
      async () =>
        (await db().moderationCase.findUniqueOrThrow({ where: { id: caseId } })).announcedAt ?? undefined,
    );
    await t.plaza.redis.del(`${t.plaza.config.REDIS_PREFIX}:tg:card:case:${caseId}`);
    await press(lucia, card, /Aprobar/);
    const edit = await until('the card edited', () =>
      t.fake.callsOf('editMessageText').find((c) => c.params.message_id === messageIdOf(card)),
    );
    expect(textOf(edit)).toContain('Aprobada por Lucía');
    expect((edit.params.reply_markup as { inline_keyboard: unknown[] }).inline_keyboard).toEqual([]);
    await until(
      'settled',
      async () =>
        (await db().moderationCase.findUniqueOrThrow({ where: { id: caseId } })).settledAt ?? undefined,
    );
    // Not posted again.
    expect(t.fake.sent(ROOM).filter((c) => textOf(c).includes(`Caso #${caseId} `))).toHaveLength(1);
  });
});

describe('a case that is gone (its author withdrew the proposal, or erased their data)', () => {
  /** A case with its card in the room whose author withdraws the proposal before the card's edit goes out. */
  async function withdrawnWithCard() {
    const author = await createParticipant(db());
    const { caseId, proposalId, card } = await caseWithCard({ authorId: author.id });
    t.telegram.channel.outbox.stop();
    try {
      expect(await withdrawProposal(t.plaza.domain, { participantId: author.id, proposalId })).toMatchObject({
        ok: true,
      });
    } finally {
      t.telegram.channel.outbox.start();
    }
    return { caseId, card };
  }

  it('❌ is answered at once, to the presser alone, saying the author withdrew it; no reason is asked', async () => {
    const { caseId, card } = await withdrawnWithCard();
    const r = await pressInWithAnswer(t, ROOM, lucia, card, /Rechazar/);
    expect(r).toEqual({
      said: '',
      answer: `↩️ Caso #${caseId} retirado: la persona autora retiró su propuesta antes de la decisión.`,
    });
    // Nothing waits for Lucía: her next message is chat.
    expect(await says(lucia, '1')).toBe('');
  });

  it('✅ says the same, to the presser alone', async () => {
    const { caseId, card } = await withdrawnWithCard();
    expect(await pressInWithAnswer(t, ROOM, pablo, card, /Aprobar/)).toEqual({
      said: '',
      answer: `↩️ Caso #${caseId} retirado: la persona autora retiró su propuesta antes de la decisión.`,
    });
  });

  it('❌ on the card of a case erased with its author’s data says so', async () => {
    const { caseId, proposalId, card } = await caseWithCard();
    await db().proposal.delete({ where: { id: proposalId } });
    expect(await pressInWithAnswer(t, ROOM, lucia, card, /Rechazar/)).toEqual({
      said: '',
      answer: `🗑️ Caso #${caseId} retirado: la persona autora borró sus datos.`,
    });
  });

  it('withdrawn while the reason was being asked: the reason is answered with why the case is gone', async () => {
    const author = await createParticipant(db());
    const { caseId, proposalId, card } = await caseWithCard({ authorId: author.id });
    await press(lucia, card, /Rechazar/);
    const question = lastSaid(/Lucía, ¿por qué/);
    await withdrawProposal(t.plaza.domain, { participantId: author.id, proposalId });
    expect(await pressIn(t, ROOM, lucia, question, /spam/i)).toBe(
      `↩️ Caso #${caseId} retirado: la persona autora retiró su propuesta antes de la decisión.`,
    );
  });
});

describe('a first review closed because reports hid its item (post-moderation)', () => {
  /**
   * A published proposal's first review with its card in the room; reports hide it before anyone decided,
   * so that case is closed without a decision and a reported case opened in its place. Returns both.
   */
  async function supersededWithCard() {
    const author = await createParticipant(db());
    const { caseId, proposalId, card } = await caseWithCard({ authorId: author.id, status: 'published' });
    t.telegram.channel.outbox.stop();
    try {
      for (let i = 0; i < 3; i++) {
        const someone = await createParticipant(db());
        await reportContent(t.plaza.domain, {
          participantId: someone.id,
          item: { kind: 'proposal', id: proposalId },
          reason: 'spam',
        });
      }
    } finally {
      t.telegram.channel.outbox.start();
    }
    const reported = await db().moderationCase.findFirstOrThrow({
      where: { proposalId, reason: 'reported' },
    });
    await until('the reported case’s card', () => cardOf(reported.id));
    return { caseId, reportedId: reported.id, proposalId, card };
  }

  const closedText = (caseId: number, reportedId: number) =>
    `🚩 Caso #${caseId} cerrado sin decisión: las denuncias ocultaron el contenido antes de la revisión; se revisa como denuncia en el caso #${reportedId}.`;

  it('✅ on its old card says, to the presser alone, that it is reviewed as a report in the new case', async () => {
    const { caseId, reportedId, proposalId, card } = await supersededWithCard();
    expect(await pressInWithAnswer(t, ROOM, lucia, card, /Mantener/)).toEqual({
      said: '',
      answer: closedText(caseId, reportedId),
    });
    expect((await proposal(proposalId)).status).toBe('hidden');
  });

  it('❌ on its old card says the same at once; no reason is asked', async () => {
    const { caseId, reportedId, card } = await supersededWithCard();
    expect(await pressInWithAnswer(t, ROOM, pablo, card, /Retirar/)).toEqual({
      said: '',
      answer: closedText(caseId, reportedId),
    });
    // Nothing waits for Pablo: his next message is chat.
    expect(await says(pablo, '1')).toBe('');
  });

  it('closed while the reason was being asked: the reason is answered with where the case went', async () => {
    const author = await createParticipant(db());
    const { caseId, proposalId, card } = await caseWithCard({ authorId: author.id, status: 'published' });
    await press(lucia, card, /Retirar/);
    const question = lastSaid(/Lucía, ¿por qué/);
    for (let i = 0; i < 3; i++) {
      const someone = await createParticipant(db());
      await reportContent(t.plaza.domain, {
        participantId: someone.id,
        item: { kind: 'proposal', id: proposalId },
        reason: 'spam',
      });
    }
    const reported = await db().moderationCase.findFirstOrThrow({
      where: { proposalId, reason: 'reported' },
    });
    await until('the reported case’s card', () => cardOf(reported.id));
    expect(await pressIn(t, ROOM, lucia, question, /spam/i)).toBe(closedText(caseId, reported.id));
    expect((await proposal(proposalId)).status).toBe('hidden');
  });
});

describe('the card and the reason', () => {
  it('report reasons read as citizens chose them', async () => {
    const author = await createParticipant(db());
    const proposalId = await createProposal(db(), process, { authorId: author.id, title: 'Una denunciada' });
    for (const reason of ['spam', 'personal-data', 'spam'] as const) {
      const someone = await createParticipant(db());
      await reportContent(t.plaza.domain, {
        participantId: someone.id,
        item: { kind: 'proposal', id: proposalId },
        reason,
      });
    }
    const reported = await db().moderationCase.findFirstOrThrow({
      where: { proposalId, reason: 'reported' },
    });
    const card = await until('card', () => cardOf(reported.id));
    expect(textOf(card)).toMatch(
      /Denunciada 3 veces y oculta: (Spam o publicidad ×2, Datos personales ×1|Datos personales ×1, Spam o publicidad ×2)/,
    );
    expect(textOf(card)).not.toMatch(/personal-data|spam ×/);
  });

  it('a reason is measured in characters: 300 emoji are not «over 500»', async () => {
    const { proposalId, card } = await caseWithCard();
    await press(lucia, card, /Rechazar/);
    await press(lucia, lastSaid(/Lucía, ¿por qué/), /Otro motivo/);
    expect(await says(lucia, '🤬'.repeat(501))).toMatch(/demasiado largo \(máximo 500 caracteres\)/);
    expect(await says(lucia, '🤬'.repeat(300))).toMatch(/con este motivo\?\n«(🤬){300}»/);
    await press(lucia, lastSaid(/con este motivo/), /Rechazar/);
    expect(await proposal(proposalId)).toMatchObject({ status: 'rejected' });
  });

  // decide-moderation cuts the reason at 500 UTF-16 units (`slice`): 250 of these 300 emoji are kept. Make
  // this an ordinary `it` once it counts code points.
  it('a reason of 500 characters is stored whole (decide-moderation counts code points)', async () => {
    const { proposalId, card } = await caseWithCard();
    await press(lucia, card, /Rechazar/);
    await press(lucia, lastSaid(/Lucía, ¿por qué/), /Otro motivo/);
    await says(lucia, `a${'🤬'.repeat(300)}`);
    await press(lucia, lastSaid(/con este motivo/), /Rechazar/);
    expect((await proposal(proposalId)).rejectionReason).toBe(`a${'🤬'.repeat(300)}`);
  });
});

/** The card of a case posted in the room, once there. */
function cardOf(caseId: number): FakeCall | undefined {
  return t.fake.sent(ROOM).find((c) => textOf(c).includes(`Caso #${caseId} `) && buttonsOf(c).length > 0);
}
