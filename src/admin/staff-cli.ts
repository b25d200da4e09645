// `plaza moderators …`: operators manage staff members and their API tokens from a terminal. The words
// after `moderators` come in; what to print goes to `out`; the exit code comes back: 0 done, 1 refused (no
// such person, disabled…), 2 bad usage. Each failure is one line. A token is printed once, on a line of its
// own, and can never be shown again (only its digest is stored). Every change is audited as actor `cli`.
import { createApiToken, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '../domain/create-api-token.ts';
import type { DomainDeps } from '../domain/deps.ts';
import { disableStaffMember } from '../domain/disable-staff-member.ts';
import { listStaffMembers } from '../domain/list-staff-members.ts';
import { registerStaffMember } from '../domain/register-staff-member.ts';
import { revokeApiToken } from '../domain/revoke-api-token.ts';
import { isTelegramUserId, STAFF_ROLES, type StaffMemberView } from '../domain/staff-members.ts';

export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

export const MODERATORS_USAGE = `Usage: plaza moderators <command>

  add <telegram-user-id> [--name "…"] [--role moderator|staff|admin]
                             add a staff member (default role: moderator); for someone already
                             known: update name/role and re-enable
  list                       staff members, their role, status and working API tokens
  remove <telegram-user-id>  disable: their presses stop counting and their API tokens are revoked
  token <telegram-user-id> [--days N]
                             a new API token for the admin API, shown once (default ${DEFAULT_TOKEN_DAYS} days, max ${MAX_TOKEN_DAYS})
  revoke <token-id>          revoke one API token

API clients without a Telegram account: plaza tokens help`;

/** Who the audit log names for every change made from a terminal (no source IP). */
export const CLI_ACTOR = 'cli';
const ACTOR = CLI_ACTOR;

/** Bad usage: printed as one line with a pointer to the command's help; exit code 2. */
export class UsageError extends Error {}

export function runModeratorsCommand(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  return runSubcommand('moderators', MODERATORS_USAGE, { add, list, remove, token, revoke }, args, deps, out);
}

type Subcommand = (args: string[], deps: DomainDeps, out: CliOutput) => Promise<number>;

/**
 * `plaza <name> <sub> …`: runs the subcommand, prints the usage for help, and answers bad usage with one
 * line and exit code 2 (shared by `plaza moderators` and `plaza tokens`).
 */
export async function runSubcommand(
  name: string,
  usage: string,
  commands: Record<string, Subcommand>,
  args: string[],
  deps: DomainDeps,
  out: CliOutput,
): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'help' || sub === '--help' || sub === '-h') {
      out.log(usage);
      return 0;
    }
    const run = sub !== undefined && Object.hasOwn(commands, sub) ? commands[sub] : undefined;
    if (!run) throw new UsageError(sub === undefined ? 'a command is needed' : `unknown command "${sub}"`);
    return await run(rest, deps, out);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(`plaza ${name}: ${error.message}. Run "plaza ${name} help" for usage.`);
    return 2;
  }
}

async function add(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  const { positional, options } = parse(args, ['name', 'role']);
  const telegramUserId = onlyTelegramUserId(positional);
  if (options.role !== undefined && !(STAFF_ROLES as readonly string[]).includes(options.role))
    throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')}`);
  const result = await registerStaffMember(deps, {
    telegramUserId,
    name: options.name,
    role: options.role,
    actor: ACTOR,
  });
  if (!result.ok) {
    if (result.reason === 'invalid-name')
      throw new UsageError('--name must be 1 to 100 characters, without line breaks or control characters');
    throw new UsageError(result.reason);
  }
  if (result.unchanged) {
    out.log(`Nothing changed: ${describe(result.staff)} is already registered with that name and role.`);
    return 0;
  }
  const verb = { created: 'Added', updated: 'Updated', 're-enabled': 'Re-enabled' }[result.outcome];
  out.log(`${verb} ${describe(result.staff)}.`);
  return 0;
}

async function list(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  parse(args, [], 0);
  const staff = await listStaffMembers(deps);
  if (staff.length === 0) {
    out.log('No staff members yet. Add one with: plaza moderators add <telegram-user-id> --name "…"');
    return 0;
  }
  const rows = [
    ['TELEGRAM', 'ROLE', 'STATUS', 'TOKENS', 'ID', 'NAME'],
    ...staff.map((s) => [
      s.telegramUserId ?? '-',
      s.role,
      s.disabledAt ? 'disabled' : 'active',
      String(s.activeTokens),
      s.id,
      s.name,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows)
    out.log(
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}

async function remove(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  const { positional } = parse(args, []);
  const telegramUserId = onlyTelegramUserId(positional);
  const result = await disableStaffMember(deps, { telegramUserId, actor: ACTOR });
  if (!result.ok) {
    out.error(`plaza moderators remove: no staff member with Telegram user id ${telegramUserId}.`);
    return 1;
  }
  if (result.alreadyDisabled) out.log(`${describe(result.staff)} was already disabled.`);
  else
    out.log(
      `Disabled ${describe(result.staff)}; ${result.tokensRevoked} API token${result.tokensRevoked === 1 ? '' : 's'} revoked.`,
    );
  return 0;
}

async function token(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  const { positional, options } = parse(args, ['days']);
  const telegramUserId = onlyTelegramUserId(positional);
  let days: number | undefined;
  if (options.days !== undefined) {
    days = /^[0-9]{1,4}$/.test(options.days) ? Number(options.days) : NaN;
    if (!(days >= 1 && days <= MAX_TOKEN_DAYS))
      throw new UsageError(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  }
  const result = await createApiToken(deps, { telegramUserId, days, actor: ACTOR });
  if (!result.ok) {
    if (result.reason === 'invalid-days')
      throw new UsageError(`--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
    out.error(
      result.reason === 'disabled'
        ? `plaza moderators token: the staff member with Telegram user id ${telegramUserId} is disabled (add them again first).`
        : `plaza moderators token: no staff member with Telegram user id ${telegramUserId}.`,
    );
    return 1;
  }
  out.log(
    `API token for ${describe(result.staff)}, valid until ${result.expiresAt.toISOString()} (token id ${result.tokenId}):`,
  );
  out.log(result.token);
  out.log('It will not be shown again: store it now. Send it as "Authorization: Bearer <token>".');
  return 0;
}

function revoke(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  return revokeTokenCommand('moderators', args, deps, out);
}

/** `plaza <name> revoke <token id>` (shared by `plaza moderators` and `plaza tokens`). */
export async function revokeTokenCommand(
  name: string,
  args: string[],
  deps: DomainDeps,
  out: CliOutput,
): Promise<number> {
  const { positional } = parse(args, []);
  if (positional.length !== 1) throw new UsageError('revoke needs exactly one token id');
  const result = await revokeApiToken(deps, { tokenId: positional[0]!, actor: ACTOR });
  if (!result.ok) {
    out.error(`plaza ${name} revoke: no API token with id ${positional[0]}.`);
    return 1;
  }
  out.log(result.alreadyRevoked ? 'That token was already revoked.' : `Revoked API token ${result.tokenId}.`);
  return 0;
}

/** `--opt value` or `--opt=value` for the allowed options; the rest are positional. */
export function parse(
  args: string[],
  allowed: string[],
  maxPositional = 1,
): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const option = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!option) {
      positional.push(arg);
      continue;
    }
    const [, name, inline] = option;
    if (!allowed.includes(name!)) throw new UsageError(`unknown option --${name}`);
    if (name! in options) throw new UsageError(`--${name} given twice`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    options[name!] = value;
  }
  if (positional.length > maxPositional)
    throw new UsageError(`unexpected argument "${positional[maxPositional]}"`);
  return { positional, options };
}

function onlyTelegramUserId(positional: string[]): string {
  const [id] = positional;
  if (id === undefined) throw new UsageError('a Telegram user id is needed');
  if (!isTelegramUserId(id)) throw new UsageError(`"${id}" is not a Telegram user id (a positive integer)`);
  return id;
}

export function describe(s: StaffMemberView): string {
  return `${s.name} (${s.role}${s.telegramUserId ? `, Telegram ${s.telegramUserId}` : ''}, id ${s.id})`;
}
