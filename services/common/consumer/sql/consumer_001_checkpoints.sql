-- A consumer's memory, in the read-side service's schema ({schema}), beside its read models:
-- how far it applied each source, each stream's head (for the consistency check), dead letters.
CREATE TABLE consumer_positions (
    consumer   text   NOT NULL,
    source     text   NOT NULL,
    position   bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, source)
);
CREATE TABLE consumer_streams (
    consumer text    NOT NULL,
    source   text    NOT NULL,
    stream   text    NOT NULL,
    version  integer NOT NULL,
    hash     text    NOT NULL,
    PRIMARY KEY (consumer, source, stream)
);
-- Events a read model could not apply. The event is kept without its personal fields (they stay
-- erasable in the source); the stream waits behind it until it is resolved.
CREATE TABLE dead_letters (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer    text   NOT NULL,
    source      text   NOT NULL,
    position    bigint,
    stream      text,
    version     integer,
    event_type  text,
    event       jsonb,
    error       text   NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    UNIQUE (consumer, source, position)
);
CREATE INDEX dead_letters_open ON dead_letters (consumer, stream) WHERE resolved_at IS NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON consumer_positions, consumer_streams, dead_letters TO {role};
