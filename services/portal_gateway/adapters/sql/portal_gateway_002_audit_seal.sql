-- The audit's seal: an HMAC over every event of this store in position order, moved in each
-- append's transaction (adapters/audit_chain.py), so that removing the last events of a stream,
-- which leaves every stream's chain whole, is seen too. One row, never removed.
CREATE TABLE audit_seal (
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    position bigint NOT NULL,  -- the last position sealed (0: none yet)
    seal     text   NOT NULL
);
INSERT INTO audit_seal (position, seal) VALUES (0, '');
GRANT SELECT, UPDATE ON audit_seal TO {role};
