-- Notifications to one person about one case within a short window go out as one message:
-- `gather_until` is the end of the window a row opens (its creation plus the window, fixed
-- at enqueue); rows of the same person and case created before it travel with it. Bounces
-- and invitations have none. The index finds a person's waiting rows for a case.
ALTER TABLE mail_outbox ADD COLUMN gather_until TEXT;
CREATE INDEX mail_outbox_waiting_by_case ON mail_outbox(case_id, recipient_id, id) WHERE sent_at IS NULL;
