//! Signing in for a token, who am I, organizations and users (admins).

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use app::backend::accounts::{authenticate, issue_api_token};
use app::backend::admin::{self, UserRequest};
use app::backend::store::Organization;
use app::domain::{Role, SignedInUser};

use super::json::ApiJson;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`. Valid 90 days.
    pub token: String,
}

#[utoipa::path(post, path = "/api/v1/auth/token", request_body = TokenRequest, security(()),
    responses((status = 200, body = TokenResponse), (status = 401, body = AppError), (status = 429, body = AppError)))]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    let user = authenticate(&state.store, &state.sign_in_limiter, &body.email, &body.password).await?;
    let token = issue_api_token(&state.store, &user).await?;
    Ok(Json(TokenResponse { token }))
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
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user.signed_in())))
}
