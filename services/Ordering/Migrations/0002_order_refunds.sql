-- Set when payment confirms it gave back the money of an order that was paid after it was cancelled (docs/saga.md).
-- Internal bookkeeping: the public order contract does not show it; failure_reason keeps why the order was cancelled.
ALTER TABLE orders ADD COLUMN refunded_at timestamptz NULL;
