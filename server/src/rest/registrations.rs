//! Registration with approval: anyone asks for an account (`/auth/register`, the same 202
//! whatever the address) and confirms it from the emailed link (`/auth/register/verify`);
//! admins list the confirmed requests and approve or reject each (`/registrations`).

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use app::backend::language::{LANGUAGE_COOKIE, page_language};
use app::backend::registration::{AccountRequest, RegistrationRequested};
use app::domain::registration::{Registration, RegistrationPage};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use utoipa::ToSchema;

use super::accounts::ClientAddress;
use super::json::ApiJson;

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"email": "dana@initrode.example", "name": "Dana Reed", "organization_name": "Initrode",
    "message": "We bought the Gold plan last week."}))]
#[serde(deny_unknown_fields)]
pub struct RegistrationRequest {
    #[schema(min_length = 1)]
    pub email: String,
    /// 1 to 200 characters, one line.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// The organization they say they work for: 1 to 200 characters, one line.
    #[schema(min_length = 1, max_length = 200)]
    pub organization_name: String,
    /// For the admins: at most 4,000 characters; may be empty.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub message: String,
}

/// Asks for an account. The answer is the same (202, same body) whatever the address: a
/// new address is emailed a link to confirm the request (once, within 24 hours); an
/// address that has an account is emailed a note saying so (how to sign in or reset the
/// password) and nothing is kept. The emails are in the caller's language (the language
/// cookie, else `Accept-Language`). Past three requests a day for one address the answer
/// stays the same and nothing more is sent; past ten a minute from one client address,
/// 429. A field the rules refuse is 422 naming it (`email`, `name`, `organization_name`,
/// `message`). No account exists before an admin approves the request.
#[utoipa::path(post, path = "/api/v1/auth/register", request_body = RegistrationRequest, security(()),
    responses((status = 202, body = RegistrationRequested), (status = 422, body = AppError),
        (status = 429, body = AppError)))]
pub(crate) async fn register(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RegistrationRequest>,
) -> Result<(StatusCode, Json<RegistrationRequested>), AppError> {
    let jar = CookieJar::from_headers(&headers);
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let language = page_language(None, jar.get(LANGUAGE_COOKIE).map(|c| c.value()), accept);
    let asked = AccountRequest {
        email: &body.email,
        name: &body.name,
        organization_name: &body.organization_name,
        message: &body.message,
        language,
    };
    let answer =
        app::backend::registration::request(&state.store, &state.mail, &state.registration_limiter, client, asked)
            .await?;
    Ok((StatusCode::ACCEPTED, Json(answer)))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"token": "3f9c…(64 hexadecimal digits from the emailed link)"}))]
#[serde(deny_unknown_fields)]
pub struct RegistrationVerification {
    /// The token of the emailed link (`/register/verify/{token}`): 64 hexadecimal digits.
    pub token: String,
}

/// Confirms a request with the token of its emailed link: the request then waits for an
/// admin's decision. A link used, expired (after 24 hours) or unknown is 422 `token` and
/// changes nothing.
#[utoipa::path(post, path = "/api/v1/auth/register/verify", request_body = RegistrationVerification, security(()),
    responses((status = 204), (status = 422, body = AppError)))]
pub(crate) async fn verify_registration(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RegistrationVerification>,
) -> Result<StatusCode, AppError> {
    app::backend::registration::verify(&state.store, &body.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?status=&cursor=&limit=` of the requests list.
#[derive(Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct RegistrationListQuery {
    /// `pending` (the default: waiting for a decision), `approved` or `rejected`.
    pub status: Option<String>,
    /// Requests per page, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Confirmed account requests of one status, oldest first, a page at a time (follow
/// `next_cursor`). Requests whose link was never used are not listed. Admins only. A bad
/// `status`, `limit` or `cursor` is 422 naming it.
#[utoipa::path(get, path = "/api/v1/registrations", params(RegistrationListQuery),
    responses((status = 200, body = RegistrationPage), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn list_registrations(
    State(state): State<AppState>,
    Caller(actor): Caller,
    super::json::ApiQuery(query): super::json::ApiQuery<RegistrationListQuery>,
) -> Result<Json<RegistrationPage>, AppError> {
    let limit = super::audit::limit_param(query.limit.as_deref(), "1 to 200")?;
    let page =
        app::backend::registration::list(&state.store, &actor, query.status.as_deref(), query.cursor.as_deref(), limit)
            .await?;
    Ok(Json(page))
}

/// A request's id in the path: anything but a number is none.
fn registration_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"organization": "acme"}))]
#[serde(deny_unknown_fields)]
pub struct RegistrationApproval {
    /// The slug of an active organization: the new customer account's.
    #[schema(min_length = 1)]
    pub organization: String,
}

/// Approves a confirmed request: a customer account is made in the organization (taking
/// one of its seats while one is free) and the person is emailed a link to choose their
/// password (once, within seven days), then signs in. The decision is recorded in the
/// admin log (`registration.approved`). Refused, changing nothing: an empty, unknown or
/// deactivated `organization` (422), an address that has an account meanwhile (422
/// `email`), a request already approved or rejected (422 `registration`). Admins only.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/approve", params(("id" = i64, Path, minimum = 1)),
    request_body = RegistrationApproval,
    responses((status = 200, description = "The request, approved", body = Registration),
        (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn approve_registration(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RegistrationApproval>,
) -> Result<Json<Registration>, AppError> {
    let id = registration_id(&id)?;
    Ok(Json(app::backend::registration::approve(&state.store, &state.mail, &actor, id, &body.organization).await?))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"reason": "We only serve organizations under contract; ask your manager to contact sales."}))]
#[serde(deny_unknown_fields)]
pub struct RegistrationRejection {
    /// Emailed to the person: 1 to 2,000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Rejects a confirmed request: the person is emailed the reason; no account is made. The
/// decision is recorded in the admin log (`registration.rejected`). Refused, changing
/// nothing: an empty or overlong `reason` (422), a request already approved or rejected
/// (422 `registration`). Admins only.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/reject", params(("id" = i64, Path, minimum = 1)),
    request_body = RegistrationRejection,
    responses((status = 200, description = "The request, rejected", body = Registration),
        (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn reject_registration(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RegistrationRejection>,
) -> Result<Json<Registration>, AppError> {
    let id = registration_id(&id)?;
    Ok(Json(app::backend::registration::reject(&state.store, &actor, id, &body.reason).await?))
}
