-- Caseboard foundation: organizations, people, sessions, cases and their event log.
-- Instants are RFC 3339 text in UTC.

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    plan        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('customer', 'engineer', 'admin')),
    organization_id INTEGER REFERENCES organizations(id),
    org_admin       INTEGER NOT NULL DEFAULT 0,
    password_hash   TEXT NOT NULL,
    time_zone       TEXT,
    created_at      TEXT NOT NULL,
    -- customers belong to exactly one organization; support people to none
    CHECK ((role = 'customer') = (organization_id IS NOT NULL))
);

-- Browser sessions and API tokens: only a hash of the secret is kept.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

-- The next case number. Only grows, so a number is never handed out twice.
CREATE TABLE case_number_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    next  INTEGER NOT NULL
);
INSERT INTO case_number_counter (id, next) VALUES (1, 1001);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    number          INTEGER NOT NULL UNIQUE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    reporter_id     INTEGER NOT NULL REFERENCES users(id),
    summary         TEXT NOT NULL,
    description     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    severity        INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
    environment     TEXT NOT NULL,
    visibility      TEXT NOT NULL,
    status          TEXT NOT NULL,
    resolution      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    opened_at       TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX cases_organization ON cases(organization_id, status);
CREATE INDEX cases_status ON cases(status);

-- The source of truth for history: appended in the same transaction as the change.
CREATE TABLE case_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    actor_id  INTEGER REFERENCES users(id),
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    internal  INTEGER NOT NULL DEFAULT 0,
    data      TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

-- A client key makes creating a case idempotent: a retry finds the first result.
CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users(id),
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
