-- A login is a session: its token names it, and every request finds it here together with its
-- account as they are now, so a logout, a deactivation or a change of role or site ends it at the
-- next request. Kept after they end (who was logged in, when, and why it ended).
CREATE TABLE login_session (
    id           uuid PRIMARY KEY,
    username     text NOT NULL REFERENCES account (username),
    started_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),  -- when it last had a token issued
    ends_at      timestamptz NOT NULL,                -- at the latest: a working day after login
    ended_at     timestamptz,                         -- logged out or ended by an account change
    end_reason   text
);
CREATE INDEX login_session_open ON login_session (username) WHERE ended_at IS NULL;
-- Password checks of the last minute, for the login throttle: the account as a keyed digest of
-- the name typed (never the name: it may be a password typed into the wrong box) and the client's
-- address. Rows older than the window are deleted as new ones come.
CREATE TABLE login_attempt (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    account text NOT NULL,
    client  text NOT NULL
);
CREATE INDEX login_attempt_account ON login_attempt (account, at);
CREATE INDEX login_attempt_client ON login_attempt (client, at);
CREATE INDEX login_attempt_at ON login_attempt (at);
GRANT SELECT, INSERT, UPDATE ON login_session TO {role};
GRANT SELECT, INSERT, DELETE ON login_attempt TO {role};
GRANT USAGE ON SEQUENCE login_attempt_id_seq TO {role};
