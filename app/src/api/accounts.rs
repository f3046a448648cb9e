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
    use crate::backend::accounts::{SESSION_LIFETIME, authenticate, end_session, session_cookie, start_session};
    super::request::anonymous(move |state| async move {
        let client = super::request::client_address_here().await;
        let user = authenticate(&state.store, &state.sign_in_limiter, client, &email, &password).await?;
        // Rotate: whatever session the browser had is ended, a new secret is issued.
        if let Some(old) = super::request::session_secret() {
            end_session(&state.store, &old).await?;
        }
        let secret = start_session(&state.store, &user).await?;
        super::request::set_cookie(session_cookie(&secret, SESSION_LIFETIME, state.https));
        // Someone who never chose a language is written to in the one their browser reads.
        if !user.language_chosen {
            let language = super::request::browser_language();
            if language != user.language {
                state.store.set_user_language(user.id, language, false).await?;
            }
        }
        tracing::info!(user = user.id, "signed in");
        let signed_in = user.signed_in();
        leptos_axum::redirect(home_path(&signed_in));
        Ok(signed_in)
    })
    .await
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::backend::accounts::{end_session, session_cookie};
    super::request::anonymous(move |state| async move {
        if let Some(secret) = super::request::session_secret() {
            end_session(&state.store, &secret).await?;
        }
        super::request::set_cookie(session_cookie("", jiff::SignedDuration::ZERO, state.https));
        leptos_axum::redirect("/sign-in");
        Ok(())
    })
    .await
}

/// The signed-in person chooses the language of their pages and emails (the picker).
#[server(endpoint = "choose_language")]
pub async fn choose_language(language: String) -> Result<(), AppError> {
    use crate::backend::language::{language_cookie, supported};
    super::request::as_caller(move |state, user| async move {
        let language = supported(&language).filter(|l| *l == language.trim()).ok_or_else(|| {
            crate::error::AppError::invalid(
                "language",
                crate::error::InvalidReason::Malformed { detail: "one of en, fr, zh".into() },
            )
        })?;
        state.store.set_user_language(user.id, language, true).await?;
        super::request::set_cookie(language_cookie(language, state.https));
        Ok(())
    })
    .await
}

#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    super::request::anonymous(move |state| async move {
        match super::request::caller(&state).await {
            Ok(user) => Ok(Some(user.signed_in())),
            Err(AppError::Unauthenticated) => Ok(None),
            Err(e) => Err(e),
        }
    })
    .await
}

/// Someone invited chooses their password from the link they were emailed, and is signed in.
#[server(endpoint = "accept_invitation")]
pub async fn accept_invitation(token: String, password: String) -> Result<(), AppError> {
    use crate::backend::accounts::{SESSION_LIFETIME, session_cookie, start_session};
    super::request::anonymous(move |state| async move {
        let user = crate::backend::invitations::accept(&state.store, &token, &password).await?;
        let secret = start_session(&state.store, &user).await?;
        super::request::set_cookie(session_cookie(&secret, SESSION_LIFETIME, state.https));
        Ok(())
    })
    .await
}

/// Someone who forgot their password asks for a reset link: the same answer whatever the
/// address (the page says "if an account exists, we sent a link").
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    super::request::anonymous(move |state| async move {
        let client = super::request::client_address_here().await;
        crate::backend::password_reset::request(&state.store, &state.mail, &state.password_reset_limiter, client, &email)
            .await?;
        Ok(())
    })
    .await
}

/// Chooses a new password with the token of an emailed reset link (then the person signs in).
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    super::request::anonymous(move |state| async move {
        crate::backend::password_reset::confirm(&state.store, &token, &password).await?;
        Ok(())
    })
    .await
}
