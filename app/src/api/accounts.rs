//! Signing in and out, and who is signed in.

use leptos::prelude::*;

use crate::domain::SignedInUser;
use crate::error::AppError;

/// Where a user lands after signing in.
pub fn home_path(user: &SignedInUser) -> &'static str {
    if user.role.is_support() { "/board" } else { "/cases" }
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<SignedInUser, AppError> {
    use super::request;
    use crate::backend::accounts::{SESSION_LIFETIME, authenticate, end_session, session_cookie, start_session};
    request::respond(
        async move {
            let state = request::state()?;
            let user = authenticate(&state.store, &state.sign_in_limiter, &email, &password).await?;
            // Rotate: whatever session the browser had is ended, a new secret is issued.
            if let Some(old) = request::session_secret().await {
                end_session(&state.store, &old).await?;
            }
            let secret = start_session(&state.store, &user).await?;
            request::set_cookie(session_cookie(&secret, SESSION_LIFETIME));
            tracing::info!(user = user.id, "signed in");
            let signed_in = user.signed_in();
            leptos_axum::redirect(home_path(&signed_in));
            Ok(signed_in)
        }
        .await,
    )
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::request;
    use crate::backend::accounts::{end_session, session_cookie};
    request::respond(
        async move {
            let state = request::state()?;
            if let Some(secret) = request::session_secret().await {
                end_session(&state.store, &secret).await?;
            }
            request::set_cookie(session_cookie("", jiff::SignedDuration::ZERO));
            leptos_axum::redirect("/sign-in");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            match request::user(&state).await {
                Ok(user) => Ok(Some(user.signed_in())),
                Err(AppError::Unauthenticated) => Ok(None),
                Err(e) => Err(e),
            }
        }
        .await,
    )
}

/// Someone invited chooses their password from the link they were emailed, and is signed in.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, password: String) -> Result<(), AppError> {
    use super::request;
    use crate::backend::accounts::{SESSION_LIFETIME, session_cookie, start_session};
    request::respond(
        async move {
            let state = request::state()?;
            let user = crate::backend::invitations::accept(&state.store, &token, &password).await?;
            let secret = start_session(&state.store, &user).await?;
            request::set_cookie(session_cookie(&secret, SESSION_LIFETIME));
            Ok(())
        }
        .await,
    )
}
