// Does the API token with this id still work, and for whom? For sessions opened with a token (the staff
// dashboard): the token itself is not kept, its id is, and every request asks again, so revoking the token,
// its expiry or disabling the staff member ends the session at once, and a role change shows at the next
// page. Same rules and reasons as authenticate-token.
import type { AuthenticateTokenResult } from './authenticate-token.ts';
import type { DomainDeps } from './deps.ts';
import { isUuid } from './staff-members.ts';

export async function authenticateTokenId(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { tokenId: string },
): Promise<AuthenticateTokenResult> {
  if (!isUuid(input.tokenId)) return { ok: false, reason: 'invalid' };
  const found = await deps.db.apiToken.findUnique({
    where: { id: input.tokenId },
    select: {
      id: true,
      expiresAt: true,
      revokedAt: true,
      staffMember: { select: { id: true, name: true, role: true, disabledAt: true } },
    },
  });
  if (!found) return { ok: false, reason: 'invalid' };
  if (found.staffMember.disabledAt) return { ok: false, reason: 'disabled' };
  if (found.revokedAt) return { ok: false, reason: 'revoked' };
  if (found.expiresAt <= deps.now()) return { ok: false, reason: 'expired' };
  const { disabledAt: _disabled, ...staff } = found.staffMember;
  return { ok: true, staff, tokenId: found.id };
}
