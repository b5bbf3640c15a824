-- PaymentRequested's deadline: past it the card is not charged, the order has timed out by then (docs/saga.md).
ALTER TABLE payments ADD COLUMN charge_deadline timestamptz NULL;

-- Set when OrderCompleted arrives: the charge is final and reconciliation leaves it alone.
ALTER TABLE payments ADD COLUMN order_completed_at timestamptz NULL;

-- When reconciliation last acted on the payment; it acts again only Payment:Reconciliation:StaleAfter later.
ALTER TABLE payments ADD COLUMN reconciled_at timestamptz NULL;

-- Reconciliation looks only at payments whose saga step is still open.
CREATE INDEX payments_unsettled ON payments (updated_at)
    WHERE status = 'Charging' OR (status = 'Succeeded' AND order_completed_at IS NULL);

-- The simulated provider can void an idempotency key that never charged, so a late call with it charges nothing.
ALTER TABLE simulated_provider_charges ADD COLUMN voided boolean NOT NULL DEFAULT false;
