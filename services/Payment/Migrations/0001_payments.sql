-- One row per order, ever (payments_one_per_order): its id is the idempotency key the provider sees,
-- so however often PaymentRequested is delivered, the order is charged at most once (docs/idempotency.md).
CREATE TABLE payments (
    id                  uuid PRIMARY KEY,
    order_id            uuid NOT NULL,
    customer_id         text NOT NULL,
    amount              numeric(12, 2) NOT NULL,
    status              text NOT NULL,
    failure_reason      text NULL,
    provider_charge_id  text NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payments_one_per_order UNIQUE (order_id)
);

-- The simulated provider's own ledger. A real provider keeps this on its side; it lives here only so the
-- simulation, like a real provider, remembers idempotency keys across restarts of the payment service.
CREATE TABLE simulated_provider_charges (
    idempotency_key  uuid PRIMARY KEY,
    charge_id        text NOT NULL,
    amount           numeric(12, 2) NOT NULL,
    approved         boolean NOT NULL,
    decline_reason   text NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
