-- A refused municipal event may say anything about a person ("HIV positive" in its notes): its
-- body is no longer kept in clear. In clear stay who published it, when, why it was refused, its
-- type and a keyed digest of it; the body itself is sealed under its subject's key (the person the
-- registry knows by the id it names), so erasing them shreds it, or not kept at all when it names
-- no one known. Rows go after the retention period (adapters/ingest_store.py).
-- The rows refused before this release are deleted: their bodies cannot be sealed here (this step
-- holds no key) and their reasons may quote the body (a schema error quoted the value).
DELETE FROM ingest_rejected;
ALTER TABLE ingest_rejected DROP COLUMN payload;
ALTER TABLE ingest_rejected
    ADD COLUMN event_type text,              -- as the publisher named it (none: not an event)
    ADD COLUMN digest     text NOT NULL,     -- HMAC-SHA256 of the body under the index key
    ADD COLUMN subject_id uuid,              -- whose key seals the body (none: no body kept)
    ADD COLUMN sealed_id  uuid,              -- the seal's associated data: a body stays its row's
    ADD COLUMN sealed     bytea,
    ADD CONSTRAINT sealed_under_a_subject CHECK ((sealed IS NULL) = (subject_id IS NULL)
                                                 AND (sealed IS NULL) = (sealed_id IS NULL));
CREATE INDEX ingest_rejected_subject ON ingest_rejected (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX ingest_rejected_received ON ingest_rejected (received_at);
GRANT DELETE ON ingest_rejected TO {role};
