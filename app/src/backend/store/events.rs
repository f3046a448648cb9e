//! The event log: reading a case's history, replaying it, feeding live streams.

use sqlx::Row;

use super::rows::event_from_row;
use super::{CaseScope, Store, corrupt};
use crate::domain::{CaseEvent, CaseNumber, Visibility};
use crate::error::AppError;

/// One committed log entry as the live streams receive it.
#[derive(Debug)]
pub struct FeedItem {
    pub event: CaseEvent,
    pub organization_id: i64,
    pub reporter_id: i64,
    pub visibility: Visibility,
    /// The event as JSON, serialized once for every stream that sends it.
    pub json: String,
}

impl FeedItem {
    /// The same rule as the store's SQL scope, applied in memory (tested against it).
    pub fn visible_to(&self, scope: CaseScope, include_internal: bool) -> bool {
        if self.event.change.is_internal() && !include_internal {
            return false;
        }
        scope.allows(self.organization_id, self.reporter_id, self.visibility)
    }
}

impl Store {
    /// Every log entry after `after` (at most `limit`) with what a live stream filters on.
    pub async fn log_after(&self, after: i64, limit: i64) -> Result<Vec<FeedItem>, AppError> {
        let rows = sqlx::query(
            "SELECT c.number, c.organization_id, c.reporter_id, c.visibility, e.id, e.at, e.data, u.name AS actor \
         FROM case_events e JOIN cases c ON c.id = e.case_id LEFT JOIN users u ON u.id = e.actor_id \
         WHERE e.id > $1 ORDER BY e.id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let event = event_from_row(CaseNumber(row.try_get("number")?), row)?;
                let visibility: String = row.try_get("visibility")?;
                Ok(FeedItem {
                    json: serde_json::to_string(&event).map_err(|_| AppError::Internal)?,
                    event,
                    organization_id: row.try_get("organization_id")?,
                    reporter_id: row.try_get("reporter_id")?,
                    visibility: Visibility::parse(&visibility).ok_or_else(|| corrupt("visibility", &visibility))?,
                })
            })
            .collect()
    }
}


impl Store {
    /// The newest event id in the log (0 when empty).
    pub async fn last_event_id(&self) -> Result<i64, AppError> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM case_events").fetch_one(&self.pool).await?)
    }

    /// Events with `after < id <= up_to` of the cases `scope` may see, oldest first, at most
    /// `limit`; internal entries only when asked for. What live streams send and replay.
    pub async fn events_after(
        &self,
        after: i64,
        up_to: i64,
        scope: CaseScope,
        include_internal: bool,
        limit: i64,
    ) -> Result<Vec<CaseEvent>, AppError> {
        let sql = format!(
            "SELECT c.number, e.id, e.at, e.data, u.name AS actor FROM case_events e JOIN cases c ON c.id = e.case_id \
             LEFT JOIN users u ON u.id = e.actor_id WHERE {} AND (e.internal = 0 OR $5 = 1) AND e.id > $6 AND e.id <= $7 \
             ORDER BY e.id LIMIT $8",
            CaseScope::SQL
        );
        let rows = scope
            .query(sql)
            .bind(i64::from(include_internal))
            .bind(after)
            .bind(up_to)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| event_from_row(CaseNumber(row.try_get("number")?), row)).collect()
    }

    /// A case's event log, oldest first; internal entries only when asked for.
    pub async fn case_events(&self, number: CaseNumber, include_internal: bool) -> Result<Vec<CaseEvent>, AppError> {
        let rows = sqlx::query(
            "SELECT e.id, e.at, e.data, u.name AS actor FROM case_events e JOIN cases c ON c.id = e.case_id \
             LEFT JOIN users u ON u.id = e.actor_id WHERE c.number = $1 AND (e.internal = 0 OR $2 = 1) ORDER BY e.id",
        )
        .bind(number.0)
        .bind(i64::from(include_internal))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| event_from_row(number, row)).collect()
    }

    /// A log entry by id, with its case's internal id.
    pub async fn event_by_id(&self, event_id: i64) -> Result<Option<CaseEvent>, AppError> {
        let row = sqlx::query(
            "SELECT c.number, e.id, e.at, e.data, u.name AS actor FROM case_events e JOIN cases c ON c.id = e.case_id \
             LEFT JOIN users u ON u.id = e.actor_id WHERE e.id = $1",
        )
        .bind(event_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| event_from_row(CaseNumber(row.try_get("number")?), &row)).transpose()
    }
}
