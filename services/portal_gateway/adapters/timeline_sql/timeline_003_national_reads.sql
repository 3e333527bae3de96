-- Issue 17: at national size (20M events) every read of the timeline is indexed; none scans it.
-- Who was registered or met (a contact) in which municipality, and when last: what a mobile unit's
-- trip downloads (`met_in`), one row per person and municipality instead of every contact.
CREATE TABLE met_in_municipality (
    municipality_code text        NOT NULL,
    beneficiary_id    uuid        NOT NULL,
    last_at           timestamptz NOT NULL,
    PRIMARY KEY (municipality_code, beneficiary_id) INCLUDE (last_at)
);
INSERT INTO met_in_municipality
    SELECT data->>'municipality_code', beneficiary_id, max(occurred_at) FROM timeline
    WHERE type IN ('BeneficiaryRegistered', 'ContactRecorded') AND data ? 'municipality_code'
    GROUP BY 1, 2;
GRANT SELECT, INSERT, UPDATE, DELETE ON met_in_municipality TO {role};
-- The erased, few: an anti-join on them costs nothing.
CREATE INDEX timeline_erased ON timeline (beneficiary_id) WHERE type = 'PersonalDataErased';
-- A worker's steps of one type since a moment (home pages), and everyone's (the DPO's erasures).
CREATE INDEX timeline_actor_type ON timeline (actor, type, occurred_at);
CREATE INDEX timeline_type_occurred ON timeline (type, occurred_at);
-- Action steps added at a site, whose due days a worker's home then reads (a few thousand a site).
CREATE INDEX timeline_steps_at_site ON timeline (site) WHERE type = 'ActionStepAdded';
