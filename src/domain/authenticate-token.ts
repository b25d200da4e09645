// Who presents this API token? The token is hashed and looked up by its digest (unique index), so no
// comparison of secrets happens in code whose timing could leak them. Answers why a token does not work
// (for logs; callers answer every failure alike). Records `lastUsedAt` at most once a minute per token, so
// a busy client does not write on every request.
import type { DomainDeps } from './deps.ts';
import { hashToken, TOKEN_PREFIX } from './staff-members.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';

export type AuthenticatedStaff = { id: string; name: string; role: StaffRole };

export type AuthenticateTokenResult =
  | { ok: true; staff: AuthenticatedStaff; tokenId: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'revoked' | 'disabled' };

export const LAST_USED_RESOLUTION_MS = 60_000;

// What create-api-token issues: the prefix and 32 bytes in base64url (43 characters). Anything else is
// refused before hashing or querying.
const TOKEN_SHAPE = new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

export async function authenticateToken(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { token: string },
): Promise<AuthenticateTokenResult> {
  if (typeof input.token !== 'string' || !TOKEN_SHAPE.test(input.token))
    return { ok: false, reason: 'invalid' };
  const now = deps.now();
  const found = await deps.db.apiToken.findUnique({
    where: { tokenHash: hashToken(input.token) },
    select: {
      id: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      staffMember: { select: { id: true, name: true, role: true, disabledAt: true } },
    },
  });
  if (!found) return { ok: false, reason: 'invalid' };
  if (found.staffMember.disabledAt) return { ok: false, reason: 'disabled' };
  if (found.revokedAt) return { ok: false, reason: 'revoked' };
  if (found.expiresAt <= now) return { ok: false, reason: 'expired' };

  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!found.lastUsedAt || found.lastUsedAt <= stale) {
    // Conditional: of concurrent requests, one writes.
    await deps.db.apiToken.updateMany({
      where: { id: found.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] },
      data: { lastUsedAt: now },
    });
  }
  const { disabledAt: _disabled, ...staff } = found.staffMember;
  return { ok: true, staff, tokenId: found.id };
}
