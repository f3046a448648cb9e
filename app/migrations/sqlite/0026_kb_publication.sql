-- Articles can be kept as drafts: only published articles are read, listed and found by
-- customers (and only they are in the search index). Articles written before stay published.
ALTER TABLE kb_articles ADD COLUMN published_at TEXT;
UPDATE kb_articles SET published_at = created_at;
