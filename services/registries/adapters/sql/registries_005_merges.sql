-- Which records were merged into which: the survivor's id reaches every history that is theirs.
-- Kept in the append's transaction; appends to one store queue on its lock, so the checks in
-- the projection see every merge committed before them (no chains even under races).
CREATE TABLE beneficiary_merge (
    beneficiary_id uuid PRIMARY KEY,
    survivor_id    uuid NOT NULL
);
CREATE INDEX beneficiary_merge_survivor ON beneficiary_merge (survivor_id);
GRANT SELECT, INSERT, DELETE ON beneficiary_merge TO {role};
