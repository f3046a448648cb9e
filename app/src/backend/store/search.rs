//! The full-text index of articles and cases (FTS5 on SQLite, tsvector on PostgreSQL).

use sqlx::Row;

use sqlx::AnyPool;

use super::{Backend, CaseScope, Store, Tx, WRITE_LOCK};
use crate::domain::kb::SearchTerm;
use crate::error::AppError;

/// Where a search looks: the knowledge base, or one organization's cases.
#[derive(Clone, Copy, Debug)]
enum SearchIn {
    Articles,
    Cases { organization_id: i64 },
}

/// A word in more documents than this counts as common (see `Store::search_plan`).
pub(super) const COMMON_WORD_DOCS: i64 = 1000;

/// The version of what the full-text tables hold; a new one re-indexes everything at start.
pub(super) const SEARCH_INDEX_VERSION: &str = "2";

/// Fills the full-text tables from the articles and cases when they were made by an older
/// version (the migration that changed them leaves them empty).
pub(super) async fn index_for_search_if_needed(pool: &AnyPool, backend: Backend) -> Result<(), sqlx::Error> {
    let version: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'search_index'").fetch_optional(pool).await?;
    if version.as_deref() == Some(SEARCH_INDEX_VERSION) {
        return Ok(());
    }
    let started = std::time::Instant::now();
    // Under the write lock, and checked again: instances started together build it once.
    let mut tx = match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
            tx
        }
    };
    let version: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'search_index'").fetch_optional(&mut *tx).await?;
    if version.as_deref() == Some(SEARCH_INDEX_VERSION) {
        return Ok(());
    }
    sqlx::query("DELETE FROM kb_search").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM case_search").execute(&mut *tx).await?;
    let articles = sqlx::query("SELECT id, title, body, tags, product FROM kb_articles").fetch_all(&mut *tx).await?;
    for row in &articles {
        index_article(
            &mut tx,
            backend,
            row.try_get("id")?,
            &row.try_get::<String, _>("title")?,
            &row.try_get::<String, _>("body")?,
            &row.try_get::<String, _>("tags")?,
            &row.try_get::<String, _>("product")?,
        )
        .await?;
    }
    let cases = sqlx::query("SELECT id, organization_id, summary, description FROM cases").fetch_all(&mut *tx).await?;
    for row in &cases {
        index_case(
            &mut tx,
            backend,
            row.try_get("id")?,
            row.try_get("organization_id")?,
            &row.try_get::<String, _>("summary")?,
            &row.try_get::<String, _>("description")?,
        )
        .await?;
    }
    sqlx::query("INSERT INTO settings (key, value) VALUES ('search_index', $1) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(SEARCH_INDEX_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        articles = articles.len(),
        cases = cases.len(),
        ms = started.elapsed().as_millis() as u64,
        "search index built"
    );
    Ok(())
}

/// The organization token a case carries in the index: `o12`.
pub(super) fn organization_token(organization_id: i64) -> String {
    format!("o{organization_id}")
}

pub(super) async fn index_article(
    tx: &mut Tx,
    backend: Backend,
    id: i64,
    title: &str,
    body: &str,
    tags: &str,
    product: &str,
) -> Result<(), sqlx::Error> {
    use crate::domain::kb::index_text;
    let sql = match backend {
        Backend::Sqlite => "INSERT INTO kb_search (rowid, title, body, tags, product) VALUES ($1, $2, $3, $4, $5)",
        // Title first, then tags and product, then the body (ts_rank weighs A > B > D).
        Backend::Postgres => {
            "INSERT INTO kb_search (id, document) VALUES ($1, setweight(to_tsvector('simple', $2), 'A') || \
             to_tsvector('simple', $3) || setweight(to_tsvector('simple', $4), 'B') || \
             setweight(to_tsvector('simple', $5), 'B'))"
        }
    };
    sqlx::query(sql)
        .bind(id)
        .bind(index_text(title))
        .bind(index_text(body))
        .bind(index_text(tags))
        .bind(index_text(product))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) async fn index_case(
    tx: &mut Tx,
    backend: Backend,
    id: i64,
    organization_id: i64,
    summary: &str,
    description: &str,
) -> Result<(), sqlx::Error> {
    use crate::domain::kb::index_text;
    match backend {
        Backend::Sqlite => {
            sqlx::query("INSERT INTO case_search (rowid, summary, description, organization) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(index_text(summary))
                .bind(index_text(description))
                .bind(organization_token(organization_id))
                .execute(&mut **tx)
                .await?;
        }
        Backend::Postgres => {
            sqlx::query(
                "INSERT INTO case_search (id, organization_id, document) VALUES ($1, $2, \
                 setweight(to_tsvector('simple', $3), 'A') || to_tsvector('simple', $4))",
            )
            .bind(id)
            .bind(organization_id)
            .bind(index_text(summary))
            .bind(index_text(description))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// Indexes again every article and case (after a bulk load that bypassed the store).
    pub async fn rebuild_search_index(&self) -> Result<(), AppError> {
        sqlx::query("DELETE FROM settings WHERE key = 'search_index'").execute(&self.pool).await?;
        Ok(index_for_search_if_needed(&self.pool, self.backend).await?)
    }

    /// The full-text expressions a search tries, most precise first: every selective word
    /// (all of them), then any of them. A word in more than [`COMMON_WORD_DOCS`] documents
    /// of `within` barely tells them apart, and ranking every document that has it is what
    /// makes a search slow: it is left out (unless every word is common, then all must
    /// match). A word found nowhere (a typo, "how", "please") is left out too, so a
    /// question typed as a sentence still finds the article that answers it.
    async fn search_plan(&self, within: SearchIn, terms: &[SearchTerm]) -> Result<Vec<String>, AppError> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let (table, matching) = match (self.backend, within) {
            (Backend::Sqlite, SearchIn::Articles) => ("kb_search", "kb_search MATCH"),
            (Backend::Sqlite, SearchIn::Cases { .. }) => ("case_search", "case_search MATCH"),
            (Backend::Postgres, SearchIn::Articles) => ("kb_search", "document @@ to_tsquery('simple',"),
            (Backend::Postgres, SearchIn::Cases { .. }) => ("case_search", "document @@ to_tsquery('simple',"),
        };
        let close = if self.backend == Backend::Postgres { ")" } else { "" };
        let extra = match (self.backend, within) {
            (Backend::Postgres, SearchIn::Cases { organization_id }) => {
                format!(" AND organization_id = {organization_id}")
            }
            _ => String::new(),
        };
        let sql = sqlx::AssertSqlSafe(
            (0..terms.len())
                .map(|i| {
                    format!(
                        "SELECT {i} AS i, (SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {matching} ${}{close}{extra} \
                         LIMIT {}) t) AS n",
                        i + 1,
                        COMMON_WORD_DOCS + 1
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL "),
        );
        let mut query = sqlx::query(sql);
        for term in terms {
            query = query.bind(self.scoped(within, &self.term_text(term)));
        }
        let mut selective = Vec::new();
        let mut common = Vec::new();
        for row in query.fetch_all(&self.pool).await? {
            let (i, n): (i64, i64) = (row.try_get("i")?, row.try_get("n")?);
            let term = self.term_text(&terms[i as usize]);
            match n {
                0 => {}
                n if n > COMMON_WORD_DOCS => common.push(term),
                _ => selective.push(term),
            }
        }
        let (and, or) = match self.backend {
            Backend::Sqlite => (" ", " OR "),
            Backend::Postgres => (" & ", " | "),
        };
        let group = |terms: &[String], op: &str| format!("({})", terms.join(op));
        Ok(match (selective.len(), common.is_empty()) {
            (0, true) => Vec::new(),
            (0, false) => vec![group(&common, and)],
            (1, _) => vec![group(&selective, and)],
            _ => vec![group(&selective, and), group(&selective, or)],
        })
    }

    fn term_text(&self, term: &SearchTerm) -> String {
        match self.backend {
            Backend::Sqlite => term.fts5(),
            Backend::Postgres => term.tsquery(),
        }
    }

    /// A full-text expression limited to what this search may see (SQLite: the
    /// organization's token; PostgreSQL filters on the column instead).
    fn scoped(&self, within: SearchIn, expression: &str) -> String {
        match (self.backend, within) {
            (Backend::Sqlite, SearchIn::Cases { organization_id }) => {
                format!("organization : {} AND ({expression})", organization_token(organization_id))
            }
            _ => expression.to_owned(),
        }
    }

    /// Articles matching `terms` (from `search_terms`), best first; the excerpt is cut around
    /// the first of the `words` typed.
    pub async fn search_articles(
        &self,
        terms: &[SearchTerm],
        words: &str,
        limit: i64,
    ) -> Result<Vec<crate::domain::kb::SearchHit>, AppError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT a.id, a.title, a.body FROM \
                 (SELECT rowid, bm25(kb_search, 5.0, 1.0, 2.0, 2.0) AS score FROM kb_search WHERE kb_search MATCH $1 \
                  ORDER BY score LIMIT $2) m JOIN kb_articles a ON a.id = m.rowid ORDER BY m.score"
            }
            Backend::Postgres => {
                "SELECT a.id, a.title, a.body FROM \
                 (SELECT id, ts_rank(document, to_tsquery('simple', $1)) AS score FROM kb_search \
                  WHERE document @@ to_tsquery('simple', $1) ORDER BY score DESC LIMIT $2) m \
                 JOIN kb_articles a ON a.id = m.id ORDER BY m.score DESC"
            }
        };
        let mut hits: Vec<crate::domain::kb::SearchHit> = Vec::new();
        for expression in self.search_plan(SearchIn::Articles, terms).await? {
            let rows = sqlx::query(sql).bind(&expression).bind(limit + hits.len() as i64).fetch_all(&self.pool).await?;
            for row in &rows {
                let id: i64 = row.try_get("id")?;
                if hits.len() < limit as usize && !hits.iter().any(|h| h.id == id) {
                    hits.push(crate::domain::kb::SearchHit {
                        kind: "article".into(),
                        id,
                        title: row.try_get("title")?,
                        excerpt: crate::domain::kb::excerpt(&row.try_get::<String, _>("body")?, words, 160),
                    });
                }
            }
            if hits.len() >= limit as usize {
                break;
            }
        }
        Ok(hits)
    }

    /// Resolved or closed cases of an organization (as `scope` may see them) matching `terms`.
    /// The organization is part of the full-text match, so other organizations' cases are
    /// never counted nor ranked.
    pub async fn search_resolved_cases(
        &self,
        organization_id: i64,
        scope: CaseScope,
        terms: &[SearchTerm],
        words: &str,
        limit: i64,
    ) -> Result<Vec<crate::domain::kb::SearchHit>, AppError> {
        let within = SearchIn::Cases { organization_id };
        let matches = match self.backend {
            Backend::Sqlite => "SELECT rowid AS id, rank AS score FROM case_search WHERE case_search MATCH $5",
            Backend::Postgres => {
                "SELECT id, -ts_rank(document, to_tsquery('simple', $5)) AS score FROM case_search \
                 WHERE organization_id = $7 AND document @@ to_tsquery('simple', $5)"
            }
        };
        // SQLite: CROSS JOIN keeps the full-text match first (the planner would otherwise run
        // it once per case); PostgreSQL plans it well and knows no CROSS JOIN … ON.
        let join = if self.backend == Backend::Sqlite { "CROSS JOIN" } else { "JOIN" };
        let sql = format!(
            "SELECT c.number, c.summary, c.description FROM ({matches}) m \
             {join} cases c ON c.id = m.id WHERE c.status IN ('resolved', 'closed') AND c.organization_id = $7 AND {} \
             ORDER BY m.score LIMIT $6",
            CaseScope::SQL
        );
        let mut hits: Vec<crate::domain::kb::SearchHit> = Vec::new();
        for expression in self.search_plan(within, terms).await? {
            let rows = scope
                .query(sql.clone())
                .bind(self.scoped(within, &expression))
                .bind(limit + hits.len() as i64)
                .bind(organization_id)
                .fetch_all(&self.pool)
                .await?;
            for row in &rows {
                let id: i64 = row.try_get("number")?;
                if hits.len() < limit as usize && !hits.iter().any(|h| h.id == id) {
                    hits.push(crate::domain::kb::SearchHit {
                        kind: "case".into(),
                        id,
                        title: row.try_get("summary")?,
                        excerpt: crate::domain::kb::excerpt(&row.try_get::<String, _>("description")?, words, 160),
                    });
                }
            }
            if hits.len() >= limit as usize {
                break;
            }
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn the_search_index_is_built_again_when_it_is_from_an_older_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("upgrade.sqlite");
        let (store, alice) = fixture_at(&path, "elastic-cloud-premium").await;
        let draft = crate::domain::kb::ArticleDraft {
            title: "Rotate the ingest key".into(),
            body: "From the settings page.".into(),
            product: String::new(),
            tags: vec![],
            language: "en".into(),
        };
        store.create_article(&draft, alice.id).await.unwrap();
        // As an older version left it: the full-text tables empty, no version recorded.
        sqlx::query("DELETE FROM kb_search").execute(store.pool()).await.unwrap();
        sqlx::query("DELETE FROM settings WHERE key = 'search_index'").execute(store.pool()).await.unwrap();
        let query = crate::domain::kb::search_terms("ingest").unwrap();
        assert!(store.search_articles(&query, "ingest", 10).await.unwrap().is_empty());
        drop(store);
        let store = open_store(&path).await;
        let hits = store.search_articles(&query, "ingest", 10).await.unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].excerpt, "From the settings page.");
    }
}
