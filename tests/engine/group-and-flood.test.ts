// The engine's answers that are not a flow's: the flood limit's "slow down" (once per window, in the person's
// language), a message of only spaces, and groups (only "write to me in private", once in a while).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, GROUP_HINTS_PER_HOUR, type Engine } from '../../src/engine/engine.ts';
import { createLogger } from '../../src/logger.ts';
import { Chat, consentSteps, press, script, type Step } from '../support/conversation.ts';
import { createTestPlaza, deleteKeys, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
const prefixes: string[] = [];

beforeAll(async () => {
  plaza = await createTestPlaza();
});
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(plaza, `${p}:*`);
  await plaza?.cleanup();
});

/** An engine of its own (its own flood counters), with a window long enough not to end during a test. */
function engineWith(floodMax: number): Engine {
  const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  return createEngine({
    redis: plaza.redis,
    domain: plaza.domain,
    logger: createLogger('silent'),
    prefix,
    flood: { max: floodMax, windowSeconds: 3600 },
    stateTtlSeconds: 600,
  });
}

/** The onboarding of someone who chooses English (their Telegram, and so the updates' locale, says Spanish). */
const englishConsent: Step[] = [
  ['hola', /idioma/],
  [press('English'), /Are you 14 or older\?/],
  [press('Yes'), /Do you agree/i],
  [press('Yes, I agree'), /What would you like to do/],
];

describe('the flood limit', () => {
  it('answers once when first exceeded, in the language the person chose, then stays silent', async () => {
    const engine = engineWith(12);
    const chat = new Chat(engine, { channelId: 'telegram', locale: 'es' });
    await script(chat, englishConsent);
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) answers.push((await chat.say('menu')).map((r) => r.text).join('\n'));
    // 16 messages, 12 allowed: the 13th is told to slow down, the rest of the window is not answered at all.
    expect(answers.slice(0, 8).every((a) => /What would you like to do/.test(a))).toBe(true);
    expect(answers[8]).toMatch(/You're going very fast/);
    expect(answers[8]).not.toMatch(/Vas muy rápido/);
    expect(answers.slice(9)).toEqual(['', '', '']);
  });

  it('speaks the participant’s language even when it was changed elsewhere (kept in the profile)', async () => {
    const engine = engineWith(5);
    const chat = new Chat(engine, { locale: 'es-ES' });
    await script(chat, consentSteps);
    const account = await plaza.database.prisma.channelAccount.findFirstOrThrow({
      where: { channel: chat.channelId, externalId: chat.userId },
    });
    // As if they had chosen English on another channel linked to this one.
    await plaza.database.prisma.participant.update({
      where: { id: account.participantId },
      data: { locale: 'en' },
    });
    await script(chat, [['menú', /What would you like to do/]]);
    await chat.say('menú');
    expect(chat.text()).toMatch(/You're going very fast/);
    await chat.say('menú');
    expect(chat.replies).toEqual([]);
  });

  it('runs nothing for the messages after the answer', async () => {
    const engine = engineWith(5);
    const chat = new Chat(engine);
    await script(chat, [...consentSteps, ['menú', /¿Qué quieres hacer\?/]]);
    await chat.say('menú');
    expect(chat.text()).toMatch(/Vas muy rápido/);
    // "cancelar" would end the flow and answer; over the limit it is neither run nor answered.
    for (let i = 0; i < 3; i++) expect(await chat.say('cancelar')).toEqual([]);
  });
});

describe('a message of only spaces', () => {
  it('gets the pending question again, not "only text"', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps.slice(0, 2));
    await chat.say('   ');
    expect(chat.text()).not.toMatch(/solo entiendo mensajes de texto/);
    expect(chat.text()).toMatch(/¿Tienes 14 años o más\?/);
    await chat.say('\n\t ');
    expect(chat.text()).toMatch(/¿Tienes 14 años o más\?/);
    await script(chat, [[press('Sí'), /¿Aceptas/]]);
    // With nothing pending, the start.
    const fresh = new Chat(plaza.engine);
    await fresh.say('  ');
    expect(fresh.text()).toMatch(/Soy Plaza/);
    expect(fresh.text()).not.toMatch(/solo entiendo/);
  });
});

describe('in a group', () => {
  const group = () => ({
    id: `-100${randomBytes(4).readUInt32BE()}`,
    isGroup: true,
    conversationType: 'supergroup',
  });

  it('says "write to me in private" once to each member who addresses it, and keeps nothing', async () => {
    const conversation = group();
    const member = new Chat(plaza.engine, { channelId: 'telegram' });
    const other = new Chat(plaza.engine, { channelId: 'telegram', locale: 'en' });
    const inGroup = (chat: Chat, text: string) =>
      chat.send({ type: 'message', text, conversation: conversation as never });
    await inGroup(member, '/start');
    expect(member.text()).toMatch(/^Solo puedo atenderte en una conversación privada/);
    for (const [chat, text] of [
      [member, '/start'],
      [member, '@plaza_bot hola'],
    ] as const)
      expect(await inGroup(chat, text)).toEqual([]);
    // Someone else addressing it is not left without an answer: told once too, in their language.
    await inGroup(other, '/help');
    expect(other.text()).toMatch(/^I can only help you in a private chat/);
    expect(await inGroup(other, '/help')).toEqual([]);
    // Another group is told once as well.
    expect(
      await other.send({ type: 'message', text: '/start', conversation: group() as never }),
    ).toHaveLength(1);
    expect(await plaza.redis.keys(`${plaza.config.REDIS_PREFIX}:state:*${conversation.id}*`)).toEqual([]);
    expect(await plaza.database.prisma.channelAccount.count({ where: { externalId: member.userId } })).toBe(
      0,
    );
  });

  it('tells at most a few members of one group an hour: a big group is not flooded with it', async () => {
    const conversation = group();
    const said: number[] = [];
    for (let i = 0; i < GROUP_HINTS_PER_HOUR + 2; i++) {
      const chat = new Chat(plaza.engine, { channelId: 'telegram' });
      said.push(
        (await chat.send({ type: 'message', text: '/start', conversation: conversation as never })).length,
      );
    }
    expect(said).toEqual([...Array(GROUP_HINTS_PER_HOUR).fill(1), 0, 0]);
  });

  it("an hour's count left without its expiry (a crash between two commands) is given one: the group is told again later", async () => {
    const conversation = group();
    const counter = `${plaza.config.REDIS_PREFIX}:group-hint:telegram:${conversation.id}:hour`;
    await plaza.redis.set(counter, '2');
    const chat = new Chat(plaza.engine, { channelId: 'telegram' });
    expect(
      await chat.send({ type: 'message', text: '/start', conversation: conversation as never }),
    ).toHaveLength(1);
    expect(await plaza.redis.get(counter)).toBe('3');
    const ttl = await plaza.redis.ttl(counter);
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  it('says it when added to a group, in the language of whoever added it, and not again when addressed', async () => {
    const conversation = group();
    const admin = new Chat(plaza.engine, { channelId: 'telegram', locale: 'en' });
    await admin.send({
      type: 'conversationUpdate',
      conversation: conversation as never,
      membersAdded: [{ id: 'plaza', name: 'Plaza' }],
    });
    expect(admin.text()).toMatch(/^I can only help you in a private chat/);
    expect(
      await admin.send({ type: 'message', text: '/start', conversation: conversation as never }),
    ).toEqual([]);
    // Someone else joining is none of its business.
    const other = group();
    expect(
      await admin.send({
        type: 'conversationUpdate',
        conversation: other as never,
        membersAdded: [{ id: 'someone', name: 'Someone' }],
      }),
    ).toEqual([]);
  });
});
