// An operator disables a staff member, by Telegram user id or by id. From then on their presses in the
// moderators' group and their decisions are refused (decide-moderation checks `disabledAt`), and their API
// tokens are revoked in the same transaction, so re-enabling someone later never brings old credentials back.
// Audited; disabling someone already disabled changes nothing and writes nothing.
import type { DomainDeps } from './deps.ts';
import { audit } from './moderation-cases.ts';
import { staffViewSelect, staffWhere, type StaffMemberView, type StaffRef } from './staff-members.ts';

export type DisableStaffMemberInput = StaffRef & { actor: string; sourceIp?: string };

export type DisableStaffMemberResult =
  | { ok: true; staff: StaffMemberView; alreadyDisabled: boolean; tokensRevoked: number }
  | { ok: false; reason: 'not-found' };

export async function disableStaffMember(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: DisableStaffMemberInput,
): Promise<DisableStaffMemberResult> {
  const where = staffWhere(input);
  if (!where) return { ok: false, reason: 'not-found' };
  return deps.db.$transaction(async (tx): Promise<DisableStaffMemberResult> => {
    const now = deps.now();
    const found = await tx.staffMember.findUnique({ where, select: staffViewSelect });
    if (!found) return { ok: false, reason: 'not-found' };
    if (found.disabledAt) return { ok: true, staff: found, alreadyDisabled: true, tokensRevoked: 0 };
    // Conditional, so a concurrent disable does not audit twice.
    const changed = await tx.staffMember.updateMany({
      where: { id: found.id, disabledAt: null },
      data: { disabledAt: now },
    });
    const staff = { ...found, disabledAt: now };
    if (changed.count === 0) return { ok: true, staff, alreadyDisabled: true, tokensRevoked: 0 };
    const revoked = await tx.apiToken.updateMany({
      where: { staffMemberId: found.id, revokedAt: null },
      data: { revokedAt: now },
    });
    await audit(tx, {
      actor: input.actor,
      action: 'staff.disable',
      target: { kind: 'staff', id: found.id },
      before: { disabled: false },
      after: { disabled: true, tokensRevoked: revoked.count },
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ok: true, staff, alreadyDisabled: false, tokensRevoked: revoked.count };
  });
}
