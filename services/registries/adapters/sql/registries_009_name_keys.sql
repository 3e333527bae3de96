-- Search by name reads one row per person: every key of their name (each whole word, and each
-- beginning of a word), as the first 64 bits of its keyed hash, under a GIN index that intersects
-- the typed words' posting lists in one scan. The identity index answered a search by reading
-- every row of every typed word (all the Μαρία of the region for "Παπαδ Μαρία": p99 268 ms at a
-- million people); it keeps its whole-word rows (the DPO's "name differs" review reads them) and
-- gives the beginnings of words, which only search read, to this table.
CREATE TABLE name_keys (
    beneficiary_id uuid PRIMARY KEY,
    keys           bigint[] NOT NULL
);
-- records registered before the beginnings of words were indexed have whole words only here,
-- and are found by them until `reindex-names` adds the rest
INSERT INTO name_keys (beneficiary_id, keys)
SELECT beneficiary_id, array_agg(DISTINCT ('x' || substr(digest, 1, 16))::bit(64)::bigint)
FROM identity_index WHERE kind IN ('name-word', 'name-prefix') GROUP BY beneficiary_id;
DELETE FROM identity_index WHERE kind = 'name-prefix';
CREATE INDEX name_keys_keys ON name_keys USING gin (keys);
GRANT SELECT, INSERT, UPDATE, DELETE ON name_keys TO {role};
