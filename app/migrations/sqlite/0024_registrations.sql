-- Registration with approval (#16, NAES): someone without an account asks for one. The
-- request waits unverified until its emailed link is used (once, within 24 hours; only the
-- token's SHA-256 is kept), then `pending` in the admins' list; an admin approves it (a
-- customer account is made in the organization they choose, `user_id`) or rejects it
-- (`reason`, emailed). No account exists before approval. `language` is the language of
-- the page the request came from: its emails are written in it.
CREATE TABLE registrations (
    id                 INTEGER PRIMARY KEY,
    email              TEXT NOT NULL,
    name               TEXT NOT NULL,
    organization_name  TEXT NOT NULL,
    message            TEXT NOT NULL,
    language           TEXT NOT NULL,
    token_hash         TEXT NOT NULL UNIQUE,
    requested_at       TEXT NOT NULL,
    expires_at         TEXT NOT NULL,
    verified_at        TEXT,
    status             TEXT NOT NULL DEFAULT 'unverified',
    decided_at         TEXT,
    decided_by         INTEGER REFERENCES users(id),
    reason             TEXT,
    user_id            INTEGER REFERENCES users(id)
);
CREATE INDEX registrations_by_status ON registrations(status, id);
CREATE INDEX registrations_by_email ON registrations(email, requested_at);
