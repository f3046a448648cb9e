//! Server functions, grouped by capability. Each one: who is asking, is it allowed,
//! validate, call the backend, return a typed result or an `AppError`. No SQL here.
//! Endpoints are fixed names, so a server and a WASM built elsewhere still meet.

pub mod accounts;
pub mod cases;
pub mod contacts;
pub mod kb;
pub mod notifications;

#[cfg(feature = "ssr")]
pub(crate) mod request {
    //! What a server function knows about the request it serves.

    use axum_extra::extract::CookieJar;
    use leptos::prelude::use_context;

    use crate::backend::AppState;
    use crate::backend::accounts::{SESSION_COOKIE, user_by_session};
    use crate::backend::store::UserRecord;
    use crate::error::AppError;

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })
    }

    pub async fn session_secret() -> Option<String> {
        let jar: CookieJar = leptos_axum::extract().await.ok()?;
        jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()).filter(|v| !v.is_empty())
    }

    /// The signed-in user, or `Unauthenticated`.
    pub async fn user(state: &AppState) -> Result<UserRecord, AppError> {
        let secret = session_secret().await.ok_or(AppError::Unauthenticated)?;
        user_by_session(&state.store, &secret).await?.ok_or(AppError::Unauthenticated)
    }

    /// Gives a failed server function the HTTP status its error calls for (404, 409, …),
    /// so the browser, scripts and logs all see the same answer.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(e) = &result {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(e.status());
            }
        }
        result
    }

    pub fn set_cookie(value: String) {
        if let (Some(response), Ok(value)) = (use_context::<leptos_axum::ResponseOptions>(), value.parse()) {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
}
