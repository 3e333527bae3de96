-- The trigger of intake_002 names its tables unqualified, so it found them through the search_path
-- of whoever inserted into the store: a session with another path (a bulk load, a restore, an
-- administrator's psql) failed with "case_site does not exist", or, had another schema on its
-- path held a case_site, would have written the access facts there. The function now carries
-- its own schema's path, whoever fires it.
ALTER FUNCTION {schema}.case_access_kept() SET search_path = {schema}, pg_temp;
