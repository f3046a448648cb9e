-- Bounces are limited per person and hour (counted in the database, so every instance
-- counts together): the count reads this index, never the whole outbox.
CREATE INDEX mail_outbox_bounces ON mail_outbox(recipient_id, created_at) WHERE kind = 'bounce';
