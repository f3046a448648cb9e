//! Each person's notification preferences.

use sqlx::Row;

use super::{Store, flag};
use crate::domain::NotificationKind;
use crate::error::AppError;

impl Store {
    /// A person's notification preferences: every kind they can set, and whether it is on.
    pub async fn notification_preferences(
        &self,
        user_id: i64,
        role: crate::domain::Role,
    ) -> Result<Vec<(NotificationKind, bool)>, AppError> {
        let rows = sqlx::query("SELECT kind, enabled FROM notification_preferences WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(self.pool())
            .await?;
        let mut set = std::collections::HashMap::new();
        for row in rows {
            set.insert(row.try_get::<String, _>("kind")?, flag(&row, "enabled")?);
        }
        Ok(NotificationKind::settable_by(role)
            .into_iter()
            .map(|kind| (kind, set.get(kind.as_str()).copied().unwrap_or(kind.on_by_default())))
            .collect())
    }

    pub async fn set_notification_preferences(
        &self,
        user_id: i64,
        changes: &[(NotificationKind, bool)],
    ) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        for (kind, enabled) in changes {
            sqlx::query(
                "INSERT INTO notification_preferences (user_id, kind, enabled) VALUES ($1, $2, $3) \
                 ON CONFLICT(user_id, kind) DO UPDATE SET enabled = excluded.enabled",
            )
            .bind(user_id)
            .bind(kind.as_str())
            .bind(i64::from(*enabled))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
