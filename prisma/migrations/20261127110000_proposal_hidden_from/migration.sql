-- A proposal hidden by citizen reports remembers the public status it had (published, selected or
-- not_selected), so that a moderator's approval gives that status back instead of demoting it to
-- `published` (report-content sets it; decide-moderation reads it and clears it with every decision).
ALTER TABLE "Proposal" ADD COLUMN "hiddenFrom" "ProposalStatus";

-- Proposals already hidden: the status they had is the `before` of their latest `moderation.hide` audit row,
-- written in the transaction that hid them, under their row lock (the audit log is append-only; erasure only
-- takes texts out of it). One with no such row, or whose `before` is not a public status, stays NULL and is
-- restored as `published`, as it was before this migration.
UPDATE "Proposal" p
SET "hiddenFrom" = h.status::"ProposalStatus"
FROM (
  SELECT DISTINCT ON (a."targetId") a."targetId", a.before ->> 'status' AS status
  FROM "AuditLog" a
  WHERE a."targetType" = 'proposal' AND a.action = 'moderation.hide'
  ORDER BY a."targetId", a.id DESC
) h
WHERE p.status = 'hidden' AND h."targetId" = p.id::text
  AND h.status IN ('published', 'selected', 'not_selected');
