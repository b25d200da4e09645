// Shared by the staff and API token use cases (register, disable, list, create/authenticate/revoke tokens).
// Not a use case: input checks and the one view of a staff member that every caller prints or returns.
import { createHash } from 'node:crypto';
import type { Prisma } from '../generated/prisma/client.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';

export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'staff', 'moderator'];
export const MAX_STAFF_NAME_LENGTH = 100;

/** A staff member named from outside: by Telegram user id (CLI, moderators' group) or by id (API). */
export type StaffRef = { telegramUserId: string } | { id: string };

export interface StaffMemberView {
  id: string;
  name: string;
  role: StaffRole;
  telegramUserId: string | null;
  createdAt: Date;
  disabledAt: Date | null;
}

export const staffViewSelect = {
  id: true,
  name: true,
  role: true,
  telegramUserId: true,
  createdAt: true,
  disabledAt: true,
} as const satisfies Prisma.StaffMemberSelect;

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

/**
 * Telegram user ids are positive integers below 2^53 (Telegram's own bound), written in decimal without
 * sign or leading zeros, so one person has exactly one spelling and the unique index holds.
 */
export function isTelegramUserId(value: unknown): value is string {
  return (
    typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) && Number(value) <= Number.MAX_SAFE_INTEGER
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid column refuses anything else with an error, so ids from outside are checked first. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The unique `where` for a reference, or undefined when it cannot name anyone (then: not found). */
export function staffWhere(ref: StaffRef): Prisma.StaffMemberWhereUniqueInput | undefined {
  if ('telegramUserId' in ref)
    return isTelegramUserId(ref.telegramUserId) ? { telegramUserId: ref.telegramUserId } : undefined;
  return isUuid(ref.id) ? { id: ref.id } : undefined;
}

/** Every API token starts with this, so a leaked one is easy to recognise (and to scan for). */
export const TOKEN_PREFIX = 'plaza_';

/** Only this digest of an API token is stored; the token itself is shown once and never kept. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
