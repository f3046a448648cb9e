//! Serving connections with hyper-util directly: `axum::serve` gives hyper no timer, so a
//! client that sends its headers a byte at a time (or never finishes them) held a
//! connection as long as it liked. Here a request's headers must arrive within
//! `CASEBOARD_HEADER_READ_TIMEOUT_SECS`, a body may not stall longer than
//! `CASEBOARD_BODY_IDLE_TIMEOUT_SECS` between chunks, and every
//! request carries its peer's address (`ConnectInfo`) for the sign-in limit.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower_http::add_extension::AddExtension;
use tower_http::timeout::RequestBodyTimeout;

/// How long requests in flight get to finish once the server is asked to stop.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` resolves; then stops accepting and lets the
/// requests in flight finish (at most [`DRAIN`]).
pub async fn serve(listener: TcpListener, app: Router, config: &crate::Config, shutdown: impl Future<Output = ()>) {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(config.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment instead of spinning.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = RequestBodyTimeout::new(app.clone(), config.body_idle_timeout);
        let service = TowerToHyperService::new(AddExtension::new(app, ConnectInfo(peer)));
        let connection =
            graceful.watch(builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned());
        tokio::spawn(async move {
            // A client that went away or timed out is not the server's error.
            let _ = connection.await;
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still in flight after {} s; stopping anyway", DRAIN.as_secs());
    }
}
