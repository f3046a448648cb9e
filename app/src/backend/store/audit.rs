//! The admin log (`admin_audit`): appended to, read newest first by id. Nothing here
//! changes or removes an entry.

use sqlx::Row;

use super::{Store, Tx};
use crate::domain::audit::{AuditActor, AuditEntry};
use crate::error::AppError;

/// An entry as it is written: `before` and `after` are JSON text.
#[derive(Clone, Debug)]
pub struct NewAuditEntry<'a> {
    pub at: jiff::Timestamp,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub target: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The most entries one page reads.
pub const AUDIT_PAGE_MAX: i64 = 200;

const INSERT: &str =
    "INSERT INTO admin_audit (at, actor_id, action, target, before, after) VALUES ($1, $2, $3, $4, $5, $6)";

fn json(what: &str, text: Option<String>) -> Result<Option<serde_json::Value>, AppError> {
    text.map(|t| serde_json::from_str(&t).map_err(|_| super::corrupt(what, &t))).transpose()
}

impl Store {
    /// Appends one entry.
    pub async fn append_audit(&self, entry: NewAuditEntry<'_>) -> Result<(), AppError> {
        sqlx::query(INSERT)
            .bind(entry.at.to_string())
            .bind(entry.actor_id)
            .bind(entry.action)
            .bind(entry.target)
            .bind(entry.before)
            .bind(entry.after)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The newest entries, before the entry numbered `before_id` when given, at most
    /// `limit` (never more than one past [`AUDIT_PAGE_MAX`]: a page and a look ahead), each with its id.
    pub async fn audit_entries(&self, before_id: Option<i64>, limit: i64) -> Result<Vec<(i64, AuditEntry)>, AppError> {
        let rows = sqlx::query(
            "SELECT a.id, a.at, a.actor_id, u.name AS actor_name, u.email AS actor_email, a.action, a.target, \
             a.before, a.after FROM admin_audit a LEFT JOIN users u ON u.id = a.actor_id \
             WHERE ($1 = 0 OR a.id < $2) ORDER BY a.id DESC LIMIT $3",
        )
        .bind(i64::from(before_id.is_some()))
        .bind(before_id.unwrap_or(0))
        .bind(limit.clamp(1, AUDIT_PAGE_MAX + 1))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let actor_id: Option<i64> = row.try_get("actor_id")?;
                let actor = match actor_id {
                    Some(id) => Some(AuditActor {
                        id,
                        name: row.try_get::<Option<String>, _>("actor_name")?.unwrap_or_default(),
                        email: row.try_get::<Option<String>, _>("actor_email")?.unwrap_or_default(),
                    }),
                    None => None,
                };
                Ok((
                    row.try_get("id")?,
                    AuditEntry {
                        at: row.try_get("at")?,
                        actor,
                        action: row.try_get("action")?,
                        target: row.try_get("target")?,
                        before: json("audit before", row.try_get("before")?)?,
                        after: json("audit after", row.try_get("after")?)?,
                    },
                ))
            })
            .collect()
    }
}

/// Appends one entry inside a write transaction: it commits (or not) with the change it
/// records.
pub(crate) async fn append_audit_in(tx: &mut Tx, entry: NewAuditEntry<'_>) -> Result<(), AppError> {
    sqlx::query(INSERT)
        .bind(entry.at.to_string())
        .bind(entry.actor_id)
        .bind(entry.action)
        .bind(entry.target)
        .bind(entry.before)
        .bind(entry.after)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
