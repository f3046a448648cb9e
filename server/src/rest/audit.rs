//! The admin log.

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use app::domain::audit::AuditPage;
use axum::Json;
use axum::extract::State;

/// `?limit=&cursor=` of the admin log.
#[derive(Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct AuditQuery {
    /// Entries per page, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Reads a `limit` query parameter: a number, or 422 `limit`.
pub(crate) fn limit_param(text: Option<&str>, range: &str) -> Result<Option<i64>, AppError> {
    match text.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(None),
        Some(text) => Ok(Some(text.parse::<i64>().map_err(|_| {
            AppError::invalid(
                "limit",
                app::error::InvalidReason::Malformed { detail: format!("a number from {range}") },
            )
        })?)),
    }
}

/// The admin log, newest first, a page at a time (follow `next_cursor`): every admin action
/// with who made it, when, on what, and the state before and after. Admins only. Bad
/// `limit` or `cursor`: 422.
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn list_audit(
    State(state): State<AppState>,
    Caller(user): Caller,
    super::json::ApiQuery(query): super::json::ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    let limit = limit_param(query.limit.as_deref(), "1 to 200")?;
    Ok(Json(app::backend::audit::page(&state.store, &user, query.cursor.as_deref(), limit).await?))
}

/// The first-run checklist (admins only): whether an organization, a custom plan and an
/// engineer exist yet, and where email goes (the transport's URL and credentials are never
/// shown). The home page shows it to an admin until the first two steps are done.
#[utoipa::path(get, path = "/api/v1/admin/checklist",
    responses((status = 200, body = app::domain::first_run::FirstRunChecklist), (status = 403, body = AppError)))]
pub(crate) async fn first_run_checklist(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> Result<Json<app::domain::first_run::FirstRunChecklist>, AppError> {
    Ok(Json(app::backend::first_run::checklist(&state.store, &user, &state.mail).await?))
}
