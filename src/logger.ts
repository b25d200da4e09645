// pino logger. Contract: at info level and above, log lines carry ids, counts and outcomes — never message
// text, names, or other personal data. Message text may appear only at trace level, for local debugging.
//
// Errors (the `err` key, the only one the code logs errors under) pass through serializeError below, not
// pino's default, which copies every enumerable property and the whole message and stack: a Prisma error's
// message quotes the call's arguments (a proposal's title and body, ids), a driver error repeats the
// offending value, telegraf's TelegramError carries the request payload (chat_id, text, a webhook's
// secret_token). Keys that name personal data or secrets are removed wherever they appear (up to two levels
// deep) by `redact`.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys removed from every log line, at the top level and one or two levels down. */
const REDACTED_KEYS = [
  'text',
  'caption',
  'payload',
  'chat_id',
  'first_name',
  'last_name',
  'username',
  'phone_number',
  'email',
  'token',
  'secret',
  'secret_token',
  'password',
  'authorization',
  'cookie',
];

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'plaza' },
      serializers: { err: serializeError },
      redact: {
        paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
        remove: true,
      },
    },
    destination,
  );
}

/** What a log line keeps of an error. Every string is scrubbed of bot tokens and URL credentials. */
export interface ErrorSummary {
  /** The constructor's name (TelegramError, PrismaClientKnownRequestError, …). */
  type?: string;
  /** error.name, when it says something the type does not (not a subclass's inherited "Error"). */
  name?: string;
  /** pg SQLSTATE, Prisma Pnnnn, Telegram error_code, Node's ECONNREFUSED… */
  code?: string | number;
  /** Telegram's description ("Forbidden: bot was blocked by the user"). */
  description?: string;
  /** The Bot API method of a TelegramError (its payload is left out). */
  method?: string;
  /** Prisma's meta.modelName. */
  modelName?: string;
  /** The driver adapter error's kind and database code (Prisma meta.driverAdapterError.cause). */
  kind?: string;
  originalCode?: string;
  /** The message's first line; never for Prisma and driver errors, whose messages quote values. */
  message?: string;
  /** The `at …` frames only (the message lines of a stack are left out). */
  stack?: string;
  /** The cause, summarised the same way (one level). */
  cause?: ErrorSummary;
}

const MAX_TEXT = 300;
/** A V8 stack frame: `at fn (file:1:2)`, `at file:1:2`, `at async fn (…)`, `at Array.map (<anonymous>)`. */
const FRAME =
  /^\s+at (?:.+ \((?:.+:\d+:\d+|native|<anonymous>|index \d+)\)|(?:async )?\S+:\d+:\d+|<anonymous>)$/;

/**
 * Hides Telegram bot tokens and the user:password part of URLs in a text that is about to be logged. Both
 * expressions run in linear time (the whole text is scrubbed before it is cut, so no half token survives).
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}/g, '<token>')
    .replace(/\/\/[^\s/@:]*:[^\s/]*@/g, '//<redacted>@');
}

/**
 * pino serializer for `err`: keeps the type, name, code, Telegram's description and method, Prisma's model and
 * driver error kind, the first line of the message (not for Prisma and driver errors) and the stack's frames,
 * and the cause one level down. Anything else on the error — payloads, responses, meta — is left out. Values
 * that are not objects (a thrown string) keep only their type. Also takes the summaries some callers already
 * make (`{ name }`, `{ name, code }`, `{ name, message }`) and gives them the same treatment.
 */
export function serializeError(value: unknown): ErrorSummary {
  try {
    return summarise(value, true, false).summary;
  } catch {
    // A getter that throws must not cost the log line.
    return { type: typeof value };
  }
}

type Loose = Record<string, unknown>;

const MAX_CAUSE_DEPTH = 4;

/** `quiet`: the message was withheld (it may quote values); a wrapper's and a cause's are withheld with it. */
function summarise(
  value: unknown,
  withCause: boolean,
  quietWrapper: boolean,
  depth = 0,
): { summary: ErrorSummary; quiet: boolean } {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    return { summary: { type: value === null ? 'null' : typeof value }, quiet: quietWrapper };
  }
  const e = value as Loose;
  const out: ErrorSummary = {};
  const ctor = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof ctor === 'string' && ctor !== 'Object') out.type = short(ctor);
  // TelegramError and others keep Error's own name: only a name that adds something is kept.
  if (typeof e.name === 'string' && e.name !== out.type && !(out.type && e.name === 'Error'))
    out.name = short(e.name);
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = shortCode(e.code);
  if (typeof e.description === 'string') out.description = firstLine(e.description);
  const on = e.on as Loose | undefined;
  if (typeof on?.method === 'string') out.method = short(on.method);
  const meta = e.meta as Loose | undefined;
  if (typeof meta?.modelName === 'string') out.modelName = short(meta.modelName);
  // A Prisma error keeps its driver error's details under meta; a DriverAdapterError thrown as such keeps
  // them in its cause, where they are read when the cause is summarised.
  const driver = ((meta?.driverAdapterError as Loose | undefined)?.cause ?? e) as Loose;
  if (typeof driver.kind === 'string') out.kind = short(driver.kind);
  if (typeof driver.originalCode === 'string') out.originalCode = short(driver.originalCode);
  let quiet = quietWrapper || quotesValues(e, out);
  // botbuilder's DialogContextError keeps the error it wraps under `error` (and copies its message).
  const inner = e.cause ?? (typeof e.error === 'object' && e.error !== null ? e.error : undefined);
  // Wrappers copy the message they wrap (DialogContextError does): every level of the chain is looked at for
  // a message that quotes values (at most MAX_CAUSE_DEPTH, which also ends a circular chain), one is shown.
  const nested =
    inner !== undefined && depth < MAX_CAUSE_DEPTH ? summarise(inner, false, quiet, depth + 1) : undefined;
  const cause = withCause ? nested : undefined;
  quiet ||= nested?.quiet === true;
  if (!quiet && typeof e.message === 'string') out.message = firstLine(e.message);
  const frames = typeof e.stack === 'string' ? framesOf(e.stack) : undefined;
  if (frames) out.stack = frames;
  if (cause) out.cause = cause.summary;
  return { summary: out, quiet };
}

/**
 * Whether the error's message (and its cause's) may quote the values of the call: Prisma's client errors
 * render the arguments, driver adapter errors and PostgreSQL data exceptions (SQLSTATE class 22: "invalid
 * input syntax for type integer: "…"") repeat the offending value.
 */
function quotesValues(e: Loose, out: ErrorSummary): boolean {
  const names = [out.type, out.name];
  if (names.some((n) => n !== undefined && (n.startsWith('PrismaClient') || n === 'DriverAdapterError')))
    return true;
  if ('clientVersion' in e || 'originalMessage' in e || 'originalCode' in e) return true;
  return typeof e.severity === 'string' && typeof e.code === 'string' && e.code.startsWith('22');
}

/** The trailing `at …` lines of a stack: what comes before them is the message, which may be anything. */
function framesOf(stack: string): string | undefined {
  const lines = stack.split('\n');
  let start = lines.length;
  while (start > 0 && isFrame(lines[start - 1]!)) start--;
  const frames = lines.slice(start).map(scrubSecrets);
  return frames.length > 0 ? frames.join('\n') : undefined;
}

/** Frames are short; a long line is message text (and is not run through FRAME, which backtracks). */
function isFrame(line: string): boolean {
  return line.length <= 1000 && FRAME.test(line);
}

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0]!.trim();
  return short(line);
}

function short(text: string): string {
  const clean = scrubSecrets(text);
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

function shortCode(code: string | number): string | number {
  return typeof code === 'number' ? code : short(code);
}
