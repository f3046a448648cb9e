-- Email: the notification outbox (written in the transaction of the event that causes it,
-- sent after commit), notification preferences, inbound messages already handled, the
-- secret that signs reply addresses, and attachments (kept in the database, which every
-- instance shares).

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- One row per message to one person. `event_id` is the log entry it tells of (none for a
-- bounce, whose details are in `payload`); the text is rendered when it is sent, in the
-- recipient's language, from that entry. `message_id` is fixed at enqueue so a retry sends
-- the very same message.
CREATE TABLE mail_outbox (
    id               INTEGER PRIMARY KEY,
    event_id         INTEGER REFERENCES case_events(id),
    case_id          INTEGER REFERENCES cases(id),
    recipient_id     INTEGER REFERENCES users(id),
    to_address       TEXT NOT NULL,
    kind             TEXT NOT NULL,
    payload          TEXT NOT NULL DEFAULT '{}',
    message_id       TEXT NOT NULL UNIQUE,
    created_at       TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    sent_at          TEXT,
    last_error       TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox(next_attempt_at) WHERE sent_at IS NULL;

-- A row turns a notification kind off (or, for `watch_organization`, on) for one person.
CREATE TABLE notification_preferences (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    enabled  INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Every inbound message handled, by Message-ID: the same message twice makes one change.
CREATE TABLE mail_inbound (
    message_id   TEXT PRIMARY KEY,
    received_at  TEXT NOT NULL,
    sender       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    case_number  INTEGER
);

-- An organization may let its known contacts open cases by writing to the support address.
ALTER TABLE organizations ADD COLUMN email_intake INTEGER NOT NULL DEFAULT 1;

-- Leads on shift are told of SLA warnings and breaches besides the case's engineer.
ALTER TABLE engineer_profiles ADD COLUMN lead INTEGER NOT NULL DEFAULT 0;

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content       BLOB NOT NULL,
    uploaded_by   INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);
