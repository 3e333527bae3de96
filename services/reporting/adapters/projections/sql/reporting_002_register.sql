-- The daily register and what heads of centre and the region read, from every source's events.
-- Counts and pseudonymous ids only: no name, number or special-category field is kept here.
CREATE TABLE register_count (
    day     date   NOT NULL,
    site    text   NOT NULL,
    measure text   NOT NULL,   -- new_beneficiaries | contacts_by_channel | contacts_by_municipality | ...
    key     text   NOT NULL,   -- the channel, municipality code, service type... ('' when none)
    n       bigint NOT NULL,
    PRIMARY KEY (day, site, measure, key)
);
-- who each staff member has worked with (a caseload is the number of distinct beneficiaries)
CREATE TABLE caseload (
    staff_id       text NOT NULL,
    site           text NOT NULL,
    beneficiary_id uuid NOT NULL,
    PRIMARY KEY (staff_id, site, beneficiary_id)
);
-- where each beneficiary lives and was first registered: coverage and targets
CREATE TABLE beneficiary_home (
    beneficiary_id    uuid PRIMARY KEY,
    municipality_code text NOT NULL,
    site              text NOT NULL,
    registered_on     date NOT NULL
);
-- every referral's path, for the flow by agency and type
CREATE TABLE referral_flow (
    referral_id       uuid PRIMARY KEY,
    from_site         text NOT NULL,
    recipient_kind    text NOT NULL,
    recipient_id      text NOT NULL,
    recipient_name    text NOT NULL,
    need              text NOT NULL,
    state             text NOT NULL,
    sent_on           date,
    due_on            date,
    first_response_on date,
    closed_on         date
);
-- the operations (Πράξεις) and which site belongs to which centre
CREATE TABLE operation (
    site              text PRIMARY KEY,
    operation_mis     text NOT NULL,
    lead_municipality text NOT NULL,
    period_start      date NOT NULL,
    period_end        date NOT NULL,
    target            int  NOT NULL
);
CREATE TABLE site_centre (
    site   text PRIMARY KEY,
    centre text NOT NULL
);
GRANT SELECT, INSERT, UPDATE, DELETE ON register_count, caseload, beneficiary_home, referral_flow, operation,
    site_centre TO {role};
