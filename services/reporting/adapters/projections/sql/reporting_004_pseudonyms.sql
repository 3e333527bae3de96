-- Issue 13: the rows kept per person are keyed by a pseudonym (HMAC-SHA256 of the beneficiary id
-- under KENTRA_REPORTING_KEY, which the database does not hold) and keep only what a figure needs:
-- an age band at entry, not a birth date. The person tables are made again, empty; every table of
-- this read model is emptied and the consumer's checkpoint, heads and dead letters reset with
-- them (one projection, one checkpoint), so the consumer applies every source from 0 when it
-- next starts, as `rebuild` does. Releases (schema reporting_releases) are not touched.
DROP TABLE esf_participant, esf_person, caseload, beneficiary_home;

-- who each staff member has worked with (a caseload is the number of distinct beneficiaries)
CREATE TABLE caseload (
    staff_id  text NOT NULL,
    site      text NOT NULL,
    pseudonym text NOT NULL,
    PRIMARY KEY (staff_id, site, pseudonym)
);
-- where each beneficiary lives and was first registered: coverage and targets
CREATE TABLE beneficiary_home (
    pseudonym         text PRIMARY KEY,
    municipality_code text NOT NULL,
    site              text NOT NULL,
    registered_on     date NOT NULL
);
-- The ESF+ participants (Reg. (EU) 2021/1057, Annex I): one row per person and operation, counted
-- once, with what the indicators need at entry, at exit and six months later. The birth date is
-- kept sealed only to give the band of a later entry; only suppressed aggregates leave.
CREATE TABLE esf_person (
    pseudonym   text PRIMARY KEY,
    gender      text,
    born_sealed bytea   -- AES-GCM under a key derived from KENTRA_REPORTING_KEY, bound to the row
);
CREATE TABLE esf_participant (
    pseudonym          text NOT NULL,
    operation          text NOT NULL,   -- the centre whose operation it is (its MU's visits included)
    entered_on         date NOT NULL,
    age_band           text CHECK (age_band IN ('below_18', 'aged_18_29', 'aged_30_54', 'aged_55_and_over')),
    labour_status      text NOT NULL,
    education          text NOT NULL,
    disability         boolean NOT NULL,
    third_country      boolean NOT NULL,
    foreign_background boolean NOT NULL,
    minority           boolean NOT NULL,
    homeless           boolean NOT NULL,
    rural              boolean NOT NULL,
    left_on            date,
    situation_at_exit  text,
    employed_6m        boolean,
    improved_6m        boolean,
    PRIMARY KEY (pseudonym, operation)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON caseload, beneficiary_home, esf_person, esf_participant
    TO {role};

DELETE FROM daily_activity;
DELETE FROM register_count;
DELETE FROM referral_flow;
DELETE FROM operation;
DELETE FROM site_centre;
DELETE FROM consumer_positions WHERE consumer = 'reporting';
DELETE FROM consumer_streams WHERE consumer = 'reporting';
DELETE FROM dead_letters WHERE consumer = 'reporting';
