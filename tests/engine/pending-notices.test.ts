// The notices waiting for a person are shown at the head of their next turn, and only a turn whose replies
// are kept shows them: a turn that fails with an infrastructure error (the channel answers 503 and retries)
// leaves them waiting for the retry.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { isInfrastructureError } from '../../src/engine/errors.ts';
import { stateKeyOf } from '../../src/engine/turn-state.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { handleNotificationJob } from '../../src/queues/notifications/handler.ts';
import { Chat, consentSteps, script } from '../support/conversation.ts';
import { createCase, createProcess, createStaffMember, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, deleteKeys, type TestPlaza } from '../support/plaza.ts';
import { holdTransaction } from '../domain/held-transaction.ts';

let plaza: TestPlaza;
let process_: ProcessFixture;
let moderator: { id: string };
const prefixes: string[] = [];
const db = () => plaza.database.prisma;

beforeAll(async () => {
  // A lock not obtained within half a second fails the statement (55P03: an infrastructure error).
  plaza = await createTestPlaza({ DATABASE_LOCK_TIMEOUT_MS: '500' });
  process_ = await createProcess(db(), { phase: 'proposals' });
  moderator = await createStaffMember(db());
});
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(plaza, `${p}:*`);
  await plaza?.cleanup();
});

const REJECTED = /no se ha publicado/;

/** A person who consented on web chat, with their proposal's rejection waiting to be shown. */
async function personWithARejection(engine: Engine): Promise<{ chat: Chat; participantId: string }> {
  const chat = new Chat(engine);
  await script(chat, consentSteps);
  const account = await db().channelAccount.findUniqueOrThrow({
    where: { channel_externalId: { channel: 'webchat', externalId: chat.userId } },
  });
  const { caseId } = await createCase(db(), process_, { authorId: account.participantId, title: 'Bancos' });
  const decided = await decideModeration(plaza.domain, {
    caseId,
    staffMemberId: moderator.id,
    decision: 'reject',
    reason: 'spam',
  });
  expect(decided).toMatchObject({ ok: true });
  await handleNotificationJob({ domain: plaza.domain, senders: {} }, { kind: 'case-decided', caseId });
  expect(await waiting(account.participantId)).toBe(1);
  return { chat, participantId: account.participantId };
}

const waiting = (participantId: string) => db().notice.count({ where: { participantId, deliveredAt: null } });

const sqlOf = (args: unknown[]) => {
  const first = args[0];
  return Array.isArray(first) ? first.join('?') : typeof first === 'string' ? first : '';
};

/**
 * An engine of its own whose database, right after the turn takes the notices, runs `afterTake` (e.g.
 * someone else changes the conversation's state), and whose putting back fails when `failPutBack` is set.
 */
function engineWith(opts: {
  afterTake: (chat: { conversationId: string; prefix: string }) => Promise<void>;
  failPutBack?: boolean;
  logger?: Logger;
}): { engine: Engine; prefix: string; arm(conversationId: string): void } {
  const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  let armed: string | undefined;
  const base = plaza.domain.db;
  const wrap =
    (name: '$queryRaw' | '$executeRaw') =>
    async (...args: unknown[]) => {
      const sql = sqlOf(args);
      if (opts.failPutBack && /SET "deliveredAt" = NULL/.test(sql) && armed === undefined)
        throw new Error('the database went away while putting back');
      const result = await (base[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      if (armed !== undefined && /UPDATE "Notice" SET "deliveredAt"/.test(sql)) {
        const conversationId = armed;
        armed = undefined;
        await opts.afterTake({ conversationId, prefix });
      }
      return result;
    };
  const proxied = new Proxy(base, {
    get(target, key, receiver) {
      if (key === '$queryRaw' || key === '$executeRaw') return wrap(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const domain: DomainDeps = { ...plaza.domain, db: proxied };
  const engine = createEngine({
    redis: plaza.redis,
    domain,
    logger: opts.logger ?? createLogger('silent'),
    prefix,
    flood: { max: 1000, windowSeconds: 10 },
    stateTtlSeconds: 600,
  });
  return { engine, prefix, arm: (conversationId) => (armed = conversationId) };
}

/** Someone else's turn changed the conversation's state meanwhile: this turn's release keeps nothing. */
async function changeTheState({ conversationId, prefix }: { conversationId: string; prefix: string }) {
  const key = stateKeyOf(prefix, 'webchat', conversationId);
  const stored = (await plaza.redis.get(key)) ?? ' {}';
  await plaza.redis.set(key, `someone-else ${stored.slice(stored.indexOf(' ') + 1)}`);
}

describe('notices waiting for a person', () => {
  it('survive a turn that fails on the database after taking them, and the retry shows them', async () => {
    const { chat, participantId } = await personWithARejection(plaza.engine);
    // Someone holds a lock the turn needs right after taking the notices (a migration, a long report…).
    const held = await holdTransaction(db(), async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE "ModerationCase" IN ACCESS EXCLUSIVE MODE');
    });
    let failed: unknown;
    try {
      await chat.say('hola');
    } catch (error) {
      failed = error;
    } finally {
      await held.commit();
    }
    expect(isInfrastructureError(failed)).toBe(true);
    expect(await waiting(participantId)).toBe(1);
    // The channel answered 503; the person (or Web Chat) says it again.
    await chat.say('hola');
    expect(chat.text()).toMatch(REJECTED);
    expect(await waiting(participantId)).toBe(0);
    // Shown once: the next turn does not show it again.
    await chat.say('hola');
    expect(chat.text()).not.toMatch(REJECTED);
  });

  it('survive a turn whose state was changed meanwhile (nothing of it kept), and the retry shows them', async () => {
    const { engine, arm } = engineWith({ afterTake: changeTheState });
    const { chat, participantId } = await personWithARejection(engine);
    arm(chat.conversationId);
    await expect(chat.say('hola')).rejects.toMatchObject({ name: 'StateConflictError' });
    expect(await waiting(participantId)).toBe(1);
    await chat.say('hola');
    expect(chat.text()).toMatch(REJECTED);
    expect(await waiting(participantId)).toBe(0);
  });

  it('a repeat of a turn that showed them gets its recorded replies, and they are not shown again', async () => {
    const { chat, participantId } = await personWithARejection(plaza.engine);
    const activity = {
      type: 'message',
      text: 'hola',
      id: `repeat-${randomBytes(4).toString('hex')}`,
    };
    await chat.send(activity);
    expect(chat.text()).toMatch(REJECTED);
    await chat.send(activity);
    expect(chat.text()).toMatch(REJECTED);
    expect(await waiting(participantId)).toBe(0);
    await chat.say('hola');
    expect(chat.text()).not.toMatch(REJECTED);
  });

  it('when putting them back fails too, the turn still fails with its own error, and that is logged', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const { engine, arm } = engineWith({ afterTake: changeTheState, failPutBack: true, logger });
    const { chat } = await personWithARejection(engine);
    arm(chat.conversationId);
    await expect(chat.say('hola')).rejects.toMatchObject({ name: 'StateConflictError' });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.some((l) => /notices/.test(String(l.msg)) && Number(l.level) >= 40)).toBe(true);
  });
});
