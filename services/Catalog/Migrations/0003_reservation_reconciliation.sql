-- When reconciliation last announced a reservation again (StockReserved) because it waited too long for its
-- order's end; it asks again only Catalog:Reconciliation:StaleAfter later (docs/saga.md).
ALTER TABLE stock_reservations ADD COLUMN reconciled_at timestamptz NULL;

-- Reconciliation looks only at reservations still held.
CREATE INDEX stock_reservations_held ON stock_reservations (updated_at) WHERE status = 'reserved';
