import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ButtonStore } from '../../channels/telegram/buttons.ts';
import { TelegramOutbox } from '../../channels/telegram/outbox.ts';
import { ConversationStore } from '../../channels/webchat/conversation-store.ts';
import { readTurnState, stateKeyOf, writeTurnState } from '../../src/engine/turn-state.ts';
import { TurnGate } from '../../src/engine/turn-gate.ts';
import type { OutboundActivity } from '../../src/engine/types.ts';
import { eraseParticipant, type ParticipantTraces } from '../../src/domain/erase-participant.ts';
import { createLogger } from '../../src/logger.ts';
import { broadcastJobSchema } from '../../src/queues/broadcasts/job.ts';
import { moderationJobSchema } from '../../src/queues/moderation/job.ts';
import { notificationJobSchema } from '../../src/queues/notifications/job.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { createRedisParticipantTraces } from '../../src/redis/participant-traces.ts';
import { createParticipant, createProcess, createProposal } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
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
