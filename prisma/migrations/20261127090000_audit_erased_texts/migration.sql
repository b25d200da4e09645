-- Erasure (GDPR art. 17) reaches the audit log: the rows about an erased participant's proposals and comments
-- lose the texts the person wrote (a redaction's row keeps the title and body before and after it, i.e. the
-- very personal data the moderator removed). Everything else in those rows stays: actor, action, target,
-- statuses, reason, source IP, time. The log is still append-only otherwise: the one UPDATE it accepts is
-- exactly this removal, on a row about a proposal or comment whose author is being erased (the erasure marks
-- the participant's "erasedAt" first, then scrubs, then unlinks the items). Rows about items that never had
-- an author (workshop proposals typed by staff) can never be scrubbed. Erasures made before this migration
-- left no link from their items to the erased person, so their audit rows keep the texts (no deployment had
-- erased anyone when it was written).

-- One `before`/`after` value without the author's texts (`title`, `body`: the text columns of Proposal and
-- Comment, under the names the audit rows give them), marked `"erasedTexts": true` so a reader knows text
-- was there and was erased. A value with no such key (or not an object, or NULL) is returned unchanged, so
-- applying it again changes nothing.
CREATE FUNCTION plaza_audit_erase_texts(value jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN jsonb_typeof(value) = 'object' AND value ?| ARRAY['title', 'body']
      THEN (value - ARRAY['title', 'body']) || '{"erasedTexts": true}'::jsonb
    ELSE value
  END
$$;

-- search_path pinned to the migration's (the schema Plaza's tables live in): the check cannot be widened by a
-- function or table that shadows these names in a session's search_path.
CREATE FUNCTION plaza_audit_refuse_update() RETURNS trigger
SET search_path FROM CURRENT AS $$
DECLARE
  erased_author boolean;
BEGIN
  IF OLD."targetType" IN ('proposal', 'comment') AND OLD."targetId" ~ '^[0-9]{1,9}$'
    AND to_jsonb(NEW) - ARRAY['before', 'after'] = to_jsonb(OLD) - ARRAY['before', 'after']
    AND NEW.before IS NOT DISTINCT FROM plaza_audit_erase_texts(OLD.before)
    AND NEW.after IS NOT DISTINCT FROM plaza_audit_erase_texts(OLD.after)
  THEN
    IF OLD."targetType" = 'proposal' THEN
      erased_author := EXISTS (SELECT 1 FROM "Proposal" i JOIN "Participant" a ON a.id = i."authorId"
        WHERE i.id = OLD."targetId"::integer AND a."erasedAt" IS NOT NULL);
    ELSE
      erased_author := EXISTS (SELECT 1 FROM "Comment" i JOIN "Participant" a ON a.id = i."authorId"
        WHERE i.id = OLD."targetId"::integer AND a."erasedAt" IS NOT NULL);
    END IF;
    IF erased_author THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER "AuditLog_append_only" ON "AuditLog";
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION plaza_audit_refuse_update();
