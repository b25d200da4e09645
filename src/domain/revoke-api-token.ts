// Revokes one API token, named by its id (operators, admins) or by the token itself (a client signing
// out). Revoking is final: the token never works again. Audited once; revoking again changes nothing.
import type { DomainDeps } from './deps.ts';
import { audit } from './moderation-cases.ts';
import { hashToken, isUuid } from './staff-members.ts';

export type RevokeApiTokenInput = ({ tokenId: string } | { token: string }) & {
  actor: string;
  sourceIp?: string;
};

export type RevokeApiTokenResult =
  | { ok: true; tokenId: string; staffMemberId: string; alreadyRevoked: boolean }
  | { ok: false; reason: 'not-found' };

export async function revokeApiToken(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: RevokeApiTokenInput,
): Promise<RevokeApiTokenResult> {
  let where: { id: string } | { tokenHash: string };
  if ('tokenId' in input) {
    if (!isUuid(input.tokenId)) return { ok: false, reason: 'not-found' };
    where = { id: input.tokenId };
  } else {
    if (typeof input.token !== 'string' || input.token.length > 200)
      return { ok: false, reason: 'not-found' };
    where = { tokenHash: hashToken(input.token) };
  }
  return deps.db.$transaction(async (tx): Promise<RevokeApiTokenResult> => {
    const now = deps.now();
    const found = await tx.apiToken.findUnique({ where, select: { id: true, staffMemberId: true } });
    if (!found) return { ok: false, reason: 'not-found' };
    const changed = await tx.apiToken.updateMany({
      where: { id: found.id, revokedAt: null },
      data: { revokedAt: now },
    });
    const result = { ok: true as const, tokenId: found.id, staffMemberId: found.staffMemberId };
    if (changed.count === 0) return { ...result, alreadyRevoked: true };
    await audit(tx, {
      actor: input.actor,
      action: 'api-token.revoke',
      target: { kind: 'api-token', id: found.id },
      before: { revoked: false },
      after: { revoked: true, staffMemberId: found.staffMemberId },
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ...result, alreadyRevoked: false };
  });
}
