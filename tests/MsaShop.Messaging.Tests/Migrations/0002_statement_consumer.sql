-- What the statement consumer marks: one row per key; the key 'refused' breaks the CHECK, so its effect always fails.
CREATE TABLE marks (
    key       text PRIMARY KEY CHECK (key <> 'refused'),
    marked_at timestamptz NOT NULL DEFAULT now()
);
