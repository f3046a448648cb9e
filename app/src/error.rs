//! One error type for the whole application: what the browser and API clients may learn
//! about a failure. Database and internal details are logged on the server, never sent.

use serde::{Deserialize, Serialize};

/// Why a field was refused. The UI translates it; the API sends its English text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum InvalidReason {
    Required,
    TooLong {
        max: usize,
    },
    NotAllowed,
    Malformed {
        detail: String,
    },
    /// The change would leave the organization without an admin (`org_admin`, a removal).
    LastAdmin,
    /// The invitation was accepted: the contact has chosen a password (`invitation`).
    AlreadyAccepted,
    /// Billable expertise on an organization whose plan includes no expertise hours and
    /// which holds no valid pack (`activity`).
    NoExpertise,
}

impl std::fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvalidReason::Required => f.write_str("is required"),
            InvalidReason::TooLong { max } => write!(f, "is too long (at most {max})"),
            InvalidReason::NotAllowed => f.write_str("is not allowed here"),
            InvalidReason::Malformed { detail } => write!(f, "is malformed: {detail}"),
            InvalidReason::LastAdmin => f.write_str(
                "cannot change: the organization would be left without an admin (make another contact admin first)",
            ),
            InvalidReason::AlreadyAccepted => f.write_str("was already accepted: the contact has signed up"),
            InvalidReason::NoExpertise => f.write_str(
                "cannot be billable expertise: the organization's plan includes no expertise hours and it holds no valid expertise pack",
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    #[error("sign in first")]
    Unauthenticated,
    /// The same answer for an unknown email and a wrong password.
    #[error("unknown email or wrong password")]
    BadCredentials,
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("you may not do this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A change stated a version that is no longer the current one. `changed_by` and
    /// `seconds_ago` say who made the newer change, and when ("moved by Sam a moment ago").
    #[error("the case changed meanwhile (now at version {current_version}); reload and try again")]
    Conflict {
        current_version: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        changed_by: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seconds_ago: Option<u64>,
    },
    #[error("{field} {reason}")]
    Invalid { field: String, reason: InvalidReason },
    /// Something of that name already exists (`field` names what is taken: a product's `name`).
    #[error("{field} is already taken")]
    Exists { field: String },
    /// The path exists, but not with this HTTP method.
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    /// The request itself could not be read (bad JSON, missing arguments).
    #[error("malformed request: {detail}")]
    Malformed { detail: String },
    /// The request body is larger than the route takes.
    #[error("the request is too large")]
    TooLarge,
    #[error("something went wrong on our side; it has been logged")]
    Internal,
}

impl AppError {
    pub fn invalid(field: &str, reason: InvalidReason) -> Self {
        AppError::Invalid { field: field.to_string(), reason }
    }

    /// The field a refused input names, when it names one (a form shows the error beside it).
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } | AppError::Exists { field } => Some(field),
            _ => None,
        }
    }

    /// The i18n message id the UI shows for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "error-unauthenticated",
            AppError::BadCredentials => "error-bad-credentials",
            AppError::RateLimited { .. } => "error-rate-limited",
            AppError::Forbidden => "error-forbidden",
            AppError::NotFound => "error-not-found",
            AppError::Conflict { changed_by: Some(_), .. } => "error-conflict-by",
            AppError::Conflict { .. } => "error-conflict",
            AppError::Exists { .. } => "error-exists",
            AppError::Invalid { reason, .. } => match reason {
                InvalidReason::Required => "error-field-required",
                InvalidReason::TooLong { .. } => "error-field-too-long",
                InvalidReason::NotAllowed => "error-field-not-allowed",
                InvalidReason::Malformed { .. } => "error-field-malformed",
                InvalidReason::LastAdmin => "error-field-last-admin",
                InvalidReason::AlreadyAccepted => "error-field-already-accepted",
                InvalidReason::NoExpertise => "error-field-no-expertise",
            },
            AppError::Malformed { .. } | AppError::MethodNotAllowed => "error-malformed",
            AppError::TooLarge => "error-too-large",
            AppError::Internal => "error-internal",
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(detail) | E::MissingArg(detail) | E::Deserialization(detail) => {
                // Arguments that cannot be read are the caller's fault: 400, as over REST
                // (server functions would answer 500 for any error not set otherwise).
                #[cfg(feature = "ssr")]
                if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                    response.set_status(axum::http::StatusCode::BAD_REQUEST);
                }
                AppError::Malformed { detail }
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
mod http {
    use super::AppError;
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};

    impl AppError {
        pub fn status(&self) -> StatusCode {
            match self {
                AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
                AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                AppError::Forbidden => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Conflict { .. } | AppError::Exists { .. } => StatusCode::CONFLICT,
                AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Malformed { .. } => StatusCode::BAD_REQUEST,
                AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
                AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            }
        }
    }

    /// API clients get `{"error": "<kind>", "message": "<English text>", ...fields}`.
    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let mut body = serde_json::to_value(&self).unwrap_or_default();
            if let Some(map) = body.as_object_mut() {
                map.insert("message".into(), serde_json::Value::String(self.to_string()));
            }
            let mut response = (self.status(), axum::Json(body)).into_response();
            if let AppError::RateLimited { retry_after_secs } = self {
                if let Ok(v) = retry_after_secs.to_string().parse() {
                    response.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
                }
            }
            response
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> Self {
            tracing::error!(error = %e, "database error");
            AppError::Internal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_field_error_names_the_field_and_the_limit() {
        let e = AppError::invalid("summary", InvalidReason::TooLong { max: 200 });
        assert_eq!(e.to_string(), "summary is too long (at most 200)");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["error"], "invalid");
        assert_eq!(json["field"], "summary");
        assert_eq!(json["reason"]["code"], "too_long");
    }

    #[test]
    fn internal_error_says_nothing_about_the_cause() {
        assert!(!AppError::Internal.to_string().contains("sql"));
    }
}

impl AppError {
    /// A conflict without knowing who changed the case.
    pub fn conflict(current_version: i64) -> Self {
        AppError::Conflict { current_version, changed_by: None, seconds_ago: None }
    }
}
