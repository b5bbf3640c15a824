-- The order is the saga's state: its status only moves along docs/saga.md, by conditional UPDATEs.
CREATE TABLE orders (
    id               uuid PRIMARY KEY,
    customer_id      text NOT NULL,
    status           text NOT NULL,
    total            numeric(12, 2) NOT NULL,
    payment_token    text NOT NULL,
    failure_reason   text NULL,
    idempotency_key  text NULL,
    request_hash     text NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- Same customer + same Idempotency-Key can only ever create one order, however many requests race.
CREATE UNIQUE INDEX orders_customer_idempotency_key ON orders (customer_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE INDEX orders_customer_created ON orders (customer_id, created_at DESC);

-- The timeout sweep only ever looks at orders still in flight.
CREATE INDEX orders_in_flight_updated ON orders (updated_at)
    WHERE status IN ('Submitted', 'AwaitingPayment');

CREATE TABLE order_items (
    order_id      uuid NOT NULL REFERENCES orders (id),
    product_id    integer NOT NULL,
    product_name  text NOT NULL,
    unit_price    numeric(12, 2) NOT NULL,
    quantity      integer NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
