-- The admin console's organizations (#16): an admin deactivates an organization (its
-- contacts can no longer sign in and their sessions and API tokens end; its cases stay)
-- and reactivates it; organizations are listed by name a page at a time; a product keeps
-- the versions support knows of (newest first, newline-separated), beside the newest one.
ALTER TABLE organizations ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN versions TEXT NOT NULL DEFAULT '';
CREATE INDEX organizations_by_name ON organizations(name, id);
