//! What the REST API reads from a request besides the caller: the JSON body and the query
//! string. Anything that cannot be read is answered in the API's one error shape, and the
//! log says why without repeating the caller's text raw.

use app::AppError;
use axum::Json;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header;
use axum::http::request::Parts;

/// A JSON object body. Anything else is a 400 with a message: bad JSON, wrong types, a wrong
/// content type, and any JSON that is not an object (serde would otherwise read an array
/// `["email", "password"]` into a struct's fields by position).
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
        let bytes =
            axum::body::Bytes::from_request(req, state).await.map_err(|e: BytesRejection| malformed(e.body_text()))?;
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(malformed("expected a JSON object".to_owned()));
        }
        match Json::<T>::from_bytes(&bytes) {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(malformed(match &rejection {
                JsonRejection::MissingJsonContentType(_) => "expected Content-Type: application/json".to_owned(),
                other => other.body_text(),
            })),
        }
    }
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
