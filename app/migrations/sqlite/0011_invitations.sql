-- Contacts invited by their organization's admin: the account exists from the invitation
-- (without a usable password); the link in the email, good for seven days and once, lets
-- the person choose their password. Only the token's SHA-256 is kept.
CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    invited_by   INTEGER REFERENCES users(id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT
);
CREATE INDEX invitations_user ON invitations(user_id);
