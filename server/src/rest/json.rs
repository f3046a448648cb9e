//! The REST API's JSON body: anything that cannot be read is answered in the API's one
//! error shape.

use app::AppError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};

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
