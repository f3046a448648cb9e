-- People and the admin log (#16). `admin_audit` is append-only: every admin action, who
-- (`actor_id`, NULL for the server itself), what (`action`, e.g. `user.updated`, and its
-- `target`, e.g. `user:42`), and the state before and after as JSON text (NULL when there
-- is none: nothing before a creation). Read newest first by id (the primary key's index),
-- after a cursor. A deactivated person (`deactivated_at`) keeps their account and password
-- but cannot sign in; an engineer off duty (`on_duty` = 0, "away") is not given new cases.
CREATE TABLE admin_audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  INTEGER REFERENCES users(id),
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX admin_audit_actor ON admin_audit(actor_id, id);

ALTER TABLE users ADD COLUMN deactivated_at TEXT;
ALTER TABLE engineer_profiles ADD COLUMN on_duty INTEGER NOT NULL DEFAULT 1;
