-- Keys of personal data, apart from every event store: deleting a row is erasure.
CREATE TABLE subject_keys (
    subject_id  uuid        PRIMARY KEY,
    wrapped_key bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- Who was erased, so a late registration can't mint a fresh key for a forgotten person.
CREATE TABLE forgotten_subjects (
    subject_id   uuid        PRIMARY KEY,
    forgotten_at timestamptz NOT NULL DEFAULT now()
);
