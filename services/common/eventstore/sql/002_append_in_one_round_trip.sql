-- One append in one round trip (issue 17): everything PostgresEventStore.append did in separate
-- statements, in one call that is its own transaction. The hash chain stays computed in Python
-- (a keyed chain's key never reaches the database; canonical JSON is Python's): the caller
-- hashes on the head it assumes (p_prev_version, p_prev_hash) and this checks that assumption
-- under the store's append lock; when the head is not the assumed one it stores nothing and
-- hands the head back ('moved'), and the caller hashes again. In the order a retry needs:
--   'duplicate' the command_id was handled before: its row is handed back, nothing is stored
--               (checked first, so a retry is never refused as a stale writer);
--   'conflict'  the stream is not at p_expected (-1: any version): a stale writer;
--   'moved'     the stream is at another head than the one hashed on;
--   'erased'    a subject whose personal fields were sealed has no key any more (erased since
--               its key was read): under the subject's lock, as KeyVault.key_for and erasure;
--   'appended'  stored, `positions` in event order, listeners notified at commit.
-- Security invoker: it runs with the caller's grants (SELECT, INSERT), nothing more.
CREATE FUNCTION append_events(
    p_stream text, p_category text, p_expected integer, p_prev_version integer,
    p_prev_hash text, p_command_id text, p_fingerprint text, p_metadata jsonb,
    p_recorded_at timestamptz, p_event_ids uuid[], p_types text[], p_schema_versions integer[],
    p_data text[], p_personal bytea[], p_subjects uuid[], p_hashes text[],
    p_append_lock bigint, p_channel text, p_vault text, p_sealed_for uuid[],
    p_subject_locks bigint[],
    OUT outcome text, OUT head_version integer, OUT head_hash text, OUT positions bigint[],
    OUT earlier_stream text, OUT earlier_fingerprint text, OUT earlier_first bigint,
    OUT earlier_last bigint, OUT erased_subject uuid
) LANGUAGE plpgsql AS $$
DECLARE
    subject_lock bigint;
BEGIN
    -- held to commit, so positions become visible in the order they were drawn (postgres.py)
    PERFORM pg_advisory_xact_lock(p_append_lock);
    SELECT e.version, e.hash INTO head_version, head_hash
      FROM {schema}.events e WHERE e.stream = p_stream ORDER BY e.version DESC LIMIT 1;
    head_version := coalesce(head_version, 0);
    IF p_command_id IS NOT NULL THEN
        SELECT c.stream, c.fingerprint, c.first_position, c.last_position
          INTO earlier_stream, earlier_fingerprint, earlier_first, earlier_last
          FROM {schema}.commands c WHERE c.command_id = p_command_id;
        IF FOUND THEN
            outcome := 'duplicate';
            RETURN;
        END IF;
    END IF;
    IF p_expected <> -1 AND head_version <> p_expected THEN
        outcome := 'conflict';
        RETURN;
    END IF;
    IF head_version <> p_prev_version
       OR (head_version > 0 AND head_hash IS DISTINCT FROM p_prev_hash) THEN
        outcome := 'moved';
        RETURN;
    END IF;
    FOREACH subject_lock IN ARRAY p_subject_locks LOOP
        PERFORM pg_advisory_xact_lock(subject_lock);
    END LOOP;
    IF cardinality(p_sealed_for) > 0 THEN
        -- the vault's schema is the platform's (a setting), hence the dynamic statement
        EXECUTE format(
            'SELECT s FROM unnest($1) s WHERE NOT EXISTS'
            ' (SELECT 1 FROM %I.subject_keys k WHERE k.subject_id = s) LIMIT 1', p_vault)
          INTO erased_subject USING p_sealed_for;
        IF erased_subject IS NOT NULL THEN
            outcome := 'erased';
            RETURN;
        END IF;
    END IF;
    WITH added AS (
        INSERT INTO {schema}.events (stream, category, version, event_id, type, schema_version,
                                     data, personal, subject_id, metadata, recorded_at, hash)
        SELECT p_stream, p_category, p_prev_version + r.n::integer, r.event_id, r.type,
               r.schema_version, r.data::jsonb, r.personal, r.subject_id, p_metadata,
               p_recorded_at, r.hash
          FROM unnest(p_event_ids, p_types, p_schema_versions, p_data, p_personal, p_subjects,
                      p_hashes) WITH ORDINALITY
               AS r(event_id, type, schema_version, data, personal, subject_id, hash, n)
         ORDER BY r.n  -- identity values are drawn in this order: positions follow versions
        RETURNING position
    )
    SELECT array_agg(a.position ORDER BY a.position) INTO positions FROM added a;
    IF p_command_id IS NOT NULL THEN
        INSERT INTO {schema}.commands (command_id, stream, fingerprint, first_position,
                                       last_position)
        VALUES (p_command_id, p_stream, p_fingerprint, positions[1],
                positions[cardinality(positions)]);
    END IF;
    IF cardinality(positions) > 0 THEN
        PERFORM pg_notify(p_channel, positions[cardinality(positions)]::text);
    END IF;
    outcome := 'appended';
END $$;
REVOKE ALL ON FUNCTION append_events FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_events TO {role};
