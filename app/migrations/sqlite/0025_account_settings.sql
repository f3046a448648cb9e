-- Personal settings and privacy (#16). A session's `last_seen_at` is when it last made a
-- request, kept to a quarter of an hour (one write per session per quarter, not one per
-- request); its public id is the first 16 hex digits of `token_hash` (a hash of the
-- secret, which is never stored). An erased person (`erased_at`) keeps their row, so their
-- cases and log entries still point at someone, but their name, email and everything else
-- personal are replaced by a tombstone. The indexes find a person's cases and log entries
-- for an export, a page at a time, and the mail to and from them for an erasure.
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
ALTER TABLE users ADD COLUMN erased_at TEXT;
CREATE INDEX cases_reporter ON cases(reporter_id, number);
CREATE INDEX case_events_actor ON case_events(actor_id, id);
CREATE INDEX mail_outbox_recipient ON mail_outbox(recipient_id);
CREATE INDEX mail_inbound_sender ON mail_inbound(lower(sender));
-- Mail sent before the address had an account (account requests), found by address on erasure.
CREATE INDEX mail_outbox_unaddressed ON mail_outbox(lower(to_address)) WHERE recipient_id IS NULL;
