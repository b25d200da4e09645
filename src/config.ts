// The environment, parsed once at start into a typed Config. Bad values stop the start with one line each.
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseQuietHours } from './domain/quiet-hours.ts';

/** One item of TRUST_PROXY's list: a named range, an address, or an address/prefix (CIDR). */
function isTrustedProxy(part: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(part)) return true;
  const [address = '', prefix, ...rest] = part.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * False for an http:// URL to another machine (Telegram calls only https). Anything else passes: what is no
 * URL, or of another scheme, is z.url's to refuse, with one line.
 */
function isHttpsOrLocal(value: string): boolean {
  if (!URL.canParse(value)) return true;
  const url = new URL(value);
  return url.protocol !== 'http:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** A string variable that may be unset; trimmed (an empty one never gets here: see withoutEmptyValues). */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** PostgreSQL connection string. Unset → embedded PGlite under PLAZA_DATA_DIR. */
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgresql:// (or be unset for the embedded database)')
      .optional(),
  ),
  PLAZA_DATA_DIR: z.string().min(1).default('./data'),
  /**
   * PostgreSQL: queries go as named prepared statements, planned once per connection. `false` behind a
   * pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * PostgreSQL: how long a query waits for a connection (a new one to open, or a free one in the pool), and
   * the start-up's connection to open. A server that accepts and never answers fails the start after it.
   */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /**
   * PostgreSQL: the server cancels an application statement running longer than this (a turn then answers
   * "try again" instead of hanging). 0: not set by Plaza. Migrations have none.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /** PostgreSQL: the server cancels an application statement waiting longer than this for a lock. 0: not set. */
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key and queue of this installation (several installations may share a Redis). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('plaza'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Signs Direct Line tokens. Unset → a random secret per start (tokens do not survive a restart). */
  DIRECTLINE_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  /** Origins allowed to embed the web chat from another site (comma-separated), or * for any. */
  WEBCHAT_ALLOWED_ORIGINS: z.string().default('*'),
  /** Direct Line tokens a single address may request per minute. */
  WEBCHAT_TOKENS_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Messages one participant may send in FLOOD_WINDOW_SECONDS before being asked to slow down. */
  FLOOD_MAX_MESSAGES: z.coerce.number().int().positive().default(20),
  FLOOD_WINDOW_SECONDS: z.coerce.number().int().positive().default(10),
  /**
   * Turns one process runs at once (web chat and Telegram alike); more wait for a free one. Hundreds at
   * once only share the event loop and the database pool (bench/RESULTS.md, 2026-11-27: 16 at once gave
   * ~20 % more turns per second than 200 on 2 cores).
   */
  TURN_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  /** Seconds of inactivity after which dialog state is forgotten. */
  DIALOG_STATE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  /** Telegram bot token from BotFather. Unset: no Telegram channel. */
  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'does not look like a BotFather token (123456:ABC…)')
      .optional(),
  ),
  /** `webhook` (Telegram calls /telegram/webhook; needs a public HTTPS URL) or `polling` (a laptop). */
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).default('polling'),
  /**
   * Checked against X-Telegram-Bot-Api-Secret-Token on every webhook call: 16–256 of A-Z a-z 0-9 _ -
   * (Telegram accepts from 1; Plaza asks for 16 so that it cannot be guessed).
   */
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, '16–256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
  ),
  /**
   * The public HTTPS base URL Telegram reaches (for `plaza telegram set-webhook`), e.g.
   * https://plaza.example.org.
   * Telegram refuses http://; it is accepted only on this machine (localhost, 127.0.0.1, [::1]), where a
   * self-hosted Bot API server or a test double may call it.
   */
  TELEGRAM_WEBHOOK_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/ })
      .refine(
        isHttpsOrLocal,
        'must be an https:// URL (Telegram refuses http://; http:// is accepted only for localhost, 127.0.0.1 and [::1])',
      )
      .optional(),
  ),
  /** Bot API server: Telegram's, a self-hosted one, or a test double. */
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  /** Messages per second to Telegram overall (Telegram's free limit is about 30). */
  TELEGRAM_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(25),
  /** Minimum milliseconds between two messages to the same chat (Telegram asks for about one per second). */
  TELEGRAM_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Most messages to one group (the moderators' room) in any minute: Telegram's limit is 20. 0: none. */
  TELEGRAM_GROUP_MESSAGES_PER_MINUTE: z.coerce.number().int().min(0).max(1000).default(20),
  /** Milliseconds a delivery lease lasts: a message held by a process that died is sent by another after it. */
  TELEGRAM_OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /**
   * Messages one process has on their way to Telegram at once: enough to keep the paid 1,000/s busy; also
   * the most a crashed process can leave to be sent twice. A call unanswered after half the lease
   * (TELEGRAM_OUTBOX_LEASE_MS) is abandoned and retried.
   */
  TELEGRAM_OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(100),
  /**
   * When the webhook answers Telegram 200: `processed` once the turn ran and its replies are queued, or
   * `queued` once the update is in the Redis inbox (the turn runs afterwards; Telegram never waits for one).
   */
  TELEGRAM_WEBHOOK_ACK: z.enum(['processed', 'queued']).default('processed'),
  /**
   * With TELEGRAM_WEBHOOK_ACK=queued: chats the webhook process handles at once from the inbox. More turns at
   * once only contend for the event loop and the database (bench/RESULTS.md: 16 beat 64 on 2 cores).
   */
  TELEGRAM_INBOX_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  /** How soon a dead worker's queue jobs (a broadcast being sent) are taken over by another worker. */
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** A broadcast message handed to a channel and not settled after this long is handed over again. */
  BROADCAST_STALE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** Days without activity after which a participant's data is erased (retention sweep). */
  RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(365),
  /** Days before that erasure when the participant is warned; less than RETENTION_DAYS. */
  RETENTION_WARN_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** How often each worker runs the retention sweep (warn, then erase). */
  RETENTION_SWEEP_EVERY_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  /** Hours (the process's time zone) when notifications to people wait, "HH:MM-HH:MM"; empty: none. */
  QUIET_HOURS: z
    .string()
    .default('22:00-09:00')
    .transform((value, ctx) => {
      try {
        return parseQuietHours(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** The Telegram group where moderators review queued items (a negative chat id, e.g. -1001234567890). */
  TELEGRAM_MODERATORS_CHAT_ID: optionalString.pipe(
    z
      .string()
      .regex(/^-?\d{1,20}$/, 'must be a Telegram chat id (digits, negative for groups)')
      .optional(),
  ),
  /** Language of the moderators' room (cards, questions, /cola). */
  MODERATORS_LOCALE: z.enum(['es', 'en']).default('es'),
  /**
   * Behind a reverse proxy: which hops to trust for the client's address (X-Forwarded-For), as express's
   * `trust proxy` — a number of hops, or a comma-separated list of `loopback`, `linklocal`,
   * `uniquelocal`, addresses and CIDR ranges. Unset: the socket's address. The web chat's token rate limit
   * and the audit log's source addresses use it; behind a proxy left unset, every citizen shares the proxy's
   * address and one rate limit.
   */
  TRUST_PROXY: optionalString.pipe(
    z
      .string()
      .optional()
      .transform((value, ctx): false | number | string | undefined => {
        if (value === undefined) return undefined;
        // `true` would take the left-most X-Forwarded-For entry, which the client writes: anyone could pick
        // their address (a fresh rate limit each request, any source address in the audit log).
        if (value === 'true') {
          ctx.addIssue({
            code: 'custom',
            message: 'true trusts addresses the client writes: give the number of proxies or their addresses',
          });
          return z.NEVER;
        }
        if (value === 'false') return false;
        if (/^\d{1,3}$/.test(value)) return Number(value);
        const bad = value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => !isTrustedProxy(part));
        if (bad.length === 0) return value;
        ctx.addIssue({
          code: 'custom',
          message: `not an address, CIDR range or loopback/linklocal/uniquelocal: ${bad.join(', ')}`,
        });
        return z.NEVER;
      }),
  ),
  /** Controller details shown in the privacy notice (Art. 13 GDPR). */
  PRIVACY_CONTROLLER: z.string().default('Administración organizadora del proceso (demo)'),
  PRIVACY_CONTACT: z.string().default('dpd@example.org'),
});

export type Config = z.infer<typeof checked>;

// Rules that involve several variables.
const checked = schema.superRefine((c, ctx) => {
  if (c.TELEGRAM_BOT_TOKEN && c.TELEGRAM_MODE === 'webhook' && !c.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['TELEGRAM_WEBHOOK_SECRET'],
      message: 'is required when TELEGRAM_MODE=webhook (Telegram sends it with every update)',
    });
  }
  if (c.RETENTION_WARN_DAYS >= c.RETENTION_DAYS) {
    ctx.addIssue({
      code: 'custom',
      path: ['RETENTION_WARN_DAYS'],
      message: 'must be less than RETENTION_DAYS (the warning comes before the erasure)',
    });
  }
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Variables whose empty value means something of their own, as documented (README, .env.example), instead of
 * "unset". Only these see an empty value; for every other one it is the default.
 */
const EMPTY_IS_A_VALUE: ReadonlySet<string> = new Set<keyof z.input<typeof schema>>([
  /** Empty: notifications never wait. */
  'QUIET_HOURS',
]);

/**
 * The environment as the schema reads it: a variable set to nothing (`PORT=`, or only blanks), as `.env`
 * templates and compose files leave them, is unset — its default applies. Without this a number would read
 * as 0 (`z.coerce.number()` turns '' into 0): a random port, no database time limits, no Telegram group cap.
 */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (value.trim() === '' && !EMPTY_IS_A_VALUE.has(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/**
 * Parses the environment. Throws ConfigError listing one line per problem. An empty variable is unset (its
 * default applies), but for the few in EMPTY_IS_A_VALUE.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = checked.safeParse(withoutEmptyValues(env));
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return result.data;
}
