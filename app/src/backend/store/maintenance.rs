//! Maintenance windows as kept: one row each, the schedule as written (checked again when
//! read back, so a row the rules no longer accept is reported, never trusted).

use jiff::Timestamp;
use sqlx::Row;

use super::{Store, corrupt};
use crate::domain::maintenance::Maintenance;
use crate::error::AppError;

const SELECT: &str =
    "SELECT id, title, components, time_zone, start_local, duration_minutes, rrule FROM maintenance_windows";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Maintenance, AppError> {
    let components: String = row.try_get("components")?;
    Ok(Maintenance {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        components: serde_json::from_str(&components).map_err(|_| corrupt("maintenance components", &components))?,
        time_zone: row.try_get("time_zone")?,
        start: row.try_get("start_local")?,
        duration_minutes: row.try_get("duration_minutes")?,
        rrule: row.try_get("rrule")?,
    })
}

impl Store {
    /// Keeps a checked window; returns its id.
    pub async fn create_maintenance(&self, window: &Maintenance, by: i64, now: Timestamp) -> Result<i64, AppError> {
        let components = serde_json::to_string(&window.components).map_err(|_| AppError::Internal)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO maintenance_windows (title, components, time_zone, start_local, duration_minutes, rrule, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(window.title.clone())
        .bind(components)
        .bind(window.time_zone.clone())
        .bind(window.start.clone())
        .bind(window.duration_minutes)
        .bind(window.rrule.clone())
        .bind(by)
        .bind(now.to_string())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// At most `limit` windows, newest first, those with an id below `before` when given.
    pub async fn maintenances_page(&self, before: Option<i64>, limit: i64) -> Result<Vec<Maintenance>, AppError> {
        let sql = format!("{SELECT} WHERE id < $1 ORDER BY id DESC LIMIT $2");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// One window.
    pub async fn maintenance(&self, id: i64) -> Result<Option<Maintenance>, AppError> {
        let sql = format!("{SELECT} WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(from_row).transpose()
    }

    /// How many windows are kept (tests: nothing changed on a refusal).
    pub async fn maintenance_count(&self) -> Result<i64, AppError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM maintenance_windows").fetch_one(&self.pool).await?)
    }
}
