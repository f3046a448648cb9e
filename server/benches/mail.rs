//! Email throughput and latency against a real SMTP server on loopback (aiosmtpd from PyPI,
//! writing a maildir): how many notifications per second the outbox sends, and the time
//! from a support reply (its HTTP request) to the customer's message being delivered.
//! The server runs in this process; aiosmtpd shares the machine's cores with it.
//!
//! `cargo bench -p server --bench mail` (or `scripts/bench mail`).

use std::time::{Duration, Instant};

use app::domain::{CaseDraft, CaseKind, Environment, Severity, Visibility};

#[path = "../tests/common/client.rs"]
#[allow(dead_code)]
mod client;
#[path = "../tests/common/smtp.rs"]
#[allow(dead_code)]
mod smtp;

const CASES: usize = 300;
const REPLIES: usize = 60;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(run());
}

/// Queues the mail of CASES new cases with no sender running, then starts the sender and
/// times it until the outbox is empty.
async fn throughput(
    transport: app::backend::mail::MailTransport,
) -> (i64, Duration, app::backend::Store, server::Config) {
    let dir = tempfile::tempdir().unwrap().keep();
    let mut config =
        server::Config { sweep_every_secs: 3600, ..server::Config::local(dir, "127.0.0.1:0".parse().unwrap()) };
    config.mail.transport = transport;
    config.mail.mailgate_token = Some("bench".into());
    let store = server::open_store(&config).await.unwrap();
    let alice = store.user_by_email("alice@acme.example").await.unwrap().unwrap();
    for i in 0..CASES {
        let draft = CaseDraft {
            summary: format!("Bench case {i}"),
            description: "Queued while the sender is stopped.".into(),
            kind: CaseKind::Bug,
            severity: Severity::High,
            environment: Environment::Production,
            visibility: Visibility::Organization,
            product: "Kibana".into(),
            details: Default::default(),
            attachments: Vec::new(),
        };
        app::backend::cases::open_case(&store, &alice, draft, None).await.unwrap();
    }
    let (_, queued) = store.mail_counts().await.unwrap();
    let start = Instant::now();
    app::backend::mail::sender::spawn(store.clone(), config.mail.clone()).unwrap();
    loop {
        let (_, waiting) = store.mail_counts().await.unwrap();
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    (queued, start.elapsed(), store, config)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

async fn run() {
    let sink = smtp::SmtpSink::start();

    let files = tempfile::tempdir().unwrap();
    let to_files = app::backend::mail::MailTransport::Files(files.path().join("sent"));
    let (queued, elapsed, _, _) = throughput(to_files).await;
    println!(
        "outbox → .eml files: {queued} notifications in {:.2} s = {:.0} per second",
        elapsed.as_secs_f64(),
        queued as f64 / elapsed.as_secs_f64()
    );
    let to_smtp = app::backend::mail::MailTransport::Smtp(sink.url());
    let (queued, elapsed, store, config) = throughput(to_smtp).await;
    println!(
        "outbox → SMTP (aiosmtpd on loopback): {queued} notifications in {:.2} s = {:.0} per second",
        elapsed.as_secs_f64(),
        queued as f64 / elapsed.as_secs_f64()
    );

    // Latency: a support reply over HTTP → the customer's message in the maildir.
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    let app = server::router(store.clone(), &config, stopped).await.unwrap();
    let served = config.clone();
    tokio::spawn(async move { server::listen::serve(listener, app, &served, std::future::pending()).await });
    let sam = client::Api::new(base).demo("sam@caseboard.example").await;
    let mut times = Vec::with_capacity(REPLIES);
    for i in 0..REPLIES {
        let before = sink.delivered();
        let start = Instant::now();
        sam.reply(1001, &format!("Bench reply {i}"), false).await.ok();
        while sink.delivered() == before {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        times.push(start.elapsed());
        // Let the watcher's copy land too, so the next round starts from a quiet outbox.
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    times.sort();
    println!(
        "support reply → customer's email delivered on loopback: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms ({REPLIES} replies)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}
