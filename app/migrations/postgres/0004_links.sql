-- PostgreSQL twin of ../sqlite/0004_links.sql (same version, same tables).
-- Links between cases: "duplicate of" (the case resolved as Duplicate points at the one it
-- duplicates) and "related" (either way).
CREATE TABLE case_links (
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    other_id    BIGINT NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL CHECK (kind IN ('duplicate_of', 'related')),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, other_id),
    CHECK (case_id <> other_id)
);
CREATE INDEX case_links_other ON case_links(other_id);
