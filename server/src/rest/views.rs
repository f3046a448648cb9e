//! Saved views ("queues"): a support person's named board filters, private or shared with
//! the team, listed with their counts.

use app::AppError;
use app::backend::AppState;
use app::backend::store::ViewChange;
use app::domain::{SavedView, ViewFilter};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, Caller};

/// The views the caller sees, by name.
#[derive(Serialize, ToSchema)]
pub struct ViewList {
    /// The caller's own views and those shared with the team, by name (at most 200).
    pub views: Vec<SavedView>,
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"name": "Waiting on us > 2 days", "shared": true,
    "filter": {"statuses": ["new", "confirmed", "assigned"], "stale_hours": 48}}))]
#[serde(deny_unknown_fields)]
pub struct ViewRequest {
    /// 1 to 80 characters once trimmed; not the name of another of the caller's views
    /// (whatever the case).
    #[schema(min_length = 1, max_length = 80)]
    pub name: String,
    /// Shown to the whole support team (default: the caller only).
    #[serde(default)]
    pub shared: bool,
    /// No filter: every open case.
    #[serde(default)]
    pub filter: ViewFilter,
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"name": "Sev 1 unassigned", "shared": false}))]
#[serde(deny_unknown_fields)]
pub struct ViewPatch {
    /// A new name (the same rules as when saving).
    #[schema(min_length = 1, max_length = 80)]
    #[serde(default)]
    pub name: Option<String>,
    /// Share with the team (`true`) or keep to oneself (`false`).
    #[serde(default)]
    pub shared: Option<bool>,
    /// A new filter, replacing the whole filter.
    #[serde(default)]
    pub filter: Option<ViewFilter>,
}

fn view_id(id: &str) -> Result<i64, AppError> {
    id.parse().ok().filter(|id| *id > 0).ok_or_else(|| AppError::Malformed { detail: "not a view id".into() })
}

/// The caller's saved views and those shared with the support team, by name, each with
/// its count of open cases (for the caller: `assignee: mine` is theirs), stopping at
/// 10,000 (`more`). Support only.
#[utoipa::path(get, path = "/api/v1/views",
    responses((status = 200, body = ViewList), (status = 403, body = AppError)))]
pub(crate) async fn list_views(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> Result<Json<ViewList>, AppError> {
    Ok(Json(ViewList { views: app::backend::views::list_views(&state.store, &user).await? }))
}

/// Saves a board filter as a view ("queue"). Support only. An empty or too long name, one
/// the caller already uses, or a filter value that means nothing (an unknown status,
/// organization or plan, a severity of 7) is refused: 422 naming the field (`name`,
/// `filter.statuses`, …).
#[utoipa::path(post, path = "/api/v1/views", request_body = ViewRequest,
    responses((status = 201, body = SavedView), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn create_view(
    State(state): State<AppState>,
    Caller(user): Caller,
    ApiJson(body): ApiJson<ViewRequest>,
) -> Result<(StatusCode, Json<SavedView>), AppError> {
    let view = app::backend::views::create_view(&state.store, &user, &body.name, body.shared, &body.filter).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Renames a view, shares or unshares it, or replaces its filter: its owner only (another
/// person's shared view: 403; their private one: 404, as a missing one).
#[utoipa::path(patch, path = "/api/v1/views/{id}", params(("id" = i64, Path, minimum = 1, description = "The view's id")),
    request_body = ViewPatch,
    responses((status = 200, body = SavedView), (status = 400, body = AppError), (status = 403, body = AppError),
        (status = 404, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn change_view(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ViewPatch>,
) -> Result<Json<SavedView>, AppError> {
    let id = view_id(&id)?;
    let change = ViewChange { name: body.name, shared: body.shared, filter: body.filter };
    Ok(Json(app::backend::views::change_view(&state.store, &user, id, change).await?))
}

/// Deletes a view: its owner, or an administrator when it is shared (another person's
/// private view: 404).
#[utoipa::path(delete, path = "/api/v1/views/{id}", params(("id" = i64, Path, minimum = 1, description = "The view's id")),
    responses((status = 204), (status = 400, body = AppError), (status = 403, body = AppError), (status = 404, body = AppError)))]
pub(crate) async fn delete_view(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app::backend::views::delete_view(&state.store, &user, view_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
