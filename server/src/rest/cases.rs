//! Cases: opening, listing, reading, moving, replying, assigning, linking, severities.

use app::AppError;
use app::api::request::{Caller, CaseReference, case_number};
use app::backend::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;

use app::backend::{assignment, cases};
use app::domain::{Case, CaseDraft, Resolution, Status};

use super::json::ApiJson;

/// A customer opens a case for their organization (support may not: 403; support opens
/// cases for an organization at `POST /api/v1/organizations/{slug}/cases`). The severity must
/// be one the contract offers; a contact without a seat is refused (422 `reporter`).
#[utoipa::path(post, path = "/api/v1/cases", request_body = CaseDraft,
    params(("Idempotency-Key" = Option<String>, Header, max_length = 128, pattern = "^[!-~]*$",
        description = "A retry with the same key returns the first case (and `Idempotent-Replayed: true`)")),
    responses(
        (status = 201, body = Case,
            headers(("Idempotent-Replayed" = String, description = "`true`: the key was seen before, this is the case it opened"))),
        (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn open_case(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<CaseDraft>,
) -> Result<Response, AppError> {
    let key = app::api::request::idempotency_key(&headers)?;
    let opened = cases::open_case(&state.store, &user, draft, key).await?;
    let mut response = (StatusCode::CREATED, Json(opened.case)).into_response();
    if !opened.created {
        response.headers_mut().insert("idempotent-replayed", header::HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// Support opens a case for an organization: for one of its contacts who phoned (`reporter`:
/// a customer of that organization holding a seat; the case is theirs, under their contract,
/// and its log says who opened it for whom; they are emailed as usual), or, with no `reporter`
/// and `case.kind` = `maintenance`, a maintenance task that informs the whole organization
/// (no SLA clock). Customers: 403. Unknown organization: 404; a deactivated one: 422
/// `organization`; a contact of another organization, deactivated or without a seat: 422
/// `reporter`; no reporter for another kind: 422 `reporter`.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/cases",
    params(("slug" = String, Path, example = "acme"),
        ("Idempotency-Key" = Option<String>, Header, max_length = 128, pattern = "^[!-~]*$",
        description = "A retry with the same key returns the first case (and `Idempotent-Replayed: true`)")),
    request_body = app::backend::support_intake::SupportCaseRequest,
    responses(
        (status = 201, body = Case,
            headers(("Idempotent-Replayed" = String, description = "`true`: the key was seen before, this is the case it opened"))),
        (status = 403, body = AppError), (status = 404, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn open_case_for_organization(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<app::backend::support_intake::SupportCaseRequest>,
) -> Result<Response, AppError> {
    let key = app::api::request::idempotency_key(&headers)?;
    let opened = app::backend::support_intake::open_case_for(&state.store, &user, &slug, request.reporter, request.case, key)
        .await?;
    let mut response = (StatusCode::CREATED, Json(opened.case)).into_response();
    if !opened.created {
        response.headers_mut().insert("idempotent-replayed", header::HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The cases the caller may see (a customer: their organization's, without others' private
/// ones) that pass the filters, newest first, a page at a time: follow `next_cursor` (opaque;
/// `null` on the last page) with the same filters. A case opened meanwhile never shows up
/// inside a later page, and no case is listed twice. Bad parameters: 422 naming the field.
#[utoipa::path(get, path = "/api/v1/cases", params(app::backend::case_lists::CaseListQuery),
    responses((status = 200, body = app::domain::CaseList), (status = 422, body = AppError)))]
pub(crate) async fn list_cases(
    State(state): State<AppState>,
    Caller(user): Caller,
    super::json::ApiQuery(query): super::json::ApiQuery<app::backend::case_lists::CaseListQuery>,
) -> Result<Json<app::domain::CaseList>, AppError> {
    Ok(Json(app::backend::case_lists::list_cases(&state.store, &user, &query).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{number}", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")),
    responses((status = 200, body = Case)))]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
) -> Result<Json<Case>, AppError> {
    Ok(Json(cases::case_for(&state.store, &user, case_number(&number)?).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"case": 1002, "kind": "related"}))]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// The other case's number.
    pub case: CaseReference,
    #[serde(default = "related")]
    pub kind: app::domain::LinkKind,
}

pub(crate) fn related() -> app::domain::LinkKind {
    app::domain::LinkKind::Related
}

/// Links two cases (support only): `related`, or `duplicate_of`.
#[utoipa::path(post, path = "/api/v1/cases/{number}/links", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")), request_body = LinkRequest,
    responses((status = 200, body = Case), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn link_cases(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<LinkRequest>,
) -> Result<Json<Case>, AppError> {
    let number = case_number(&number)?;
    Ok(Json(cases::link(&state.store, &user, number, body.case.case_number("case")?, body.kind).await?))
}

/// The case's log as the caller may read it (customers never get internal entries).
#[utoipa::path(get, path = "/api/v1/cases/{number}/events", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")),
    responses((status = 200, description = "The case's events, oldest first", body = Vec<app::domain::CaseEvent>)))]
pub(crate) async fn case_timeline(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
) -> Result<Json<Vec<app::domain::CaseEvent>>, AppError> {
    Ok(Json(cases::timeline(&state.store, &user, case_number(&number)?).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"status": "confirmed", "expected_version": 1}))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: Status,
    pub resolution: Option<Resolution>,
    /// The version the caller saw; a stale one gets 409 with the current version.
    #[schema(minimum = 1)]
    pub expected_version: i64,
    /// With resolution `duplicate` (required then): the number of the case it duplicates.
    #[serde(default)]
    pub duplicate_of: Option<CaseReference>,
}

/// Moves a case (support; customers confirm a resolution or reopen: anything else is 403 or 422).
#[utoipa::path(post, path = "/api/v1/cases/{number}/status", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")), request_body = StatusChange,
    responses((status = 200, body = Case), (status = 403, body = AppError), (status = 409, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn change_status(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<StatusChange>,
) -> Result<Json<Case>, AppError> {
    let number = case_number(&number)?;
    Ok(Json(
        cases::change_status(
            &state.store,
            &user,
            number,
            body.status,
            body.resolution,
            body.expected_version,
            body.duplicate_of.map(|other| other.case_number("duplicate_of")).transpose()?,
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{number}/sla", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")),
    responses((status = 200, description = "The case's clocks: kind, state, due, remaining, explanation",
        body = Vec<app::domain::sla::SlaClock>)))]
pub(crate) async fn case_sla(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
) -> Result<Json<Vec<app::domain::sla::SlaClock>>, AppError> {
    Ok(Json(cases::case_clocks(&state.store, &user, case_number(&number)?).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"body": "Here are the logs you asked for."}))]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    /// At most 64 KiB of UTF-8.
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
    /// Support only: an internal note, never shown to the customer.
    #[serde(default)]
    pub internal: bool,
    /// The case version the writer saw when the draft began: a public reply to a case that
    /// changed since is refused with 409 (saying who changed it) unless `confirmed`; a
    /// version the case never had is refused (422).
    #[serde(default)]
    #[schema(minimum = 1)]
    pub seen_version: Option<i64>,
    #[serde(default)]
    pub confirmed: bool,
    /// Files uploaded for this reply (`POST /api/v1/uploads`), by id: attached with it in
    /// the same write (an id that is not the caller's upload refuses the reply, 422
    /// `attachments`). Not on internal notes.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub attachments: Vec<i64>,
}

#[utoipa::path(post, path = "/api/v1/cases/{number}/replies", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")), request_body = ReplyRequest,
    responses((status = 201, body = Case), (status = 409, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn reply(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<ReplyRequest>,
) -> Result<(StatusCode, Json<Case>), AppError> {
    let number = case_number(&number)?;
    let case =
        cases::reply_with_files(
            &state.store,
            &user,
            number,
            &body.body,
            body.internal,
            body.seen_version,
            body.confirmed,
            &body.attachments,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(case)))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"engineer": "me"}))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// A support person's email, `"me"`, `"auto"` (the automatic rule chooses: on shift,
    /// knows the product, speaks the customer's language, lightest load), or null to unassign.
    pub engineer: Option<String>,
    /// The version the caller saw; a newer case is refused with 409.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub expected_version: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/cases/{number}/assign", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")), request_body = AssignRequest,
    responses((status = 200, body = Case), (status = 403, body = AppError), (status = 409, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn assign(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<AssignRequest>,
) -> Result<Json<Case>, AppError> {
    let to = assignment::AssignTo::parse(body.engineer.as_deref());
    Ok(Json(assignment::assign(&state.store, &user, case_number(&number)?, to, body.expected_version).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"severity": 2, "expected_version": 1}))]
#[serde(deny_unknown_fields)]
pub struct SeverityChange {
    /// One the organization's contract offers.
    pub severity: app::domain::Severity,
    #[schema(minimum = 1)]
    pub expected_version: i64,
}

/// Support sets a case's severity; the new target applies from now (a promise already made
/// is never extended).
#[utoipa::path(post, path = "/api/v1/cases/{number}/severity", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")), request_body = SeverityChange,
    responses((status = 200, body = Case), (status = 403, body = AppError), (status = 409, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn change_severity(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<SeverityChange>,
) -> Result<Json<Case>, AppError> {
    let number = case_number(&number)?;
    Ok(Json(cases::change_severity(&state.store, &user, number, body.severity, body.expected_version).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"severity": 1, "reason": "Production is down for every user."}))]
#[serde(deny_unknown_fields)]
pub struct SeverityRaiseRequest {
    /// A more urgent level than the case's, that the contract offers.
    pub severity: app::domain::Severity,
    /// Why (required, at most 2,000 characters).
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// A customer asks support for a more urgent severity.
#[utoipa::path(post, path = "/api/v1/cases/{number}/severity-requests", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number")),
    request_body = SeverityRaiseRequest,
    responses((status = 201, body = Case), (status = 422, body = AppError)))]
pub(crate) async fn request_severity_raise(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<SeverityRaiseRequest>,
) -> Result<(StatusCode, Json<Case>), AppError> {
    let number = case_number(&number)?;
    let case = cases::request_severity_raise(&state.store, &user, number, body.severity, &body.reason).await?;
    Ok((StatusCode::CREATED, Json(case)))
}
