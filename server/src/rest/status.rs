//! Platform status (#17): components and incidents (support writes them), the cases linked
//! to an incident (each update is posted on them), and the public status (`/status`).

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use app::backend::status::Affected;
use app::domain::status::{Component, IncidentPage, ManagedIncident, StatusBoard};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::json::{ApiJson, ApiQuery};

/// The public status: every component (`id`, `name`, `group`, `status`), the active
/// incidents and those resolved in the last 14 days (active first, each with its updates
/// newest first), and the maintenance windows. Public: no sign-in; it never names who
/// wrote an update nor which cases are linked.
#[utoipa::path(get, path = "/api/v1/status", security(()), responses((status = 200, body = StatusBoard)))]
pub(crate) async fn status_board(State(state): State<AppState>) -> Result<Json<StatusBoard>, AppError> {
    Ok(Json(app::backend::status::board(&state.store).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"name": "Compute", "group": "Infrastructure", "beta": false}))]
#[serde(deny_unknown_fields)]
pub struct ComponentRequest {
    /// 1 to 200 characters, one line.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// The group it is shown under: 1 to 200 characters, one line (absent or empty: none).
    #[serde(default)]
    pub group: Option<String>,
    /// A beta component (default false).
    #[serde(default)]
    pub beta: bool,
}

/// Adds a component of the platform; it starts `operational`. Recorded in the admin log
/// (`component.created`). Support only; a refused `name` or `group` is 422 naming it.
#[utoipa::path(post, path = "/api/v1/status/components", request_body = ComponentRequest,
    responses((status = 201, body = Component), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn create_component(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<ComponentRequest>,
) -> Result<(StatusCode, Json<Component>), AppError> {
    let component =
        app::backend::status::create_component(&state.store, &actor, &body.name, body.group.as_deref(), body.beta)
            .await?;
    Ok((StatusCode::CREATED, Json(component)))
}

/// Every component, by group then name (at most 500). Public, as the status page is.
#[utoipa::path(get, path = "/api/v1/status/components", security(()),
    responses((status = 200, body = Vec<Component>)))]
pub(crate) async fn list_components(State(state): State<AppState>) -> Result<Json<Vec<Component>>, AppError> {
    Ok(Json(app::backend::status::components(&state.store).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"status": "degraded_performance"}))]
#[serde(deny_unknown_fields)]
pub struct ComponentStatusChange {
    /// `operational`, `degraded_performance`, `partial_outage`, `major_outage` or
    /// `under_maintenance`.
    pub status: String,
}

/// An id in the path: anything but a number is none.
fn path_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// Sets a component's status by hand (outside any incident; an incident's next change
/// settles it again: the worst status an active incident gives it, else operational).
/// Recorded in the admin log (`component.status_changed`). Support only; a bad `status`
/// is 422.
#[utoipa::path(patch, path = "/api/v1/status/components/{id}", params(("id" = i64, Path, minimum = 1)),
    request_body = ComponentStatusChange,
    responses((status = 200, body = Component), (status = 403, body = AppError), (status = 404, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn change_component(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ComponentStatusChange>,
) -> Result<Json<Component>, AppError> {
    let id = path_id(&id)?;
    Ok(Json(app::backend::status::set_component_status(&state.store, &actor, id, &body.status).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AffectedComponentRequest {
    pub id: i64,
    /// The status the incident gives the component (as for a component's status).
    pub status: String,
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"title": "Compute: virtual machines fail to start",
    "components": [{"id": 1, "status": "major_outage"}], "message": "We are investigating."}))]
#[serde(deny_unknown_fields)]
pub struct IncidentRequest {
    /// 1 to 200 characters, one line.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// At most 100.
    #[serde(default)]
    pub components: Vec<AffectedComponentRequest>,
    /// The first update's message: 1 to 10,000 characters.
    #[schema(min_length = 1, max_length = 10000)]
    pub message: String,
}

/// Opens an incident (`investigating`) with its first update; each affected component
/// takes the worst status an active incident gives it. Support only. Refused, changing
/// nothing: a bad `title` or `message` (422), an unknown component or status (422
/// `components`).
#[utoipa::path(post, path = "/api/v1/status/incidents", request_body = IncidentRequest,
    responses((status = 201, body = ManagedIncident), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn open_incident(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<IncidentRequest>,
) -> Result<(StatusCode, Json<ManagedIncident>), AppError> {
    let affected: Vec<Affected> = body.components.iter().map(|c| Affected { id: c.id, status: &c.status }).collect();
    let incident =
        app::backend::status::open_incident(&state.store, &actor, &body.title, &affected, &body.message).await?;
    Ok((StatusCode::CREATED, Json(incident)))
}

/// `?cursor=&limit=` of the incidents list.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct IncidentListQuery {
    /// Incidents per page, 1 to 100 (default 20).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Incidents, active first, newest first within each, a page at a time (follow
/// `next_cursor`), with their linked cases' numbers. Support only. A bad `limit` or
/// `cursor` is 422 naming it.
#[utoipa::path(get, path = "/api/v1/status/incidents", params(IncidentListQuery),
    responses((status = 200, body = IncidentPage), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn list_incidents(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<IncidentListQuery>,
) -> Result<Json<IncidentPage>, AppError> {
    let limit = super::audit::limit_param(query.limit.as_deref(), "1 to 100")?;
    if limit.is_some_and(|l| !(1..=100).contains(&l)) {
        return Err(AppError::invalid(
            "limit",
            app::error::InvalidReason::Malformed { detail: "a number from 1 to 100".into() },
        ));
    }
    Ok(Json(app::backend::status::incidents(&state.store, &actor, query.cursor.as_deref(), limit).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"status": "resolved", "message": "Fixed: the hypervisors are back.", "resolve_cases": true}))]
#[serde(deny_unknown_fields)]
pub struct IncidentUpdateRequest {
    /// `investigating`, `identified`, `monitoring` or `resolved` (final).
    pub status: String,
    /// 1 to 10,000 characters.
    #[schema(min_length = 1, max_length = 10000)]
    pub message: String,
    /// With `status: resolved` only: each linked case the lifecycle allows is resolved
    /// (Fixed) after the message is posted on it.
    #[serde(default)]
    pub resolve_cases: bool,
}

/// Posts an update: the incident takes its status, and on each linked case (at most 500)
/// the incident's title and the message are a public support reply, mailed to the
/// customer by the usual rules. A resolving update puts its components back (operational
/// unless another active incident names them) and, with `resolve_cases`, resolves the
/// linked cases. Support only. Refused, changing nothing: a bad `status` or `message`,
/// an incident already resolved (422 `status`), `resolve_cases` without resolving (422
/// `resolve_cases`).
#[utoipa::path(post, path = "/api/v1/status/incidents/{id}/updates", params(("id" = i64, Path, minimum = 1)),
    request_body = IncidentUpdateRequest,
    responses((status = 201, body = ManagedIncident), (status = 403, body = AppError), (status = 404, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn post_incident_update(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<IncidentUpdateRequest>,
) -> Result<(StatusCode, Json<ManagedIncident>), AppError> {
    let id = path_id(&id)?;
    let incident =
        app::backend::status::post_update(&state.store, &actor, id, &body.status, &body.message, body.resolve_cases)
            .await?;
    Ok((StatusCode::CREATED, Json(incident)))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"number": 1042}))]
#[serde(deny_unknown_fields)]
pub struct IncidentCaseRequest {
    /// The case's number.
    pub number: i64,
}

/// Links a case to an active incident: its next updates are posted on it. At most 500
/// cases per incident. Linking again changes nothing. Support only. Refused, changing
/// nothing: no such case (422 `number`), a resolved incident (422 `status`), the 501st
/// case (422 `cases`).
#[utoipa::path(post, path = "/api/v1/status/incidents/{id}/cases", params(("id" = i64, Path, minimum = 1)),
    request_body = IncidentCaseRequest,
    responses((status = 200, body = ManagedIncident), (status = 403, body = AppError), (status = 404, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn link_incident_case(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<IncidentCaseRequest>,
) -> Result<Json<ManagedIncident>, AppError> {
    let id = path_id(&id)?;
    Ok(Json(app::backend::status::link_case(&state.store, &actor, id, body.number).await?))
}
