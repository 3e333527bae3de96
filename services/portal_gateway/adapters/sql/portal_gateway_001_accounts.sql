-- Who may log in (staff, agency officers, coordinator, DPO, ops) and which municipal systems may
-- publish. Passwords as argon2 hashes, API keys as SHA-256 digests: nothing here logs anyone in.
CREATE TABLE account (
    username      text PRIMARY KEY,
    password_hash text NOT NULL,
    role          text NOT NULL,
    site          text,
    agency_id     text,
    display_name  text NOT NULL,
    active        boolean NOT NULL DEFAULT true
);
CREATE TABLE api_key (
    key_digest text PRIMARY KEY,
    publisher  text NOT NULL,
    site       text NOT NULL,     -- the centre whose events it may publish
    active     boolean NOT NULL DEFAULT true
);
-- What municipal systems posted and we refused, with the reasons: the ops team reviews them.
CREATE TABLE ingest_rejected (
    id          bigserial PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now(),
    publisher   text NOT NULL,
    payload     jsonb NOT NULL,
    reasons     jsonb NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON account, api_key TO {role};
GRANT SELECT, INSERT ON ingest_rejected TO {role};
GRANT USAGE ON SEQUENCE ingest_rejected_id_seq TO {role};
