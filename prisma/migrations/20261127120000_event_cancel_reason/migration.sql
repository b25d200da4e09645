-- Why staff called an event off: told to its registered and waiting people with the cancellation
-- (cancel-event writes it; describe-event-notice reads it). Events cancelled before keep NULL: their reason,
-- if any, is in the audit log only.
ALTER TABLE "Event" ADD COLUMN "cancelReason" TEXT;
