//! Notification preferences: which emails the signed-in person gets.

use leptos::prelude::*;

use crate::domain::NotificationKind;
use crate::error::AppError;

#[server(endpoint = "notification_preferences")]
pub async fn notification_preferences() -> Result<Vec<(NotificationKind, bool)>, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::notifications::preferences(&state.store, &user).await
    })
    .await
}

#[server(endpoint = "set_notification_preference")]
pub async fn set_notification_preference(
    kind: String,
    enabled: bool,
) -> Result<Vec<(NotificationKind, bool)>, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::notifications::set_preferences(&state.store, &user, &[(kind, enabled)]).await
    })
    .await
}
