-- Merge requests waiting for a head of centre: one per duplicate record, with the site of the
-- worker who asked (the head of that site's network decides). Kept in the append's transaction.
CREATE TABLE merge_request (
    beneficiary_id uuid PRIMARY KEY,
    survivor_id    uuid NOT NULL,
    requested_by   text NOT NULL,
    site           text,
    requested_at   timestamptz NOT NULL
);
GRANT SELECT, INSERT, DELETE ON merge_request TO {role};
