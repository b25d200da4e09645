// `plaza tokens …`: operators issue and revoke admin API tokens from a terminal, for people and for
// programs without a Telegram account (`plaza moderators token` serves staff known by their Telegram id).
// Same contract as staff-cli.ts: the words after `tokens` come in, lines go to `out`, the exit code comes
// back (0 done, 1 refused, 2 bad usage, one line each). A token is printed once, on a line of its own; only
// its SHA-256 digest is stored. Every change is audited by the use cases as actor `cli`, without source IP.
import { createApiToken, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '../domain/create-api-token.ts';
import type { DomainDeps } from '../domain/deps.ts';
import { listStaffMembers } from '../domain/list-staff-members.ts';
import { listApiTokens } from '../domain/list-api-tokens.ts';
import { registerStaffMember } from '../domain/register-staff-member.ts';
import { isStaffRole, STAFF_ROLES, type StaffMemberView } from '../domain/staff-members.ts';
import {
  CLI_ACTOR,
  describe,
  parse,
  revokeTokenCommand,
  runSubcommand,
  UsageError,
  type CliOutput,
} from './staff-cli.ts';

export const TOKENS_USAGE = `Usage: plaza tokens <command>

  create --role admin|staff|moderator [--name "…"] [--expires-in-days N]
                             a new staff member with that role (named "API <role>" unless --name)
                             and an API token for them, shown once
  create --staff <id> [--role …] [--expires-in-days N]
                             a new API token for an existing staff member (their id, or their
                             Telegram user id); --role, if given, must be theirs
  list                       working tokens: token id, role, expiry, last use, staff id, name
  revoke <token-id>          revoke one API token (its id is printed when it is created)

Tokens last ${DEFAULT_TOKEN_DAYS} days unless --expires-in-days says otherwise (1 to ${MAX_TOKEN_DAYS}). Send one as
"Authorization: Bearer <token>". Who may call what: docs/ADMIN-ROLES.md.`;

export function runTokensCommand(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  return runSubcommand('tokens', TOKENS_USAGE, { create, list, revoke }, args, deps, out);
}

async function create(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  const { options } = parse(args, ['role', 'name', 'expires-in-days', 'staff'], 0);
  const role = options.role;
  if (role !== undefined && !isStaffRole(role))
    throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')}`);
  if (role === undefined && options.staff === undefined)
    throw new UsageError('--role is needed (or --staff, for someone already registered)');
  if (options.staff !== undefined && options.name !== undefined)
    throw new UsageError(
      '--name is for a new staff member; with --staff, rename them with plaza moderators add',
    );
  let days: number | undefined;
  if (options['expires-in-days'] !== undefined) {
    const raw = options['expires-in-days'];
    days = /^[0-9]{1,4}$/.test(raw) ? Number(raw) : NaN;
    if (!(days >= 1 && days <= MAX_TOKEN_DAYS))
      throw new UsageError(`--expires-in-days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  }

  let staff: StaffMemberView;
  if (options.staff !== undefined) {
    const ref = options.staff;
    const found = (await listStaffMembers(deps)).find((s) => s.id === ref || s.telegramUserId === ref);
    const refusal = !found
      ? `no staff member with id or Telegram user id ${ref}`
      : found.disabledAt
        ? `${describe(found)} is disabled (plaza moderators add, to enable them again)`
        : role !== undefined && role !== found.role
          ? `${describe(found)} is not ${role} (plaza moderators add --role, to change it)`
          : undefined;
    if (refusal || !found) {
      out.error(`plaza tokens create: ${refusal}.`);
      return 1;
    }
    staff = found;
  } else {
    const registered = await registerStaffMember(deps, {
      name: options.name ?? `API ${role}`,
      role,
      actor: CLI_ACTOR,
    });
    if (!registered.ok) {
      if (registered.reason === 'invalid-name')
        throw new UsageError('--name must be 1 to 100 characters, without line breaks or control characters');
      throw new UsageError(registered.reason);
    }
    staff = registered.staff;
    out.log(`Added ${describe(staff)}.`);
  }

  const result = await createApiToken(deps, { id: staff.id, days, actor: CLI_ACTOR });
  if (!result.ok) {
    // Only a concurrent change gets here (the member was disabled or removed meanwhile).
    out.error(`plaza tokens create: ${describe(staff)} cannot get a token now (${result.reason}).`);
    return 1;
  }
  out.log(
    `API token for ${describe(result.staff)}, valid until ${result.expiresAt.toISOString()} (token id ${result.tokenId}):`,
  );
  out.log(result.token);
  out.log('It will not be shown again: store it now. Send it as "Authorization: Bearer <token>".');
  return 0;
}

async function list(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  parse(args, [], 0);
  const tokens = await listApiTokens(deps);
  if (tokens.length === 0) {
    out.log('No working API tokens. Create one with: plaza tokens create --role staff --name "…"');
    return 0;
  }
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '-');
  const rows = [
    ['TOKEN ID', 'ROLE', 'EXPIRES', 'LAST USED', 'STAFF ID', 'NAME'],
    ...tokens.map((tk) => [
      tk.id,
      tk.staff.role,
      day(tk.expiresAt),
      day(tk.lastUsedAt),
      tk.staff.id,
      tk.staff.name,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows)
    out.log(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
  return 0;
}

function revoke(args: string[], deps: DomainDeps, out: CliOutput): Promise<number> {
  return revokeTokenCommand('tokens', args, deps, out);
}
