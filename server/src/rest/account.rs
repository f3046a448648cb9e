//! The caller's own account (`PATCH /api/v1/me`, `/api/v1/me/sessions`) and privacy
//! (`/api/v1/users/{id}/export`, `/api/v1/users/{id}/erase`).

use app::AppError;
use app::api::request::Caller;
use app::backend::AppState;
use app::domain::account::{Erasure, ExportPage, OwnChange, Sessions};
use app::domain::profile::UserProfile;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};

use super::json::ApiJson;

/// The session secret of a cookie-authenticated request: `None` with a bearer token (the
/// token, not a browser session, made the request).
fn browser_session(headers: &HeaderMap) -> Option<String> {
    if headers.contains_key(axum::http::header::AUTHORIZATION) {
        None
    } else {
        app::api::request::session_secret_in(headers)
    }
}

/// Changes the caller's own name, language (pages and emails) and time zone, all or nothing
/// (a field left out stays as it is). Refused on the field (422), changing nothing: an empty
/// or overlong `name`, a `language` other than `en`, `fr`, `zh`, an unknown `time_zone`.
#[utoipa::path(patch, path = "/api/v1/me", request_body = OwnChange,
    responses((status = 200, description = "The caller as changed", body = UserProfile),
        (status = 401, body = AppError), (status = 422, body = AppError)))]
pub(crate) async fn change_me(
    State(state): State<AppState>,
    Caller(user): Caller,
    ApiJson(change): ApiJson<OwnChange>,
) -> Result<Json<UserProfile>, AppError> {
    Ok(Json(app::backend::settings::change_own(&state.store, &user, change).await?))
}

/// The caller's live browser sessions, newest first (at most 100), `current` marking the
/// one of this request. A session's `id` is the first 16 hex digits of the hash the server
/// keeps of its secret: it names the session, it cannot sign anyone in.
#[utoipa::path(get, path = "/api/v1/me/sessions",
    responses((status = 200, body = Sessions), (status = 401, body = AppError)))]
pub(crate) async fn list_sessions(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
) -> Result<Json<Sessions>, AppError> {
    let current = browser_session(&headers);
    Ok(Json(app::backend::settings::sessions(&state.store, &user, current.as_deref()).await?))
}

/// Ends every browser session of the caller's but the one making this request (every one,
/// when the request comes with an API token). The ended sessions are refused at once.
#[utoipa::path(delete, path = "/api/v1/me/sessions",
    responses((status = 204), (status = 401, body = AppError)))]
pub(crate) async fn end_other_sessions(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
) -> Result<StatusCode, AppError> {
    let current = browser_session(&headers);
    app::backend::settings::end_other_sessions(&state.store, &user, current.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends one of the caller's browser sessions at once (this one too: that signs out).
/// Someone else's session, or an id that names none, answers 404.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}",
    params(("id" = String, Path, pattern = "^[0-9a-f]{16}$")),
    responses((status = 204), (status = 401, body = AppError), (status = 404, body = AppError)))]
pub(crate) async fn end_session(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app::backend::settings::end_session(&state.store, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?cursor=&limit=` of an export.
#[derive(Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ExportQuery {
    /// Rows of each list per page, 1 to 500 (default 100).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A person's data, a page at a time: `{profile, cases_reported, replies, next_cursor}`.
/// `profile` is on every page; `cases_reported` (their cases, by number: summary,
/// description, status, opening) and `replies` (what they wrote on any case, oldest first:
/// public replies and, for support people, their internal notes) each hold up to `limit`
/// rows after their own place in `cursor`. Follow `next_cursor` until it is `null`: then
/// both lists are complete. The person themself or an admin; anyone else 403.
#[utoipa::path(get, path = "/api/v1/users/{id}/export", params(("id" = i64, Path, minimum = 1), ExportQuery),
    responses((status = 200, body = ExportPage), (status = 401, body = AppError), (status = 403, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn export_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    super::json::ApiQuery(query): super::json::ApiQuery<ExportQuery>,
) -> Result<Json<ExportPage>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let limit = super::audit::limit_param(query.limit.as_deref(), "1 to 500")?;
    Ok(Json(app::backend::privacy::export(&state.store, &actor, id, query.cursor.as_deref(), limit).await?))
}

/// The whole export as one download, streamed: `application/x-ndjson`, one JSON object a
/// line: first `{"kind": "profile", "profile": …}`, then every `{"kind": "case_reported",
/// "case": …}` and every `{"kind": "reply", "reply": …}` (the objects of the paged export's
/// lists). Read from the store 500 rows at a time as the client takes them: memory stays
/// flat whatever the person wrote. Who may read it, as the paged export; a refusal comes
/// before the first byte, in the error shape. A failure mid-way ends the download early
/// (the last line is then `{"kind": "incomplete"}`), never with a line half written.
#[utoipa::path(get, path = "/api/v1/users/{id}/export/download", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, description = "One JSON object a line", content_type = "application/x-ndjson", body = String),
        (status = 401, body = AppError), (status = 403, body = AppError), (status = 404, body = AppError)))]
pub(crate) async fn download_export(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<axum::response::Response, AppError> {
    use axum::http::header;
    use serde_json::json;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let limit = Some(app::backend::store::privacy::EXPORT_PAGE_MAX);
    let first = app::backend::privacy::export(&state.store, &actor, id, None, limit).await?;
    fn line(value: serde_json::Value) -> String {
        format!("{value}\n")
    }
    fn lines(page: &ExportPage) -> String {
        let cases = page.cases_reported.iter().map(|c| line(json!({"kind": "case_reported", "case": c})));
        let replies = page.replies.iter().map(|r| line(json!({"kind": "reply", "reply": r})));
        cases.chain(replies).collect()
    }
    let mut head = line(json!({"kind": "profile", "profile": first.profile}));
    head.push_str(&lines(&first));
    // Each step yields one page's lines and reads the next page after the client took them.
    let pages = futures::stream::unfold(Some((head, first.next_cursor)), move |step| {
        let (state, actor) = (state.clone(), actor.clone());
        async move {
            let (text, cursor) = step?;
            let Some(cursor) = cursor else {
                return Some((Ok::<_, std::convert::Infallible>(text), None));
            };
            let next = match app::backend::privacy::export(&state.store, &actor, id, Some(&cursor), limit).await {
                Ok(page) => Some((lines(&page), page.next_cursor)),
                Err(e) => {
                    tracing::warn!(user = id, error = e.message_id(), "export download ended early");
                    Some((line(json!({"kind": "incomplete"})), None))
                }
            };
            Some((Ok(text), next))
        }
    });
    let filename = format!("caseboard-export-{id}.ndjson");
    axum::response::Response::builder()
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\""))
        .header(header::CACHE_CONTROL, "no-store")
        .body(axum::body::Body::from_stream(pages))
        .map_err(|_| AppError::Internal)
}

/// Erases a customer's personal data: their name becomes `Former contact #<id>`, their
/// email an address no mail reaches; their password, phone, time zone, sessions, API
/// tokens, invitation and reset links, notification settings and pending mail go, and the
/// account is deactivated. Their cases and replies stay and still read, signed by the
/// tombstone; nothing points nowhere. Recorded in the admin log (`user.erased`) without
/// their personal data. Erased already: nothing changes (`changed: false`). Admins only;
/// not themselves, nor a support person (422 `user`).
#[utoipa::path(post, path = "/api/v1/users/{id}/erase", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Erasure), (status = 401, body = AppError), (status = 403, body = AppError),
        (status = 422, body = AppError)))]
pub(crate) async fn erase_user(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<Erasure>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(app::backend::privacy::erase(&state.store, &actor, id).await?))
}
