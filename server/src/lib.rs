//! The caseboard server: configuration, the router (pages, server functions, REST API,
//! health check, static files) and start-up (migrations, admin, demo data).

pub mod allocator;
pub mod attachments;
pub mod config;
pub mod language;
pub mod listen;
pub mod live;
pub mod mail;
pub mod rest;
pub mod security;
pub mod timing;

use std::sync::Arc;

use app::backend::{AppState, SignInLimiter, Store};
use app::ui::{App, shell};
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::set_header::SetResponseHeaderLayer;

pub use config::Config;

/// Opens the database (creating and migrating it), ensures the configured admin, and
/// loads the demo data when asked and the database is empty.
pub async fn open_store(config: &Config) -> Result<Store, String> {
    let store = match &config.database_url {
        Some(url) => Store::connect(url).await,
        None => {
            std::fs::create_dir_all(&config.data_dir)
                .map_err(|e| format!("cannot create data directory {}: {e}", config.data_dir.display()))?;
            Store::open_sqlite(&config.data_dir.join("caseboard.sqlite")).await
        }
    }
    .map_err(|e| format!("cannot open the database: {e}"))?
    .with_mail_window(config.mail.coalesce_window);
    if let Some((email, password)) = &config.admin {
        app::backend::admin::ensure_admin(&store, email, password)
            .await
            .map_err(|e| format!("cannot ensure the admin {email}: {e}"))?;
    }
    if config.demo {
        app::backend::demo::load_if_empty(&store).await.map_err(|e| format!("cannot load demo data: {e}"))?;
    }
    Ok(store)
}

/// `caseboard backup <file>`: a consistent copy of the configured SQLite database into the
/// new file `into`, while a server may be writing to it (never migrated nor created here).
pub async fn backup(config: &Config, into: &std::path::Path) -> Result<app::backend::store::Backup, String> {
    let url = match &config.database_url {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", config.data_dir.join("caseboard.sqlite").display()),
    };
    app::backend::store::backup_sqlite(&url, into).await.map_err(|e| format!("backup refused: {e}"))
}

/// The background work of an instance: the SLA sweeper and the mail sender. The sweeper
/// stops when `stop` turns true; await the handle before closing the store.
pub fn spawn_background(
    store: &Store,
    config: &Config,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<()>, String> {
    let sweeper =
        app::backend::sweeper::spawn(store.clone(), std::time::Duration::from_secs(config.sweep_every_secs), stop);
    app::backend::mail::sender::spawn(store.clone(), config.mail.clone())?;
    Ok(sweeper)
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("caseboard")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(Env::PROD)
        .build()
}

/// The whole HTTP surface of one instance, with its live feed (started here, after the
/// newest log entry: the feed subscribes to the store's commits).
pub async fn router(
    store: Store,
    config: &Config,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> Result<Router, String> {
    let options = leptos_options(config);
    let feed = app::backend::feed::Feed::start(&store).await.map_err(|e| format!("cannot start the live feed: {e}"))?;
    // The presence board holds what other instances report too (PostgreSQL).
    let presence = Arc::new(app::backend::presence::Presence::default());
    presence.clone().follow(store.instance_id(), feed.remote_presence());
    let https = config.mail.public_url.starts_with("https://");
    let sign_in_limiter = Arc::new(SignInLimiter::new(config.sign_in_per_address_per_minute));
    let password_reset_limiter = Arc::new(app::backend::email_request_limiter::EmailRequestLimiter::new("password reset"));
    let registration_limiter = Arc::new(app::backend::email_request_limiter::EmailRequestLimiter::new("registration"));
    // Keys whose limits have recovered are forgotten each minute: an attacker spraying
    // addresses or emails grows memory only by what one minute holds.
    // Account requests never confirmed are forgotten once their link expired.
    tokio::spawn({
        let store = store.clone();
        async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
            loop {
                every.tick().await;
                match store.forget_expired_registrations(jiff::Timestamp::now(), 1000).await {
                    Ok(0) => {}
                    Ok(deleted) => tracing::info!(deleted, "expired account requests forgotten"),
                    Err(e) => tracing::warn!(error = %e, "expired account requests not forgotten"),
                }
            }
        }
    });
    tokio::spawn({
        let limiter = Arc::downgrade(&sign_in_limiter);
        let resets = Arc::downgrade(&password_reset_limiter);
        let registrations = Arc::downgrade(&registration_limiter);
        async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                let Some(limiter) = limiter.upgrade() else { break };
                limiter.forget_recovered();
                if let Some(resets) = resets.upgrade() {
                    resets.forget_recovered();
                }
                if let Some(registrations) = registrations.upgrade() {
                    registrations.forget_recovered();
                }
            }
        }
    });
    let state = AppState {
        store,
        feed,
        sign_in_limiter: sign_in_limiter.clone(),
        password_reset_limiter,
        registration_limiter,
        leptos_options: options.clone(),
        shutdown,
        wip_limits: config.wip_limits.clone(),
        presence,
        https,
        streams_per_user: config.streams_per_user,
        open_streams: Default::default(),
        mail: Arc::new(config.mail.clone()),
    };
    let routes = generate_route_list(App);
    let context_state = state.clone();
    // Every render (and server function call) gets the state and a fresh CSP nonce.
    let page_context = move || {
        provide_context(context_state.clone());
        security::provide_page_nonce();
    };
    Ok(Router::new()
        .route("/healthz", get(healthz))
        .route("/status/maintenance.ics", get(rest::maintenance::maintenance_feed))
        .nest("/api/v1", rest::router().merge(mail::api_router()))
        .leptos_routes_with_context(&state, routes, page_context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        // The bundle, precompressed by `scripts/build --release` where it could be (brotli,
        // gzip); long-lived caching is not safe yet: the file names carry no hash.
        .nest_service(
            "/pkg",
            tower_http::services::ServeDir::new(config.site_root.join("pkg")).precompressed_br().precompressed_gzip(),
        )
        .method_not_allowed_fallback(|| async { app::AppError::MethodNotAllowed })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(page_context, shell))
        .layer(axum::extract::DefaultBodyLimit::max(rest::BODY_LIMIT))
        // Server functions read their bodies themselves: cap every body, not only extractors'.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(rest::BODY_LIMIT))
        // The mail gateway takes whole messages, uploads take files: their own, larger limits.
        .merge(mail::gateway_router(config.mail.max_message_bytes))
        .merge(attachments::router(config.mail.max_attachment_bytes))
        // A body over a limit is refused before it is read, in the API's error shape too.
        .layer(axum::middleware::map_response(too_large_in_api_shape))
        // Pages render in the language one rule settles, on the server and after hydration.
        .layer(axum::middleware::from_fn_with_state(state.clone(), language::settle))
        // Security headers on every response, the merged routes' too.
        .layer(axum::middleware::from_fn(security::default_policy))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::<str>::from(security::origin_of(&config.mail.public_url)),
            security::same_origin_writes,
        ))
        // Served over https: browsers keep to https for a year.
        .layer(tower::util::option_layer(https.then(|| {
            SetResponseHeaderLayer::overriding(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            )
        })))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        // A panic is logged and answered with the generic internal error, never its message.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            tracing::error!("request handler panicked");
            app::AppError::Internal.into_response()
        }))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        // The server's own time on every response (`Server-Timing`), for benchmarks.
        .layer(axum::middleware::from_fn(timing::server_timing))
        // Where the client's address comes from (the peer, or a trusted proxy's header).
        .layer(config.client_ip_source.clone().into_extension())
        .with_state(state))
}

/// The body limit's own 413 is plain text: answered instead as every refusal is, JSON.
async fn too_large_in_api_shape(response: axum::response::Response) -> axum::response::Response {
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !json {
        return app::AppError::TooLarge.into_response();
    }
    response
}

/// 200 when the server and its database answer.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}
