-- Data minimisation (GDPR art. 5.1.c) and erasure (art. 17): a pre-screen's personal-data finding used to
-- carry `redacted`, a copy of the whole screened text with only that finding's span replaced. A text with a
-- phone and an e-mail thus kept the e-mail inside the phone's finding and the phone inside the e-mail's, in
-- "ModerationCase".findings, which outlives the author's erasure (the cases of public items stay) and a
-- moderator's redaction. Nothing read those copies (the redaction recomputes from the spans), and findings
-- are now written without them (prescreen-text.ts); this removes them from the findings already stored.
--
-- Only the `redacted` key of the array's object elements goes; every other key, the elements' order, other
-- elements and NULL or non-array values stay as they are, and applying it again changes nothing.
-- "ModerationCase" has no UPDATE-refusing trigger (only "ConsentRecord" and "AuditLog" are append-only).
UPDATE "ModerationCase" c
SET findings = (
  SELECT jsonb_agg(CASE WHEN jsonb_typeof(e.f) = 'object' THEN e.f - 'redacted' ELSE e.f END ORDER BY e.i)
  FROM jsonb_array_elements(c.findings) WITH ORDINALITY AS e(f, i)
)
WHERE jsonb_typeof(c.findings) = 'array'
  AND EXISTS (
    SELECT 1 FROM jsonb_array_elements(c.findings) AS e(f)
    WHERE jsonb_typeof(e.f) = 'object' AND e.f ? 'redacted'
  );
