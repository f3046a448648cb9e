//! A customer's verdict on a resolved case (`POST /api/v1/cases/{number}/verdict`).

use app::AppError;
use app::api::request::{Caller, case_number};
use app::backend::AppState;
use app::domain::{Case, Verdict};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::ToSchema;

use super::json::ApiJson;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictRequest {
    /// `solved` (Resolved → Closed) or `still_a_problem` (Resolved or Closed → Confirmed,
    /// resolution reopened).
    pub verdict: Verdict,
    /// Why it is still a problem: required with `still_a_problem`, posted as the
    /// customer's reply; ignored with `solved`.
    #[serde(default)]
    #[schema(max_length = 65536)]
    pub reason: String,
    /// The version the customer saw (a newer case answers 409).
    pub expected_version: i64,
}

/// Customers only: "Yes, it's solved" or "It's still a problem". Support answers 403
/// (support moves cases with `POST …/status`); a verdict the case does not offer now is
/// 422 `verdict`; reopening without a reason 422 `reason`.
#[utoipa::path(post, path = "/api/v1/cases/{number}/verdict", params(("number" = i64, Path)), request_body = VerdictRequest,
    responses((status = 200, body = Case), (status = 400, body = AppError), (status = 401, body = AppError),
        (status = 403, body = AppError), (status = 404, body = AppError), (status = 409, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn give_verdict(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<VerdictRequest>,
) -> Result<Json<Case>, AppError> {
    let number = case_number(&number)?;
    let case =
        app::backend::verdict::give(&state.store, &user, number, body.verdict, &body.reason, body.expected_version)
            .await?;
    Ok(Json(case))
}
