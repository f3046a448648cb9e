-- Deflections: a customer about to open a case found the answer in a suggested article or
-- solved case, said so, and opened none.
CREATE TABLE deflections (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    organization_id  INTEGER NOT NULL REFERENCES organizations(id),
    hit_kind         TEXT NOT NULL CHECK (hit_kind IN ('article', 'case')),
    hit_id           INTEGER NOT NULL,
    query            TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX deflections_created ON deflections(created_at);
