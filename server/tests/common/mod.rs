//! Shared by the HTTP test files: a real server on a loopback port over a fresh database
//! (a SQLite file, or PostgreSQL with `CASEBOARD_TEST_POSTGRES`) with the demo data, and
//! the typed client for it (`client`).
#![allow(dead_code)]

pub mod client;
pub mod instance;
pub mod smtp;

#[allow(unused_imports)]
pub use client::{Answer, Api, Browser, DEMO_PASSWORD as PASSWORD, case_body};

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
    let mut config =
        server::Config { admin, ..server::Config::local(dir.path().to_path_buf(), "127.0.0.1:0".parse().unwrap()) };
    config.database_url = Some(app::backend::test_database::url(dir.path()).await.unwrap());
    adjust(&mut config);
    let store = server::open_store(&config).await.unwrap();
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    std::mem::forget(stop);
    // The mail sender runs; the SLA sweeper does not (tests sweep when they mean to).
    app::backend::mail::sender::spawn(store.clone(), config.mail.clone()).unwrap();
    let app = server::router(store.clone(), &config, stopped).await.unwrap();
    let served = config.clone();
    tokio::spawn(async move { server::listen::serve(listener, app, &served, std::future::pending()).await });
    TestServer { base, store, config, _dir: dir }
}

impl TestServer {
    /// The mails of `kind` (the template, as in `…-password_reset.eml`) to `to`, read from
    /// the file outbox with quoted-printable soft breaks undone, oldest first, once there are
    /// at least `count` (10 seconds at most).
    pub async fn mails(&self, kind: &str, to: &str, count: usize) -> Vec<String> {
        let outbox = self.config.data_dir.join("outbox");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let mut files: Vec<_> = std::fs::read_dir(&outbox)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(&format!("-{kind}.eml")))
                .map(|e| e.path())
                .collect();
            files.sort();
            let found: Vec<String> = files
                .iter()
                .map(|p| std::fs::read_to_string(p).unwrap_or_default().replace("=\r\n", "").replace("=\n", ""))
                .filter(|text| text.contains(&format!("To: {to}")) || text.contains(&format!("<{to}>")))
                .collect();
            if found.len() >= count {
                return found;
            }
            assert!(std::time::Instant::now() < deadline, "{} {kind} mails to {to} in {}", found.len(), outbox.display());
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The REST API, anonymous.
    pub fn api(&self) -> Api {
        Api::new(self.base.clone())
    }

    /// The REST API as the demo account `email`.
    pub async fn demo(&self, email: &str) -> Api {
        self.api().demo(email).await
    }

    /// The server functions as the demo account `email`, signed in by the `sign_in` function.
    pub async fn browser(&self, email: &str) -> Browser {
        Browser::sign_in(&self.base, email, PASSWORD).await
    }
}
