// Creates an API token for a staff member (the admin API's Bearer credential). The token is returned once
// and never stored: only its SHA-256 digest is kept, so a database leak yields no usable credential.
// Tokens expire (90 days unless asked otherwise, at most 365). Audited without the token or its digest.
import { randomBytes } from 'node:crypto';
import type { DomainDeps } from './deps.ts';
import { audit } from './moderation-cases.ts';
import {
  hashToken,
  staffViewSelect,
  staffWhere,
  TOKEN_PREFIX,
  type StaffMemberView,
  type StaffRef,
} from './staff-members.ts';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
const DAY_MS = 24 * 3600 * 1000;

export type CreateApiTokenInput = StaffRef & {
  /** Whole days of validity, 1 … MAX_TOKEN_DAYS; default DEFAULT_TOKEN_DAYS. */
  days?: number;
  actor: string;
  sourceIp?: string;
};

export type CreateApiTokenResult =
  | { ok: true; token: string; tokenId: string; expiresAt: Date; staff: StaffMemberView }
  | { ok: false; reason: 'not-found' | 'disabled' | 'invalid-days' };

export async function createApiToken(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: CreateApiTokenInput,
): Promise<CreateApiTokenResult> {
  const days = input.days ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)
    return { ok: false, reason: 'invalid-days' };
  const where = staffWhere(input);
  if (!where) return { ok: false, reason: 'not-found' };
  // 32 random bytes: unguessable, and long enough that looking it up by digest needs no constant-time compare.
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return deps.db.$transaction(async (tx): Promise<CreateApiTokenResult> => {
    const now = deps.now();
    const staff = await tx.staffMember.findUnique({ where, select: staffViewSelect });
    if (!staff) return { ok: false, reason: 'not-found' };
    if (staff.disabledAt) return { ok: false, reason: 'disabled' };
    const expiresAt = new Date(now.getTime() + days * DAY_MS);
    const created = await tx.apiToken.create({
      data: { staffMemberId: staff.id, tokenHash: hashToken(token), createdAt: now, expiresAt },
      select: { id: true },
    });
    await audit(tx, {
      actor: input.actor,
      action: 'api-token.create',
      target: { kind: 'api-token', id: created.id },
      after: { staffMemberId: staff.id, expiresAt: expiresAt.toISOString() },
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ok: true, token, tokenId: created.id, expiresAt, staff };
  });
}
