//! Reports: support metrics over a period, read from the daily rollups.

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use app::domain::metrics::{Report, ReportQuery};
use axum::Json;
use axum::extract::{Path, State};

/// `?from=&to=&group_by=&organization=&severity=&clock=` of a report.
#[derive(Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ReportParams {
    /// Start of the period, an RFC 3339 instant (`2026-01-01T00:00:00Z`); whole UTC days.
    pub from: Option<String>,
    /// End of the period (at most three years after `from`); the backlog is counted at `to`.
    pub to: Option<String>,
    /// `organization` (default), `plan`, `severity`, `engineer`, `product` or `week`.
    pub group_by: Option<String>,
    /// An organization's slug (support only; an organization admin always gets their own).
    pub organization: Option<String>,
    /// A severity level, 1 to 4.
    pub severity: Option<String>,
    /// `sla_achievement` only: `initial_response` (default) or `restore`.
    pub clock: Option<String>,
}

/// A report: `metric` is one of `first_response`, `resolution`, `sla_achievement`,
/// `backlog`, `reopen_rate`, `one_touch`; the answer carries the metric's written
/// definition and one group per key. Figures come from the daily rollups (cases counted on
/// the UTC day they were opened; medians and p90 from fixed buckets), never from the log.
/// Support and admins see every organization; an organization's admins their own; other
/// customers 403. Bad parameters: 422 naming the field.
#[utoipa::path(get, path = "/api/v1/reports/{metric}", params(("metric" = String, Path,
        description = "first_response, resolution, sla_achievement, backlog, reopen_rate or one_touch"), ReportParams),
    responses((status = 200, body = Report), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn get_report(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(metric): Path<String>,
    super::json::ApiQuery(params): super::json::ApiQuery<ReportParams>,
) -> Result<Json<Report>, AppError> {
    if !app::backend::reports::may_read_reports(&user) {
        return Err(AppError::Forbidden);
    }
    let query = ReportQuery::parse(
        &metric,
        params.from.as_deref(),
        params.to.as_deref(),
        params.group_by.as_deref(),
        params.organization.as_deref(),
        params.severity.as_deref(),
        params.clock.as_deref(),
    )?;
    Ok(Json(app::backend::reports::report(&state.store, &user, &query).await?))
}
