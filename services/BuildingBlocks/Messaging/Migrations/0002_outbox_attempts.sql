-- Failed publishes of a row, the last one's error in "error": a row that keeps failing while the rows after it go
-- out is poison and is set aside (failed_at), so it never stalls the outbox. Re-queue one after fixing its cause:
--   UPDATE outbox SET failed_at = NULL, attempts = 0, error = NULL WHERE id = ...;
ALTER TABLE outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0;
