// An operator adds a staff member (admin, staff or moderator), optionally bound to a Telegram user id so
// their presses in the moderators' group count. Registering a Telegram user who is already known updates
// their name and role and re-enables them (their old tokens stay revoked: disabling revoked them); one who is
// already so (active, same name and role) is left alone. Every change is audited with the actor the caller
// names (e.g. `cli`).
import type { DomainDeps } from './deps.ts';
import { audit } from './moderation-cases.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import {
  isStaffRole,
  isTelegramUserId,
  MAX_STAFF_NAME_LENGTH,
  staffViewSelect,
  type StaffMemberView,
} from './staff-members.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';

export type RegisterStaffMemberInput = {
  /** Required for a new member without a Telegram user id; absent when re-registering: kept. */
  name?: string;
  /** Absent: 'moderator' for a new member, kept when re-registering. */
  role?: StaffRole | string;
  /** A positive integer in decimal, e.g. '123456789'. */
  telegramUserId?: string;
  /** Who does it, for the audit log: 'cli', `staff:<id>`… */
  actor: string;
  sourceIp?: string;
};

export type RegisterStaffMemberResult =
  | {
      ok: true;
      staff: StaffMemberView;
      outcome: 'created' | 'updated' | 're-enabled';
      /** An active member registered again with their own name and role: nothing was written. */
      unchanged?: true;
    }
  | { ok: false; reason: 'invalid-name' | 'invalid-role' | 'invalid-telegram-user-id' };

export async function registerStaffMember(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: RegisterStaffMemberInput,
): Promise<RegisterStaffMemberResult> {
  const name = input.name?.trim();
  if (input.name !== undefined && !isValidName(name)) return { ok: false, reason: 'invalid-name' };
  if (input.role !== undefined && !isStaffRole(input.role)) return { ok: false, reason: 'invalid-role' };
  const role = input.role as StaffRole | undefined;
  const tg = input.telegramUserId;
  if (tg !== undefined && !isTelegramUserId(tg)) return { ok: false, reason: 'invalid-telegram-user-id' };
  // Without a Telegram user id nobody can be re-registered, so a name is needed.
  if (tg === undefined && name === undefined) return { ok: false, reason: 'invalid-name' };

  const attempt = () =>
    deps.db.$transaction(async (tx): Promise<RegisterStaffMemberResult> => {
      const now = deps.now();
      const before = tg
        ? await tx.staffMember.findUnique({ where: { telegramUserId: tg }, select: staffViewSelect })
        : null;
      if (!before) {
        const staff = await tx.staffMember.create({
          data: {
            name: name ?? `Telegram ${tg}`,
            role: role ?? 'moderator',
            telegramUserId: tg ?? null,
            createdAt: now,
          },
          select: staffViewSelect,
        });
        await audit(tx, {
          actor: input.actor,
          action: 'staff.add',
          target: { kind: 'staff', id: staff.id },
          after: snapshot(staff),
          sourceIp: input.sourceIp,
          at: now,
        });
        return { ok: true, staff, outcome: 'created' };
      }
      // Registered again as they are: nothing to write, nothing to audit.
      if (
        !before.disabledAt &&
        (name ?? before.name) === before.name &&
        (role ?? before.role) === before.role
      )
        return { ok: true, staff: before, outcome: 'updated', unchanged: true };
      const staff = await tx.staffMember.update({
        where: { id: before.id },
        data: { name: name ?? before.name, role: role ?? before.role, disabledAt: null },
        select: staffViewSelect,
      });
      await audit(tx, {
        actor: input.actor,
        action: before.disabledAt ? 'staff.enable' : 'staff.update',
        target: { kind: 'staff', id: staff.id },
        before: snapshot(before),
        after: snapshot(staff),
        sourceIp: input.sourceIp,
        at: now,
      });
      return { ok: true, staff, outcome: before.disabledAt ? 're-enabled' : 'updated' };
    });

  try {
    return await attempt();
  } catch (error) {
    // Two registrations of one new Telegram user at once: the loser finds the winner's row and updates it.
    if (tg && isUniqueViolation(error)) return attempt();
    throw error;
  }
}

function isValidName(name: string | undefined): name is string {
  // Names are shown on moderation cards and in the terminal: no control characters.
  return (
    !!name &&
    Array.from(name).length <= MAX_STAFF_NAME_LENGTH &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)
  );
}

function snapshot(s: StaffMemberView) {
  return { name: s.name, role: s.role, telegramUserId: s.telegramUserId, disabled: s.disabledAt !== null };
}
