//! One request pipeline for both API surfaces: who is calling (a bearer token, else the
//! session cookie, read with axum-extra's cookie jar) is decided by the one [`Caller`]
//! extractor, used by the REST handlers and by every server function; and one frame
//! ([`as_caller`], [`anonymous`]) gives a server function its state, its caller and the
//! HTTP status its error calls for.

use std::future::Future;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use leptos::prelude::use_context;

use crate::backend::AppState;
use crate::backend::accounts::{SESSION_COOKIE, user_by_api_token, user_by_session};
use crate::backend::store::UserRecord;
use crate::error::AppError;

/// What a server function reads of its request (the request's parts, where its response's
/// status and headers go), taken once when its frame starts ([`as_caller`], [`anonymous`])
/// and kept with the function's task: after an `.await` the reactive owner a server function
/// or a server-rendered resource runs under is not always still reachable, and a cookie or a
/// status looked up there then was missed (a page showed none of a person's sessions as
/// "this browser"). Looked up through the owner only outside such a frame.
#[derive(Clone)]
struct RequestScope {
    state: Option<AppState>,
    parts: Option<Parts>,
    response: Option<leptos_axum::ResponseOptions>,
}

tokio::task_local! {
    static REQUEST: RequestScope;
}

impl RequestScope {
    /// The current one: the frame's, else the reactive owner's.
    fn here() -> Self {
        REQUEST.try_with(Clone::clone).unwrap_or_else(|_| Self { state: use_context(), parts: use_context(), response: use_context() })
    }
}

/// The request this server function serves (its headers, its connection).
fn parts_here() -> Option<Parts> {
    RequestScope::here().parts
}

/// Where this server function's response status and headers go.
fn response_here() -> Option<leptos_axum::ResponseOptions> {
    RequestScope::here().response
}

/// The signed-in caller of a request: `Authorization: Bearer <token>` when the header is
/// there (a wrong token is refused, never replaced by the cookie), else the session cookie.
pub struct Caller(pub UserRecord);

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let store = &state.store;
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let token = bearer_secret(&parts.headers).ok_or(AppError::Unauthenticated)?;
            return user_by_api_token(store, token).await?.map(Caller).ok_or(AppError::Unauthenticated);
        }
        let secret = session_secret_in(&parts.headers).ok_or(AppError::Unauthenticated)?;
        user_by_session(store, &secret).await?.map(Caller).ok_or(AppError::Unauthenticated)
    }
}

/// The client's address, as the configured source tells it (`CASEBOARD_CLIENT_IP_SOURCE`:
/// the connection's peer by default, or a header a trusted proxy sets); `None` when that
/// source says nothing (a header missing).
pub async fn client_address(parts: &mut Parts) -> Option<std::net::IpAddr> {
    axum_client_ip::ClientIp::from_request_parts(parts, &()).await.ok().map(|ip| ip.0)
}

/// The client address of the request this server function serves.
pub async fn client_address_here() -> Option<std::net::IpAddr> {
    let mut parts = parts_here()?;
    client_address(&mut parts).await
}

/// The API token of `Authorization: Bearer <token>`, if the request carries one.
pub fn bearer_secret(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// The session secret of the request's cookie, if it carries one.
pub fn session_secret_in(headers: &axum::http::HeaderMap) -> Option<String> {
    session_secret_of(&CookieJar::from_headers(headers))
}

fn session_secret_of(jar: &CookieJar) -> Option<String> {
    jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()).filter(|v| !v.is_empty())
}

/// The server's state, as the server function context holds it.
pub fn state() -> Result<AppState, AppError> {
    RequestScope::here().state.ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// The session secret of the browser calling this server function, if it sent one.
pub fn session_secret() -> Option<String> {
    let parts = parts_here()?;
    session_secret_of(&CookieJar::from_headers(&parts.headers))
}

/// The caller of this server function (the same extractor as REST's), or `Unauthenticated`.
pub async fn caller(state: &AppState) -> Result<UserRecord, AppError> {
    let mut parts = parts_here().ok_or_else(|| {
        tracing::error!("request parts missing from the server function context");
        AppError::Internal
    })?;
    Caller::from_request_parts(&mut parts, state).await.map(|Caller(user)| user)
}

/// The frame of a server function a signed-in person calls: `serve` gets the state and the
/// caller; a failure is answered with its HTTP status (404, 409, …), so browsers, scripts
/// and logs see the same answer as over REST.
pub async fn as_caller<T, Fut>(serve: impl FnOnce(AppState, UserRecord) -> Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    let scope = RequestScope::here();
    REQUEST
        .scope(scope, async {
            respond(
                async {
                    let state = state()?;
                    let user = caller(&state).await?;
                    serve(state, user).await
                }
                .await,
            )
        })
        .await
}

/// The frame of a server function anyone may call (signing in, accepting an invitation).
pub async fn anonymous<T, Fut>(serve: impl FnOnce(AppState) -> Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    let scope = RequestScope::here();
    REQUEST.scope(scope, async { respond(async { serve(state()?).await }.await) }).await
}

/// Gives a failed server function the HTTP status its error calls for.
fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        if let Some(response) = response_here() {
            response.set_status(e.status());
        }
    }
    result
}

/// The language the browser calling this server function reads its pages in (the language
/// cookie, else `Accept-Language`): see [`crate::backend::language::page_language`].
pub fn browser_language() -> &'static str {
    use crate::backend::language::{LANGUAGE_COOKIE, page_language};
    let Some(parts) = parts_here() else { return "en" };
    let jar = CookieJar::from_headers(&parts.headers);
    let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    page_language(None, jar.get(LANGUAGE_COOKIE).map(|c| c.value()), accept)
}

pub fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (response_here(), value.parse()) {
        response.append_header(axum::http::header::SET_COOKIE, value);
    }
}

/// A case number in a REST path (`/cases/{number}`): anything but a positive number is a
/// malformed request, on every route (the user's text is not echoed).
pub fn case_number(text: &str) -> Result<crate::domain::CaseNumber, AppError> {
    crate::domain::CaseNumber::parse(text).ok_or_else(|| AppError::Malformed { detail: "not a case number".into() })
}

/// A case number given to a server function: the same rule as [`case_number`].
pub fn case_number_arg(number: i64) -> Result<crate::domain::CaseNumber, AppError> {
    if number > 0 {
        Ok(crate::domain::CaseNumber(number))
    } else {
        Err(AppError::Malformed { detail: "not a case number".into() })
    }
}

/// An `Idempotency-Key` header as text; one that is not text (non-ASCII bytes) is refused
/// as the service refuses any other unreadable key, on every route that takes one.
pub fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<Option<&str>, AppError> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(value) => value.to_str().map(Some).map_err(|_| {
            AppError::invalid(
                "idempotency_key",
                crate::error::InvalidReason::Malformed { detail: "printable ASCII only".into() },
            )
        }),
    }
}

/// Upload ids as a form sends them, comma-separated (`12,13`); anything else is refused as
/// the `attachments` field.
pub fn upload_ids(text: Option<&str>) -> Result<Vec<i64>, AppError> {
    let text = text.unwrap_or_default().trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|id| id.trim().parse::<i64>().ok().filter(|id| *id > 0))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| {
            AppError::invalid("attachments", crate::error::InvalidReason::Malformed { detail: "upload ids, such as 12,13".into() })
        })
}

/// A form checkbox: ticked is `true` or `on`.
pub fn checkbox(value: Option<&str>) -> bool {
    matches!(value, Some("true" | "on"))
}

/// Another case named in a JSON body (`duplicate_of`, a link's `case`): a number, or text
/// as a person types it (`"#1042"`). Anything that is not a case number is refused as that
/// field's error (422), as the server functions refuse it.
#[derive(Clone, Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum CaseReference {
    Number(i64),
    Text(String),
}

impl CaseReference {
    pub fn case_number(&self, field: &str) -> Result<crate::domain::CaseNumber, AppError> {
        let number = match self {
            CaseReference::Number(n) if *n > 0 => Some(crate::domain::CaseNumber(*n)),
            CaseReference::Number(_) => None,
            CaseReference::Text(text) => crate::domain::CaseNumber::parse(text),
        };
        number.ok_or_else(|| {
            AppError::invalid(field, crate::error::InvalidReason::Malformed { detail: "a case number".into() })
        })
    }
}
