-- Full-text search fed by the application, not by triggers: CJK text is split into
-- characters before it is indexed (Chinese and Japanese have no spaces between words), and
-- a case carries its organization as a token, so a customer's search only ranks their own
-- organization's cases. Contentless: the text stays in kb_articles and cases only. Prefix
-- indexes of 2 and 3 characters keep search-as-you-type cheap. The store fills both
-- tables after this migration (settings key `search_index`).
DROP TRIGGER kb_articles_ai;
DROP TRIGGER kb_articles_ad;
DROP TRIGGER kb_articles_au;
DROP TABLE kb_search;
CREATE VIRTUAL TABLE kb_search USING fts5(
    title, body, tags, product,
    content = '', contentless_delete = 1, prefix = '2 3', tokenize = 'unicode61 remove_diacritics 2'
);

DROP TRIGGER cases_search_ai;
DROP TABLE case_search;
CREATE VIRTUAL TABLE case_search USING fts5(
    summary, description, organization,
    content = '', contentless_delete = 1, prefix = '2 3', tokenize = 'unicode61 remove_diacritics 2'
);
