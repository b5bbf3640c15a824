-- What the test consumers did: one row per effect (behind the inbox) and one per delivery (before it).
CREATE TABLE effects (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id uuid NOT NULL,
    producer   text NOT NULL,
    sequence   int  NOT NULL,
    trace_id   text NULL
);

CREATE TABLE deliveries (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id uuid NOT NULL,
    consumer   text NOT NULL
);
