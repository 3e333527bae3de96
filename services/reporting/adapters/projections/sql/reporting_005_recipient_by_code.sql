-- Issue 13: a referral's recipient is kept by its code (the directory's agency or programme id, a
-- site, an external code); its name is read from the directory when shown. A name typed for an
-- external recipient can name a person (a doctor, a lawyer), and it sat beside each referral here.
ALTER TABLE referral_flow DROP COLUMN recipient_name;
