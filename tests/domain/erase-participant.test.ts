import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ButtonStore } from '../../channels/telegram/buttons.ts';
import { TelegramOutbox } from '../../channels/telegram/outbox.ts';
import { ConversationStore } from '../../channels/webchat/conversation-store.ts';
import { readTurnState, stateKeyOf, writeTurnState } from '../../src/engine/turn-state.ts';
import { TurnGate } from '../../src/engine/turn-gate.ts';
import type { OutboundActivity } from '../../src/engine/types.ts';
import { answerProposal } from '../../src/domain/answer-proposal.ts';
import {
  cancelEventRegistration,
  cancelRegistrationOfLockedEvent,
} from '../../src/domain/cancel-event-registration.ts';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { eraseParticipant, type ParticipantTraces } from '../../src/domain/erase-participant.ts';
import { lockEvent } from '../../src/domain/events.ts';
import { reportContent } from '../../src/domain/report-content.ts';
import { scrubAuditTexts } from '../../src/domain/scrub-audit-texts.ts';
import { createLogger } from '../../src/logger.ts';
import { broadcastJobSchema } from '../../src/queues/broadcasts/job.ts';
import { moderationJobSchema } from '../../src/queues/moderation/job.ts';
import { notificationJobSchema } from '../../src/queues/notifications/job.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { createRedisParticipantTraces } from '../../src/redis/participant-traces.ts';
import {
  createCase,
  createParticipant,
  createProcess,
  createProposal,
  createStaffMember,
} from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';
import { registerInOrder, registrationStatuses } from './event-registrations.ts';
import { holdTransaction, untilWaitingForALock } from './held-transaction.ts';
import { seedPerson, tablesLinkedToParticipant, type SeededPerson } from './participant-data-seed.ts';

const REDIS_URL = process.env.PLAZA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let t: DomainTest;
let redis: Redis;
const prefix = `plazatest-${randomBytes(5).toString('hex')}`;
beforeAll(async () => {
  t = await createDomainTest();
  redis = await connectRedis({ url: REDIS_URL });
});
afterAll(async () => {
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 }))
    if (keys.length > 0) await redis.del(keys);
  await redis.quit();
  await t?.cleanup();
});

const noTraces: ParticipantTraces = { forget: async () => undefined };

/** Rows of every table (each row as text) that contain `needle`, as "table: row". */
async function searchDatabase(needle: string): Promise<string[]> {
  const tables = await t.db.$queryRaw<{ name: string }[]>`
    SELECT table_name::text AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  const hits: string[] = [];
  for (const { name } of tables) {
    const rows = await t.db.$queryRawUnsafe<{ row: string }[]>(
      `SELECT t::text AS row FROM "${name}" t WHERE t::text ILIKE '%' || $1 || '%'`,
      needle,
    );
    hits.push(...rows.map((r) => `${name}: ${r.row}`));
  }
  return hits;
}

/** Keys under the test's prefix whose name or value contains `needle`. */
async function searchRedis(needle: string): Promise<string[]> {
  const hits: string[] = [];
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
    for (const key of keys as unknown as string[]) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hGetAll(key);
      else if (type === 'list') value = await redis.lRange(key, 0, -1);
      else if (type === 'zset') value = await redis.zRange(key, 0, -1);
      else if (type === 'set') value = await redis.sMembers(key);
      if (`${key} ${JSON.stringify(value)}`.includes(needle)) hits.push(key);
    }
  }
  return hits;
}

/** What Plaza's own writers leave in Redis for a person who talked on Telegram and on the web chat. */
async function talk(telegramId: string, webchatId: string): Promise<{ conversation: string }> {
  const conversation = randomBytes(8).toString('base64url');
  const gate = new TurnGate(redis, { prefix, flood: { max: 50, windowSeconds: 60 } });
  // The engine's conversation state, where its turns keep it (turn-state.ts, written with the gate).
  const keepState = (channelId: string, conv: string, profile: object) =>
    gate.run(
      { conversationKey: `${channelId}:${conv}`, stateKey: stateKeyOf(prefix, channelId, conv) },
      async (slot) => {
        const state = readTurnState(slot.stored);
        state.values['profile'] = profile;
        slot.save(state.expected, writeTurnState(state), 600);
        return [];
      },
    );
  await keepState('telegram', telegramId, { locale: 'en' });
  await keepState('webchat', conversation, { locale: 'en' });
  // A moderator's own question in the moderators' group (one conversation per member).
  await keepState('telegram', `-100123:${telegramId}`, {});
  const reply = (channelId: string, conv: string, user: string): OutboundActivity[] => [
    {
      type: 'message',
      text: 'Hola',
      channelId,
      conversation: { id: conv } as never,
      recipient: { id: user, name: '' },
    },
  ];
  await gate.run(
    {
      conversationKey: `telegram:${telegramId}`,
      activityKey: `telegram:${Math.floor(Math.random() * 1e9)}`,
      senderKey: `telegram:${telegramId}`,
    },
    async () => reply('telegram', telegramId, telegramId),
  );
  await gate.run(
    {
      conversationKey: `webchat:${conversation}`,
      activityKey: `webchat:${conversation}|c${randomBytes(6).toString('hex')}`,
      senderKey: `webchat:${webchatId}`,
    },
    async () => reply('webchat', conversation, webchatId),
  );
  const store = new ConversationStore(redis, { keyPrefix: prefix });
  await store.ensure(conversation, webchatId);
  await store.append(
    conversation,
    [{ id: `${conversation}|1`, type: 'message', from: { id: webchatId }, text: 'Hola' }],
    `${conversation}|1`,
  );
  await new ButtonStore(redis, { prefix, secret: 'x'.repeat(32) }).save(telegramId, 1, ['Sí', 'No']);
  const outbox = new TelegramOutbox({
    redis,
    prefix,
    callApi: async () => ({}),
    logger: createLogger('silent'),
    perSecond: 25,
    chatIntervalMs: 1000,
  });
  await outbox.enqueue(`u-${randomUUID()}`, telegramId, [
    { method: 'sendMessage', params: { chat_id: telegramId, text: 'Tu propuesta se ha publicado' } },
  ]);
  // Written by the outbox's sender after a send or a failed attempt.
  await redis.set(`${prefix}:tg:nb:${telegramId}`, '1', { PX: 60_000 });
  await redis.set(`${prefix}:tg:att:${telegramId}`, '1');
  return { conversation };
}

const supportCounts = (ids: number[]) =>
  Promise.all(ids.map((proposalId) => t.db.support.count({ where: { proposalId } })));

describe('eraseParticipant', () => {
  let person: SeededPerson;
  let bystander: SeededPerson;
  let identifiers: string[];
  let before: number[];
  let conversation: string;
  let rejectedCaseId: number;
  let pendingCaseId: number;

  beforeAll(async () => {
    person = await seedPerson(t.db, t.deps);
    bystander = await seedPerson(t.db, t.deps);
    ({ conversation } = await talk(person.telegramId, person.webchatId));
    await talk(bystander.telegramId, bystander.webchatId);
    identifiers = [person.id, person.telegramId, person.webchatId, ...person.privateTexts];
    before = await supportCounts(person.supportedIds);
    const rejected = await t.db.proposal.findFirstOrThrow({
      where: { authorId: person.id, status: 'rejected' },
    });
    // Its card was posted in the moderators' room (and edited to the decision).
    const c = await t.db.moderationCase.create({
      data: {
        processId: person.process.id,
        itemKind: 'proposal',
        proposalId: rejected.id,
        reason: 'submitted',
        announcedAt: new Date(),
        decidedAt: new Date(),
        decision: 'reject',
      },
    });
    rejectedCaseId = c.id;
    // Not announced yet: no card to edit.
    const pending = await t.db.proposal.findFirstOrThrow({
      where: { authorId: person.id, status: 'pending' },
    });
    const p = await t.db.moderationCase.create({
      data: {
        processId: person.process.id,
        itemKind: 'proposal',
        proposalId: pending.id,
        reason: 'submitted',
      },
    });
    pendingCaseId = p.id;
  });

  it('starts from data the searches find (so that finding nothing afterwards means something)', async () => {
    for (const needle of identifiers) expect(await searchDatabase(needle), needle).not.toHaveLength(0);
    for (const needle of [person.telegramId, person.webchatId, conversation])
      expect(await searchRedis(needle), needle).not.toHaveLength(0);
  });

  it('leaves no trace of the person in any table or Redis key, keeps public texts and supports', async () => {
    const traces = createRedisParticipantTraces(redis, { prefix });
    const result = await eraseParticipant(t.deps, { participantId: person.id, channel: 'telegram', traces });
    expect(result).toMatchObject({
      ok: true,
      tracesForgotten: true,
      counts: {
        proposalsDeleted: 2,
        proposalsAnonymised: 1,
        commentsDeleted: 1,
        commentsAnonymised: 1,
        supportsKept: 2,
        deliveriesSkipped: 1,
        registrationsRemoved: 1,
      },
    });
    if (!result.ok) return;
    // The cards to edit: the announced case only, by id; after commit, one job with those ids and nothing else.
    expect(result).toMatchObject({ cardCaseIds: [rejectedCaseId], cardsQueued: true });
    expect(await t.db.moderationCase.count({ where: { id: { in: [rejectedCaseId, pendingCaseId] } } })).toBe(
      0,
    );
    const jobs = t.notified.filter((j) => j.kind === 'erased-cases');
    expect(jobs).toEqual([{ kind: 'erased-cases', caseIds: [rejectedCaseId] }]);
    for (const needle of identifiers) expect(JSON.stringify(jobs), needle).not.toContain(needle);
    expect(result.accounts.map((a) => a.externalId).sort()).toEqual(
      [person.telegramId, person.webchatId].sort(),
    );

    for (const needle of identifiers) expect(await searchDatabase(needle), needle).toEqual([]);
    for (const needle of [...identifiers, conversation])
      expect(await searchRedis(needle), needle).toEqual([]);

    const proposal = await t.db.proposal.findUniqueOrThrow({ where: { id: person.publicProposalId } });
    expect(proposal).toMatchObject({
      title: person.publicProposalTitle,
      authorId: null,
      status: 'published',
    });
    const comment = await t.db.comment.findUniqueOrThrow({ where: { id: person.publicCommentId } });
    expect(comment.authorId).toBeNull();
    expect(await supportCounts(person.supportedIds)).toEqual(before);
  });

  it('keeps the consent ledger under a pseudonym that holds no locale or age, and nothing else', async () => {
    const [support] = await t.db.support.findMany({ where: { proposalId: person.supportedIds[0]! } });
    const pseudonym = (
      await t.db.support.findMany({
        where: { proposalId: { in: person.supportedIds }, participant: { erasedAt: { not: null } } },
      })
    )[0]!.participantId;
    expect(support).toBeDefined();
    const erased = await t.db.participant.findUniqueOrThrow({ where: { id: pseudonym } });
    expect(erased).toMatchObject({
      locale: '',
      ageConfirmedAt: null,
      retentionWarnedAt: null,
    });
    expect(erased.erasedAt).toBeInstanceOf(Date);
    const ledger = await t.db.consentRecord.findMany({
      where: { participantId: pseudonym },
      orderBy: { id: 'asc' },
    });
    expect(ledger.map((r) => [r.purpose, r.action, r.noticeVersion, r.channel])).toEqual([
      ['participation', 'given', 1, 'webchat'],
      ['updates', 'given', 1, 'telegram'],
      ['participation', 'withdrawn', 1, 'telegram'],
      ['updates', 'withdrawn', 1, 'telegram'],
    ]);
    for (const table of await tablesLinkedToParticipant(t.db)) {
      const column =
        table === 'Proposal' || table === 'Comment'
          ? 'authorId'
          : table === 'VerificationCode'
            ? 'redeemedById'
            : 'participantId';
      const [{ n }] = await t.db.$queryRawUnsafe<[{ n: bigint }]>(
        `SELECT count(*) AS n FROM "${table}" WHERE "${column}" = $1::uuid`,
        pseudonym,
      );
      const kept = ['ConsentRecord', 'Support', 'BroadcastDelivery'].includes(table);
      expect(Number(n) > 0, table).toBe(kept);
    }
    const delivery = await t.db.broadcastDelivery.findFirstOrThrow({ where: { participantId: pseudonym } });
    expect(delivery.status).toBe('skipped');
  });

  it("gives the person's place in an event to the waiting list", async () => {
    const waiting = await t.db.eventRegistration.findUniqueOrThrow({
      where: {
        eventId_participantId: { eventId: person.eventId, participantId: person.waitingParticipantId },
      },
    });
    expect(waiting.status).toBe('registered');
    expect(t.notified).toContainEqual(
      expect.objectContaining({ kind: 'event-promoted', registrationId: waiting.id }),
    );
  });

  it("leaves everyone else's data and Redis keys alone", async () => {
    for (const needle of [bystander.id, bystander.telegramId, bystander.webchatId, ...bystander.privateTexts])
      expect(await searchDatabase(needle), needle).not.toHaveLength(0);
    const keys = await searchRedis(bystander.telegramId);
    for (const k of [
      'state:telegram/conversations/',
      'tg:kb:',
      'tg:out:',
      'tg:nb:',
      'seen:telegram:',
      'flood:telegram:',
    ])
      expect(
        keys.some((key) => key.startsWith(`${prefix}:${k}`)),
        k,
      ).toBe(true);
    expect((await searchRedis(bystander.webchatId)).length).toBeGreaterThan(2);
    expect(await t.db.channelAccount.count({ where: { participantId: bystander.id } })).toBe(2);
  });

  it("empties, not deletes, the person's rejected proposal that others commented on or supported", async () => {
    const process = await createProcess(t.db);
    const author = await createParticipant(t.db);
    const other = await createParticipant(t.db);
    const discussed = await createProposal(t.db, process, {
      status: 'rejected',
      authorId: author.id,
      title: 'Texto rechazado con debate',
    });
    const alone = await createProposal(t.db, process, {
      status: 'rejected',
      authorId: author.id,
      title: 'Texto rechazado sin nadie',
    });
    await t.db.comment.create({
      data: {
        proposalId: discussed,
        authorId: other.id,
        body: 'Mi comentario',
        status: 'published',
        locale: 'es',
      },
    });
    await t.db.support.create({ data: { proposalId: discussed, participantId: other.id } });

    const r = await eraseParticipant(t.deps, {
      participantId: author.id,
      channel: 'webchat',
      traces: noTraces,
    });
    expect(r.ok).toBe(true);
    expect(await t.db.proposal.findUnique({ where: { id: alone } })).toBeNull();
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: discussed } })).toMatchObject({
      title: '',
      body: '',
      authorId: null,
    });
    expect(await t.db.comment.count({ where: { proposalId: discussed, authorId: other.id } })).toBe(1);
    expect(await t.db.support.count({ where: { proposalId: discussed, participantId: other.id } })).toBe(1);
    expect(await searchDatabase('Texto rechazado')).toEqual([]);
  });

  it('says not-found for an erased, unknown or malformed id', async () => {
    for (const participantId of [person.id, randomUUID(), 'x'])
      expect(await eraseParticipant(t.deps, { participantId, channel: 'webchat', traces: noTraces })).toEqual(
        {
          ok: false,
          reason: 'not-found',
        },
      );
  });

  it('still erases when Redis cannot be cleaned, and says so with the accounts to retry', async () => {
    const someone = await seedPerson(t.db, t.deps);
    const failing: ParticipantTraces = {
      forget: async () => {
        throw new Error('Redis down');
      },
    };
    const result = await eraseParticipant(t.deps, {
      participantId: someone.id,
      channel: 'webchat',
      traces: failing,
    });
    expect(result).toMatchObject({ ok: true, tracesForgotten: false });
    expect(await searchDatabase(someone.telegramId)).toEqual([]);
  });

  it("still erases when the cards' job cannot be queued, and says so with the case ids to retry", async () => {
    const someone = await seedPerson(t.db, t.deps);
    const pending = await t.db.proposal.findFirstOrThrow({
      where: { authorId: someone.id, status: 'pending' },
    });
    const c = await t.db.moderationCase.create({
      data: {
        processId: someone.process.id,
        itemKind: 'proposal',
        proposalId: pending.id,
        reason: 'submitted',
        announcedAt: new Date(),
      },
    });
    const down = {
      ...t.deps,
      queues: {
        ...t.deps.queues,
        notify: async () => {
          throw new Error('Redis down');
        },
      },
    };
    const result = await eraseParticipant(down, {
      participantId: someone.id,
      channel: 'webchat',
      traces: noTraces,
    });
    expect(result).toMatchObject({ ok: true, cardCaseIds: [c.id], cardsQueued: false });
    expect(await searchDatabase(someone.telegramId)).toEqual([]);
  });
});

describe("erasure and other people's comments", () => {
  it("withdraws the card of the person's emptied proposal, not the cards of other people's comments on it", async () => {
    const author = await seedPerson(t.db, t.deps);
    const commenter = await seedPerson(t.db, t.deps);
    const rejected = await t.db.proposal.findFirstOrThrow({
      where: { authorId: author.id, status: 'rejected' },
    });
    const comment = await t.db.comment.create({
      data: {
        proposalId: rejected.id,
        authorId: commenter.id,
        body: 'Un comentario ajeno',
        status: 'published',
      },
    });
    const announced = { reason: 'submitted' as const, announcedAt: new Date() };
    const proposalCase = await t.db.moderationCase.create({
      data: { processId: author.process.id, itemKind: 'proposal', proposalId: rejected.id, ...announced },
    });
    const commentCase = await t.db.moderationCase.create({
      data: { processId: author.process.id, itemKind: 'comment', commentId: comment.id, ...announced },
    });
    const result = await eraseParticipant(t.deps, {
      participantId: author.id,
      channel: 'webchat',
      traces: noTraces,
    });
    expect(result).toMatchObject({ ok: true, cardCaseIds: [proposalCase.id] });
    expect(await t.db.moderationCase.findUnique({ where: { id: commentCase.id } })).not.toBeNull();
    expect(await t.db.comment.findUniqueOrThrow({ where: { id: comment.id } })).toMatchObject({
      body: 'Un comentario ajeno',
    });
  });
});

describe('erasure and the audit log', () => {
  // The author's texts as they wrote them: what the moderators' redactions removed, and what they kept.
  const TITLE = 'Llamadme al 699 111 222';
  const BODY = 'Escribid a ana.garcia@example.com, DNI 11223344B, calle del Olmo.';
  const LATER_TITLE = 'Mi número: 677 888 999';
  const COMMENT = 'Estoy de acuerdo, mi teléfono es 655 777 888, vecina del Olmo.';
  const removed = ['699 111 222', 'ana.garcia@', '11223344B', '677 888 999', '655 777 888'];
  // Not personal data the pre-screen knows: left in the public texts, but not in the audit rows either.
  const originals = [...removed, 'del Olmo'];
  // Someone else's, redacted the same way.
  const OTHER_TITLE = 'Contactad con Pablo al 633 444 555';

  let author: { id: string };
  let mod: { id: string };
  let redacted: number;
  let rejected: number;
  let comment: number;
  let othersProposal: number;
  type Row = Awaited<ReturnType<typeof t.db.auditLog.findMany>>[number];
  let before: Row[];
  let othersBefore: Row[];
  let result: Awaited<ReturnType<typeof eraseParticipant>>;

  /** The whole row as text (its id is a bigint). */
  const rowText = (row: Row) =>
    JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  const rowsAbout = (kind: 'proposal' | 'comment', ids: number[]) =>
    t.db.auditLog.findMany({
      where: { targetType: kind, targetId: { in: ids.map(String) } },
      orderBy: { id: 'asc' },
    });
  const authorsRows = async () => [
    ...(await rowsAbout('proposal', [redacted, rejected])),
    ...(await rowsAbout('comment', [comment])),
  ];
  /** Three people report the item: it is hidden and goes back to the moderators as a `reported` case. */
  const hideByReports = async (item: { kind: 'proposal' | 'comment'; id: number }) => {
    for (let i = 0; i < 3; i++) {
      const reporter = await createParticipant(t.db);
      await reportContent(t.deps, { participantId: reporter.id, item, reason: 'personal-data' });
    }
    const where = item.kind === 'proposal' ? { proposalId: item.id } : { commentId: item.id };
    return (await t.db.moderationCase.findFirstOrThrow({ where: { ...where, decidedAt: null } })).id;
  };
  const decide = async (caseId: number, decision: 'redact_approve' | 'reject') => {
    const r = await decideModeration(t.deps, {
      caseId,
      staffMemberId: mod.id,
      decision,
      reason: decision === 'reject' ? 'personal-data' : undefined,
      sourceIp: '10.0.0.9',
    });
    expect(r).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    author = await createParticipant(t.db);
    const other = await createParticipant(t.db);
    mod = await createStaffMember(t.db);
    const staff = await createStaffMember(t.db, { role: 'staff' });

    // Redacted and published, then answered by staff: stays public, anonymised.
    const a = await createCase(t.db, process, { authorId: author.id, title: TITLE, body: BODY });
    redacted = a.proposalId;
    await decide(a.caseId, 'redact_approve');
    await answerProposal(t.deps, {
      staffMemberId: staff.id,
      proposalId: redacted,
      answer: 'Lo estudiaremos.',
    });
    // Redacted and published, then hidden by reports and rejected: deleted by the erasure, its rows stay.
    const b = await createCase(t.db, process, { authorId: author.id, title: LATER_TITLE });
    rejected = b.proposalId;
    await decide(b.caseId, 'redact_approve');
    await decide(await hideByReports({ kind: 'proposal', id: rejected }), 'reject');
    // A published comment hidden by reports, then redacted and published again.
    comment = (
      await t.db.comment.create({
        data: { proposalId: redacted, authorId: author.id, body: COMMENT, status: 'published' },
      })
    ).id;
    await decide(await hideByReports({ kind: 'comment', id: comment }), 'redact_approve');

    const o = await createCase(t.db, process, { authorId: other.id, title: OTHER_TITLE });
    othersProposal = o.proposalId;
    await decide(o.caseId, 'redact_approve');

    before = await authorsRows();
    othersBefore = await rowsAbout('proposal', [othersProposal]);
    result = await eraseParticipant(t.deps, {
      participantId: author.id,
      channel: 'webchat',
      traces: noTraces,
    });
  });

  it('starts from audit rows that hold the original texts (so that finding none afterwards means something)', () => {
    for (const needle of originals)
      expect(
        before.some((row) => rowText(row).includes(needle)),
        needle,
      ).toBe(true);
    expect(before.map((r) => [r.targetType, r.action])).toEqual([
      ['proposal', 'moderation.redact_approve'],
      ['proposal', 'proposal.answer'],
      ['proposal', 'moderation.redact_approve'],
      ['proposal', 'moderation.hide'],
      ['proposal', 'moderation.reject'],
      ['comment', 'moderation.hide'],
      ['comment', 'moderation.redact_approve'],
    ]);
  });

  it("removes the person's texts from every audit row about their proposals and comments", async () => {
    expect(result).toMatchObject({
      ok: true,
      counts: { proposalsDeleted: 1, proposalsAnonymised: 1, commentsAnonymised: 1, auditRowsScrubbed: 3 },
    });
    const rows = await authorsRows();
    expect(rows).toHaveLength(before.length);
    for (const row of rows)
      for (const needle of originals) expect(rowText(row), needle).not.toContain(needle);
    // What the moderators removed is nowhere else either: the kept items hold the redacted texts, the
    // rejected one is gone.
    for (const needle of removed) expect(await searchDatabase(needle), needle).toEqual([]);
  });

  it('keeps who did what, when, why and from where, and says the texts were erased', async () => {
    const rows = await authorsRows();
    // Everything but `before` and `after` as it was; those lose their texts only, and are marked.
    const rest = ({ before: _b, after: _a, ...other }: Row) => other;
    expect(rows.map(rest)).toEqual(before.map(rest));
    expect(rows.map((r) => [r.action, r.before, r.after])).toEqual([
      [
        'moderation.redact_approve',
        { status: 'pending', erasedTexts: true },
        { status: 'published', erasedTexts: true },
      ],
      [
        'proposal.answer',
        { status: 'published', answer: null },
        { status: 'published', answer: 'Lo estudiaremos.' },
      ],
      [
        'moderation.redact_approve',
        { status: 'pending', erasedTexts: true },
        { status: 'published', erasedTexts: true },
      ],
      ['moderation.hide', { status: 'published' }, { status: 'hidden', reports: 3 }],
      ['moderation.reject', { status: 'hidden' }, { status: 'rejected' }],
      ['moderation.hide', { status: 'published' }, { status: 'hidden', reports: 3 }],
      [
        'moderation.redact_approve',
        { status: 'hidden', erasedTexts: true },
        { status: 'published', erasedTexts: true },
      ],
    ]);
    expect(rows.filter((r) => r.action.startsWith('moderation.redact'))).toEqual(
      Array.from({ length: 3 }, () =>
        expect.objectContaining({ actor: `staff:${mod.id}`, sourceIp: '10.0.0.9' }),
      ),
    );
    expect(rows.find((r) => r.action === 'moderation.reject')?.reason).toBe('personal-data');
  });

  it("leaves the audit rows about someone else's texts alone", async () => {
    const rows = await rowsAbout('proposal', [othersProposal]);
    expect(rows).toEqual(othersBefore);
    expect(rows[0]?.before).toMatchObject({ title: OTHER_TITLE });
  });

  it('erasing again changes nothing, and neither does scrubbing the same items again', async () => {
    const after = await authorsRows();
    expect(
      await eraseParticipant(t.deps, { participantId: author.id, channel: 'webchat', traces: noTraces }),
    ).toEqual({ ok: false, reason: 'not-found' });
    const items = { proposalIds: [redacted, rejected], commentIds: [comment] };
    expect(await t.db.$transaction((tx) => scrubAuditTexts(tx, items))).toBe(0);
    expect(await authorsRows()).toEqual(after);
  });

  it('still refuses every other change to the audit log', async () => {
    const [scrubbed] = await rowsAbout('proposal', [redacted]);
    const [others] = await rowsAbout('proposal', [othersProposal]);
    // Any other column, even on a scrubbed row.
    await expect(
      t.db.auditLog.update({ where: { id: scrubbed!.id }, data: { reason: 'x' } }),
    ).rejects.toThrow(/append-only/);
    // The same removal on a text whose author is still linked to it.
    await expect(
      t.db.$executeRaw`UPDATE "AuditLog" SET before = plaza_audit_erase_texts(before),
        after = plaza_audit_erase_texts(after) WHERE id = ${others!.id}`,
    ).rejects.toThrow(/append-only/);
    // More than the texts removed from a row about an erased person's item.
    const [row] = before.filter(
      (r) => r.targetType === 'comment' && r.action === 'moderation.redact_approve',
    );
    await expect(
      t.db.$executeRaw`UPDATE "AuditLog" SET before = '{"erasedTexts": true}'::jsonb WHERE id = ${row!.id}`,
    ).rejects.toThrow(/append-only/);
    // A row about an item that never had an author (as a workshop proposal typed by staff), redacted like
    // the others: nobody was erased, so its texts cannot be removed.
    const workshop = await createCase(t.db, await createProcess(t.db, { phase: 'proposals' }), {
      title: 'Taller del Olmo: llamad al 622 333 444',
    });
    await decide(workshop.caseId, 'redact_approve');
    const [authorless] = await rowsAbout('proposal', [workshop.proposalId]);
    expect(authorless?.before).toMatchObject({ title: 'Taller del Olmo: llamad al 622 333 444' });
    await expect(
      t.db.$executeRaw`UPDATE "AuditLog" SET before = plaza_audit_erase_texts(before),
        after = plaza_audit_erase_texts(after) WHERE id = ${authorless!.id}`,
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.$transaction((tx) => scrubAuditTexts(tx, { proposalIds: [workshop.proposalId], commentIds: [] })),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.auditLog.delete({ where: { id: scrubbed!.id } })).rejects.toThrow(/append-only/);
    expect(await rowsAbout('proposal', [othersProposal])).toEqual(othersBefore);
  });
});

describe('erasure and the waiting lists', () => {
  let processId: number;
  beforeAll(async () => {
    processId = (await createProcess(t.db, { phase: 'proposals' })).id;
  });

  const newEvent = async (capacity: number, startsIn = 3 * DAY) =>
    (
      await t.db.event.create({
        data: {
          processId,
          kind: 'workshop',
          title: { es: 'Taller de movilidad' },
          place: 'Centro cívico Norte',
          startsAt: new Date(Date.now() + startsIn),
          capacity,
        },
      })
    ).id;
  const people = (n: number) => Promise.all(Array.from({ length: n }, () => createParticipant(t.db)));
  const register = (eventId: number, ...ids: string[]) => registerInOrder(t, eventId, ...ids);
  const statuses = (eventId: number) => registrationStatuses(t, eventId);
  const registrationOf = (eventId: number, participantId: string) =>
    t.db.eventRegistration.findUniqueOrThrow({
      where: { eventId_participantId: { eventId, participantId } },
    });
  const erase = (participantId: string) =>
    eraseParticipant(t.deps, { participantId, channel: 'webchat', traces: noTraces });
  /** The `event-promoted` jobs queued for the event since `from` (an index into t.notified). */
  const promotedJobs = (eventId: number, from = 0) =>
    t.notified.slice(from).filter((j) => j.kind === 'event-promoted' && j.eventId === eventId);

  it('frees the place of a waiting-list spot promoted since the person joined: the next in line gets it', async () => {
    const eventId = await newEvent(1);
    const [first, person, next, last] = await people(4);
    await register(eventId, first!.id, person!.id, next!.id, last!.id);
    expect(await cancelEventRegistration(t.deps, { participantId: first!.id, eventId })).toEqual({
      ok: true,
      was: 'registered',
      promoted: 1,
    });
    const from = t.notified.length;

    const result = await erase(person!.id);
    expect(result).toMatchObject({ ok: true, counts: { registrationsRemoved: 1 } });
    expect(await statuses(eventId)).toEqual([
      [first!.id, 'cancelled'],
      [next!.id, 'registered'],
      [last!.id, 'waitlisted'],
    ]);
    const promoted = await registrationOf(eventId, next!.id);
    expect(promotedJobs(eventId, from)).toEqual([
      { kind: 'event-promoted', eventId, registrationId: promoted.id, at: promoted.confirmedAt!.getTime() },
    ]);
  });

  it('gives each of the places the person held in two full events to the next in line there', async () => {
    const events = [await newEvent(2), await newEvent(2, 4 * DAY)];
    const [other, person, w1, w2, w3] = await people(5);
    // In the first event the person came first; in the second, second.
    await register(events[0]!, person!.id, other!.id, w1!.id, w2!.id);
    await register(events[1]!, other!.id, person!.id, w3!.id, w1!.id);
    const from = t.notified.length;

    const result = await erase(person!.id);
    expect(result).toMatchObject({ ok: true, counts: { registrationsRemoved: 2 } });
    expect(await statuses(events[0]!)).toEqual([
      [other!.id, 'registered'],
      [w1!.id, 'registered'],
      [w2!.id, 'waitlisted'],
    ]);
    expect(await statuses(events[1]!)).toEqual([
      [other!.id, 'registered'],
      [w3!.id, 'registered'],
      [w1!.id, 'waitlisted'],
    ]);
    const [p1, p2] = [await registrationOf(events[0]!, w1!.id), await registrationOf(events[1]!, w3!.id)];
    expect(promotedJobs(events[0]!, from)).toEqual([expect.objectContaining({ registrationId: p1.id })]);
    expect(promotedJobs(events[1]!, from)).toEqual([expect.objectContaining({ registrationId: p2.id })]);
  });

  it('counts every registration removed: places, waiting-list spots and cancelled ones', async () => {
    const events = [await newEvent(1), await newEvent(1), await newEvent(1)];
    const [person, holder] = await people(2);
    await register(events[0]!, person!.id);
    await register(events[1]!, holder!.id, person!.id);
    await register(events[2]!, person!.id);
    await cancelEventRegistration(t.deps, { participantId: person!.id, eventId: events[2]! });
    const from = t.notified.length;

    expect(await erase(person!.id)).toMatchObject({ ok: true, counts: { registrationsRemoved: 3 } });
    for (const eventId of events)
      expect(await t.db.eventRegistration.count({ where: { eventId, status: { not: 'cancelled' } } })).toBe(
        eventId === events[1] ? 1 : 0,
      );
    expect(t.notified.slice(from).filter((j) => j.kind === 'event-promoted')).toEqual([]);
  });

  it('promotes nobody in an event that has started, and still removes the place', async () => {
    const eventId = await newEvent(1, 10 * 60_000);
    const [person, next] = await people(2);
    await register(eventId, person!.id, next!.id);
    const from = t.notified.length;
    const later = t.at(new Date(Date.now() + 20 * 60_000));

    expect(
      await eraseParticipant(later, { participantId: person!.id, channel: 'webchat', traces: noTraces }),
    ).toMatchObject({ ok: true, counts: { registrationsRemoved: 1 } });
    expect(await statuses(eventId)).toEqual([[next!.id, 'waitlisted']]);
    expect(promotedJobs(eventId, from)).toEqual([]);
  });

  it('a waiting spot promoted while the erasure waits for the event: the place still goes to the next in line', async () => {
    const eventId = await newEvent(1);
    const [first, person, next, last] = await people(4);
    await register(eventId, first!.id, person!.id, next!.id, last!.id);
    // `first` cancels, as cancelEventRegistration does, and the person gets the place; that transaction stays
    // open until the erasure has read the person's registrations (still waiting, then) and waits for the event.
    const cancellation = await holdTransaction(t.db, async (tx) => {
      const event = await lockEvent(tx, eventId);
      const r = await cancelRegistrationOfLockedEvent(tx, event!, first!.id, new Date());
      expect(r).toMatchObject({ ok: true, was: 'registered', promoted: [expect.anything()] });
    });
    const from = t.notified.length;
    const erasure = erase(person!.id);
    await untilWaitingForALock(t.db);
    await cancellation.commit();

    expect(await erasure).toMatchObject({ ok: true, counts: { registrationsRemoved: 1 } });
    expect(await statuses(eventId)).toEqual([
      [first!.id, 'cancelled'],
      [next!.id, 'registered'],
      [last!.id, 'waitlisted'],
    ]);
    const promoted = await registrationOf(eventId, next!.id);
    expect(promotedJobs(eventId, from)).toEqual([expect.objectContaining({ registrationId: promoted.id })]);
  });

  it('under concurrency: erasures and cancellations in the same events lose no place', async () => {
    const capacity = 2;
    for (let round = 0; round < 3; round++) {
      const events = [await newEvent(capacity), await newEvent(capacity), await newEvent(capacity)];
      const erased = await people(2);
      const leaving = await people(2);
      const waiting = await people(3);
      // Each erased person holds a place in one event and waits in the others; `leaving` hold places too.
      await register(events[0]!, erased[0]!.id, leaving[0]!.id, erased[1]!.id, leaving[1]!.id);
      await register(events[1]!, leaving[0]!.id, erased[1]!.id, erased[0]!.id, leaving[1]!.id);
      await register(events[2]!, leaving[0]!.id, leaving[1]!.id, erased[0]!.id, erased[1]!.id);
      for (const eventId of events) await register(eventId, ...waiting.map((p) => p.id));
      const waitingBefore = await t.db.eventRegistration.findMany({
        where: { eventId: { in: events }, status: 'waitlisted' },
        select: { id: true },
      });
      const from = t.notified.length;

      const results = await Promise.all([
        ...erased.map((p) => erase(p.id)),
        ...events.flatMap((eventId) =>
          leaving.map((p) => cancelEventRegistration(t.deps, { participantId: p.id, eventId })),
        ),
      ]);
      for (const r of results) expect(r).toMatchObject({ ok: true });

      const left = waiting.length;
      for (const eventId of events) {
        const rows = await t.db.eventRegistration.findMany({ where: { eventId } });
        expect(rows.filter((r) => erased.some((p) => p.id === r.participantId))).toEqual([]);
        const count = (s: string) => rows.filter((r) => r.status === s).length;
        expect(count('registered'), `round ${round}, event ${eventId}`).toBe(Math.min(capacity, left));
        expect(count('waitlisted')).toBe(left - Math.min(capacity, left));
      }
      // Everyone who went from the waiting list to a place was told.
      const told = new Set(
        t.notified.slice(from).map((j) => (j.kind === 'event-promoted' ? j.registrationId : 0)),
      );
      const nowPlaced = await t.db.eventRegistration.findMany({
        where: { id: { in: waitingBefore.map((r) => r.id) }, status: 'registered' },
        select: { id: true },
      });
      expect(nowPlaced.length).toBeGreaterThan(0);
      for (const r of nowPlaced) expect(told.has(r.id), `registration ${r.id}`).toBe(true);
    }
  });
});

describe('queued jobs', () => {
  // Erasure removes no job because none names a person: if a job schema gains a participant, author, user or
  // account field, erase-participant must remove or neutralise those jobs (and this test must change).
  it('carry no participant ids', () => {
    const fields = [
      ...Object.keys(moderationJobSchema.shape),
      ...Object.keys(broadcastJobSchema.shape),
      ...notificationJobSchema.options.flatMap((o) => Object.keys(o.shape)),
    ];
    expect(fields.length).toBeGreaterThan(5);
    expect(fields.filter((f) => /participant|author|user|account|chat|person/i.test(f))).toEqual([]);
  });
});
