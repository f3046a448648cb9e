//! `Server-Timing: app;dur=<ms>` on every response: how long the server took to produce it,
//! up to its headers (a page streamed after its head is timed to its first bytes; the
//! server functions and the REST API answer whole). Benchmarks read it (`scripts/bench
//! scale`); browsers show it in their developer tools. It names no operation and no data.

use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

pub async fn server_timing(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    let ms = started.elapsed().as_secs_f64() * 1e3;
    if let Ok(value) = HeaderValue::from_str(&format!("app;dur={ms:.2}")) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}
