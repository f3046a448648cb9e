-- The six-step wizard: what it asks beyond the summary (JSON: version, build, symptoms,
-- environment, business impact, contact), files uploaded before the case exists, and the
-- products each organization runs with the versions support still covers.
ALTER TABLE cases ADD COLUMN details TEXT NOT NULL DEFAULT '{}';

CREATE TABLE uploads (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content       BLOB NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX uploads_user ON uploads(user_id, created_at);

CREATE TABLE products (
    id                INTEGER PRIMARY KEY,
    organization_id   INTEGER NOT NULL REFERENCES organizations(id),
    name              TEXT NOT NULL,
    latest_version    TEXT NOT NULL DEFAULT '',
    supported_majors  INTEGER NOT NULL DEFAULT 2,
    UNIQUE (organization_id, name)
);
