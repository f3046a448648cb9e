//! Notification preferences: which emails a person gets. Only the kinds their role receives
//! can be set; anything else is refused and nothing changes.

use super::store::{Store, UserRecord};
use crate::domain::NotificationKind;
use crate::error::{AppError, InvalidReason};

pub async fn preferences(store: &Store, user: &UserRecord) -> Result<Vec<(NotificationKind, bool)>, AppError> {
    store.notification_preferences(user.id, user.role).await
}

/// Sets kinds on or off, all or none: an unknown kind, or one of another role, refuses the lot.
pub async fn set_preferences(
    store: &Store,
    user: &UserRecord,
    changes: &[(String, bool)],
) -> Result<Vec<(NotificationKind, bool)>, AppError> {
    let mut checked = Vec::with_capacity(changes.len());
    for (name, enabled) in changes {
        match NotificationKind::parse(name).filter(|k| k.for_role(user.role)) {
            Some(kind) => checked.push((kind, *enabled)),
            None => {
                tracing::info!(user = user.id, kind = %name, "notification preference refused");
                return Err(AppError::invalid("kind", InvalidReason::NotAllowed));
            }
        }
    }
    store.set_notification_preferences(user.id, &checked).await?;
    tracing::info!(user = user.id, changed = checked.len(), "notification preferences saved");
    preferences(store, user).await
}
