-- Password reset links: a person who forgot their password asks for a link by email; it
-- works once, for one hour. Only the token's SHA-256 is kept. Using one sets the password
-- and ends every session and API token of the person.
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX password_resets_user ON password_resets(user_id, created_at);
