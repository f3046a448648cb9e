//! Shared by the HTTP test files: a real server on a loopback port over a fresh SQLite
//! file with the demo data, and clients for it.
#![allow(dead_code)]

#[allow(dead_code)]
pub mod instance;

use reqwest::StatusCode;
use serde_json::{Value, json};

pub const PASSWORD: &str = app::backend::demo::DEMO_PASSWORD;

pub struct TestServer {
    pub base: String,
    pub store: app::backend::Store,
    pub config: server::Config,
    _dir: tempfile::TempDir,
}

pub async fn start() -> TestServer {
    start_with_admin(None).await
}

pub async fn start_with_admin(admin: Option<(String, String)>) -> TestServer {
    start_with(admin, |_| {}).await
}

/// A server whose configuration the test adjusts first (mail settings, say).
pub async fn start_with(admin: Option<(String, String)>, adjust: impl FnOnce(&mut server::Config)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut config = server::Config { admin, ..server::Config::local(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap()) };
    config.database_url = postgres_database(dir.path()).await;
    adjust(&mut config);
    let store = server::open_store(&config).await.unwrap();
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    std::mem::forget(stop);
    // The mail sender runs; the SLA sweeper does not (tests sweep when they mean to).
    app::backend::mail::sender::spawn(store.clone(), config.mail.clone()).unwrap();
    let app = server::router(store.clone(), &config, stopped).await.unwrap();
    tokio::spawn(async move { axum::serve(listener, app.into_make_service()).await.unwrap() });
    TestServer { base, store, config, _dir: dir }
}

/// With `CASEBOARD_TEST_POSTGRES` (`postgres://postgres@127.0.0.1:5432`), a fresh database on
/// that server for this test (named after its temporary directory); otherwise none (SQLite).
pub async fn postgres_database(dir: &std::path::Path) -> Option<String> {
    use sqlx::Connection;
    let server = std::env::var("CASEBOARD_TEST_POSTGRES").ok()?;
    let name = format!("caseboard_test_{}", &app::backend::store::fingerprint(dir.to_string_lossy().as_bytes())[..20]);
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres")).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&mut admin).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.unwrap();
    Some(format!("{server}/{name}"))
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn token(&self, email: &str) -> String {
        self.token_with(email, PASSWORD).await
    }

    pub async fn token_with(&self, email: &str, password: &str) -> String {
        let response = reqwest::Client::new()
            .post(self.url("/api/v1/auth/token"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
    }

    /// A browser-like client signed in through the `sign_in` server function.
    pub async fn browser(&self, email: &str) -> reqwest::Client {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let response = client
            .post(self.url("/api/sign_in"))
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());
        client
    }

    pub async fn open_case(&self, token: &str, body: Value, key: Option<&str>) -> reqwest::Response {
        let mut request = reqwest::Client::new().post(self.url("/api/v1/cases")).bearer_auth(token).json(&body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.unwrap()
    }

    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        reqwest::Client::new().get(self.url(path)).bearer_auth(token).send().await.unwrap()
    }
}

pub fn case_body(summary: &str) -> Value {
    json!({
        "summary": summary,
        "description": "Exports fail with HTTP 500.",
        "kind": "bug",
        "severity": 2,
        "environment": "production"
    })
}

/// POSTs JSON with a bearer token.
pub async fn post_json(s: &TestServer, token: &str, path: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new().post(s.url(path)).bearer_auth(token).json(&body).send().await.unwrap()
}

/// PUTs JSON with a bearer token.
#[allow(dead_code)]
pub async fn put_json(s: &TestServer, token: &str, path: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new().put(s.url(path)).bearer_auth(token).json(&body).send().await.unwrap()
}
