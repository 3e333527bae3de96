-- The referral stream's version, so a client (the portal's inbox) can send the version it saw.
ALTER TABLE referral_view ADD COLUMN version int NOT NULL DEFAULT 1;
