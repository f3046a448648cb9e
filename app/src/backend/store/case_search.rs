//! Searching cases: the full-text match ranks documents (a case's summary and description,
//! its replies, and for support its internal notes), at most [`CANDIDATES`] of them; they
//! are joined to their cases, kept to what the searcher may see and the filters ask, one
//! result per case (its best document), and paged by cursor.
//!
//! Why bounded: ranking is linear in the size of the match set. Selective words (in at most
//! `COMMON_WORD_DOCS` documents each, see `Store::plan`) match few documents, so all of them
//! are ranked. A search made only of common words ("error") would rank most of the index:
//! it takes the newest [`CANDIDATES`] matching documents instead (the full-text index walks
//! them newest first and stops) and lists them newest first, unranked, which is what a
//! helpdesk asks of such a search.

use std::collections::HashMap;

use sqlx::Row;

use super::rows::{CASE_SELECT, case_from_row};
use super::search::SearchIn;
use super::search_index::Part;
use super::{Backend, CaseScope, Store};
use crate::domain::case_search::{
    AssigneeChoice, CaseSearch, CaseSearchHit, CaseSearchPage, MatchedIn, SearchCursor, text_has_term,
};
use crate::domain::kb::excerpt;
use crate::domain::{CaseChange, CaseNumber};
use crate::error::AppError;

/// The most documents one search ranks (then joins and filters).
pub const CANDIDATES: i64 = 2_000;

/// The length of a snippet, in characters.
const SNIPPET_CHARS: usize = 160;

/// A value bound to a filter's placeholder.
enum Bind {
    Int(i64),
    Text(String),
}

/// One case found, before it is read whole: its best document and that document's score
/// (lower is better).
#[derive(Clone, Copy, Debug)]
struct Candidate {
    case_id: i64,
    number: i64,
    entry_id: i64,
    part: Part,
    score: f64,
}

/// The form instants are stored in, cut to the second: `2024-05-01T10:00:00`. A stored
/// instant of that second is longer (fraction, `Z`), so it sorts after it; one of an
/// earlier second sorts before. So `>=` and `<` on the text are exact.
fn second_prefix(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S").to_string()
}

impl Store {
    /// The cases matching `search` that `scope` may see, best first, one page of them.
    /// Internal notes are searched only for support. `searcher_id` is who `me` is.
    pub async fn search_cases(
        &self,
        scope: CaseScope,
        searcher_id: i64,
        search: &CaseSearch,
    ) -> Result<CaseSearchPage, AppError> {
        let empty = CaseSearchPage { results: Vec::new(), next_cursor: None };
        let notes = scope == CaseScope::Everything;
        // The organization narrows the full-text match itself: a customer's always is theirs.
        let mut organization_id = match &search.organization {
            None => None,
            Some(slug) => match self.organization_id_by_slug(slug).await? {
                Some(id) => Some(id),
                None => return Ok(empty),
            },
        };
        match scope {
            CaseScope::Everything => {}
            CaseScope::Customer { organization_id: own, .. } => {
                if organization_id.is_some_and(|id| id != own) {
                    return Ok(empty);
                }
                organization_id = Some(own);
            }
            CaseScope::Nothing => return Ok(empty),
        }
        let within = SearchIn::CaseText { organization_id, notes };
        let plan = self.plan(within, &search.terms).await?;
        let step = search.cursor.map_or(0, |c| usize::from(c.step));
        let Some(expression) = plan.expressions.get(step) else { return Ok(empty) };
        let mut step = step;
        let mut found = self.candidates(scope, within, expression, plan.common_only, searcher_id, search).await?;
        // Nothing has every selective word: then any of them (the plan's next expression).
        if found.is_empty() && search.cursor.is_none() && plan.expressions.len() > 1 {
            step = 1;
            found = self.candidates(scope, within, &plan.expressions[1], false, searcher_id, search).await?;
        }
        let start = match search.cursor {
            None => 0,
            Some(cursor) => match found.iter().position(|c| c.number == cursor.last) {
                Some(i) => i + 1,
                // The case left the results since (a filter no longer holds): go on from
                // where the page ended.
                None => (cursor.position as usize).min(found.len()),
            },
        };
        let end = (start + search.limit as usize).min(found.len());
        let page = &found[start..end];
        let next_cursor = (end < found.len()).then(|| {
            SearchCursor {
                step: step as u8,
                position: end as u32,
                last: page.last().map_or(0, |c| c.number),
                fingerprint: search.fingerprint(),
            }
            .encode()
        });
        let results = self.search_hits(page, search).await?;
        Ok(CaseSearchPage { results, next_cursor })
    }

    async fn organization_id_by_slug(&self, slug: &str) -> Result<Option<i64>, AppError> {
        Ok(sqlx::query_scalar("SELECT id FROM organizations WHERE slug = $1")
            .bind(slug.to_lowercase())
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Every case among the best [`CANDIDATES`] documents matching `expression` that `scope`
    /// may see and the filters keep, best first (ties: the newer case first).
    async fn candidates(
        &self,
        scope: CaseScope,
        within: SearchIn,
        expression: &str,
        common_only: bool,
        searcher_id: i64,
        search: &CaseSearch,
    ) -> Result<Vec<Candidate>, AppError> {
        let matches = match (self.backend, common_only) {
            (Backend::Sqlite, false) => {
                "SELECT rowid AS id, bm25(case_search, 10.0, 4.0, 2.0, 2.0, 0.0) AS score FROM case_search \
                 WHERE case_search MATCH $5 ORDER BY score LIMIT $6"
                    .to_owned()
            }
            // Common words only: the newest first, unranked. bm25 would first count every
            // document holding the word (a sixth of the index for "timeout": 23 of the
            // query's 30 ms at 1M cases) to rank documents already chosen by date.
            (Backend::Sqlite, true) => "SELECT rowid AS id, CAST(-rowid AS REAL) AS score FROM case_search \
                 WHERE case_search MATCH $5 ORDER BY rowid DESC LIMIT $6"
                .to_owned(),
            (Backend::Postgres, common_only) => {
                let (score, order) = if common_only {
                    ("CAST(-id AS DOUBLE PRECISION)", "id DESC")
                } else {
                    ("CAST(-ts_rank(document, to_tsquery('simple', $5)) AS DOUBLE PRECISION)", "score, id DESC")
                };
                format!(
                    "SELECT id, {score} AS score FROM case_search WHERE document @@ to_tsquery('simple', $5){} \
                     ORDER BY {order} LIMIT $6",
                    self.postgres_condition(within)
                )
            }
        };
        let (filters, binds) = filter_sql(search, searcher_id);
        // SQLite: CROSS JOIN keeps the full-text match first; PostgreSQL plans it itself.
        let join = if self.backend == Backend::Sqlite { "CROSS JOIN" } else { "JOIN" };
        let sql = format!(
            "SELECT m.id AS entry_id, m.score, e.kind, c.id AS case_id, c.number FROM ({matches}) m \
             {join} case_events e ON e.id = m.id {join} cases c ON c.id = e.case_id WHERE {}{filters} \
             ORDER BY m.score, m.id DESC",
            CaseScope::SQL
        );
        let mut query = scope.query(sql).bind(self.scoped(within, expression)).bind(CANDIDATES);
        for bind in binds {
            query = match bind {
                Bind::Int(n) => query.bind(n),
                Bind::Text(t) => query.bind(t),
            };
        }
        let mut best: HashMap<i64, Candidate> = HashMap::new();
        for row in query.fetch_all(&self.pool).await? {
            let kind: String = row.try_get("kind")?;
            let Some(part) = Part::of_kind(&kind) else { continue };
            if part == Part::Note && !matches!(within, SearchIn::CaseText { notes: true, .. }) {
                continue;
            }
            let candidate = Candidate {
                case_id: row.try_get("case_id")?,
                number: row.try_get("number")?,
                entry_id: row.try_get("entry_id")?,
                part,
                score: row.try_get("score")?,
            };
            best.entry(candidate.case_id).or_insert(candidate);
        }
        let mut found: Vec<Candidate> = best.into_values().collect();
        found.sort_by(|a, b| a.score.total_cmp(&b.score).then(b.number.cmp(&a.number)));
        Ok(found)
    }

    /// The page's cases read whole, with where each matched and a snippet of that text.
    async fn search_hits(&self, page: &[Candidate], search: &CaseSearch) -> Result<Vec<CaseSearchHit>, AppError> {
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let list = |n: usize| (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = sqlx::AssertSqlSafe(format!("{CASE_SELECT} WHERE c.id IN ({})", list(page.len())));
        let mut query = sqlx::query(sql);
        for c in page {
            query = query.bind(c.case_id);
        }
        let mut cases = HashMap::new();
        for row in query.fetch_all(&self.pool).await? {
            cases.insert(row.try_get::<i64, _>("id")?, case_from_row(&row)?);
        }
        let entries: Vec<i64> = page.iter().filter(|c| c.part != Part::Case).map(|c| c.entry_id).collect();
        let mut bodies = HashMap::new();
        if !entries.is_empty() {
            let sql = sqlx::AssertSqlSafe(format!("SELECT id, data FROM case_events WHERE id IN ({})", list(entries.len())));
            let mut query = sqlx::query(sql);
            for id in &entries {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&self.pool).await? {
                if let Ok(CaseChange::Reply { body, .. }) = serde_json::from_str(&row.try_get::<String, _>("data")?) {
                    bodies.insert(row.try_get::<i64, _>("id")?, body);
                }
            }
        }
        let mut hits = Vec::with_capacity(page.len());
        for candidate in page {
            let Some(case) = cases.remove(&candidate.case_id) else { continue };
            let (matched_in, text) = match candidate.part {
                Part::Case if text_has_term(&case.summary, &search.terms) => (MatchedIn::Summary, case.description.clone()),
                Part::Case => (MatchedIn::Description, case.description.clone()),
                Part::Reply => (MatchedIn::Reply, bodies.remove(&candidate.entry_id).unwrap_or_default()),
                Part::Note => (MatchedIn::Note, bodies.remove(&candidate.entry_id).unwrap_or_default()),
            };
            let snippet = Some(excerpt(&text, &search.text, SNIPPET_CHARS)).filter(|s| !s.is_empty());
            debug_assert_eq!(case.number, CaseNumber(candidate.number));
            hits.push(CaseSearchHit { case, matched_in, snippet });
        }
        Ok(hits)
    }
}

/// The filters as SQL on `c` (cases), placeholders from `$7` on, and their values.
fn filter_sql(search: &CaseSearch, searcher_id: i64) -> (String, Vec<Bind>) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    let next = |binds: &mut Vec<Bind>, bind: Bind| {
        binds.push(bind);
        format!("${}", 6 + binds.len())
    };
    if !search.statuses.is_empty() {
        let places: Vec<String> =
            search.statuses.iter().map(|s| next(&mut binds, Bind::Text(s.as_str().to_owned()))).collect();
        sql.push_str(&format!(" AND c.status IN ({})", places.join(", ")));
    }
    if let Some(severity) = search.severity {
        sql.push_str(&format!(" AND c.severity = {}", next(&mut binds, Bind::Int(i64::from(severity.level())))));
    }
    match &search.assignee {
        None => {}
        Some(AssigneeChoice::Nobody) => sql.push_str(" AND c.assignee_id IS NULL"),
        Some(AssigneeChoice::Me) => {
            sql.push_str(&format!(" AND c.assignee_id = {}", next(&mut binds, Bind::Int(searcher_id))));
        }
        Some(AssigneeChoice::Email(email)) => sql.push_str(&format!(
            " AND c.assignee_id = (SELECT id FROM users WHERE lower(email) = {})",
            next(&mut binds, Bind::Text(email.to_lowercase()))
        )),
    }
    if let Some(product) = &search.product {
        sql.push_str(&format!(" AND c.product = {}", next(&mut binds, Bind::Text(product.clone()))));
    }
    let ranges = [
        ("c.opened_at >=", search.opened_after),
        ("c.opened_at <", search.opened_before),
        ("c.updated_at >=", search.updated_after),
        ("c.updated_at <", search.updated_before),
    ];
    for (condition, at) in ranges {
        if let Some(at) = at {
            sql.push_str(&format!(" AND {condition} {}", next(&mut binds, Bind::Text(second_prefix(at)))));
        }
    }
    (sql, binds)
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;
    use crate::domain::case_search::CaseSearchQuery;

    /// A word in more documents than `COMMON_WORD_DOCS`: the newest documents holding it,
    /// their cases newest first, every one the searcher may see and no other.
    #[tokio::test]
    async fn a_common_word_lists_the_cases_of_its_newest_documents_newest_first() {
        let f = fixture().await;
        let docs = super::super::search::COMMON_WORD_DOCS as usize + 20;
        let mut numbers = Vec::new();
        let globex = cases::open_case(&f.store, &f.bruno, draft("Globex timeout"), None).await.unwrap().case;
        for i in 0..10 {
            let case = cases::open_case(&f.store, &f.alice, draft(&format!("Gateway timeout {i}")), None).await.unwrap().case;
            numbers.push(case.number);
        }
        // Replies spread over the cases (Globex's one document is older than all of them);
        // the last one written is on the third case.
        for i in 0..docs {
            let number = numbers[(i * 7) % numbers.len()];
            cases::reply(&f.store, &f.alice, number, &format!("timeout again, try {i}"), false, None, true).await.unwrap();
        }
        cases::reply(&f.store, &f.alice, numbers[2], "one more timeout", false, None, true).await.unwrap();
        let search = CaseSearchQuery { q: Some("timeout".into()), ..Default::default() }.validated().unwrap();
        let page = f.store.search_cases(CaseScope::Everything, f.sam.id, &search).await.unwrap();
        let found: Vec<_> = page.results.iter().map(|hit| hit.case.number).collect();
        assert_eq!(found.first(), Some(&numbers[2]), "the case of the newest document first: {found:?}");
        assert_eq!(found.len(), numbers.len() + 1, "every case once: {found:?}");
        assert_eq!(found.last(), Some(&globex.number), "its only document is the oldest of the newest: {found:?}");
        // A customer: their organization's cases only.
        let page = f.store.search_cases(f.bruno.case_scope(), f.bruno.id, &search).await.unwrap();
        assert_eq!(page.results.iter().map(|hit| hit.case.number).collect::<Vec<_>>(), vec![globex.number]);
    }

    #[test]
    fn a_bound_cut_to_the_second_sorts_exactly_against_stored_instants() {
        let bound = super::second_prefix("2024-05-01T10:00:00.75Z".parse().unwrap());
        assert_eq!(bound, "2024-05-01T10:00:00");
        assert!("2024-05-01T10:00:00Z" >= bound.as_str());
        assert!("2024-05-01T10:00:00.000001Z" >= bound.as_str());
        assert!("2024-05-01T09:59:59.999Z" < bound.as_str());
    }
}
