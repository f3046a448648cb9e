//! Password reset, for someone who cannot sign in: ask for a link by email, then choose a
//! new password with the link's token. Both are anonymous (no `Authorization`); like every
//! write, a browser's request must come from the site's own pages.

use app::AppError;
use app::backend::AppState;
use app::backend::password_reset::ResetRequested;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::accounts::ClientAddress;
use super::json::ApiJson;

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"email": "alice@acme.example"}))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(min_length = 1)]
    pub email: String,
}

/// Asks for a password reset link. The answer is the same (202, same body) whether or not
/// an account has this address: the link goes by email, if there is an account to send it
/// to, and works once within an hour. Past a few requests for one address the answer stays
/// the same and nothing more is sent; past ten a minute from one client address, 429.
/// Text that is not an email address is 422 `email`.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", request_body = PasswordResetRequest, security(()),
    responses((status = 202, body = ResetRequested), (status = 422, body = AppError), (status = 429, body = AppError)))]
pub(crate) async fn request_password_reset(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    ApiJson(body): ApiJson<PasswordResetRequest>,
) -> Result<(StatusCode, Json<ResetRequested>), AppError> {
    let answer = app::backend::password_reset::request(
        &state.store,
        &state.mail,
        &state.password_reset_limiter,
        client,
        &body.email,
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(answer)))
}

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"token": "3f9c…(64 hexadecimal digits from the emailed link)", "password": "a long new passphrase"}))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The token of the emailed link (`/password-reset/{token}`): 64 hexadecimal digits.
    pub token: String,
    /// At least 10 characters, at most 1,024 bytes.
    #[schema(min_length = 10)]
    pub password: String,
}

/// Chooses a new password with the token of a reset link. Every session and API token of
/// the person ends; the link is spent. A link used, expired or unknown is 422 `token`, a
/// password the rules refuse 422 `password`; either changes nothing (the old password
/// still works, and after a refused password the link still does).
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", request_body = PasswordResetConfirm, security(()),
    responses((status = 204), (status = 422, body = AppError)))]
pub(crate) async fn confirm_password_reset(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<PasswordResetConfirm>,
) -> Result<StatusCode, AppError> {
    app::backend::password_reset::confirm(&state.store, &body.token, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
