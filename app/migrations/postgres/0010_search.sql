-- PostgreSQL twin of ../sqlite/0010_search.sql: full-text search fed by the application
-- (CJK text split into characters first), as tsvector documents with GIN indexes. A case's
-- organization is a column, so a customer's search only ever reads their own.
CREATE TABLE kb_search (
    id        BIGINT PRIMARY KEY REFERENCES kb_articles(id),
    document  tsvector NOT NULL
);
CREATE INDEX kb_search_document ON kb_search USING gin (document);

CREATE TABLE case_search (
    id               BIGINT PRIMARY KEY REFERENCES cases(id),
    organization_id  BIGINT NOT NULL,
    document         tsvector NOT NULL
);
CREATE INDEX case_search_document ON case_search USING gin (document);
CREATE INDEX case_search_organization ON case_search (organization_id);
