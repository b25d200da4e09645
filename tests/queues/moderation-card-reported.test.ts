// Post-moderation: reports hide a published item while its first review (a `submitted` case) is still open.
// That case is closed without a decision and a `reported` one opened: the group gets the reported case's card
// (counts, reasons, its buttons), and the first card, through the real Telegram channel and the fake Bot
// API, loses its buttons and says why.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reportContent } from '../../src/domain/report-content.ts';
import {
  handleModerationJob,
  type CardState,
  type ModerationHandlerDeps,
  type ModeratorsRoomPort,
} from '../../src/queues/moderation/handler.ts';
import { ProposalIndexes } from '../../src/domain/prescreen-case.ts';
import { createCase, createParticipant, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import {
  messageIdOf,
  startTelegramPlaza,
  textOf,
  until,
  type TelegramPlaza,
} from '../channels/telegram/harness.ts';
import { buttonsOf } from '../channels/telegram/room.ts';

const ROOM = -1004242000000 - Math.floor(Math.random() * 1_000_000);
let t: TelegramPlaza;
let post: ProcessFixture;
const db = () => t.plaza.database.prisma;

beforeAll(async () => {
  t = await startTelegramPlaza({ env: { TELEGRAM_MODERATORS_CHAT_ID: String(ROOM) } });
  post = await createProcess(db(), { phase: 'proposals', title: 'Plazas' });
  await db().process.update({ where: { id: post.id }, data: { moderationMode: 'post' } });
});
afterEach(() => {
  t.fake.reset();
});
afterAll(async () => {
  await t?.close();
});

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
const moderate = (caseId: number) => handleModerationJob(deps(), { caseId });
const cardCalls = (caseId: number) =>
  t.fake.callsOf('sendMessage').filter((c) => String(c.params.text).includes(`Caso #${caseId} `));

async function hideByReports(proposalId: number) {
  for (let i = 0; i < 3; i++) {
    const someone = await createParticipant(db());
    await reportContent(t.plaza.domain, {
      participantId: someone.id,
      item: { kind: 'proposal', id: proposalId },
      reason: 'insults',
    });
  }
  return db().moderationCase.findFirstOrThrow({ where: { proposalId, decidedAt: null } });
}

describe('post-moderation: reports while the first review is open', () => {
  it('the group gets a reported card; the first card loses its buttons and says why, once', async () => {
    const { caseId, proposalId } = await createCase(db(), post, { status: 'published' });
    await expect(moderate(caseId)).resolves.toBe('announced');
    const first = cardCalls(caseId).find((c) => c.response.ok)!;
    expect(textOf(first)).toContain('Ya publicada (post-moderación)');
    const reported = await hideByReports(proposalId);
    expect(reported).toMatchObject({ reason: 'reported' });
    // The reported case gets a card of its own, with its buttons, where the group sees it.
    await expect(moderate(reported.id)).resolves.toBe('announced');
    const card = cardCalls(reported.id).find((c) => c.response.ok)!;
    expect(textOf(card)).toContain('Denunciada 3 veces y oculta: Insultos o faltas de respeto ×3');
    expect(buttonsOf(card).map((b) => b.text)).toEqual(['✅ Restaurar', '❌ Retirar']);
    // The first review's card loses its buttons and points to what replaced it, once.
    await expect(moderate(caseId)).resolves.toBe('decided');
    const edit = await until('edit', () =>
      t.fake.callsOf('editMessageText').find((c) => c.params.message_id === messageIdOf(first)),
    );
    expect(textOf(edit)).toBe(
      `🚩 Caso #${caseId} cerrado sin decisión: las denuncias ocultaron el contenido antes de la revisión; se revisa en un caso nuevo, como denuncia.`,
    );
    expect(buttonsOf(edit)).toEqual([]);
    await expect(moderate(caseId)).resolves.toBe('decided');
    await new Promise((r) => setTimeout(r, 200));
    expect(
      t.fake.callsOf('editMessageText').filter((c) => c.params.message_id === messageIdOf(first)),
    ).toHaveLength(1);
  });

  it('a first card still queued when reports hide the item is put right once it is out', async () => {
    const { caseId, proposalId } = await createCase(db(), post, { status: 'published' });
    await t.telegram.channel.outbox.stop();
    try {
      await expect(handleModerationJob({ ...deps(), cardWaitMs: 100 }, { caseId })).rejects.toThrow(
        /still queued/,
      );
      await hideByReports(proposalId);
      await expect(moderate(caseId)).rejects.toThrow(/still queued/);
    } finally {
      t.telegram.channel.outbox.start();
    }
    const first = await until('card', () => cardCalls(caseId).find((c) => c.response.ok));
    await until('card recorded', async () => ((await room().card(caseId)) === 'sent' ? true : undefined));
    await expect(moderate(caseId)).resolves.toBe('decided');
    const edit = await until('edit', () =>
      t.fake.callsOf('editMessageText').find((c) => c.params.message_id === messageIdOf(first)),
    );
    expect(textOf(edit)).toMatch(new RegExp(`^🚩 Caso #${caseId} cerrado sin decisión`));
    expect(buttonsOf(edit)).toEqual([]);
  });
});
