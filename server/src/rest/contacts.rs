//! An organization's contacts, seats and invitations.

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::json::ApiJson;

/// `?limit=&cursor=` of the contacts list.
#[derive(Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ContactListQuery {
    /// Contacts per page, 1 to 1,000 (default 100).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The organization's contacts by name, a page at a time (follow `next_cursor`), and its
/// seats (its admins and Caseboard admins only). Bad `limit` or `cursor`: 422.
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/contacts", params(("slug" = String, Path, example = "acme"), ContactListQuery),
    responses((status = 200, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn list_contacts(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    super::json::ApiQuery(query): super::json::ApiQuery<ContactListQuery>,
) -> Result<Json<app::domain::people::Contacts>, AppError> {
    let limit = match query.limit.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(text) => Some(text.parse::<i64>().map_err(|_| {
            AppError::invalid("limit", app::error::InvalidReason::Malformed { detail: "a number from 1 to 1000".into() })
        })?),
    };
    Ok(Json(app::backend::contacts::list(&state.store, &user, &slug, query.cursor.as_deref(), limit).await?))
}

/// A contact's id in the path: anything but a number is no contact of this organization.
fn contact_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// Changes a contact's name, organization-admin role and seat, all or nothing; a field left
/// out stays as it is. Past the plan's seats it is refused on `opens_cases`; demoting the
/// organization's last admin on `org_admin` (`last_admin`). Another organization's contact
/// is not found.
#[utoipa::path(put, path = "/api/v1/organizations/{slug}/contacts/{id}", params(("slug" = String, Path, example = "acme"), ("id" = i64, Path, example = 1)),
    request_body = app::backend::contacts::ContactEdit,
    responses((status = 200, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn put_contact(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<app::backend::contacts::ContactEdit>,
) -> Result<Json<app::domain::people::Contacts>, AppError> {
    Ok(Json(app::backend::contacts::edit(&state.store, &user, &slug, contact_id(&id)?, body).await?))
}

/// Removes a contact from the organization: they can no longer sign in (their sessions,
/// tokens and invitation links end), write in by email or be told of its cases; the cases
/// they opened or answered stay, under their name. The organization's last admin cannot be
/// removed (422 on `contact`, `last_admin`). Inviting the address again brings them back.
#[utoipa::path(delete, path = "/api/v1/organizations/{slug}/contacts/{id}", params(("slug" = String, Path, example = "acme"), ("id" = i64, Path, example = 1)),
    responses((status = 200, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn remove_contact(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<app::domain::people::Contacts>, AppError> {
    Ok(Json(app::backend::contacts::remove(&state.store, &user, &slug, contact_id(&id)?).await?))
}

/// Emails an invited contact a new link (seven days, once); every earlier link stops
/// working. Refused for a contact who has signed up (422 on `invitation`,
/// `already_accepted`), and past three invitation mails to one person in a day (429).
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/contacts/{id}/invitation", params(("slug" = String, Path, example = "acme"), ("id" = i64, Path, example = 1)),
    responses((status = 200, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 422, body = AppError), (status = 429, body = AppError)))]
pub(crate) async fn resend_invitation(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<app::domain::people::Contacts>, AppError> {
    let id = contact_id(&id)?;
    Ok(Json(app::backend::invitations::resend(&state.store, &state.mail, &user, &slug, id).await?))
}

/// Revokes an invited contact's link: it stops working. The contact stays listed (status
/// `invitation_revoked`): send a new link, or remove them. Refused for a contact who has
/// signed up (422 on `invitation`, `already_accepted`).
#[utoipa::path(delete, path = "/api/v1/organizations/{slug}/contacts/{id}/invitation", params(("slug" = String, Path, example = "acme"), ("id" = i64, Path, example = 1)),
    responses((status = 200, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn revoke_invitation(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<app::domain::people::Contacts>, AppError> {
    Ok(Json(app::backend::invitations::revoke(&state.store, &user, &slug, contact_id(&id)?).await?))
}

/// The organization's admin invites a contact: the account is made and the person is
/// emailed a link (seven days, once) to choose their password.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/contacts", params(("slug" = String, Path, example = "acme")),
    request_body = app::backend::invitations::Invitation,
    responses((status = 201, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn invite_contact(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<app::backend::invitations::Invitation>,
) -> Result<(StatusCode, Json<app::domain::people::Contacts>), AppError> {
    let contacts = app::backend::invitations::invite(&state.store, &state.mail, &user, &slug, body).await?;
    Ok((StatusCode::CREATED, Json(contacts)))
}
