-- Issue 17: the region-wide figures were grouped from every row on each call (a million people's
-- homes for `targets`, every staff member's beneficiaries for the caseloads, a month of every
-- site's days for a release): 300-440 ms at national size, and growing. These totals are kept by
-- the same projection, in the same transaction as the rows they count, so a read sums a few
-- thousand rows whatever the size. Filled here from the rows already applied: an upgrade keeps
-- its read model, no rebuild needed.
CREATE TABLE register_month (
    month   date   NOT NULL,   -- its first day
    site    text   NOT NULL,
    measure text   NOT NULL,
    key     text   NOT NULL,
    n       bigint NOT NULL,
    PRIMARY KEY (month, site, measure, key)
);
CREATE TABLE caseload_count (
    staff_id      text   NOT NULL,
    site          text   NOT NULL,
    beneficiaries bigint NOT NULL,
    PRIMARY KEY (site, staff_id)
);
CREATE TABLE home_month (
    site  text   NOT NULL,
    month date   NOT NULL,   -- its first day
    n     bigint NOT NULL,
    PRIMARY KEY (site, month)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON register_month, caseload_count, home_month TO {role};

INSERT INTO register_month
    SELECT date_trunc('month', day::timestamp)::date, site, measure, key, sum(n) FROM register_count
    GROUP BY 1, 2, 3, 4;
INSERT INTO caseload_count SELECT staff_id, site, count(*) FROM caseload GROUP BY 1, 2;
INSERT INTO home_month
    SELECT site, date_trunc('month', registered_on::timestamp)::date, count(*) FROM beneficiary_home
    GROUP BY 1, 2;

-- an operation's period rarely starts or ends on a month's edge: its partial months are counted
-- from the homes themselves, a few days of one site each
CREATE INDEX beneficiary_home_site ON beneficiary_home (site, registered_on);
-- a release reads the referrals sent in its period, not all of them
CREATE INDEX referral_flow_sent ON referral_flow (sent_on);
-- the caseloads are read from caseload_count now: this index only cost every insert
DROP INDEX caseload_site;
