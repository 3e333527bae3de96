-- The agencies and programmes as they stand, kept in the append's transaction: what routing,
-- the portal and the HSDS export read.
CREATE TABLE directory_agency (
    agency_id uuid PRIMARY KEY,
    detail    jsonb NOT NULL,
    seq       bigserial  -- registration order: an export lists them as they were imported
);
CREATE TABLE directory_programme (
    programme_id uuid PRIMARY KEY,
    agency_id    uuid NOT NULL REFERENCES directory_agency (agency_id),
    detail       jsonb NOT NULL,
    seq          bigserial
);
GRANT SELECT, INSERT, UPDATE ON directory_agency, directory_programme TO {role};
GRANT USAGE ON SEQUENCE directory_agency_seq_seq, directory_programme_seq_seq TO {role};
