-- Only erasure deletes a subject's key: one subject per call, and each call leaves a row saying
-- which role erased whom and when. Service roles may read and add keys (setup.py: grant_vault);
-- this function, owned by the vault's own role ({role}, which cannot log in), is the only way
-- to delete one, and only services that erase people may call it.
ALTER TABLE forgotten_subjects ADD COLUMN forgotten_by text NOT NULL DEFAULT session_user;

CREATE FUNCTION forget_subject(subject uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM {schema}.subject_keys WHERE subject_id = subject;
    -- session_user: the service role that called, not this function's owner
    INSERT INTO {schema}.forgotten_subjects (subject_id, forgotten_by)
        VALUES (subject, session_user) ON CONFLICT (subject_id) DO NOTHING;
END $$;
REVOKE ALL ON FUNCTION forget_subject(uuid) FROM PUBLIC;
GRANT SELECT, DELETE ON subject_keys TO {role};
GRANT SELECT, INSERT ON forgotten_subjects TO {role};
ALTER FUNCTION forget_subject(uuid) OWNER TO {role};

-- A forgotten person never gets a key again, whoever inserts it (KeyVault.key_for checks too,
-- but a service role could INSERT directly).
CREATE FUNCTION refuse_key_of_forgotten() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM {schema}.forgotten_subjects WHERE subject_id = NEW.subject_id) THEN
        RAISE EXCEPTION 'subject % was erased: no new key', NEW.subject_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER no_key_for_the_forgotten BEFORE INSERT ON subject_keys
    FOR EACH ROW EXECUTE FUNCTION refuse_key_of_forgotten();
