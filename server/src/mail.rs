//! The mail side of the HTTP API: the gateway endpoint that takes raw inbound messages (with
//! its own size limit and token), notification preferences, and the
//! `caseboard mailgate` client an MTA pipes messages into.

use std::collections::BTreeMap;

use app::AppError;
use app::backend::AppState;
use app::backend::mail::inbound::{self, InboundOutcome, InboundReport};
use app::backend::store::fingerprint;
use app::domain::NotificationKind;
use app::error::InvalidReason;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::rest::json::ApiJson;
use app::api::request::Caller;

/// The inbound gateway, under its own body limit (a message with attachments is larger than
/// any JSON request).
pub fn gateway_router(max_message_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/api/v1/mail/inbound", post(receive))
        .layer(axum::extract::DefaultBodyLimit::max(max_message_bytes + 64 * 1024))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(max_message_bytes + 64 * 1024))
}

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/me/notifications", get(preferences).put(set_preferences))
        .route("/organizations/{slug}/email-intake", axum::routing::put(set_email_intake))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailIntake {
    /// Whether the organization's known contacts may open cases by writing to the support address.
    pub allowed: bool,
}

/// Admins only: whether an organization's contacts may open cases by email (on by default).
#[utoipa::path(put, path = "/api/v1/organizations/{slug}/email-intake", params(("slug" = String, Path, example = "acme")),
    request_body = EmailIntake,
    responses((status = 200, body = EmailIntake), (status = 403, body = AppError), (status = 404, body = AppError)))]
pub async fn set_email_intake(
    State(state): State<AppState>,
    Caller(user): Caller,
    axum::extract::Path(slug): axum::extract::Path<String>,
    ApiJson(body): ApiJson<EmailIntake>,
) -> Result<Json<EmailIntake>, AppError> {
    app::backend::admin::set_email_intake(&state.store, &user, &slug, body.allowed).await?;
    Ok(Json(body))
}

#[derive(Deserialize)]
pub struct InboundQuery {
    /// The envelope recipient, when the MTA passes it (`caseboard mailgate --recipient`).
    pub recipient: Option<String>,
}

/// A raw RFC 822 message from the mail gateway. 202 when it changed a case, 200 when it was
/// handled without change (duplicate, automatic, refused: see `outcome`), 400/413/422 when it
/// cannot be read, 401 without the gateway token, 503 when inbound mail is not configured.
#[utoipa::path(post, path = "/api/v1/mail/inbound", request_body(content = String, content_type = "message/rfc822"),
    params(("recipient" = Option<String>, Query)), security(("mailgate" = [])),
    responses((status = 202, body = InboundReport), (status = 200, body = InboundReport), (status = 400, body = AppError),
        (status = 401, body = AppError), (status = 413, body = AppError), (status = 422, body = AppError),
        (status = 503, body = crate::rest::doc::Unavailable, description = "Inbound mail is not configured")))]
pub async fn receive(
    State(state): State<AppState>,
    crate::rest::json::ApiQuery(query): crate::rest::json::ApiQuery<InboundQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<InboundReport>), Response> {
    let Some(expected) = state.mail.mailgate_token.as_deref() else {
        tracing::warn!("inbound mail refused: CASEBOARD_MAILGATE_TOKEN is not set");
        return Err((
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({
                "error": "unavailable", "message": "inbound mail is not configured (CASEBOARD_MAILGATE_TOKEN)"
            })),
        )
            .into_response());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    // Compared as hashes: the time taken says nothing about the token.
    if fingerprint(given.as_bytes()) != fingerprint(expected.as_bytes()) {
        tracing::warn!("inbound mail refused: wrong gateway token");
        return Err(AppError::Unauthenticated.into_response());
    }
    let report =
        inbound::receive(&state.store, &state.mail, &body, query.recipient.as_deref()).await.map_err(|e| match e {
            AppError::Invalid { ref reason, .. } if matches!(reason, InvalidReason::TooLong { .. }) => {
                (StatusCode::PAYLOAD_TOO_LARGE, e).into_response()
            }
            other => other.into_response(),
        })?;
    let status = match report.outcome {
        InboundOutcome::ReplyAdded | InboundOutcome::CaseOpened => StatusCode::ACCEPTED,
        _ => StatusCode::OK,
    };
    Ok((status, Json(report)))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct NotificationPreference {
    pub kind: NotificationKind,
    pub enabled: bool,
}

/// The caller's notification preferences: every kind their role receives, on or off.
#[utoipa::path(get, path = "/api/v1/me/notifications", responses((status = 200, body = Vec<NotificationPreference>)))]
pub async fn preferences(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> Result<Json<Vec<NotificationPreference>>, AppError> {
    let list = app::backend::notifications::preferences(&state.store, &user).await?;
    Ok(Json(list.into_iter().map(|(kind, enabled)| NotificationPreference { kind, enabled }).collect()))
}

/// Turns kinds on or off: `{"support_replied": false, "watch_organization": true}`. A kind
/// the caller's role does not receive, or an unknown one, is refused (422) and nothing changes.
#[utoipa::path(put, path = "/api/v1/me/notifications", request_body = crate::rest::doc::NotificationChanges,
    responses((status = 200, body = Vec<NotificationPreference>), (status = 422, body = AppError)))]
pub async fn set_preferences(
    State(state): State<AppState>,
    Caller(user): Caller,
    ApiJson(body): ApiJson<BTreeMap<String, bool>>,
) -> Result<Json<Vec<NotificationPreference>>, AppError> {
    let changes: Vec<(String, bool)> = body.into_iter().collect();
    let list = app::backend::notifications::set_preferences(&state.store, &user, &changes).await?;
    Ok(Json(list.into_iter().map(|(kind, enabled)| NotificationPreference { kind, enabled }).collect()))
}

/// sysexits.h: what an MTA makes of the gateway's exit status.
pub mod exit {
    /// Delivered (or handled without change: a duplicate, an automatic message, a refusal).
    pub const OK: i32 = 0;
    /// The message itself is bad (malformed, too large): the MTA bounces it.
    pub const DATA_ERROR: i32 = 65;
    /// Try again later: the server is down, overloaded, or misconfigured.
    pub const TEMP_FAIL: i32 = 75;
}

/// `caseboard mailgate --url URL [--recipient ADDR]`: posts the message on stdin to the
/// server with `CASEBOARD_MAILGATE_TOKEN`; returns the exit status for the MTA.
pub async fn mailgate(url: &str, recipient: Option<&str>, token: &str, message: Vec<u8>) -> (i32, String) {
    let endpoint = format!("{}/api/v1/mail/inbound", url.trim_end_matches('/'));
    let client = match reqwest::Client::builder().timeout(std::time::Duration::from_secs(60)).build() {
        Ok(client) => client,
        Err(e) => return (exit::TEMP_FAIL, format!("cannot start an HTTP client: {e}")),
    };
    let response = client
        .post(&endpoint)
        .query(&[("recipient", recipient)])
        .bearer_auth(token)
        .header(header::CONTENT_TYPE, "message/rfc822")
        .body(message)
        .send()
        .await;
    match response {
        Err(e) => (exit::TEMP_FAIL, format!("cannot reach {endpoint}: {e}")),
        Ok(response) => {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            let code = if status.is_success() {
                exit::OK
            } else if matches!(
                status,
                StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNPROCESSABLE_ENTITY
            ) {
                exit::DATA_ERROR
            } else {
                // 401 (a wrong token), 429, 5xx: keep the message queued until it is fixed.
                exit::TEMP_FAIL
            };
            (code, format!("{status}: {text}"))
        }
    }
}
