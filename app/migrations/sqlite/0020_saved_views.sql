-- Saved views ("queues", #15): a board filter a support person names, for themselves or
-- shared with the team. The filter is kept field by field, as the board's URL names them
-- (`statuses`: comma-separated status names, empty for every status). A deleted view keeps
-- its row (`deleted_at`) and frees its name: names are unique per owner among the others,
-- whatever their case (`name_key`: the name in lowercase).
CREATE TABLE saved_views (
    id            INTEGER PRIMARY KEY,
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,
    shared        INTEGER NOT NULL DEFAULT 0,
    severity      INTEGER,
    organization  TEXT,
    plan          TEXT,
    assignee      TEXT,
    statuses      TEXT NOT NULL DEFAULT '',
    stale_hours   INTEGER,
    created_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE UNIQUE INDEX saved_views_owner_name ON saved_views(owner_id, name_key) WHERE deleted_at IS NULL;
CREATE INDEX saved_views_shared ON saved_views(shared, name_key) WHERE deleted_at IS NULL;
