-- The ESF+ participants of each operation (Reg. (EU) 2021/1057, Annex I): one row per person and
-- operation (a participant who comes back is counted once), with what the indicators need at
-- entry, at exit and six months later. Pseudonymous ids only; the rows of an erased person are
-- deleted with their erasure. Only suppressed aggregates ever leave this schema.
CREATE TABLE esf_person (
    beneficiary_id uuid PRIMARY KEY,
    gender         text,
    birth_date     date
);
CREATE TABLE esf_participant (
    beneficiary_id     uuid NOT NULL,
    operation          text NOT NULL,   -- the centre whose operation it is (its MU's visits included)
    entered_on         date NOT NULL,
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
    PRIMARY KEY (beneficiary_id, operation)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON esf_person, esf_participant TO {role};
