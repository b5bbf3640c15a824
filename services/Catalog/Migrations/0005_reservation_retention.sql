-- Retention of settled reservations (their lines with them) finds them through this, oldest first.
CREATE INDEX stock_reservations_settled ON stock_reservations (updated_at) WHERE status <> 'reserved';
