//! Response headers that keep pages safe: a strict Content-Security-Policy with a fresh
//! nonce for every server-rendered page (its hydration scripts carry the nonce, nothing
//! else may run), and the policy for any other HTML.

use axum::http::{HeaderValue, header};
use leptos::prelude::use_context;

/// The policy of a page whose scripts carry `nonce`: scripts only with the nonce (and what
/// they load, `strict-dynamic`: the WASM bundle), WebAssembly compiled from it, no plugins,
/// no `<base>`, never framed, forms only to this site.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// The policy of HTML that carries no nonce: no script at all.
pub const NO_SCRIPT_POLICY: &str = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// For a server render: makes this response's nonce (the hydration scripts read it from the
/// context) and sends the policy that allows exactly those scripts.
pub fn provide_page_nonce() {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Any HTML response without a policy gets the no-script one (a static page, an error).
pub async fn default_policy(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html && !response.headers().contains_key(header::CONTENT_SECURITY_POLICY) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(NO_SCRIPT_POLICY));
    }
    response
}

/// Cross-site request forgery: a state-changing request that a browser sends on its own
/// (no `Authorization` header, so the session cookie or nothing authenticates it) must come
/// from this site's own pages. `Sec-Fetch-Site` says so in every current browser; `Origin`
/// where that header is missing. A cross-site sign-in form (login CSRF), a cross-site
/// reply, move or upload gets 403 and changes nothing. Scripts with a bearer token, and
/// clients that send neither header (curl, the mail gateway), are not browsers' ambient
/// credentials and pass.
pub async fn same_origin_writes(
    axum::extract::State(public_origin): axum::extract::State<std::sync::Arc<str>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::Method;
    use axum::response::IntoResponse;
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if writes
        && !request.headers().contains_key(header::AUTHORIZATION)
        && !same_origin(request.headers(), &public_origin)
    {
        tracing::info!(method = %request.method(), path = request.uri().path(), "cross-site write refused");
        return app::AppError::Forbidden.into_response();
    }
    next.run(request).await
}

fn same_origin(headers: &axum::http::HeaderMap, public_origin: &str) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match text("origin") {
        None => true,
        Some(origin) => {
            origin == public_origin
                || text("host")
                    .is_some_and(|host| origin == format!("http://{host}") || origin == format!("https://{host}"))
        }
    }
}

/// The origin (`scheme://host[:port]`) of a public URL.
pub fn origin_of(public_url: &str) -> String {
    let rest = public_url.split_once("://").map(|(scheme, rest)| (scheme, rest.split('/').next().unwrap_or("")));
    match rest {
        Some((scheme, host)) => format!("{scheme}://{host}"),
        None => public_url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap())).collect()
    }

    #[test]
    fn a_browser_write_must_come_from_this_site() {
        let own = "https://support.example.com";
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), own));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")]), own));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")]), own));
        assert!(same_origin(&headers(&[("origin", "https://support.example.com")]), own));
        assert!(!same_origin(&headers(&[("origin", "https://evil.example")]), own));
        assert!(same_origin(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]), own));
        // curl, the mail gateway: no browser, no ambient credentials to forge with.
        assert!(same_origin(&headers(&[]), own));
    }

    #[test]
    fn the_origin_of_a_public_url() {
        assert_eq!(origin_of("https://support.example.com/base/"), "https://support.example.com");
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
    }
}
