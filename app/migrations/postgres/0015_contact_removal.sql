-- PostgreSQL twin of ../sqlite/0015_contact_removal.sql (same version, same columns).
-- An organization's admin removes a contact: the account stays (their cases keep their
-- name) but can no longer sign in, be found by email, or be told of the organization's
-- cases. An invitation can be revoked (its link stops working) or replaced by a new one.
ALTER TABLE users ADD COLUMN removed_at TEXT;
ALTER TABLE invitations ADD COLUMN revoked_at TEXT;
