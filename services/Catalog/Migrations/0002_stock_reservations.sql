-- One row per order the catalog has heard of: the saga's memory of what it reserved, so that
-- release and commit happen exactly once whatever the order of, or repetition in, the events.
CREATE TABLE stock_reservations (
    order_id   uuid        PRIMARY KEY,
    status     text        NOT NULL CHECK (status IN ('reserved', 'rejected', 'released', 'committed')),
    reason     text        NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stock_reservation_lines (
    order_id   uuid    NOT NULL REFERENCES stock_reservations (order_id),
    product_id integer NOT NULL REFERENCES catalog_items (id),
    quantity   integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);
