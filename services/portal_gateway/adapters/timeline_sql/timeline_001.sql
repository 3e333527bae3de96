-- One ordered path per beneficiary, merged from the registry, intake and referrals: where, when
-- and by whom each step happened. Non-personal fields only; personal ones stay sealed in the
-- source stores and are read there, authorised and audited.
CREATE TABLE timeline (
    source         text NOT NULL,
    position       bigint NOT NULL,
    beneficiary_id uuid NOT NULL,
    stream         text NOT NULL,
    version        int NOT NULL,
    type           text NOT NULL,
    occurred_at    timestamptz NOT NULL,
    site           text,
    actor          text,
    data           jsonb NOT NULL,
    PRIMARY KEY (source, position)
);
CREATE INDEX timeline_beneficiary ON timeline (beneficiary_id, occurred_at);
GRANT SELECT, INSERT, DELETE ON timeline TO {role};
