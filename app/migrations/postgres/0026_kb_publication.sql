-- PostgreSQL twin of ../sqlite/0026_kb_publication.sql (same version, same columns).
ALTER TABLE kb_articles ADD COLUMN published_at TEXT;
UPDATE kb_articles SET published_at = created_at;
