-- Messages refused before they could be applied (a publisher the broker does not vouch for, a
-- body that is not an envelope, a position the source does not hold) keep no body, only its
-- digest; and every dead letter says how it was resolved and by whom.
ALTER TABLE dead_letters ADD COLUMN digest text;
ALTER TABLE dead_letters ADD COLUMN resolution text;
ALTER TABLE dead_letters ADD COLUMN resolved_by text;
