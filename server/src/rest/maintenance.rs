//! Maintenance windows of the platform status: planned by support, read by everyone signed
//! in, their occurrences in UTC; and the public iCalendar feed `/status/maintenance.ics`.

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use app::domain::maintenance::{Maintenance, MaintenanceDraft, MaintenancePage, Occurrences};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::json::{ApiJson, ApiQuery};

/// Plans a maintenance window (support only; customers 403): a first start as a local
/// wall-clock time in an IANA zone, a duration in elapsed minutes (1 to 7 days) and an
/// optional RFC 5545 rule (at most daily). 422 names the wrong field (`title`, `components`,
/// `time_zone`, `start`, `duration_minutes`, `rrule`); a refusal changes nothing.
/// `components` are not checked against the platform's components yet.
#[utoipa::path(post, path = "/api/v1/status/maintenances", request_body = MaintenanceDraft,
    responses((status = 201, body = Maintenance), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn create_maintenance(
    State(state): State<AppState>,
    Caller(user): Caller,
    ApiJson(draft): ApiJson<MaintenanceDraft>,
) -> Result<(StatusCode, Json<Maintenance>), AppError> {
    let window = app::backend::maintenance::create(&state.store, &user, draft).await?;
    Ok((StatusCode::CREATED, Json(window)))
}

/// `?limit=&cursor=` of the maintenance windows list.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct MaintenanceListQuery {
    /// Windows per page, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The maintenance windows, newest first, a page at a time (follow `next_cursor`; everyone
/// signed in). Bad `limit` or `cursor`: 422 naming it.
#[utoipa::path(get, path = "/api/v1/status/maintenances", params(MaintenanceListQuery),
    responses((status = 200, body = MaintenancePage), (status = 422, body = AppError)))]
pub(crate) async fn list_maintenances(
    State(state): State<AppState>,
    Caller(_user): Caller,
    ApiQuery(query): ApiQuery<MaintenanceListQuery>,
) -> Result<Json<MaintenancePage>, AppError> {
    let limit = match query.limit.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(text) => Some(text.parse::<i64>().map_err(|_| {
            AppError::invalid("limit", app::error::InvalidReason::Malformed { detail: "a number from 1 to 200".into() })
        })?),
    };
    Ok(Json(app::backend::maintenance::list(&state.store, query.cursor.as_deref(), limit).await?))
}

/// `?from=&to=` of a window's occurrences.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct OccurrenceQuery {
    /// The span's start, an instant in UTC (`2026-01-01T00:00:00Z`), from the year 2000 on.
    pub from: Option<String>,
    /// The span's end (exclusive), at most 400 days after `from`.
    pub to: Option<String>,
}

/// A window's occurrences that overlap `[from, to)`, in UTC, sorted by start (everyone
/// signed in). Occurrences keep their local time across DST changes and last their duration
/// in elapsed time. A span over 400 days or holding over 1000 occurrences: 422 `to`.
#[utoipa::path(get, path = "/api/v1/status/maintenances/{id}/occurrences",
    params(("id" = i64, Path, example = 1), OccurrenceQuery),
    responses((status = 200, body = Occurrences), (status = 404, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn maintenance_occurrences(
    State(state): State<AppState>,
    Caller(_user): Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<OccurrenceQuery>,
) -> Result<Json<Occurrences>, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let from = app::backend::maintenance::instant("from", query.from.as_deref())?;
    let to = app::backend::maintenance::instant("to", query.to.as_deref())?;
    Ok(Json(app::backend::maintenance::occurrences(&state.store, id, from, to).await?))
}

/// `/status/maintenance.ics`: every maintenance window as an iCalendar feed (public, like
/// the status page), for calendars to subscribe to.
pub async fn maintenance_feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let host = state
        .mail
        .public_url
        .split("://")
        .nth(1)
        .unwrap_or("caseboard")
        .split(['/', ':'])
        .next()
        .unwrap_or("caseboard");
    let text = app::backend::maintenance_calendar::feed(&state.store, host).await?;
    let mut response = text.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(response)
}
