// The environment, parsed once at start into a typed Config. Bad values stop the start with one line each.
import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** PostgreSQL connection string. Unset → embedded PGlite under PLAZA_DATA_DIR. */
  DATABASE_URL: optionalUrl.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgresql:// (or be unset for the embedded database)')
      .optional(),
  ),
  PLAZA_DATA_DIR: z.string().min(1).default('./data'),
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
  DIRECTLINE_SECRET: optionalUrl.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  /** Origins allowed to embed the web chat from another site (comma-separated), or * for any. */
  WEBCHAT_ALLOWED_ORIGINS: z.string().default('*'),
  /** Direct Line tokens a single address may request per minute. */
  WEBCHAT_TOKENS_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Messages one participant may send in FLOOD_WINDOW_SECONDS before being asked to slow down. */
  FLOOD_MAX_MESSAGES: z.coerce.number().int().positive().default(20),
  FLOOD_WINDOW_SECONDS: z.coerce.number().int().positive().default(10),
  /** Seconds of inactivity after which dialog state is forgotten. */
  DIALOG_STATE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  /** Controller details shown in the privacy notice (Art. 13 GDPR). */
  PRIVACY_CONTROLLER: z.string().default('Administración organizadora del proceso (demo)'),
  PRIVACY_CONTACT: z.string().default('dpd@example.org'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment. Throws ConfigError listing one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return result.data;
}
