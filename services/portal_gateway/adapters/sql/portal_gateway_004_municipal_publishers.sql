-- Who may publish as a municipality is a fact read at each event, here, not only the broker's
-- static definitions: a publisher's name is its broker user (AMQP user_id) and the name its API
-- keys publish as; its site the centre it publishes for. Deactivated, neither its keys nor its
-- broker user's events are accepted, at once.
CREATE TABLE municipal_publisher (
    name       text PRIMARY KEY,
    site       text NOT NULL,
    active     boolean NOT NULL DEFAULT true,
    changed_at timestamptz NOT NULL DEFAULT now()
);
-- every publisher that had a key becomes one, with the site its first key named
INSERT INTO municipal_publisher (name, site)
    SELECT DISTINCT ON (publisher) publisher, site FROM api_key ORDER BY publisher, site;
-- a key speaks for its publisher: its site is the publisher's (one fact, not one per key)
ALTER TABLE api_key DROP COLUMN site;
ALTER TABLE api_key
    ADD COLUMN id         uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,  -- how it is revoked
    ADD COLUMN issued_at  timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN issued_by  text,
    ADD COLUMN revoked_at timestamptz,
    ADD COLUMN revoked_by text,
    ADD CONSTRAINT api_key_publisher FOREIGN KEY (publisher) REFERENCES municipal_publisher (name);
-- Who issued or revoked a key, registered, activated or deactivated a publisher, and when:
-- appended in the change's own transaction, never changed.
CREATE TABLE publisher_change (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL,
    publisher text NOT NULL,
    action    text NOT NULL,  -- registered, activated, deactivated, key_issued, key_revoked
    key_id    uuid
);
-- how a refused event came: over HTTP (an API key) or AMQP (the broker's user_id)
ALTER TABLE ingest_rejected ADD COLUMN transport text NOT NULL DEFAULT 'http';
GRANT SELECT, INSERT, UPDATE ON municipal_publisher TO {role};
GRANT SELECT, INSERT ON publisher_change TO {role};
GRANT USAGE ON SEQUENCE publisher_change_id_seq TO {role};
