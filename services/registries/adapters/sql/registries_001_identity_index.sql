-- Who is who, by keyed hash only: AMKA, and name + birth date (folded across Greek, accents and
-- Greeklish). Without the index key (KENTRA_INDEX_KEY) this table reveals nothing.
CREATE TABLE identity_index (
    kind           text NOT NULL,
    digest         text NOT NULL,
    beneficiary_id uuid NOT NULL,
    PRIMARY KEY (kind, digest, beneficiary_id)
);
CREATE INDEX identity_index_beneficiary ON identity_index (beneficiary_id);
GRANT SELECT, INSERT, DELETE ON identity_index TO {role};
