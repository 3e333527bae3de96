-- A read model that holds personal data, as a timeline or a search index does.
CREATE TABLE roster (
    beneficiary_id text PRIMARY KEY,
    given_name     text,
    family_name    text,
    site           text,
    events         integer NOT NULL DEFAULT 0
);
GRANT SELECT, INSERT, UPDATE, DELETE ON roster TO {role};
