-- A person who turns up at a second centre gets a record of that centre's own, linked here to the
-- record that holds their number (AMKA, AFM or ΠΑΑΥΠΑ): one person, one regional record, and
-- each centre's file apart. `differs` names the identity keys (blind-index kinds) the site typed
-- differently from the regional record: the DPO's review list, never shown to the worker.
CREATE TABLE beneficiary_link (
    beneficiary_id uuid PRIMARY KEY,
    person_id      uuid NOT NULL,
    site           text NOT NULL,
    differs        text[] NOT NULL
);
CREATE INDEX beneficiary_link_person ON beneficiary_link (person_id);
GRANT SELECT, INSERT, DELETE ON beneficiary_link TO {role};
