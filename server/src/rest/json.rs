//! What the REST API reads from a request besides the caller: the JSON body and the query
//! string. Anything that cannot be read is answered in the API's one error shape, and the
//! log says why without repeating the caller's text raw.

use app::AppError;
use app::error::InvalidReason;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};

/// A JSON object body. What cannot be read is a 400 with a message: bad JSON, a wrong
/// content type, any JSON that is not an object (serde would otherwise read an array
/// `["email", "password"]` into a struct's fields by position), a value of the wrong JSON
/// type, a missing or an unknown field. A value of the right type outside its field's
/// domain (a severity of 7, an unknown kind) is a refused field: 422 naming it. A body over
/// the route's limit is a 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !json {
            return Err(malformed("expected Content-Type: application/json".to_owned()));
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e: BytesRejection| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                tracing::info!("API request body over the limit");
                AppError::TooLarge
            } else {
                malformed(e.body_text())
            }
        })?;
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(malformed("expected a JSON object".to_owned()));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(refusal)?;
        deserializer.end().map_err(|e| malformed(format!("not valid JSON: {e}")))?;
        Ok(ApiJson(value))
    }
}

/// Why a body was not read into its type: the field (`severity`, `details.stakes[0]`) and
/// serde's words, without the position.
fn refusal(error: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let field = error.path().to_string();
    let inner = error.into_inner();
    let position = format!(" at line {} column {}", inner.line(), inner.column());
    let text = inner.to_string();
    let detail = text.strip_suffix(&position).unwrap_or(&text).to_owned();
    // serde's own words for a value of the right type that is not one the field takes
    // (`invalid value: integer `7`, expected …`, `unknown variant `bugg`, expected …`).
    let out_of_domain = detail.starts_with("invalid value: ") || detail.starts_with("unknown variant ");
    if inner.is_data() && out_of_domain && field != "." {
        tracing::info!(field = ?field, detail = ?detail, "API request refused a field");
        return AppError::invalid(&field, InvalidReason::Malformed { detail });
    }
    if inner.is_data() && field != "." {
        return malformed(format!("{field}: {detail}"));
    }
    malformed(detail)
}

/// A query string read into `T`; a missing or unreadable parameter is a 400 in the API's
/// error shape (axum's own answer is plain text).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(malformed(query_detail(&rejection))),
        }
    }
}

fn query_detail(rejection: &QueryRejection) -> String {
    rejection.body_text()
}

/// A malformed request, logged with the detail escaped (`?`: a newline in it cannot forge a
/// log line).
fn malformed(detail: String) -> AppError {
    tracing::info!(detail = ?detail, "malformed API request");
    AppError::Malformed { detail }
}
