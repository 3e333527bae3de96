-- The network as it stands, kept in the append's transaction from the site and staff streams:
-- intake asks it which municipalities a mobile unit serves at the moment a visit is recorded.
CREATE TABLE network_site (
    site   text PRIMARY KEY,
    kind   text NOT NULL CHECK (kind IN ('centre', 'mobile_unit')),
    detail jsonb NOT NULL
);
CREATE TABLE network_staff (
    staff_id text NOT NULL,
    site     text NOT NULL REFERENCES network_site (site),
    name     text NOT NULL,
    role     text NOT NULL,
    since    date NOT NULL,
    PRIMARY KEY (staff_id, site)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON network_site, network_staff TO {role};
