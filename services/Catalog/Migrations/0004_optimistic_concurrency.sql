-- Optimistic concurrency (docs/optimistic-concurrency.md). "version" counts the edits of what PUT replaces (name,
-- description, price) and is the item's ETag: a PUT must name the version it read (If-Match), or it is refused.
-- Orders reserving and releasing stock do not move it, so an admin's price edit never fails because someone bought.
ALTER TABLE catalog_items ADD COLUMN version bigint NOT NULL DEFAULT 1;

-- Stock changes an administrator makes: relative (+ delivery, - breakage), each with its reason, never an overwrite,
-- so they commute with the reservations orders make. An Idempotency-Key makes a retried request count once.
CREATE TABLE stock_adjustments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id      integer     NOT NULL REFERENCES catalog_items (id),
    quantity        integer     NOT NULL CHECK (quantity <> 0),
    reason          text        NOT NULL DEFAULT '',
    adjusted_by     text        NOT NULL,
    idempotency_key text        NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX stock_adjustments_idempotency_key ON stock_adjustments (product_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
