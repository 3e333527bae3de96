-- The access facts (intake_001) kept by a trigger on the store's own INSERT instead of by Python
-- in the append's transaction: an inline projection in Python kept intake's appends on the
-- multi-statement path, where the store's one-call append (eventstore 002) does all in one round
-- trip; a trigger runs inside that call, in the same transaction, exactly as current as the
-- stream. As adapters/case_access.py projected: every site that recorded on a case, every
-- centre a case was transferred to, each recipient's consent as it stands.
CREATE FUNCTION case_access_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    person uuid := substr(NEW.stream, 6)::uuid;  -- 'case-<beneficiary_id>'
BEGIN
    IF coalesce(NEW.metadata->>'site', '') <> '' THEN
        INSERT INTO case_site VALUES (person, NEW.metadata->>'site') ON CONFLICT DO NOTHING;
    END IF;
    IF NEW.type = 'CaseTransferred' THEN
        INSERT INTO case_transfer VALUES (person, NEW.data->>'to_site') ON CONFLICT DO NOTHING;
    ELSIF NEW.type = 'ConsentRecorded' THEN  -- a recipient's new consent replaces the old one
        INSERT INTO case_consent VALUES (
            person, NEW.data->>'recipient', (NEW.data->>'given_on')::date,
            (NEW.data->>'until')::date, NULL
        ) ON CONFLICT (beneficiary_id, recipient) DO UPDATE SET
            given_on = EXCLUDED.given_on, until = EXCLUDED.until, withdrawn_on = NULL;
    ELSIF NEW.type = 'ConsentWithdrawn' THEN
        UPDATE case_consent SET withdrawn_on = (NEW.data->>'withdrawn_on')::date
        WHERE beneficiary_id = person AND recipient = NEW.data->>'recipient';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER case_access_kept AFTER INSERT ON events
FOR EACH ROW WHEN (NEW.category = 'case') EXECUTE FUNCTION case_access_kept();
