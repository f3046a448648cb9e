//! An organization's contacts, seats and invitations.

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::json::ApiJson;

/// The organization's contacts and its seats (its admins and Caseboard admins only).
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/contacts", params(("slug" = String, Path, example = "acme")),
    responses((status = 200, body = app::domain::people::Contacts), (status = 403, body = AppError)))]
pub(crate) async fn list_contacts(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
) -> Result<Json<app::domain::people::Contacts>, AppError> {
    Ok(Json(app::backend::contacts::list(&state.store, &user, &slug).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactChange {
    /// Whether the contact holds a seat (may open cases); refused past the plan's seats.
    pub opens_cases: bool,
}

#[utoipa::path(put, path = "/api/v1/organizations/{slug}/contacts/{id}", params(("slug" = String, Path, example = "acme"), ("id" = i64, Path, example = 1)),
    request_body = ContactChange,
    responses((status = 200, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn put_contact(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<ContactChange>,
) -> Result<Json<app::domain::people::Contacts>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(app::backend::contacts::set_opener(&state.store, &user, &slug, id, body.opens_cases).await?))
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
