-- The event store of one write-side service, in its own schema ({schema}).
-- Append-only: the service role may only SELECT and INSERT, and triggers refuse UPDATE, DELETE
-- and TRUNCATE for everyone (a superuser must drop the trigger first, which the log shows).
CREATE TABLE events (
    position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream         text        NOT NULL,
    category       text        NOT NULL,
    version        integer     NOT NULL CHECK (version > 0),
    event_id       uuid        NOT NULL UNIQUE,
    type           text        NOT NULL,
    schema_version integer     NOT NULL,
    data           jsonb       NOT NULL,
    personal       bytea,      -- AES-GCM under the subject's key (vault.subject_keys)
    subject_id     uuid,
    metadata       jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL,
    hash           text        NOT NULL,
    UNIQUE (stream, version)
);
CREATE INDEX events_category_position ON events (category, position);
CREATE INDEX events_subject ON events (subject_id) WHERE subject_id IS NOT NULL;

-- Commands already handled: a retried command_id returns its first result and stores nothing.
CREATE TABLE commands (
    command_id     text        PRIMARY KEY,
    stream         text        NOT NULL,
    fingerprint    text,
    first_position bigint,     -- NULL when the command decided no event
    last_position  bigint,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);

-- How far each relay has published this store to RabbitMQ.
CREATE TABLE relay_positions (
    relay      text   PRIMARY KEY,
    position   bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER commands_append_only BEFORE UPDATE OR DELETE ON commands
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

GRANT USAGE ON SCHEMA {schema} TO {role};
GRANT SELECT, INSERT ON events, commands TO {role};
GRANT SELECT, INSERT, UPDATE ON relay_positions TO {role};
