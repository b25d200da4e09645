// Erasure's part in the audit log: the rows about an erased participant's proposals and comments lose the
// texts the person wrote. Per kind of row that targets a proposal or a comment:
// - `moderation.redact_approve` keeps the title and body before the redaction (the personal data the
//   moderator removed) and after it: both go;
// - `moderation.approve`, `moderation.reject`, `moderation.hide` (reports) hold statuses and a count: no text;
// - `proposal.answer` holds the staff's answer, staff-authored: kept;
// - `event.proposal` holds a workshop proposal's title, typed by staff: it has no author, so no erasure
//   reaches it.
// What is removed, and how the row is marked, is defined once in the database (`plaza_audit_erase_texts`,
// migration `audit_erased_texts`): `title` and `body` leave `before` and `after`, which then carry
// `"erasedTexts": true`; actor, action, target, statuses, reason, source IP and time stay. The audit log
// accepts no other UPDATE, and this one only on rows about items whose author is marked erased: call it in
// the erasure's transaction after setting the participant's `erasedAt` and before the items are anonymised
// or deleted (they must still name their author). Items that never had an author (workshop proposals) can
// never be scrubbed. A row already scrubbed has nothing left to remove and is not touched again, so erasing
// twice is safe.
import { Prisma } from '../generated/prisma/client.ts';
import type { Tx } from './moderation-cases.ts';

/** Scrubs the audit rows of these proposals and comments; returns how many rows lost texts. */
export async function scrubAuditTexts(
  tx: Tx,
  items: { proposalIds: readonly number[]; commentIds: readonly number[] },
): Promise<number> {
  const targets: Prisma.Sql[] = [];
  if (items.proposalIds.length > 0)
    targets.push(
      Prisma.sql`("targetType" = 'proposal' AND "targetId" = ANY(${items.proposalIds.map(String)}::text[]))`,
    );
  if (items.commentIds.length > 0)
    targets.push(
      Prisma.sql`("targetType" = 'comment' AND "targetId" = ANY(${items.commentIds.map(String)}::text[]))`,
    );
  if (targets.length === 0) return 0;
  return tx.$executeRaw`
    UPDATE "AuditLog"
    SET before = plaza_audit_erase_texts(before), after = plaza_audit_erase_texts(after)
    WHERE (${Prisma.join(targets, ' OR ')})
      AND (before IS DISTINCT FROM plaza_audit_erase_texts(before)
        OR after IS DISTINCT FROM plaza_audit_erase_texts(after))`;
}
