//! What the full-text tables hold and how it gets there: an article, a case's summary and
//! description (its `opened` log entry), each public reply and internal note (in the
//! transaction that appends it), and the rebuild, batch by batch, when the tables were made
//! by an older version.

use sqlx::{AnyPool, Row};

use super::{Backend, Tx, WRITE_LOCK};
use crate::domain::CaseChange;
use crate::domain::kb::index_text;

/// The version of what the full-text tables hold; a new one re-indexes everything at start.
pub(super) const SEARCH_INDEX_VERSION: &str = "3";

/// Rows read per batch while rebuilding (log entries by id range, articles by id range):
/// memory stays bounded whatever the number of cases.
const REBUILD_BATCH: i64 = 5_000;

/// Rows per INSERT statement while rebuilding (fewer round trips to the database).
const ROWS_PER_INSERT: usize = 100;

/// The organization token a case's documents carry in the SQLite index: `o12`.
pub(super) fn organization_token(organization_id: i64) -> String {
    format!("o{organization_id}")
}

/// Which text of a case a document holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// The summary and the description (the `opened` entry).
    Case,
    Reply,
    /// An internal note: support searches only.
    Note,
}

impl Part {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Part::Case => "case",
            Part::Reply => "reply",
            Part::Note => "note",
        }
    }

    /// The part a log entry's `kind` column names, if it carries text.
    pub(super) fn of_kind(kind: &str) -> Option<Part> {
        match kind {
            "opened" => Some(Part::Case),
            "reply" => Some(Part::Reply),
            "internal_note" => Some(Part::Note),
            _ => None,
        }
    }
}

/// One document of the case index, keyed by its log entry's id.
pub(super) struct CaseDocument<'a> {
    pub entry_id: i64,
    pub case_id: i64,
    pub organization_id: i64,
    pub part: Part,
    pub summary: &'a str,
    pub description: &'a str,
    /// A reply's or a note's text.
    pub body: &'a str,
}

fn backend_of(tx: &mut Tx) -> Backend {
    if (**tx).backend_name().eq_ignore_ascii_case("sqlite") { Backend::Sqlite } else { Backend::Postgres }
}

/// Adds documents to the case index (one statement for all of them).
pub(super) async fn index_case_documents(tx: &mut Tx, documents: &[CaseDocument<'_>]) -> Result<(), sqlx::Error> {
    if documents.is_empty() {
        return Ok(());
    }
    let backend = backend_of(tx);
    let (head, per_row) = match backend {
        Backend::Sqlite => ("INSERT INTO case_search (rowid, summary, description, reply, note, organization) VALUES ", 6),
        Backend::Postgres => ("INSERT INTO case_search (id, case_id, organization_id, part, document) VALUES ", 7),
    };
    let rows: Vec<String> = (0..documents.len())
        .map(|i| {
            let n = |k: usize| i * per_row + k;
            match backend {
                Backend::Sqlite => format!("(${}, ${}, ${}, ${}, ${}, ${})", n(1), n(2), n(3), n(4), n(5), n(6)),
                // Summary A, description B, replies and notes C (ts_rank weighs A > B > C).
                Backend::Postgres => format!(
                    "(${}, ${}, ${}, ${}, setweight(to_tsvector('simple', ${}), 'A') || \
                     setweight(to_tsvector('simple', ${}), 'B') || setweight(to_tsvector('simple', ${}), 'C'))",
                    n(1),
                    n(2),
                    n(3),
                    n(4),
                    n(5),
                    n(6),
                    n(7)
                ),
            }
        })
        .collect();
    let mut query = sqlx::query(sqlx::AssertSqlSafe(format!("{head}{}", rows.join(", "))));
    for d in documents {
        match backend {
            Backend::Sqlite => {
                let (reply, note) = match d.part {
                    Part::Note => ("", d.body),
                    _ => (d.body, ""),
                };
                query = query
                    .bind(d.entry_id)
                    .bind(index_text(d.summary))
                    .bind(index_text(d.description))
                    .bind(index_text(reply))
                    .bind(index_text(note))
                    .bind(organization_token(d.organization_id));
            }
            Backend::Postgres => {
                query = query
                    .bind(d.entry_id)
                    .bind(d.case_id)
                    .bind(d.organization_id)
                    .bind(d.part.as_str())
                    .bind(index_text(d.summary))
                    .bind(index_text(d.description))
                    .bind(index_text(d.body));
            }
        }
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// Indexes a case's summary and description under its `opened` entry.
pub(super) async fn index_case(
    tx: &mut Tx,
    entry_id: i64,
    case_id: i64,
    organization_id: i64,
    summary: &str,
    description: &str,
) -> Result<(), sqlx::Error> {
    let document =
        CaseDocument { entry_id, case_id, organization_id, part: Part::Case, summary, description, body: "" };
    index_case_documents(tx, &[document]).await
}

/// Indexes a log entry that carries text (a reply or an internal note), in the transaction
/// that appends it; any other entry is left out.
pub(super) async fn index_log_entry(tx: &mut Tx, entry_id: i64, case_id: i64, change: &CaseChange) -> Result<(), sqlx::Error> {
    let CaseChange::Reply { body, internal, .. } = change else { return Ok(()) };
    let organization_id: i64 =
        sqlx::query_scalar("SELECT organization_id FROM cases WHERE id = $1").bind(case_id).fetch_one(&mut **tx).await?;
    let part = if *internal { Part::Note } else { Part::Reply };
    let document = CaseDocument { entry_id, case_id, organization_id, part, summary: "", description: "", body };
    index_case_documents(tx, &[document]).await
}

/// Takes an article out of the search index (a draft, or before its new text goes in).
pub(super) async fn unindex_article(tx: &mut Tx, backend: Backend, id: i64) -> Result<(), sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => "DELETE FROM kb_search WHERE rowid = $1",
        Backend::Postgres => "DELETE FROM kb_search WHERE id = $1",
    };
    sqlx::query(sql).bind(id).execute(&mut **tx).await?;
    Ok(())
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

/// Fills the full-text tables from the articles and the case log when they were made by an
/// older version (the migration that changed them leaves them empty). One transaction
/// under the write lock (instances started together build it once), read in batches of
/// [`REBUILD_BATCH`] rows by id range, so memory does not grow with the number of cases.
pub(super) async fn index_for_search_if_needed(pool: &AnyPool, backend: Backend) -> Result<(), sqlx::Error> {
    let version: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'search_index'").fetch_optional(pool).await?;
    if version.as_deref() == Some(SEARCH_INDEX_VERSION) {
        return Ok(());
    }
    let started = std::time::Instant::now();
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
    match backend {
        Backend::Sqlite => {
            sqlx::query("INSERT INTO kb_search (kb_search) VALUES ('delete-all')").execute(&mut *tx).await?;
            sqlx::query("INSERT INTO case_search (case_search) VALUES ('delete-all')").execute(&mut *tx).await?;
        }
        Backend::Postgres => {
            sqlx::query("DELETE FROM kb_search").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM case_search").execute(&mut *tx).await?;
        }
    }
    let articles = index_articles(&mut tx, backend).await?;
    let documents = index_case_log(&mut tx).await?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('search_index', $1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .bind(SEARCH_INDEX_VERSION)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(articles, case_documents = documents, ms = started.elapsed().as_millis() as u64, "search index built");
    Ok(())
}

async fn index_articles(tx: &mut Tx, backend: Backend) -> Result<u64, sqlx::Error> {
    let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM kb_articles").fetch_one(&mut **tx).await?;
    let mut count = 0;
    let mut after = 0;
    while after < last {
        let rows = sqlx::query("SELECT id, title, body, tags, product FROM kb_articles WHERE id > $1 AND id <= $2 AND published_at IS NOT NULL")
            .bind(after)
            .bind(after + REBUILD_BATCH)
            .fetch_all(&mut **tx)
            .await?;
        for row in &rows {
            let text = |name: &str| row.try_get::<String, _>(name);
            index_article(tx, backend, row.try_get("id")?, &text("title")?, &text("body")?, &text("tags")?, &text("product")?)
                .await?;
        }
        count += rows.len() as u64;
        after += REBUILD_BATCH;
    }
    Ok(count)
}

/// Every log entry that carries text, batch by batch in id order.
async fn index_case_log(tx: &mut Tx) -> Result<u64, sqlx::Error> {
    let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM case_events").fetch_one(&mut **tx).await?;
    let mut count = 0;
    let mut after = 0;
    while after < last {
        let rows = sqlx::query(
            "SELECT e.id, e.case_id, e.kind, c.organization_id, \
             CASE WHEN e.kind = 'opened' THEN c.summary ELSE '' END AS summary, \
             CASE WHEN e.kind = 'opened' THEN c.description ELSE '' END AS description, \
             CASE WHEN e.kind = 'opened' THEN '' ELSE e.data END AS data \
             FROM case_events e JOIN cases c ON c.id = e.case_id \
             WHERE e.id > $1 AND e.id <= $2 AND e.kind IN ('opened', 'reply', 'internal_note') ORDER BY e.id",
        )
        .bind(after)
        .bind(after + REBUILD_BATCH)
        .fetch_all(&mut **tx)
        .await?;
        let mut read = Vec::with_capacity(rows.len());
        for row in &rows {
            let kind: String = row.try_get("kind")?;
            let Some(part) = Part::of_kind(&kind) else { continue };
            let body = match part {
                Part::Case => String::new(),
                _ => match serde_json::from_str::<CaseChange>(&row.try_get::<String, _>("data")?) {
                    Ok(CaseChange::Reply { body, .. }) => body,
                    _ => continue,
                },
            };
            read.push((
                row.try_get::<i64, _>("id")?,
                row.try_get::<i64, _>("case_id")?,
                row.try_get::<i64, _>("organization_id")?,
                part,
                row.try_get::<String, _>("summary")?,
                row.try_get::<String, _>("description")?,
                body,
            ));
        }
        for chunk in read.chunks(ROWS_PER_INSERT) {
            let documents: Vec<CaseDocument> = chunk
                .iter()
                .map(|(entry_id, case_id, organization_id, part, summary, description, body)| CaseDocument {
                    entry_id: *entry_id,
                    case_id: *case_id,
                    organization_id: *organization_id,
                    part: *part,
                    summary,
                    description,
                    body,
                })
                .collect();
            index_case_documents(tx, &documents).await?;
        }
        count += read.len() as u64;
        after += REBUILD_BATCH;
    }
    Ok(count)
}
