//! The signed-in person's own settings (`/settings`): name, language, time zone, password,
//! browser sessions and API tokens.

use leptos::prelude::*;

use crate::domain::account::{ApiTokenSummary, Sessions};
use crate::domain::profile::UserProfile;
use crate::error::AppError;

#[server(endpoint = "account_profile")]
pub async fn account_profile() -> Result<UserProfile, AppError> {
    super::request::as_caller(
        move |state, user| async move { crate::backend::settings::profile(&state.store, &user).await },
    )
    .await
}

/// Saves name, language and time zone at once; the page language follows the new one.
#[server(endpoint = "save_account_profile")]
pub async fn save_account_profile(name: String, language: String, time_zone: String) -> Result<UserProfile, AppError> {
    super::request::as_caller(move |state, user| async move {
        let change = crate::domain::account::OwnChange {
            name: Some(name),
            language: Some(language),
            time_zone: Some(time_zone),
        };
        let saved = crate::backend::settings::change_own(&state.store, &user, change).await?;
        if let Some(language) = crate::backend::language::supported(&saved.language) {
            super::request::set_cookie(crate::backend::language::language_cookie(language, state.https));
        }
        Ok(saved)
    })
    .await
}

/// Changes the password (the current one must be right): every other session and every
/// API token ends; this browser stays signed in.
#[server(endpoint = "change_own_password")]
pub async fn change_own_password(current_password: String, new_password: String) -> Result<(), AppError> {
    super::request::as_caller(move |state, user| async move {
        let client = super::request::client_address_here().await;
        let keep = super::request::session_secret();
        crate::backend::accounts::change_password(
            &state.store,
            &state.sign_in_limiter,
            client,
            &user,
            &current_password,
            &new_password,
            keep.as_deref(),
        )
        .await
    })
    .await
}

#[server(endpoint = "account_sessions")]
pub async fn account_sessions() -> Result<Sessions, AppError> {
    super::request::as_caller(move |state, user| async move {
        let current = super::request::session_secret();
        crate::backend::settings::sessions(&state.store, &user, current.as_deref()).await
    })
    .await
}

#[server(endpoint = "end_account_session")]
pub async fn end_account_session(id: String) -> Result<(), AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::settings::end_session(&state.store, &user, &id).await
    })
    .await
}

/// Ends every session but this browser's; how many ended.
#[server(endpoint = "end_other_sessions")]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    super::request::as_caller(move |state, user| async move {
        let current = super::request::session_secret();
        crate::backend::settings::end_other_sessions(&state.store, &user, current.as_deref()).await
    })
    .await
}

#[server(endpoint = "account_api_tokens")]
pub async fn account_api_tokens() -> Result<Vec<ApiTokenSummary>, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::accounts::api_tokens(&state.store, &user, None).await
    })
    .await
}

#[server(endpoint = "revoke_account_api_token")]
pub async fn revoke_account_api_token(id: i64) -> Result<(), AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::accounts::revoke_api_token(&state.store, &user, id).await
    })
    .await
}
