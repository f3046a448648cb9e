-- Knowledge base articles and full-text search over articles and cases (SQLite FTS5,
-- accent-insensitive; external content tables kept in step by triggers).

CREATE TABLE kb_articles (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,          -- Markdown, rendered and sanitized when read
    product     TEXT NOT NULL DEFAULT '',
    tags        TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL DEFAULT 'en',
    author_id   INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE VIRTUAL TABLE kb_search USING fts5(
    title, body, tags, product,
    content = 'kb_articles', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER kb_articles_ai AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_search (rowid, title, body, tags, product) VALUES (new.id, new.title, new.body, new.tags, new.product);
END;
CREATE TRIGGER kb_articles_ad AFTER DELETE ON kb_articles BEGIN
    INSERT INTO kb_search (kb_search, rowid, title, body, tags, product)
    VALUES ('delete', old.id, old.title, old.body, old.tags, old.product);
END;
CREATE TRIGGER kb_articles_au AFTER UPDATE ON kb_articles BEGIN
    INSERT INTO kb_search (kb_search, rowid, title, body, tags, product)
    VALUES ('delete', old.id, old.title, old.body, old.tags, old.product);
    INSERT INTO kb_search (rowid, title, body, tags, product) VALUES (new.id, new.title, new.body, new.tags, new.product);
END;

CREATE VIRTUAL TABLE case_search USING fts5(
    summary, description,
    content = 'cases', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER cases_search_ai AFTER INSERT ON cases BEGIN
    INSERT INTO case_search (rowid, summary, description) VALUES (new.id, new.summary, new.description);
END;
INSERT INTO case_search (case_search) VALUES ('rebuild');
