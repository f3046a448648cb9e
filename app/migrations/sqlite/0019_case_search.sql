-- Engineer search across cases: one full-text document per log entry that carries text.
-- A case's `opened` entry holds its summary and description; each public reply its `reply`
-- column; each internal note its `note` column (support searches only: a customer's
-- search names the other columns, so note text is never matched). The rowid is the log
-- entry's id (case_events.id), which gives the case and the kind of entry, and orders
-- documents from oldest to newest. `organization` holds the case's organization token
-- (`o12`) so a customer's search only ever reads their own organization's documents.
-- Contentless as before; the store fills it after this migration (settings `search_index`).
DROP TABLE case_search;
CREATE VIRTUAL TABLE case_search USING fts5(
    summary, description, reply, note, organization,
    content = '', contentless_delete = 1, prefix = '2 3', tokenize = 'unicode61 remove_diacritics 2'
);
