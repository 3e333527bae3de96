-- How much happened each day at each site (centre or mobile unit), by kind of event.
-- Counts only: nothing here can identify a person.
CREATE TABLE daily_activity (
    day        date    NOT NULL,
    source     text    NOT NULL,
    site       text    NOT NULL,
    event_type text    NOT NULL,
    events     bigint  NOT NULL,
    PRIMARY KEY (day, source, site, event_type)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON daily_activity TO {role};
