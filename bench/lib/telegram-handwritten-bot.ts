// The alternative a team would write by hand, for comparison: a minimal telegraf bot doing the same "support a
// proposal" turn as Plaza, with a Redis-backed session and the same database (Plaza's generated Prisma client
// on @prisma/adapter-pg). No engine, no dialogs, no turn lock, no dedupe, no outbox: telegraf's webhook
// handler runs the update and replies with `ctx.reply` inside the webhook call (webhookReply off, so each reply
// is a real sendMessage, answered before Telegram gets its 200). Onboarding is not part of it: participants
// are created directly (see createTelegramParticipants).
//   /start proposal_<id>  loads the proposal (as Plaza's getProposal does: proposal + category + support
//                         count, and whether this person supports it), keeps its id in the session, replies with
//                         its text and an inline "Apoyar" button
//   Apoyar (typed, or the button)  Plaza's domain `supportProposal` (the same transaction), reloads the
//                         proposal, replies "¡Apoyo registrado!" with the proposal again
// eslint-disable-next-line no-restricted-imports -- this comparison bot is a telegraf bot on purpose
import { Markup, Telegraf, session, type Context, type SessionStore } from 'telegraf';
import type { Db } from '../../src/db/client.ts';
import { supportProposal } from '../../src/domain/support-proposal.ts';

/** The node-redis calls the session store makes (a connected `createClient()`). */
export interface SessionRedis {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { EX: number }): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

interface BotSession {
  participantId?: string;
  proposalId?: number;
}

interface BotContext extends Context {
  session: BotSession;
}

export interface HandwrittenBot {
  bot: Telegraf<BotContext>;
  /** node:http / express handler for POST `path` with the secret header. */
  webhook: ReturnType<Telegraf<BotContext>['webhookCallback']>;
  /** Updates whose handler threw (telegraf still answers 200). */
  errors(): number;
}

/** telegraf's session store over a node-redis client: one JSON value per chat, with a TTL. */
export function redisSessionStore<T>(
  redis: SessionRedis,
  prefix: string,
  ttlSeconds: number,
): SessionStore<T> {
  const key = (name: string) => `${prefix}:hw:session:${name}`;
  return {
    async get(name) {
      const raw = await redis.get(key(name));
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    set: (name, value) => redis.set(key(name), JSON.stringify(value), { EX: ttlSeconds }),
    delete: (name) => redis.del(key(name)),
  };
}

async function loadProposal(db: Db, proposalId: number, participantId: string) {
  const p = await db.proposal.findUnique({
    where: { id: proposalId },
    select: {
      id: true,
      title: true,
      body: true,
      status: true,
      category: { select: { label: true } },
      _count: { select: { supports: true } },
    },
  });
  if (!p || p.status !== 'published') return undefined;
  const mine = await db.support.count({ where: { proposalId, participantId } });
  return { ...p, supportedByMe: mine > 0 };
}

function proposalText(p: NonNullable<Awaited<ReturnType<typeof loadProposal>>>): string {
  const label = (p.category.label as Record<string, string> | null)?.es ?? '';
  const n = p._count.supports;
  return (
    `#${p.id} ${p.title}\nCategoría: ${label}\n\n${p.body}\n\n${n} ${n === 1 ? 'apoyo' : 'apoyos'}` +
    (p.supportedByMe ? '\nYa la apoyas' : '')
  );
}

const supportButton = (id: number) =>
  Markup.inlineKeyboard([Markup.button.callback('Apoyar', `support:${id}`)]);

const REFUSED: Record<string, string> = {
  'not-found': 'No he encontrado esa propuesta.',
  'voting-closed': 'La votación no está abierta.',
  'already-supported': 'Ya apoyas esta propuesta.',
  'limit-reached': 'Has usado todos tus apoyos.',
};

export function createHandwrittenBot(opts: {
  token: string;
  apiRoot: string;
  secret: string;
  db: Db;
  redis: SessionRedis;
  prefix: string;
}): HandwrittenBot {
  const { db } = opts;
  const bot = new Telegraf<BotContext>(opts.token, {
    telegram: { apiRoot: opts.apiRoot, webhookReply: false },
  });
  let errors = 0;
  bot.catch((error) => {
    errors += 1;
    if (errors <= 5) console.error('hand-written bot:', error);
  });
  bot.use(
    session({
      store: redisSessionStore<BotSession>(opts.redis, opts.prefix, 7 * 24 * 3600),
      defaultSession: () => ({}),
    }),
  );
  // Who is writing: the participant behind this Telegram account, remembered in the session.
  bot.use(async (ctx, next) => {
    if (!ctx.session.participantId) {
      const account = await db.channelAccount.findUnique({
        where: { channel_externalId: { channel: 'telegram', externalId: String(ctx.from?.id) } },
        select: { participantId: true },
      });
      if (!account) return void (await ctx.reply('Hola. Primero tienes que aceptar las condiciones.'));
      ctx.session.participantId = account.participantId;
    }
    return next();
  });

  async function support(ctx: BotContext, proposalId: number | undefined): Promise<void> {
    if (proposalId === undefined) return void (await ctx.reply('Abre primero una propuesta.'));
    const participantId = ctx.session.participantId!;
    const r = await supportProposal({ db, now: () => new Date() }, { participantId, proposalId });
    const head = r.ok ? `¡Apoyo registrado! Te quedan ${r.limit - r.used} apoyos.` : REFUSED[r.reason]!;
    const p = await loadProposal(db, proposalId, participantId);
    await ctx.reply(p ? `${head}\n\n${proposalText(p)}` : head);
  }

  bot.start(async (ctx) => {
    const m = /^proposal_(\d{1,9})$/.exec(ctx.payload);
    if (!m) return void (await ctx.reply('Hola. Abre una propuesta desde su enlace.'));
    const proposalId = Number(m[1]);
    const p = await loadProposal(db, proposalId, ctx.session.participantId!);
    if (!p) return void (await ctx.reply(REFUSED['not-found']!));
    ctx.session.proposalId = proposalId;
    await ctx.reply(proposalText(p), p.supportedByMe ? undefined : supportButton(proposalId));
  });
  bot.hears(/^apoyar$/i, (ctx) => support(ctx, ctx.session.proposalId));
  bot.action(/^support:(\d{1,9})$/, async (ctx) => {
    await ctx.answerCbQuery();
    await support(ctx, Number(ctx.match[1]));
  });

  return {
    bot,
    webhook: bot.webhookCallback('/hook', { secretToken: opts.secret }),
    errors: () => errors,
  };
}
