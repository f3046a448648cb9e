//! REST API v1: JSON, bearer tokens (or the session cookie), documented at
//! `/api/v1/openapi.json`. Handlers only translate HTTP; the rules live in `app::backend`.

use app::AppError;
use app::backend::accounts::{SESSION_COOKIE, authenticate, issue_api_token, user_by_api_token, user_by_session};
use app::backend::admin::{self, UserRequest};
use app::backend::store::{Organization, UserRecord};
use app::backend::{AppState, cases, contracts};
use app::domain::{Case, CaseDraft, CaseNumber, Resolution, Role, SignedInUser, Status};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

/// The largest request body: a 64 KiB description and its JSON overhead fit.
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/events", get(crate::live::events))
        .route("/auth/token", post(create_token))
        .route("/me", get(me))
        .route("/organizations", post(create_organization))
        .route("/users", post(create_user))
        .route("/cases", post(open_case).get(list_cases))
        .route("/cases/{number}", get(get_case))
        .route("/cases/{number}/status", post(change_status))
        .route("/cases/{number}/sla", get(case_sla))
        .route("/cases/{number}/replies", post(reply))
        .route("/cases/{number}/assign", post(assign))
        .route("/cases/{number}/events", get(case_timeline))
        .route("/cases/{number}/links", post(link_cases))
        .route("/cases/{number}/severity", post(change_severity))
        .route("/cases/{number}/severity-requests", post(request_severity_raise))
        .route("/kb/articles", post(write_article))
        .route("/kb/articles/{id}", get(read_article))
        .route("/kb/search", get(search_kb))
        .route("/kb/deflections", post(deflect).get(deflection_counts))
        .route("/sla/preview", get(sla_preview))
        .route("/plans", get(list_plans))
        .route("/plans/{id}", axum::routing::put(put_plan))
        .route("/organizations/{slug}/contract", axum::routing::put(put_contract))
        .route("/organizations/{slug}/contacts", get(list_contacts).post(invite_contact))
        .route("/organizations/{slug}/contacts/{id}", axum::routing::put(put_contact))
        .fallback(|| async { AppError::NotFound })
}

/// JSON body whose every rejection (bad JSON, wrong types, wrong content type) is a 400
/// with a message, in the API's error shape.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                let detail = match &rejection {
                    JsonRejection::MissingJsonContentType(_) => "expected Content-Type: application/json".to_owned(),
                    other => other.body_text(),
                };
                tracing::info!(%detail, "malformed API request");
                Err(AppError::Malformed { detail })
            }
        }
    }
}

/// The caller: a bearer token, or else the browser's session cookie.
pub struct Caller(pub UserRecord);

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let store = &state.store;
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or(AppError::Unauthenticated)?;
            return user_by_api_token(store, token).await?.map(Caller).ok_or(AppError::Unauthenticated);
        }
        let jar = axum_extra_cookies(&parts.headers);
        match jar {
            Some(secret) => user_by_session(store, &secret).await?.map(Caller).ok_or(AppError::Unauthenticated),
            None => Err(AppError::Unauthenticated),
        }
    }
}

fn axum_extra_cookies(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

fn parse_number(text: &str) -> Result<CaseNumber, AppError> {
    CaseNumber::parse(text).ok_or_else(|| AppError::Malformed { detail: format!("not a case number: {text}") })
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`. Valid 90 days.
    pub token: String,
}

#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = AppError), (status = 429, body = AppError)))]
async fn create_token(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    let user = authenticate(&state.store, &state.sign_in_limiter, &body.email, &body.password).await?;
    let token = issue_api_token(&state.store, &user).await?;
    Ok(Json(TokenResponse { token }))
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = SignedInUser), (status = 401, body = AppError)))]
async fn me(Caller(user): Caller) -> Json<SignedInUser> {
    Json(user.signed_in())
}

#[derive(Deserialize, ToSchema)]
pub struct OrganizationRequest {
    pub slug: String,
    pub name: String,
    /// A preset plan id such as `elastic-cloud-premium`.
    pub plan: String,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationResponse {
    pub slug: String,
    pub name: String,
    pub plan: String,
}

impl From<Organization> for OrganizationResponse {
    fn from(o: Organization) -> Self {
        OrganizationResponse { slug: o.slug, name: o.name, plan: o.plan }
    }
}

#[utoipa::path(post, path = "/api/v1/organizations", request_body = OrganizationRequest,
    responses((status = 201, body = OrganizationResponse), (status = 403, body = AppError), (status = 422, body = AppError)))]
async fn create_organization(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<OrganizationRequest>,
) -> Result<(StatusCode, Json<OrganizationResponse>), AppError> {
    let org = admin::create_organization(&state.store, &actor, &body.slug, &body.name, &body.plan).await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

#[derive(Deserialize, ToSchema)]
pub struct UserCreateRequest {
    pub email: String,
    pub password: String,
    pub name: String,
    pub role: Role,
    /// The organization's slug: required for customers, refused for support roles.
    pub organization: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/users", request_body = UserCreateRequest,
    responses((status = 201, body = SignedInUser), (status = 403, body = AppError), (status = 422, body = AppError)))]
async fn create_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<UserCreateRequest>,
) -> Result<(StatusCode, Json<SignedInUser>), AppError> {
    let user = admin::create_user(
        &state.store,
        &actor,
        UserRequest {
            email: &body.email,
            password: &body.password,
            name: &body.name,
            role: body.role,
            organization: body.organization.as_deref(),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user.signed_in())))
}

#[utoipa::path(post, path = "/api/v1/cases", request_body = CaseDraft,
    params(("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key returns the first case")),
    responses((status = 201, body = Case), (status = 400, body = AppError), (status = 422, body = AppError)))]
async fn open_case(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<CaseDraft>,
) -> Result<Response, AppError> {
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(v.to_str().map_err(|_| {
            AppError::invalid(
                "idempotency_key",
                app::error::InvalidReason::Malformed { detail: "printable ASCII only".into() },
            )
        })?),
        None => None,
    };
    let opened = cases::open_case(&state.store, &user, draft, key).await?;
    let mut response = (StatusCode::CREATED, Json(opened.case)).into_response();
    if !opened.created {
        response.headers_mut().insert("idempotent-replayed", header::HeaderValue::from_static("true"));
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/cases", responses((status = 200, body = Vec<Case>), (status = 401, body = AppError)))]
async fn list_cases(State(state): State<AppState>, Caller(user): Caller) -> Result<Json<Vec<Case>>, AppError> {
    Ok(Json(cases::list_cases(&state.store, &user).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{number}", params(("number" = i64, Path)),
    responses((status = 200, body = Case), (status = 404, body = AppError)))]
async fn get_case(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
) -> Result<Json<Case>, AppError> {
    Ok(Json(cases::case_for(&state.store, &user, parse_number(&number)?).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct LinkRequest {
    /// The other case's number.
    pub case: i64,
    #[serde(default = "related")]
    pub kind: app::domain::LinkKind,
}

fn related() -> app::domain::LinkKind {
    app::domain::LinkKind::Related
}

/// Links two cases (support only): `related`, or `duplicate_of`.
#[utoipa::path(post, path = "/api/v1/cases/{number}/links", params(("number" = i64, Path)), request_body = LinkRequest,
    responses((status = 200, body = Case), (status = 403, body = AppError), (status = 404, body = AppError),
        (status = 422, body = AppError)))]
async fn link_cases(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<LinkRequest>,
) -> Result<Json<Case>, AppError> {
    let number = parse_number(&number)?;
    Ok(Json(cases::link(&state.store, &user, number, CaseNumber(body.case), body.kind).await?))
}

/// Writes a knowledge-base article (support only). The body is Markdown.
#[utoipa::path(post, path = "/api/v1/kb/articles", request_body = app::domain::kb::ArticleDraft,
    responses((status = 201, body = app::domain::kb::Article), (status = 403, body = AppError), (status = 422, body = AppError)))]
async fn write_article(
    State(state): State<AppState>,
    Caller(user): Caller,
    ApiJson(draft): ApiJson<app::domain::kb::ArticleDraft>,
) -> Result<(StatusCode, Json<app::domain::kb::Article>), AppError> {
    let article = app::backend::kb::write_article(&state.store, &user, draft).await?;
    Ok((StatusCode::CREATED, Json(article)))
}

/// An article, its Markdown rendered to sanitized HTML.
#[utoipa::path(get, path = "/api/v1/kb/articles/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = app::domain::kb::Article), (status = 404, body = AppError)))]
async fn read_article(
    State(state): State<AppState>,
    Caller(_user): Caller,
    Path(id): Path<String>,
) -> Result<Json<app::domain::kb::Article>, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(app::backend::kb::read_article(&state.store, id).await?))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// Full-text search: articles, and for a customer their organization's resolved cases.
#[utoipa::path(get, path = "/api/v1/kb/search", params(("q" = String, Query, description = "What to look for (500 characters at most)")),
    responses((status = 200, body = [app::domain::kb::SearchHit]), (status = 422, body = AppError)))]
async fn search_kb(
    State(state): State<AppState>,
    Caller(user): Caller,
    axum::extract::Query(query): axum::extract::Query<SearchQuery>,
) -> Result<Json<Vec<app::domain::kb::SearchHit>>, AppError> {
    Ok(Json(app::backend::kb::search(&state.store, &user, &query.q).await?))
}

/// The case's log as the caller may read it (customers never get internal entries).
#[utoipa::path(get, path = "/api/v1/cases/{number}/events", params(("number" = i64, Path)),
    responses((status = 200, description = "The case's events, oldest first"), (status = 404, body = AppError)))]
async fn case_timeline(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
) -> Result<Json<Vec<app::domain::CaseEvent>>, AppError> {
    Ok(Json(cases::timeline(&state.store, &user, parse_number(&number)?).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusChange {
    pub status: Status,
    pub resolution: Option<Resolution>,
    /// The version the caller saw; a stale one gets 409 with the current version.
    pub expected_version: i64,
    /// With resolution `duplicate` (required then): the number of the case it duplicates.
    #[serde(default)]
    pub duplicate_of: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/cases/{number}/status", params(("number" = i64, Path)), request_body = StatusChange,
    responses((status = 200, body = Case), (status = 404, body = AppError), (status = 409, body = AppError), (status = 422, body = AppError)))]
async fn change_status(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<StatusChange>,
) -> Result<Json<Case>, AppError> {
    let number = parse_number(&number)?;
    Ok(Json(
        cases::change_status(
            &state.store,
            &user,
            number,
            body.status,
            body.resolution,
            body.expected_version,
            body.duplicate_of.map(CaseNumber),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/cases/{number}/sla", params(("number" = i64, Path)),
    responses((status = 200, description = "The case's clocks: kind, state, due, remaining, explanation"), (status = 404, body = AppError)))]
async fn case_sla(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
) -> Result<Json<Vec<app::domain::sla::SlaClock>>, AppError> {
    Ok(Json(contracts::case_clocks(&state.store, &user, parse_number(&number)?).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PreviewQuery {
    /// The organization's slug (customers may omit it: their own).
    pub organization: Option<String>,
    /// 1-4
    pub severity: String,
    /// RFC 3339; default now.
    pub opened_at: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/sla/preview", params(PreviewQuery),
    responses((status = 200, body = contracts::SlaPreview), (status = 422, body = AppError)))]
async fn sla_preview(
    State(state): State<AppState>,
    Caller(user): Caller,
    axum::extract::Query(query): axum::extract::Query<PreviewQuery>,
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
    let organization = contracts::organization_for(&state.store, &user, query.organization.as_deref()).await?;
    let contract = contracts::contract_of(&state.store, &organization).await?;
    Ok(Json(contracts::preview(&contract, severity, opened_at)?))
}

fn invalid(field: &str, expected: &str) -> AppError {
    AppError::invalid(field, app::error::InvalidReason::Malformed { detail: format!("expected {expected}") })
}

#[utoipa::path(get, path = "/api/v1/plans", responses((status = 200, description = "Preset and custom plans with their targets")))]
async fn list_plans(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<app::domain::plan::SupportPlan>>, AppError> {
    Ok(Json(contracts::all_plans(&state.store).await?))
}

#[utoipa::path(put, path = "/api/v1/plans/{id}", params(("id" = String, Path)),
    responses((status = 200, description = "The custom plan as saved"), (status = 403, body = AppError), (status = 422, body = AppError)))]
async fn put_plan(
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

#[utoipa::path(put, path = "/api/v1/organizations/{slug}/contract", params(("slug" = String, Path)),
    request_body = contracts::ContractRequest,
    responses((status = 200, description = "The contract now in force"), (status = 403, body = AppError), (status = 404, body = AppError), (status = 422, body = AppError)))]
async fn put_contract(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<contracts::ContractRequest>,
) -> Result<Json<app::domain::sla::ContractTerms>, AppError> {
    let contract = contracts::set_contract(&state.store, &actor, &slug, request).await?;
    Ok(Json(contract.terms().clone()))
}

#[derive(Deserialize, ToSchema)]
pub struct ReplyRequest {
    pub body: String,
    /// Support only: an internal note, never shown to the customer.
    #[serde(default)]
    pub internal: bool,
    /// The case version the writer saw when the draft began: a public reply to a case that
    /// changed since is refused with 409 (saying who changed it) unless `confirmed`.
    #[serde(default)]
    pub seen_version: Option<i64>,
    #[serde(default)]
    pub confirmed: bool,
}

#[utoipa::path(post, path = "/api/v1/cases/{number}/replies", params(("number" = i64, Path)), request_body = ReplyRequest,
    responses((status = 201, body = Case), (status = 404, body = AppError), (status = 422, body = AppError)))]
async fn reply(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<ReplyRequest>,
) -> Result<(StatusCode, Json<Case>), AppError> {
    let number = parse_number(&number)?;
    let case =
        cases::reply(&state.store, &user, number, &body.body, body.internal, body.seen_version, body.confirmed).await?;
    Ok((StatusCode::CREATED, Json(case)))
}

#[derive(Deserialize, ToSchema)]
pub struct AssignRequest {
    /// A support person's email, `"me"`, `"auto"` (the automatic rule chooses: on shift,
    /// knows the product, speaks the customer's language, lightest load), or null to unassign.
    pub engineer: Option<String>,
    /// The version the caller saw; a newer case is refused with 409.
    #[serde(default)]
    pub expected_version: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/cases/{number}/assign", params(("number" = i64, Path)), request_body = AssignRequest,
    responses((status = 200, body = Case), (status = 403, body = AppError), (status = 404, body = AppError),
        (status = 409, body = AppError), (status = 422, body = AppError)))]
async fn assign(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<AssignRequest>,
) -> Result<Json<Case>, AppError> {
    let to = cases::AssignTo::parse(body.engineer.as_deref());
    Ok(Json(cases::assign(&state.store, &user, parse_number(&number)?, to, body.expected_version).await?))
}

/// The organization's contacts and its seats (its admins and Caseboard admins only).
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/contacts", params(("slug" = String, Path)),
    responses((status = 200, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 404, body = AppError)))]
async fn list_contacts(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
) -> Result<Json<app::domain::people::Contacts>, AppError> {
    Ok(Json(app::backend::contacts::list(&state.store, &user, &slug).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ContactChange {
    /// Whether the contact holds a seat (may open cases); refused past the plan's seats.
    pub opens_cases: bool,
}

#[utoipa::path(put, path = "/api/v1/organizations/{slug}/contacts/{id}", params(("slug" = String, Path), ("id" = i64, Path)),
    request_body = ContactChange,
    responses((status = 200, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 404, body = AppError), (status = 422, body = AppError)))]
async fn put_contact(
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
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/contacts", params(("slug" = String, Path)),
    request_body = app::backend::invitations::Invitation,
    responses((status = 201, body = app::domain::people::Contacts), (status = 403, body = AppError), (status = 404, body = AppError), (status = 422, body = AppError)))]
async fn invite_contact(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<app::backend::invitations::Invitation>,
) -> Result<(StatusCode, Json<app::domain::people::Contacts>), AppError> {
    let contacts = app::backend::invitations::invite(&state.store, &state.mail, &user, &slug, body).await?;
    Ok((StatusCode::CREATED, Json(contacts)))
}

#[derive(Deserialize, ToSchema)]
pub struct DeflectionRequest {
    /// `article` or `case`.
    pub kind: String,
    /// The article's id or the solved case's number.
    pub id: i64,
    /// What the customer had typed.
    #[serde(default)]
    pub query: String,
}

/// A customer's "this solved my problem" on a suggestion: counted, no case opened.
#[utoipa::path(post, path = "/api/v1/kb/deflections", request_body = DeflectionRequest,
    responses((status = 201), (status = 403, body = AppError), (status = 404, body = AppError), (status = 422, body = AppError)))]
async fn deflect(
    State(state): State<AppState>,
    Caller(user): Caller,
    ApiJson(body): ApiJson<DeflectionRequest>,
) -> Result<StatusCode, AppError> {
    app::backend::kb::deflect(&state.store, &user, &body.kind, body.id, &body.query).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Serialize, ToSchema)]
pub struct DeflectionCounts {
    pub days: u32,
    pub by_articles: i64,
    pub by_solved_cases: i64,
}

/// Support only: cases customers did not need to open over the last 30 days.
#[utoipa::path(get, path = "/api/v1/kb/deflections", responses((status = 200, body = DeflectionCounts), (status = 403, body = AppError)))]
async fn deflection_counts(State(state): State<AppState>, Caller(user): Caller) -> Result<Json<DeflectionCounts>, AppError> {
    if !user.role.is_support() {
        return Err(AppError::Forbidden);
    }
    let since = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 30);
    let (by_articles, by_solved_cases) = state.store.deflection_counts(since).await?;
    Ok(Json(DeflectionCounts { days: 30, by_articles, by_solved_cases }))
}

#[derive(Deserialize, ToSchema)]
pub struct SeverityChange {
    /// 1-4, one the organization's contract offers.
    #[schema(value_type = u8)]
    pub severity: app::domain::Severity,
    pub expected_version: i64,
}

/// Support sets a case's severity; the new target applies from now (a promise already made
/// is never extended).
#[utoipa::path(post, path = "/api/v1/cases/{number}/severity", params(("number" = i64, Path)), request_body = SeverityChange,
    responses((status = 200, body = Case), (status = 403, body = AppError), (status = 409, body = AppError), (status = 422, body = AppError)))]
async fn change_severity(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<SeverityChange>,
) -> Result<Json<Case>, AppError> {
    let number = parse_number(&number)?;
    Ok(Json(cases::change_severity(&state.store, &user, number, body.severity, body.expected_version).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct SeverityRaiseRequest {
    /// A more urgent level than the case's, that the contract offers.
    #[schema(value_type = u8)]
    pub severity: app::domain::Severity,
    /// Why (required, at most 2,000 characters).
    pub reason: String,
}

/// A customer asks support for a more urgent severity.
#[utoipa::path(post, path = "/api/v1/cases/{number}/severity-requests", params(("number" = i64, Path)),
    request_body = SeverityRaiseRequest,
    responses((status = 201, body = Case), (status = 404, body = AppError), (status = 422, body = AppError)))]
async fn request_severity_raise(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<SeverityRaiseRequest>,
) -> Result<(StatusCode, Json<Case>), AppError> {
    let number = parse_number(&number)?;
    let case = cases::request_severity_raise(&state.store, &user, number, body.severity, &body.reason).await?;
    Ok((StatusCode::CREATED, Json(case)))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Caseboard API",
        version = "1",
        description = "Support cases, organizations and users. Authenticate with POST /api/v1/auth/token, then send Authorization: Bearer <token>."
    ),
    paths(
        create_token,
        me,
        create_organization,
        create_user,
        open_case,
        list_cases,
        get_case,
        change_status,
        reply,
        assign,
        case_timeline,
        link_cases,
        write_article,
        read_article,
        search_kb,
        crate::live::events,
        case_sla,
        sla_preview,
        list_plans,
        put_plan,
        put_contract,
        change_severity,
        request_severity_raise,
        deflect,
        deflection_counts,
        list_contacts,
        put_contact,
        invite_contact,
        crate::mail::receive,
        crate::mail::preferences,
        crate::mail::set_preferences,
        crate::mail::set_email_intake,
        crate::attachments::upload,
        crate::attachments::download,
        crate::attachments::upload_for_draft,
        crate::attachments::remove_upload
    ),
    components(schemas(
        AppError,
        Case,
        CaseDraft,
        app::domain::Severity,
        app::domain::CaseKind,
        app::domain::Environment,
        app::domain::Visibility,
        SignedInUser,
        Role,
        Status,
        Resolution,
        TokenRequest,
        TokenResponse,
        OrganizationRequest,
        OrganizationResponse,
        UserCreateRequest,
        StatusChange,
        ReplyRequest,
        AssignRequest,
        LinkRequest,
        app::domain::LinkKind,
        app::domain::kb::ArticleDraft,
        app::domain::kb::Article,
        app::domain::kb::SearchHit,
        app::domain::NotificationKind,
        crate::mail::NotificationPreference,
        crate::mail::EmailIntake,
        SeverityChange,
        SeverityRaiseRequest,
        DeflectionRequest,
        DeflectionCounts,
        ContactChange,
        app::domain::people::Contact,
        app::domain::people::Contacts,
        app::backend::mail::inbound::InboundReport,
        app::backend::mail::inbound::InboundOutcome
    ))
)]
struct ApiDoc;

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
