//! Bulk writes for a generated history (`caseboard generate`): the rows the case write path
//! produces (cases and their log, people, contracts, products), many rows per statement in
//! large transactions, with ids given by the caller. No outbox rows: a generated history
//! sends no mail. The full-text index is rebuilt afterwards (`rebuild_search_index`).

use jiff::Timestamp;

use super::{Backend, Store, Tx};
use crate::domain::CaseChange;
use crate::error::AppError;

/// One value of a row, bound as the write path binds it (flags as integers, instants as
/// RFC 3339 text).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Int(i64),
    MaybeInt(Option<i64>),
    Text(String),
    Word(&'static str),
    MaybeText(Option<String>),
}

/// A table's rows waiting to be written, with the shape of their multi-row INSERT.
pub struct RowsFor {
    table: &'static str,
    columns: &'static [&'static str],
    /// Rows per statement: one statement text, prepared once per connection and reused.
    per_statement: usize,
    rows: Vec<Vec<Cell>>,
}

impl RowsFor {
    pub fn new(table: &'static str, columns: &'static [&'static str], per_statement: usize) -> RowsFor {
        RowsFor { table, columns, per_statement, rows: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The INSERT of `rows` rows. SQLite gets anonymous `?` parameters: with numbered ones
    /// the driver looks each name up in a list as long as the statement's parameters, which
    /// made a 3,500-parameter INSERT spend most of its time naming them.
    fn statement(&self, rows: usize, backend: Backend) -> String {
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", self.table, self.columns.join(", "));
        let mut n = 0;
        for r in 0..rows {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..self.columns.len() {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                match backend {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => {
                        sql.push('$');
                        sql.push_str(&n.to_string());
                    }
                }
            }
            sql.push(')');
        }
        sql
    }

    /// Writes every full statement's worth of rows; with `all`, the rest too.
    async fn flush(&mut self, tx: &mut Tx, backend: Backend, all: bool) -> Result<(), AppError> {
        let full = self.statement(self.per_statement, backend);
        let mut start = 0;
        while self.rows.len() - start >= self.per_statement {
            insert(tx, &full, &mut self.rows[start..start + self.per_statement]).await?;
            start += self.per_statement;
        }
        if all && start < self.rows.len() {
            let rest = self.statement(self.rows.len() - start, backend);
            insert(tx, &rest, &mut self.rows[start..]).await?;
            start = self.rows.len();
        }
        self.rows.drain(..start);
        Ok(())
    }
}

async fn insert(tx: &mut Tx, sql: &str, rows: &mut [Vec<Cell>]) -> Result<(), AppError> {
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
    for row in rows.iter_mut() {
        for cell in row.drain(..) {
            query = match cell {
                Cell::Int(v) => query.bind(v),
                Cell::MaybeInt(v) => query.bind(v),
                Cell::Text(v) => query.bind(v),
                Cell::Word(v) => query.bind(v),
                Cell::MaybeText(v) => query.bind(v),
            };
        }
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// The `cases` row of a generated case, as `open_case` and later changes leave it.
pub fn case_rows() -> RowsFor {
    RowsFor::new(
        "cases",
        &[
            "id",
            "number",
            "organization_id",
            "reporter_id",
            "summary",
            "description",
            "kind",
            "severity",
            "environment",
            "visibility",
            "product",
            "details",
            "status",
            "resolution",
            "version",
            "opened_at",
            "updated_at",
            "assignee_id",
        ],
        100,
    )
}

/// The `case_events` rows, as `append_event` writes them.
pub fn event_rows() -> RowsFor {
    RowsFor::new("case_events", &["id", "case_id", "actor_id", "at", "kind", "internal", "data"], 500)
}

/// One log entry as `append_event` writes it: the change's kind, whether it is internal,
/// and its JSON exactly as `serde_json::to_string(&CaseChange)` gives it.
pub fn event_row(
    id: i64,
    case_id: i64,
    actor_id: Option<i64>,
    at: Timestamp,
    change: &CaseChange,
) -> Result<Vec<Cell>, AppError> {
    let data = serde_json::to_string(change).map_err(|_| AppError::Internal)?;
    Ok(vec![
        Cell::Int(id),
        Cell::Int(case_id),
        Cell::MaybeInt(actor_id),
        Cell::Text(at.to_string()),
        Cell::Word(change.kind()),
        Cell::Int(i64::from(change.is_internal())),
        Cell::Text(data),
    ])
}

/// Where a bulk load starts: the next free id of every table it writes, and the next case number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NextIds {
    pub organization: i64,
    pub user: i64,
    pub case: i64,
    pub event: i64,
    pub contract_change: i64,
    pub product: i64,
    pub case_number: i64,
}

/// Tables whose ids a bulk load gives itself; PostgreSQL's identity sequences are moved past them.
const IDENTITY_TABLES: &[&str] = &["organizations", "users", "cases", "case_events", "contract_changes", "products"];

impl Store {
    /// Whether the database holds anything a bulk load must not be mixed into: a case, or
    /// a person whose email is not one of `expected` (the demo's).
    pub async fn holds_real_data(&self, expected: &[&str]) -> Result<bool, AppError> {
        let cases: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM cases LIMIT 1) c").fetch_one(&self.pool).await?;
        if cases > 0 {
            return Ok(true);
        }
        // At most a handful of rows are read: the demo has seven people.
        let limit = expected.len() as i64 + 1;
        let emails: Vec<String> = sqlx::query_scalar("SELECT email FROM users ORDER BY id LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(emails.iter().any(|e| !expected.iter().any(|known| known.eq_ignore_ascii_case(e))))
    }

    /// The next free ids and case number.
    pub async fn next_ids(&self) -> Result<NextIds, AppError> {
        let next = |table: &'static str| async move {
            let sql = sqlx::AssertSqlSafe(format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"));
            sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool).await
        };
        Ok(NextIds {
            organization: next("organizations").await?,
            user: next("users").await?,
            case: next("cases").await?,
            event: next("case_events").await?,
            contract_change: next("contract_changes").await?,
            product: next("products").await?,
            case_number: sqlx::query_scalar("SELECT next FROM case_number_counter WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        })
    }

    /// Begins a bulk load: one write transaction at a time, committed by the caller every
    /// so many rows ([`BulkLoad::commit`]).
    pub async fn bulk_load(&self) -> Result<BulkLoad, AppError> {
        Ok(BulkLoad { store: self.clone(), tx: Some(self.begin_write().await?) })
    }
}

/// A bulk load in progress: rows are written in large transactions.
pub struct BulkLoad {
    store: Store,
    tx: Option<Tx>,
}

impl BulkLoad {
    fn tx(&mut self) -> Result<&mut Tx, AppError> {
        self.tx.as_mut().ok_or(AppError::Internal)
    }

    /// Writes every full statement's worth of `rows` (all of them with `all`). Rows a
    /// foreign key points at must be flushed (all) before the rows that point at them.
    pub async fn write(&mut self, rows: &mut RowsFor, all: bool) -> Result<(), AppError> {
        let backend = self.store.backend();
        rows.flush(self.tx()?, backend, all).await
    }

    /// Commits what was written and begins the next transaction.
    pub async fn commit(&mut self) -> Result<(), AppError> {
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        self.tx = Some(self.store.begin_write().await?);
        Ok(())
    }

    /// Sets the next case number, moves PostgreSQL's id sequences past the ids written, and
    /// commits.
    pub async fn finish(mut self, next_case_number: i64) -> Result<(), AppError> {
        let backend = self.store.backend();
        let tx = self.tx()?;
        sqlx::query("UPDATE case_number_counter SET next = $1 WHERE id = 1 AND next < $1")
            .bind(next_case_number)
            .execute(&mut **tx)
            .await?;
        if backend == Backend::Postgres {
            for table in IDENTITY_TABLES {
                let sql = sqlx::AssertSqlSafe(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table})) \
                     WHERE EXISTS (SELECT 1 FROM {table})"
                ));
                sqlx::query(sql).execute(&mut **tx).await?;
            }
        }
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        Ok(())
    }
}
