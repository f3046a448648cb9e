//! Every page is rendered in the language [`app::backend::language::page_language`] settles
//! (a signed-in person's choice, else the browser's), and the browser's side hydrates in the
//! same one: the request's language cookie is set to it before the page renders (the i18n
//! layer reads that cookie on the server), and the response sets it in the browser when it
//! differed (the i18n layer reads it there too).

use app::backend::AppState;
use app::backend::accounts::user_by_session;
use app::backend::language::{LANGUAGE_COOKIE, language_cookie, page_language, supported};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::CookieJar;

/// Paths that are not pages: the API (server functions too), the bundle, health checks.
fn is_page(request: &Request) -> bool {
    let path = request.uri().path();
    matches!(*request.method(), Method::GET | Method::HEAD)
        && !["/api/", "/pkg/", "/healthz"].iter().any(|prefix| path.starts_with(prefix))
}

pub async fn settle(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !is_page(&request) {
        return next.run(request).await;
    }
    let jar = CookieJar::from_headers(request.headers());
    let cookie = jar.get(LANGUAGE_COOKIE).map(|c| c.value().to_owned());
    let chosen = match app::api::request::session_secret_in(request.headers()) {
        // A page never fails over its language: a store error reads as "not chosen".
        Some(secret) => user_by_session(&state.store, &secret)
            .await
            .ok()
            .flatten()
            .filter(|user| user.language_chosen)
            .map(|user| user.language),
        None => None,
    };
    // A link that names its language (`?lang=fr`) is followed for that page, as the i18n
    // layer does.
    let asked = request
        .uri()
        .query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(supported);
    let accept = request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let language = page_language(asked.or(chosen.as_deref()), cookie.as_deref(), accept);
    if cookie.as_deref() != Some(language) {
        // The render reads the settled language from the request's cookies.
        let others: Vec<String> = jar
            .iter()
            .filter(|c| c.name() != LANGUAGE_COOKIE)
            .map(|c| format!("{}={}", c.name(), c.value()))
            .chain([format!("{LANGUAGE_COOKIE}={language}")])
            .collect();
        request.headers_mut().remove(header::COOKIE);
        if let Ok(value) = HeaderValue::from_str(&others.join("; ")) {
            request.headers_mut().insert(header::COOKIE, value);
        }
    }
    let mut response = next.run(request).await;
    if cookie.as_deref() != Some(language)
        && let Ok(value) = HeaderValue::from_str(&language_cookie(language, state.https))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
