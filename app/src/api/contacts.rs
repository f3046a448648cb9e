//! The organization admin's contacts and seats.

use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn own_slug(user: &crate::backend::store::UserRecord) -> Result<String, AppError> {
    user.organization_slug.clone().ok_or(AppError::Forbidden)
}

#[server(endpoint = "organization_contacts")]
pub async fn organization_contacts() -> Result<crate::domain::people::Contacts, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::contacts::list(&state.store, &user, &own_slug(&user).await?).await
    })
    .await
}

#[server(endpoint = "set_case_opener")]
pub async fn set_case_opener(user_id: i64, opens: bool) -> Result<crate::domain::people::Contacts, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::contacts::set_opener(&state.store, &user, &own_slug(&user).await?, user_id, opens).await
    })
    .await
}

/// The organization's admin invites a contact (name, email, whether they take a seat).
#[server(endpoint = "invite_contact")]
pub async fn invite_contact(
    name: String,
    email: String,
    #[server(default)] opens_cases: Option<String>,
) -> Result<crate::domain::people::Contacts, AppError> {
    super::request::as_caller(move |state, user| async move {
        let invitation = crate::backend::invitations::Invitation { name, email, opens_cases: opens_cases.is_some() };
        crate::backend::invitations::invite(&state.store, &state.mail, &user, &own_slug(&user).await?, invitation).await
    })
    .await
}
