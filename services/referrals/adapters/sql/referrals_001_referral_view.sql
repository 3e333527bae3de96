-- Referrals as they stand, for the people who act on them: inboxes by recipient and by centre,
-- overdue ones, response times. Kept in the append's transaction; no personal field here.
CREATE TABLE referral_view (
    referral_id       uuid PRIMARY KEY,
    beneficiary_id    uuid NOT NULL,
    from_site         text NOT NULL,
    need              text NOT NULL,
    recipient_kind    text NOT NULL,
    recipient_id      text NOT NULL,
    recipient_name    text NOT NULL,
    consent_recipient text NOT NULL,  -- whose consent covers it: a programme's agency
    state             text NOT NULL,
    requested_on      date NOT NULL,
    sent_on           date,
    due_on            date,
    first_response_on date,   -- received, or answered, whichever came first
    closed_on         date,   -- rejected, completed, withdrawn or expired
    outcome           text,
    sharing_stopped   boolean NOT NULL DEFAULT false
);
CREATE INDEX referral_view_beneficiary ON referral_view (beneficiary_id);
CREATE INDEX referral_view_recipient ON referral_view (recipient_id) WHERE closed_on IS NULL;
CREATE INDEX referral_view_site ON referral_view (from_site) WHERE closed_on IS NULL;
CREATE INDEX referral_view_due ON referral_view (due_on) WHERE state IN ('sent', 'received');
GRANT SELECT, INSERT, UPDATE ON referral_view TO {role};
