//! The organization admin's contacts and seats.

use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn own_slug(user: &crate::backend::store::UserRecord) -> Result<String, AppError> {
    user.organization_slug.clone().ok_or(AppError::Forbidden)
}

/// A page of the signed-in organization admin's contacts, by name, after `cursor` (empty:
/// the first page).
#[server(endpoint = "organization_contacts")]
pub async fn organization_contacts(
    #[server(default)] cursor: String,
) -> Result<crate::domain::people::Contacts, AppError> {
    super::request::as_caller(move |state, user| async move {
        let slug = own_slug(&user).await?;
        crate::backend::contacts::list(&state.store, &user, &slug, Some(cursor.as_str()), None).await
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

/// The organization's admin changes a contact's name, admin role and seat, all or nothing.
/// A ticked checkbox sends `on`, an unticked one nothing.
#[server(endpoint = "edit_contact")]
pub async fn edit_contact(
    user_id: i64,
    name: String,
    #[server(default)] org_admin: Option<String>,
    #[server(default)] opens_cases: Option<String>,
) -> Result<crate::domain::people::Contacts, AppError> {
    super::request::as_caller(move |state, user| async move {
        let edit = crate::backend::contacts::ContactEdit {
            name: Some(name),
            org_admin: Some(super::request::checkbox(org_admin.as_deref())),
            opens_cases: Some(super::request::checkbox(opens_cases.as_deref())),
        };
        crate::backend::contacts::edit(&state.store, &user, &own_slug(&user).await?, user_id, edit).await
    })
    .await
}

/// The organization's admin removes a contact (they can no longer sign in; their cases stay).
#[server(endpoint = "remove_contact")]
pub async fn remove_contact(user_id: i64) -> Result<crate::domain::people::Contacts, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::contacts::remove(&state.store, &user, &own_slug(&user).await?, user_id).await
    })
    .await
}

/// Emails an invited contact a new link; the old one stops working.
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(user_id: i64) -> Result<crate::domain::people::Contacts, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::invitations::resend(&state.store, &state.mail, &user, &own_slug(&user).await?, user_id).await
    })
    .await
}

/// Revokes an invited contact's link: it stops working.
#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(user_id: i64) -> Result<crate::domain::people::Contacts, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::invitations::revoke(&state.store, &user, &own_slug(&user).await?, user_id).await
    })
    .await
}
