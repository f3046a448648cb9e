//! Registration with approval: asking for an account (anyone; the same answer whatever
//! the address), confirming it from the emailed link, and the admins' list and decisions.

use leptos::prelude::*;

use crate::domain::registration::{Registration, RegistrationPage};
use crate::error::AppError;

/// Someone asks for an account from `/register`; their emails are written in the page's
/// language. The same answer whatever the address.
#[server(endpoint = "request_registration")]
pub async fn request_registration(
    email: String,
    name: String,
    organization_name: String,
    #[server(default)] message: String,
) -> Result<(), AppError> {
    use crate::backend::registration::{AccountRequest, request};
    super::request::anonymous(move |state| async move {
        let client = super::request::client_address_here().await;
        let asked = AccountRequest {
            email: &email,
            name: &name,
            organization_name: &organization_name,
            message: &message,
            language: super::request::browser_language(),
        };
        request(&state.store, &state.mail, &state.registration_limiter, client, asked).await?;
        Ok(())
    })
    .await
}

/// The person confirms their request with the token of the emailed link.
#[server(endpoint = "verify_registration")]
pub async fn verify_registration(token: String) -> Result<(), AppError> {
    super::request::anonymous(
        move |state| async move { crate::backend::registration::verify(&state.store, &token).await },
    )
    .await
}

/// A page of verified requests of `status` (empty: pending), oldest first, after `cursor`
/// (empty: the first page). Admins only.
#[server(endpoint = "registrations")]
pub async fn registrations(
    #[server(default)] status: String,
    #[server(default)] cursor: String,
) -> Result<RegistrationPage, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::registration::list(&state.store, &user, Some(status.as_str()), Some(cursor.as_str()), None)
            .await
    })
    .await
}

/// An admin approves a request into the organization `organization` (its slug).
#[server(endpoint = "approve_registration")]
pub async fn approve_registration(id: i64, organization: String) -> Result<Registration, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::registration::approve(&state.store, &state.mail, &user, id, &organization).await
    })
    .await
}

/// An admin rejects a request, with the reason emailed to the person.
#[server(endpoint = "reject_registration")]
pub async fn reject_registration(id: i64, reason: String) -> Result<Registration, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::registration::reject(&state.store, &user, id, &reason).await
    })
    .await
}
