//! Notification preferences: which emails the signed-in person gets.

use leptos::prelude::*;

use crate::domain::NotificationKind;
use crate::error::AppError;

#[server(endpoint = "notification_preferences")]
pub async fn notification_preferences() -> Result<Vec<(NotificationKind, bool)>, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            crate::backend::notifications::preferences(&state.store, &user).await
        }
        .await,
    )
}

#[server(endpoint = "set_notification_preference")]
pub async fn set_notification_preference(kind: String, enabled: bool) -> Result<Vec<(NotificationKind, bool)>, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            crate::backend::notifications::set_preferences(&state.store, &user, &[(kind, enabled)]).await
        }
        .await,
    )
}
