-- Issue 17: the access policy's facts from a person's cases, kept in the append's transaction
-- (adapters/case_access.py) so that the gateway's every decision reads them at once instead of
-- replaying the cases: the sites that recorded on a case, the centres it was transferred to,
-- and each recipient's consent as it stands (a withdrawn one keeps the day it was withdrawn).
CREATE TABLE case_site (
    beneficiary_id uuid NOT NULL,
    site           text NOT NULL,
    PRIMARY KEY (beneficiary_id, site)
);
CREATE TABLE case_transfer (
    beneficiary_id uuid NOT NULL,
    to_site        text NOT NULL,
    PRIMARY KEY (beneficiary_id, to_site)
);
CREATE TABLE case_consent (
    beneficiary_id uuid NOT NULL,
    recipient      text NOT NULL,
    given_on       date NOT NULL,
    until          date,
    withdrawn_on   date,
    PRIMARY KEY (beneficiary_id, recipient)
);
GRANT SELECT, INSERT ON case_site, case_transfer TO {role};
GRANT SELECT, INSERT, UPDATE ON case_consent TO {role};

-- Cases stored before this release, projected as adapters/case_access.py projects each append.
-- Under the store's append lock (services/common/db.py advisory_key('append:<schema>')): no
-- append interleaves, and none can be lost between this backfill and the first one projected
-- inline (the migrate step runs before the services of this release start).
SELECT pg_advisory_xact_lock(
    ('x' || left(encode(sha256(convert_to('append:' || current_schema(), 'UTF8')), 'hex'), 16))
    ::bit(64)::bigint
);
INSERT INTO case_site
SELECT DISTINCT substr(stream, 6)::uuid, metadata->>'site' FROM events
WHERE category = 'case' AND coalesce(metadata->>'site', '') <> '';
INSERT INTO case_transfer
SELECT DISTINCT substr(stream, 6)::uuid, data->>'to_site' FROM events
WHERE category = 'case' AND type = 'CaseTransferred';
-- each recipient's latest consent, and the latest withdrawal after it, if any
INSERT INTO case_consent
SELECT substr(r.stream, 6)::uuid, r.recipient, r.given_on, r.until,
       (SELECT (w.data->>'withdrawn_on')::date FROM events w
        WHERE w.stream = r.stream AND w.type = 'ConsentWithdrawn'
          AND w.data->>'recipient' = r.recipient AND w.version > r.version
        ORDER BY w.version DESC LIMIT 1)
FROM (
    SELECT DISTINCT ON (stream, data->>'recipient')
           stream, version, data->>'recipient' AS recipient,
           (data->>'given_on')::date AS given_on, (data->>'until')::date AS until
    FROM events
    WHERE category = 'case' AND type = 'ConsentRecorded'
    ORDER BY stream, data->>'recipient', version DESC
) r;
