-- PostgreSQL twin of ../sqlite/0019_case_search.sql: one document per log entry that
-- carries text (the `opened` entry: summary weighted A and description B; a public reply
-- or an internal note: C), keyed by the entry's id. `part` says which (`case`, `reply`,
-- `note`): a customer's search never reads `note` rows; `organization_id` keeps a
-- customer's search inside their organization. The store fills it after this migration.
DROP TABLE case_search;
CREATE TABLE case_search (
    id               BIGINT PRIMARY KEY,
    case_id          BIGINT NOT NULL REFERENCES cases(id),
    organization_id  BIGINT NOT NULL,
    part             TEXT NOT NULL CHECK (part IN ('case', 'reply', 'note')),
    document         tsvector NOT NULL
);
CREATE INDEX case_search_document ON case_search USING gin (document);
CREATE INDEX case_search_organization ON case_search (organization_id, id);
