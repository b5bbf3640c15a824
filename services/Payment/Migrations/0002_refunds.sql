-- A payment is refunded at most once: only the conditional UPDATE Succeeded -> Refunded records it (docs/idempotency.md).
ALTER TABLE payments ADD COLUMN provider_refund_id text NULL;

-- The simulated provider's refunds. One per charge (the primary key): refunding a charge again returns the
-- first refund, so a redelivered PaymentRefundRequested can never give the money back twice.
CREATE TABLE simulated_provider_refunds (
    charge_id   text PRIMARY KEY,
    refund_id   text NOT NULL,
    amount      numeric(12, 2) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
