// Who is pressing in the moderators' room: an active staff member registered with that Telegram user id.
// Other channels have no staff accounts.
import type { DomainDeps } from './deps.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';

export interface StaffMemberView {
  id: string;
  name: string;
  role: StaffRole;
}

export async function findStaffMember(
  deps: Pick<DomainDeps, 'db'>,
  input: { channel: string; externalId: string },
): Promise<StaffMemberView | undefined> {
  if (input.channel !== 'telegram' || !/^\d{1,20}$/.test(input.externalId)) return undefined;
  const staff = await deps.db.staffMember.findUnique({
    where: { telegramUserId: input.externalId },
    select: { id: true, name: true, role: true, disabledAt: true },
  });
  if (!staff || staff.disabledAt) return undefined;
  return { id: staff.id, name: staff.name, role: staff.role };
}
