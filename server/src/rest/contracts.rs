//! Plans, contracts and the SLA preview.

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;

use app::backend::contracts;

use super::json::ApiJson;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// The organization's slug (required for support; customers may omit it: their own).
    #[param(example = "acme")]
    pub organization: Option<String>,
    /// The severity (anything else is refused: 422 `severity`).
    #[param(value_type = app::domain::Severity)]
    pub severity: String,
    /// RFC 3339; default now.
    #[param(value_type = Option<String>, format = DateTime)]
    pub opened_at: Option<String>,
}

/// The clocks a case would get: for a customer, under their organization's contract; for
/// support, under the named organization's.
#[utoipa::path(get, path = "/api/v1/sla/preview", params(PreviewQuery),
    responses((status = 200, body = contracts::SlaPreview), (status = 403, body = AppError),
        (status = 404, body = AppError, description = "No such organization, or not the caller's"),
        (status = 422, body = AppError)))]
pub(crate) async fn sla_preview(
    State(state): State<AppState>,
    Caller(user): Caller,
    super::json::ApiQuery(query): super::json::ApiQuery<PreviewQuery>,
) -> Result<Json<contracts::SlaPreview>, AppError> {
    let severity = query
        .severity
        .trim()
        .parse::<u8>()
        .ok()
        .and_then(|n| app::domain::Severity::try_from(n).ok())
        .ok_or_else(|| invalid("severity", "1, 2, 3 or 4"))?;
    let opened_at = match query.opened_at.as_deref() {
        Some(text) => text.parse::<jiff::Timestamp>().map_err(|_| invalid("opened_at", "an RFC 3339 instant"))?,
        None => jiff::Timestamp::now(),
    };
    let contract = contracts::contract_for(&state.store, &user, query.organization.as_deref()).await?;
    Ok(Json(contracts::preview(&contract, severity, opened_at)?))
}

pub(crate) fn invalid(field: &str, expected: &str) -> AppError {
    AppError::invalid(field, app::error::InvalidReason::Malformed { detail: format!("expected {expected}") })
}

/// The plans with their targets: support reads every preset and custom plan; a customer the
/// presets and their own organization's plan (never another customer's custom plan).
#[utoipa::path(get, path = "/api/v1/plans",
    responses((status = 200, description = "Preset and custom plans with their targets", body = Vec<app::domain::plan::SupportPlan>)))]
pub(crate) async fn list_plans(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> Result<Json<Vec<app::domain::plan::SupportPlan>>, AppError> {
    Ok(Json(contracts::plans_for(&state.store, &user).await?))
}

/// An admin saves a custom plan (a preset's id is refused: 422 `id`; so is an id unlike the path's).
#[utoipa::path(put, path = "/api/v1/plans/{id}", params(("id" = String, Path, example = "acme-custom")),
    request_body = app::domain::plan::SupportPlan,
    responses((status = 200, description = "The custom plan as saved", body = app::domain::plan::SupportPlan),
        (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn put_plan(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(plan): ApiJson<app::domain::plan::SupportPlan>,
) -> Result<Json<app::domain::plan::SupportPlan>, AppError> {
    if plan.id != id {
        return Err(AppError::invalid("id", app::error::InvalidReason::NotAllowed));
    }
    Ok(Json(contracts::save_custom_plan(&state.store, &actor, plan).await?))
}

#[utoipa::path(put, path = "/api/v1/organizations/{slug}/contract", params(("slug" = String, Path, example = "acme")),
    request_body = contracts::ContractRequest,
    responses((status = 200, description = "The contract now in force", body = app::domain::sla::ContractTerms),
        (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn put_contract(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<contracts::ContractRequest>,
) -> Result<Json<app::domain::sla::ContractTerms>, AppError> {
    let contract = contracts::set_contract(&state.store, &actor, &slug, request).await?;
    Ok(Json(contract.terms().clone()))
}

/// `?product=&version=&organization=` of the version check.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct VersionQuery {
    /// The product as the organization's product list names it (any letter case).
    pub product: Option<String>,
    /// The version the customer runs, `8.19.2`.
    pub version: Option<String>,
    /// Support names the organization (its slug); a customer's own when omitted.
    pub organization: Option<String>,
}

/// Whether support covers a version of one of the organization's products, as the wizard
/// warns before a case is filed ("Kibana 8.19 is no longer supported: upgrade to 9.1").
/// Missing `product` or `version`: 422 naming it; support without `organization`: 422; another
/// organization than the customer's own: 404.
#[utoipa::path(get, path = "/api/v1/products/version-support", params(VersionQuery),
    responses((status = 200, body = app::backend::contracts::VersionVerdict), (status = 404, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn version_support(
    State(state): State<AppState>,
    Caller(user): Caller,
    super::json::ApiQuery(query): super::json::ApiQuery<VersionQuery>,
) -> Result<Json<app::backend::contracts::VersionVerdict>, AppError> {
    Ok(Json(
        contracts::version_verdict(
            &state.store,
            &user,
            query.organization.as_deref(),
            query.product.as_deref().unwrap_or(""),
            query.version.as_deref().unwrap_or(""),
        )
        .await?,
    ))
}
