-- Transactional outbox: integration events written in the same transaction as the state change that caused them,
-- published to the broker after commit by the outbox dispatcher.
CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id   uuid        NOT NULL UNIQUE,
    message_type text        NOT NULL,
    payload      jsonb       NOT NULL,
    trace_parent text        NULL,
    trace_state  text        NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz NULL,
    -- A row that can never be published (its type or payload no longer reads) is set aside, not deleted.
    failed_at    timestamptz NULL,
    error        text        NULL
);

-- The dispatcher reads only pending rows, in id order.
CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Idempotent inbox: a consumer records each message id in the same transaction as its effect.
CREATE TABLE inbox (
    consumer     text        NOT NULL,
    message_id   uuid        NOT NULL,
    message_type text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
