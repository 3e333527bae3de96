-- Issue 17: at national size (a million people) a centre's caseload and a month's new
-- beneficiaries are read from an index, not from every person's rows.
CREATE INDEX caseload_site ON caseload (site, staff_id);
CREATE INDEX beneficiary_home_registered ON beneficiary_home (registered_on);
