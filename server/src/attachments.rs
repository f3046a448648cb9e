//! Files on cases over HTTP: uploads (multipart, several files, under their own size limit)
//! and downloads. The rules (scope, types from the bytes, archive bombs) are the backend's.

use app::AppError;
use app::api::request::{Caller, case_number, idempotency_key};
use app::backend::{AppState, attachments};
use app::domain::Case;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

/// Uploads have their own body limit: every file at its largest, plus the form's overhead.
pub fn router(max_attachment_bytes: usize) -> Router<AppState> {
    let limit = max_attachment_bytes.saturating_mul(attachments::FILES_PER_UPLOAD_MAX).saturating_add(256 * 1024);
    Router::new()
        .route("/api/v1/cases/{number}/attachments", axum::routing::post(upload))
        .route("/api/v1/uploads", axum::routing::post(upload_for_draft))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .route("/api/v1/cases/{number}/attachments/{id}", get(download))
        .route("/api/v1/uploads/{id}", axum::routing::delete(remove_upload))
}

/// A multipart form, or the API's error shape (axum's own answer is plain text).
fn readable(form: Result<Multipart, MultipartRejection>) -> Result<Multipart, AppError> {
    form.map_err(|rejection| {
        tracing::info!(detail = ?rejection.body_text(), "upload is not a readable multipart form");
        AppError::Malformed { detail: rejection.body_text() }
    })
}

/// Reads the `file` parts of a multipart form (one more than allowed at most, so the rule
/// can say there were too many).
async fn files_of(
    form: &mut Multipart,
    max_attachment_bytes: usize,
    user_id: i64,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let malformed = |e: axum::extract::multipart::MultipartError| {
        tracing::info!(user = user_id, error = %e, "upload could not be read");
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::invalid("file", app::error::InvalidReason::TooLong { max: max_attachment_bytes })
        } else {
            AppError::Malformed { detail: e.body_text() }
        }
    };
    let mut files = Vec::new();
    while let Some(field) = form.next_field().await.map_err(malformed)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("attachment").to_owned();
        let bytes = field.bytes().await.map_err(malformed)?;
        files.push((name, bytes.to_vec()));
        if files.len() > attachments::FILES_PER_UPLOAD_MAX {
            break;
        }
    }
    Ok(files)
}

/// Keeps files for the caller's next case (the wizard uploads them while the case is being
/// written); `CaseDraft.attachments` names them by id when the case is opened. Checked as
/// attachments are: one refused file refuses the upload (422 naming it), nothing is kept.
#[utoipa::path(post, path = "/api/v1/uploads",
    request_body(content = crate::rest::doc::FileParts, content_type = "multipart/form-data", description = "one or more `file` parts"),
    responses((status = 201, body = Vec<app::domain::DraftFile>), (status = 403, body = AppError), (status = 422, body = AppError)))]
pub async fn upload_for_draft(
    State(state): State<AppState>,
    Caller(user): Caller,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Vec<app::domain::DraftFile>>), AppError> {
    let mut form = readable(form)?;
    let files = files_of(&mut form, state.mail.max_attachment_bytes, user.id).await?;
    let uploads = attachments::upload_for_draft(&state.store, &user, files, state.mail.max_attachment_bytes).await?;
    Ok((StatusCode::CREATED, Json(uploads)))
}

/// Takes a file off the caller's draft.
#[utoipa::path(delete, path = "/api/v1/uploads/{id}", params(("id" = i64, Path, example = 1)),
    responses((status = 204, description = "Removed")))]
pub async fn remove_upload(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    attachments::remove_upload(&state.store, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Attaches the `file` parts of a multipart form (up to 10) to a case. An `Idempotency-Key`
/// header makes a retry add nothing. One refused file (type, size, archive bomb) refuses
/// the whole upload with 422 naming it; nothing is kept.
#[utoipa::path(post, path = "/api/v1/cases/{number}/attachments",
    params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number"),
        ("Idempotency-Key" = Option<String>, Header, max_length = 128, pattern = "^[!-~]*$",
            description = "A retry with the same key adds nothing")),
    request_body(content = crate::rest::doc::FileParts, content_type = "multipart/form-data", description = "one or more `file` parts"),
    responses((status = 201, body = Case), (status = 422, body = AppError)))]
pub async fn upload(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Case>), AppError> {
    let number = case_number(&number)?;
    let key = idempotency_key(&headers)?;
    let mut form = readable(form)?;
    let files = files_of(&mut form, state.mail.max_attachment_bytes, user.id).await?;
    let case = attachments::attach(&state.store, &user, number, files, state.mail.max_attachment_bytes, key).await?;
    Ok((StatusCode::CREATED, Json(case)))
}

/// An attachment of a case the caller may see, as a download (never shown inline: the
/// stored type was read from the bytes, and `nosniff` keeps the browser to it).
#[utoipa::path(get, path = "/api/v1/cases/{number}/attachments/{id}", params(("number" = i64, Path, minimum = 1, example = 1001, description = "The case number"), ("id" = i64, Path, example = 1)),
    responses((status = 200, description = "The file, as a download, in the type read from its bytes",
        content_type = "*/*")))]
pub async fn download(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path((number, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let number = case_number(&number)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let file = attachments::download(&state.store, &user, number, id).await?;
    let ascii: String = file.file_name.chars().filter(|c| c.is_ascii_alphanumeric() || ".-_ ".contains(*c)).collect();
    let encoded: String = file
        .file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = file.content.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(&file.content_type).map_err(|_| AppError::Internal)?);
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).map_err(|_| AppError::Internal)?);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert("content-security-policy", HeaderValue::from_static("sandbox; default-src 'none'"));
    Ok(response)
}
