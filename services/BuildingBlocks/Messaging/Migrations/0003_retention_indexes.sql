-- Retention (RetentionCleanup) deletes old rows in batches found through these, never by scanning the table.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX inbox_received ON inbox (received_at);
