-- Issue 13: read models keep codes, not names. A recipient is its code (the directory's agency or
-- programme id, a site, an external code); its name is read when a referral is shown: the
-- directory's, or what the request gave, from the referral's stream.
ALTER TABLE referral_view DROP COLUMN recipient_name;
