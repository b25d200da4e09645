// The API tokens that still work (not revoked, not expired, their holder not disabled), newest first, with
// their holder: what an operator needs to revoke one by id. Never the token or its hash.
import type { DomainDeps } from './deps.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';

export interface ApiTokenRow {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  staff: { id: string; name: string; role: StaffRole; telegramUserId: string | null };
}

export async function listApiTokens(deps: Pick<DomainDeps, 'db' | 'now'>): Promise<ApiTokenRow[]> {
  const tokens = await deps.db.apiToken.findMany({
    where: { revokedAt: null, expiresAt: { gt: deps.now() }, staffMember: { disabledAt: null } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    select: {
      id: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      staffMember: { select: { id: true, name: true, role: true, telegramUserId: true } },
    },
  });
  return tokens.map(({ staffMember, ...t }) => ({ ...t, staff: staffMember }));
}
