//! Signing in for a token, who am I, organizations and users (admins).

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use app::backend::accounts::{ApiTokenSummary, authenticate, issue_api_token};
use app::backend::admin::{self, UserRequest};
use app::backend::store::Organization;
use app::domain::{Role, SignedInUser};

use super::json::ApiJson;

/// The client's address (see `app::api::request::client_address`); never refuses.
pub(crate) struct ClientAddress(pub(crate) Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(app::api::request::client_address(parts).await))
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// What the token is for ("nightly export"), shown in the token list. At most 100
    /// characters; empty when left out.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`. Valid 90 days. Shown only this once.
    pub token: String,
    /// The token's id, to revoke it (`DELETE /api/v1/auth/tokens/{id}`).
    pub id: i64,
    pub expires_at: String,
}

#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest, security(()),
    responses((status = 200, body = TokenResponse), (status = 401, body = AppError), (status = 429, body = AppError)))]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    ApiJson(body): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    let user = authenticate(&state.store, &state.sign_in_limiter, client, &body.email, &body.password).await?;
    let issued = issue_api_token(&state.store, &user, &body.name).await?;
    Ok(Json(TokenResponse { token: issued.secret, id: issued.id, expires_at: issued.expires_at.to_string() }))
}

/// The caller's own API tokens that have not expired, newest first (at most 50: a person
/// holds no more at once). Never their secrets.
#[utoipa::path(get, path = "/api/v1/auth/tokens",
    responses((status = 200, body = [ApiTokenSummary]), (status = 401, body = AppError)))]
pub(crate) async fn list_tokens(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
) -> Result<Json<Vec<ApiTokenSummary>>, AppError> {
    let current = app::api::request::bearer_secret(&headers);
    Ok(Json(app::backend::accounts::api_tokens(&state.store, &user, current).await?))
}

/// Revokes one of the caller's API tokens at once (the current one too). Someone else's
/// token answers 404, as a missing one.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 204), (status = 400, body = AppError), (status = 401, body = AppError), (status = 404, body = AppError)))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let id: i64 =
        id.parse().ok().filter(|id| *id > 0).ok_or_else(|| AppError::Malformed { detail: "not a token id".into() })?;
    app::backend::accounts::revoke_api_token(&state.store, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 10 characters, at most 1,024 bytes.
    #[schema(min_length = 10)]
    pub new_password: String,
}

/// Changes the caller's password. Every API token of theirs (this one too) and every other
/// browser session ends; the browser session making the change stays signed in. A wrong
/// current password is 422 `current_password`, and changes nothing.
#[utoipa::path(post, path = "/api/v1/me/password", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = AppError), (status = 422, body = AppError), (status = 429, body = AppError)))]
pub(crate) async fn change_password(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    Caller(user): Caller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<StatusCode, AppError> {
    // A bearer-authenticated change keeps no browser session: the token is what changed hands.
    let keep = if headers.contains_key(axum::http::header::AUTHORIZATION) {
        None
    } else {
        app::api::request::session_secret_in(&headers)
    };
    app::backend::accounts::change_password(
        &state.store,
        &state.sign_in_limiter,
        client,
        &user,
        &body.current_password,
        &body.new_password,
        keep.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, body = SignedInUser)))]
pub(crate) async fn me(Caller(user): Caller) -> Json<SignedInUser> {
    Json(user.signed_in())
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"slug": "initrode", "name": "Initrode", "plan": "coveo"}))]
#[serde(deny_unknown_fields)]
pub struct OrganizationRequest {
    /// Lowercase letters, digits and dashes.
    #[schema(min_length = 1, max_length = 63, pattern = r"^[a-z0-9][a-z0-9-]*$")]
    pub slug: String,
    /// One line, at most 200 characters.
    #[schema(min_length = 1, max_length = 200)]
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
pub(crate) async fn create_organization(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<OrganizationRequest>,
) -> Result<(StatusCode, Json<OrganizationResponse>), AppError> {
    let org = admin::create_organization(&state.store, &actor, &body.slug, &body.name, &body.plan).await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({
    "email": "dana@acme.example", "password": "a long passphrase", "name": "Dana Reed",
    "role": "customer", "organization": "acme"
}))]
#[serde(deny_unknown_fields)]
pub struct UserCreateRequest {
    #[schema(min_length = 1)]
    pub email: String,
    /// At least 10 characters, at most 1,024 bytes.
    #[schema(min_length = 10, max_length = 1024)]
    pub password: String,
    /// One line, at most 200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub role: Role,
    /// The organization's slug: required for customers, refused for support roles.
    pub organization: Option<String>,
    /// Customers only: the person administers their organization (contacts and seats).
    #[serde(default)]
    pub org_admin: bool,
}

#[utoipa::path(post, path = "/api/v1/users", request_body = UserCreateRequest,
    responses((status = 201, body = SignedInUser), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn create_user(
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
            org_admin: body.org_admin,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user.signed_in())))
}
