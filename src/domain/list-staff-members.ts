// The staff members, oldest first, with how many of their API tokens still work (not revoked, not
// expired). For operators (CLI) and admins; tokens themselves are never readable.
import type { DomainDeps } from './deps.ts';
import { staffViewSelect, type StaffMemberView } from './staff-members.ts';

export type StaffMemberListItem = StaffMemberView & { activeTokens: number };

export async function listStaffMembers(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { includeDisabled?: boolean } = {},
): Promise<StaffMemberListItem[]> {
  const now = deps.now();
  const rows = await deps.db.staffMember.findMany({
    where: input.includeDisabled === false ? { disabledAt: null } : {},
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: {
      ...staffViewSelect,
      _count: { select: { tokens: { where: { revokedAt: null, expiresAt: { gt: now } } } } },
    },
  });
  return rows.map(({ _count, ...staff }) => ({ ...staff, activeTokens: _count.tokens }));
}
