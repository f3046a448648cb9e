//! Full-text search of articles, and of one organization's solved cases for a customer's
//! suggestions (FTS5 on SQLite, tsvector on PostgreSQL); the plan every search makes of the
//! words typed. What the tables hold: `search_index`; searching cases: `case_search`.

use sqlx::Row;

use super::search_index::{SEARCH_INDEX_VERSION, index_for_search_if_needed, organization_token};
use super::{Backend, CaseScope, Store};
use crate::domain::kb::SearchTerm;
use crate::error::AppError;

/// Where a search looks.
#[derive(Clone, Copy, Debug)]
pub(super) enum SearchIn {
    Articles,
    /// One organization's summaries and descriptions (a customer's suggestions).
    CaseSummaries { organization_id: i64 },
    /// Cases' summaries, descriptions and public replies, and, for support, internal notes;
    /// in one organization, or in all (support only).
    CaseText { organization_id: Option<i64>, notes: bool },
}

/// A word in more documents than this counts as common (see `Store::search_plan`).
pub(super) const COMMON_WORD_DOCS: i64 = 1000;

/// The full-text expressions a search tries, most precise first, and whether they are made
/// of common words only (then their match set may be huge: see `case_search`).
#[derive(Clone, Debug, Default)]
pub(super) struct SearchPlan {
    pub expressions: Vec<String>,
    pub common_only: bool,
}

impl Store {
    /// Indexes again every article and case (after a bulk load that bypassed the store).
    pub async fn rebuild_search_index(&self) -> Result<(), AppError> {
        sqlx::query("DELETE FROM settings WHERE key = 'search_index'").execute(&self.pool).await?;
        Ok(index_for_search_if_needed(&self.pool, self.backend).await?)
    }

    /// The version the full-text tables are at (`None` before the first start built them).
    pub async fn search_index_version(&self) -> Result<Option<String>, AppError> {
        let version: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'search_index'").fetch_optional(&self.pool).await?;
        Ok(version.filter(|v| v == SEARCH_INDEX_VERSION))
    }

    async fn search_plan(&self, within: SearchIn, terms: &[SearchTerm]) -> Result<Vec<String>, AppError> {
        Ok(self.plan(within, terms).await?.expressions)
    }

    /// The full-text expressions a search tries, most precise first: every selective word
    /// (all of them), then any of them. A word in more than [`COMMON_WORD_DOCS`] documents
    /// of `within` barely tells them apart, and ranking every document that has it is what
    /// makes a search slow: it is left out (unless every word is common, then all must
    /// match). A word found nowhere (a typo, "how", "please") is left out too, so a
    /// question typed as a sentence still finds the article that answers it. Words are
    /// counted only in what `within` may see (a customer's counts never include another
    /// organization's cases nor internal notes).
    pub(super) async fn plan(&self, within: SearchIn, terms: &[SearchTerm]) -> Result<SearchPlan, AppError> {
        if terms.is_empty() {
            return Ok(SearchPlan::default());
        }
        let (table, matching) = match (self.backend, within) {
            (Backend::Sqlite, SearchIn::Articles) => ("kb_search", "kb_search MATCH"),
            (Backend::Sqlite, _) => ("case_search", "case_search MATCH"),
            (Backend::Postgres, SearchIn::Articles) => ("kb_search", "document @@ to_tsquery('simple',"),
            (Backend::Postgres, _) => ("case_search", "document @@ to_tsquery('simple',"),
        };
        let close = if self.backend == Backend::Postgres { ")" } else { "" };
        let extra = if self.backend == Backend::Postgres { self.postgres_condition(within) } else { String::new() };
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
        let mut rows = query.fetch_all(&self.pool).await?;
        rows.sort_by_key(|row| row.try_get::<i64, _>("i").unwrap_or(0));
        for row in rows {
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
        let expressions = match (selective.len(), common.is_empty()) {
            (0, true) => Vec::new(),
            (0, false) => vec![group(&common, and)],
            (1, _) => vec![group(&selective, and)],
            _ => vec![group(&selective, and), group(&selective, or)],
        };
        Ok(SearchPlan { expressions, common_only: selective.is_empty() && !common.is_empty() })
    }

    pub(super) fn term_text(&self, term: &SearchTerm) -> String {
        match self.backend {
            Backend::Sqlite => term.fts5(),
            Backend::Postgres => term.tsquery(),
        }
    }

    /// PostgreSQL: the condition on `case_search`'s columns that keeps a search to what
    /// `within` may see (ids are numbers: nothing typed reaches it).
    pub(super) fn postgres_condition(&self, within: SearchIn) -> String {
        match within {
            SearchIn::Articles => String::new(),
            SearchIn::CaseSummaries { organization_id } => {
                format!(" AND organization_id = {organization_id} AND part = 'case'")
            }
            SearchIn::CaseText { organization_id, notes } => {
                let mut condition = String::new();
                if let Some(id) = organization_id {
                    condition.push_str(&format!(" AND organization_id = {id}"));
                }
                if !notes {
                    condition.push_str(" AND part <> 'note'");
                }
                condition
            }
        }
    }

    /// A full-text expression limited to what this search may see. SQLite: the columns it
    /// may match (never `note` without support, never the organization token by what was
    /// typed) and the organization's token; PostgreSQL filters on columns instead.
    pub(super) fn scoped(&self, within: SearchIn, expression: &str) -> String {
        match (self.backend, within) {
            (Backend::Sqlite, SearchIn::CaseSummaries { organization_id }) => format!(
                "organization : {} AND {{summary description}} : ({expression})",
                organization_token(organization_id)
            ),
            (Backend::Sqlite, SearchIn::CaseText { organization_id, notes }) => {
                let columns = if notes { "{summary description reply note}" } else { "{summary description reply}" };
                match organization_id {
                    Some(id) => format!("organization : {} AND {columns} : ({expression})", organization_token(id)),
                    None => format!("{columns} : ({expression})"),
                }
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
        let within = SearchIn::CaseSummaries { organization_id };
        let matches = match self.backend {
            Backend::Sqlite => "SELECT rowid AS id, rank AS score FROM case_search WHERE case_search MATCH $5",
            Backend::Postgres => {
                "SELECT id, -ts_rank(document, to_tsquery('simple', $5)) AS score FROM case_search \
                 WHERE organization_id = $7 AND part = 'case' AND document @@ to_tsquery('simple', $5)"
            }
        };
        // SQLite: CROSS JOIN keeps the full-text match first (the planner would otherwise run
        // it once per case); PostgreSQL plans it well and knows no CROSS JOIN … ON. A
        // document's id is its log entry's, which names the case.
        let join = if self.backend == Backend::Sqlite { "CROSS JOIN" } else { "JOIN" };
        let sql = format!(
            "SELECT c.number, c.summary, c.description FROM ({matches}) m {join} case_events e ON e.id = m.id \
             {join} cases c ON c.id = e.case_id WHERE c.status IN ('resolved', 'closed') AND c.organization_id = $7 AND {} \
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
        store.create_article(&draft, alice.id, true).await.unwrap();
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
