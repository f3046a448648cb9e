//! Saved views ("queues"): a person's named board filters, private or shared with the
//! support team. Deleting one marks it deleted and frees its name.

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, flag, unique_violation};
use crate::domain::ViewFilter;
use crate::domain::saved_view::view_name_key;
use crate::error::{AppError, InvalidReason};

/// A saved view as kept, with its owner's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredView {
    pub id: i64,
    pub owner_id: i64,
    pub owner_name: String,
    pub name: String,
    pub shared: bool,
    pub filter: ViewFilter,
}

/// What a change to a view sets (`None`: unchanged).
#[derive(Clone, Debug, Default)]
pub struct ViewChange {
    pub name: Option<String>,
    pub shared: Option<bool>,
    pub filter: Option<ViewFilter>,
}

const VIEW_SELECT: &str = "SELECT v.id, v.owner_id, u.name AS owner_name, v.name, v.shared, v.severity, \
     v.organization, v.plan, v.assignee, v.statuses, v.stale_hours FROM saved_views v JOIN users u ON u.id = v.owner_id";

fn view_from_row(row: &sqlx::any::AnyRow) -> Result<StoredView, AppError> {
    Ok(StoredView {
        id: row.try_get("id")?,
        owner_id: row.try_get("owner_id")?,
        owner_name: row.try_get("owner_name")?,
        name: row.try_get("name")?,
        shared: flag(row, "shared")?,
        filter: ViewFilter {
            severity: row.try_get("severity")?,
            organization: row.try_get("organization")?,
            plan: row.try_get("plan")?,
            assignee: row.try_get("assignee")?,
            statuses: ViewFilter::statuses_from_list(&row.try_get::<String, _>("statuses")?),
            stale_hours: row.try_get("stale_hours")?,
        },
    })
}

/// A name its owner already gives another view: refused as the name's error.
fn name_taken(e: sqlx::Error) -> AppError {
    if unique_violation(&e) { AppError::invalid("name", InvalidReason::NotAllowed) } else { e.into() }
}

impl Store {
    /// The views `user_id` sees: their own and those shared with the team, by name, at most
    /// `limit`.
    pub async fn views_for(&self, user_id: i64, limit: i64) -> Result<Vec<StoredView>, AppError> {
        let sql = format!(
            "{VIEW_SELECT} WHERE v.deleted_at IS NULL AND (v.owner_id = $1 OR v.shared = 1) \
             ORDER BY v.name_key, v.id LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(view_from_row).collect()
    }

    /// One view that has not been deleted.
    pub async fn view_by_id(&self, id: i64) -> Result<Option<StoredView>, AppError> {
        let sql = format!("{VIEW_SELECT} WHERE v.id = $1 AND v.deleted_at IS NULL");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(view_from_row).transpose()
    }

    /// Saves a view (`name` already checked); a name the owner already uses is refused
    /// (422 `name`). Returns its id.
    pub async fn create_view(
        &self,
        owner_id: i64,
        name: &str,
        shared: bool,
        filter: &ViewFilter,
        now: Timestamp,
    ) -> Result<i64, AppError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO saved_views (owner_id, name, name_key, shared, severity, organization, plan, assignee, \
             statuses, stale_hours, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(owner_id)
        .bind(name)
        .bind(view_name_key(name))
        .bind(i64::from(shared))
        .bind(filter.severity)
        .bind(filter.organization.clone())
        .bind(filter.plan.clone())
        .bind(filter.assignee.clone())
        .bind(filter.statuses.join(","))
        .bind(filter.stale_hours)
        .bind(now.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(name_taken)?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a view that has not been deleted; `false` when there is none. A name its
    /// owner already uses is refused (422 `name`).
    pub async fn change_view(&self, id: i64, change: &ViewChange) -> Result<bool, AppError> {
        let mut tx = self.begin_write().await?;
        let mut done = true;
        if let Some(name) = &change.name {
            let updated =
                sqlx::query("UPDATE saved_views SET name = $1, name_key = $2 WHERE id = $3 AND deleted_at IS NULL")
                    .bind(name.clone())
                    .bind(view_name_key(name))
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(name_taken)?;
            done &= updated.rows_affected() > 0;
        }
        if let Some(shared) = change.shared {
            let updated = sqlx::query("UPDATE saved_views SET shared = $1 WHERE id = $2 AND deleted_at IS NULL")
                .bind(i64::from(shared))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            done &= updated.rows_affected() > 0;
        }
        if let Some(filter) = &change.filter {
            let updated = sqlx::query(
                "UPDATE saved_views SET severity = $1, organization = $2, plan = $3, assignee = $4, statuses = $5, \
                 stale_hours = $6 WHERE id = $7 AND deleted_at IS NULL",
            )
            .bind(filter.severity)
            .bind(filter.organization.clone())
            .bind(filter.plan.clone())
            .bind(filter.assignee.clone())
            .bind(filter.statuses.join(","))
            .bind(filter.stale_hours)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            done &= updated.rows_affected() > 0;
        }
        if done {
            tx.commit().await?;
        }
        Ok(done)
    }

    /// Deletes a view; `false` when there was none left to delete.
    pub async fn delete_view(&self, id: i64, now: Timestamp) -> Result<bool, AppError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE saved_views SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(now.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }
}
