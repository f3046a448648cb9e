//! Crash durability: 1,000 cases submitted by 8 clients, each with an `Idempotency-Key` and
//! retried on connection errors and 5xx until acknowledged (201), while the server is killed
//! with SIGKILL three times, at spread moments, and restarted on the same data. Afterwards
//! every acknowledged case must exist exactly once (the case list, as an engineer) and every
//! key must map to the one case acknowledged for it (the idempotency table, read directly).
//! Prints acknowledged, retried, lost and duplicates; exits 1 unless lost = duplicates = 0.
//! SQLite, then PostgreSQL (`CASEBOARD_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432`; skipped, said loudly, when unreachable).
//!
//! `cargo bench -p server --bench crash` (or `scripts/bench crash`): the release server.
//! A SIGKILL tests a crash of the process, not of the machine: what the kernel was given
//! survives either way; a power cut is what `synchronous=FULL` (SQLite) and
//! `synchronous_commit = on` (PostgreSQL) answer for.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sqlx::{Connection, Row};

const CASES: usize = 1000;
const CLIENTS: usize = 8;
const KILLS: usize = 3;

#[path = "../tests/common/client.rs"]
#[allow(dead_code)]
mod client;
#[path = "../tests/common/instance.rs"]
#[allow(dead_code)]
mod instance;

use client::{Api, case_body};

/// One case as its client finally had it acknowledged.
struct Acknowledged {
    key: String,
    number: i64,
    attempts: u32,
    /// The answer said `Idempotent-Replayed`: the case was made by an earlier attempt whose
    /// answer the crash swallowed.
    replayed: bool,
}

/// Submits the case for `key` until the server acknowledges it: connection errors (the
/// server is down or was killed mid-request) and 5xx are retried with the same key; any
/// other answer is a failure of the run.
async fn submit(api: &Api, key: &str) -> Result<Acknowledged, String> {
    let body = case_body(&format!("Crash test {key}"));
    let mut attempts = 0;
    loop {
        attempts += 1;
        let request = api
            .request(Method::POST, "/api/v1/cases")
            .header("Idempotency-Key", key)
            .json(&body)
            .timeout(Duration::from_secs(30));
        match request.send().await {
            Ok(response) if response.status() == StatusCode::CREATED => {
                let replayed = response.headers().contains_key("idempotent-replayed");
                // A body cut short by a kill is no acknowledgement: try again.
                if let Ok(case) = response.json::<Value>().await {
                    let number = case["number"].as_i64().ok_or(format!("{key}: no case number in {case}"))?;
                    return Ok(Acknowledged { key: key.to_owned(), number, attempts, replayed });
                }
            }
            Ok(response) if response.status().is_server_error() => {}
            Ok(response) => {
                let status = response.status();
                return Err(format!("{key}: {status} {}", response.text().await.unwrap_or_default()));
            }
            Err(_) => {}
        }
        if attempts >= 2000 {
            return Err(format!("{key}: not acknowledged after {attempts} attempts"));
        }
        tokio::time::sleep(Duration::from_millis((5 << attempts.min(6)).min(200))).await;
    }
}

/// One run on `database_url`; `direct_url` reads the same database for the check (read-only
/// for SQLite). True when nothing was lost nor duplicated.
async fn run(label: &str, database_url: &str, direct_url: &str, dir: &std::path::Path) -> bool {
    let binary = env!("CARGO_BIN_EXE_caseboard");
    let port = instance::free_port();
    let data_dir = dir.to_path_buf();
    let start = |demo| instance::start_at(port, binary, database_url, data_dir.clone(), demo, 3600, &[]);
    let mut server = start(true).await;
    let base = format!("http://127.0.0.1:{port}");
    // Tokens live in the database: they outlive every restart.
    let alice = Api::new(&base).demo("alice@acme.example").await;
    let sam = Api::new(&base).demo("sam@caseboard.example").await;
    let run_id = format!("{:08x}", rand::random::<u32>());

    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (api, next, acknowledged, run_id) =
                (alice.own_client(), next.clone(), acknowledged.clone(), run_id.clone());
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= CASES {
                        return mine;
                    }
                    mine.push(submit(&api, &format!("crash-{run_id}-{i}")).await);
                    acknowledged.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();

    // The kills: near 1/4, 2/4 and 3/4 of the run (± 5%), a few milliseconds into whatever
    // the clients are doing then.
    let mut downtimes = Vec::new();
    for k in 1..=KILLS {
        let spread = (CASES / 20) as i64;
        let at = (CASES * k / (KILLS + 1)) as i64 + rand::rng().random_range(-spread..=spread);
        while (acknowledged.load(Ordering::SeqCst) as i64) < at {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tokio::time::sleep(Duration::from_millis(rand::rng().random_range(0..20))).await;
        let killed = Instant::now();
        let at_kill = acknowledged.load(Ordering::SeqCst);
        server.kill();
        server = start(false).await;
        downtimes.push((at_kill, killed.elapsed()));
    }
    let mut outcomes = Vec::new();
    let mut failures = Vec::new();
    for client in clients {
        for outcome in client.await.unwrap() {
            match outcome {
                Ok(acknowledged) => outcomes.push(acknowledged),
                Err(failure) => failures.push(failure),
            }
        }
    }
    let elapsed = started.elapsed();

    // Every acknowledged case, exactly once, as support sees the cases.
    let listed = sam.all_cases().await;
    let prefix = format!("Crash test crash-{run_id}-");
    let mut cases_by_key: HashMap<String, Vec<i64>> = HashMap::new();
    for case in listed {
        if let Some(rest) = case["summary"].as_str().and_then(|s| s.strip_prefix("Crash test ")) {
            if case["summary"].as_str().unwrap().starts_with(&prefix) {
                cases_by_key.entry(rest.to_owned()).or_default().push(case["number"].as_i64().unwrap());
            }
        }
    }
    let lost = outcomes.iter().filter(|o| !cases_by_key.get(&o.key).is_some_and(|n| n.contains(&o.number))).count();
    let duplicates: usize = cases_by_key.values().map(|numbers| numbers.len() - 1).sum();
    let acknowledged_keys: HashMap<&str, i64> = outcomes.iter().map(|o| (o.key.as_str(), o.number)).collect();
    let unacknowledged = cases_by_key.keys().filter(|k| !acknowledged_keys.contains_key(k.as_str())).count();

    // Every key maps to one case, the one acknowledged for it: the idempotency table itself.
    sqlx::any::install_default_drivers();
    let mut database = sqlx::AnyConnection::connect(direct_url).await.unwrap();
    let rows = sqlx::query(
        "SELECT k.key AS key, c.number AS number FROM idempotency_keys k JOIN cases c ON c.id = k.case_id \
         WHERE k.key LIKE $1",
    )
    .bind(format!("crash-{run_id}-%"))
    .fetch_all(&mut database)
    .await
    .unwrap();
    database.close().await.unwrap();
    let mut numbers_by_key: HashMap<String, Vec<i64>> = HashMap::new();
    for row in &rows {
        numbers_by_key.entry(row.get("key")).or_default().push(row.get("number"));
    }
    let keys_astray =
        outcomes.iter().filter(|o| numbers_by_key.get(&o.key).map(Vec::as_slice) != Some(&[o.number][..])).count()
            + numbers_by_key.keys().filter(|k| !acknowledged_keys.contains_key(k.as_str())).count();
    server.kill();

    let retried = outcomes.iter().filter(|o| o.attempts > 1).count();
    let failed_attempts: u32 = outcomes.iter().map(|o| o.attempts - 1).sum();
    let replayed = outcomes.iter().filter(|o| o.replayed).count();
    println!("== crash durability: {label} ==");
    println!(
        "{CASES} cases, {CLIENTS} clients, {KILLS} SIGKILLs in {:.1} s; killed after {} (down {})",
        elapsed.as_secs_f64(),
        downtimes.iter().map(|(n, _)| format!("{n}")).collect::<Vec<_>>().join(", "),
        downtimes.iter().map(|(_, d)| format!("{} ms", d.as_millis())).collect::<Vec<_>>().join(", "),
    );
    println!(
        "acknowledged {}, retried {retried} ({failed_attempts} failed attempts; {replayed} answered as replays: \
         made before the kill, answer lost), lost {lost}, duplicates {duplicates}, cases never acknowledged \
         {unacknowledged}, keys not mapping to their one case {keys_astray}, refused {}",
        outcomes.len(),
        failures.len()
    );
    for failure in failures.iter().take(10) {
        println!("  refused: {failure}");
    }
    let ok = outcomes.len() == CASES && lost == 0 && duplicates == 0 && unacknowledged == 0 && keys_astray == 0;
    println!("{}", if ok { "PASS" } else { "FAIL" });
    ok
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let ok = runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("crash.sqlite");
        let sqlite = run(
            "SQLite",
            &format!("sqlite://{}?mode=rwc", file.display()),
            &format!("sqlite://{}?mode=ro", file.display()),
            &dir.path().join("sqlite"),
        )
        .await;
        let server =
            std::env::var("CASEBOARD_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let postgres = match app::backend::test_database::postgres(&server).await {
            Ok(url) => run("PostgreSQL", &url, &url, &dir.path().join("postgres")).await,
            Err(e) => {
                println!("!!! PostgreSQL SKIPPED: not reachable at {server}: {e} !!!");
                true
            }
        };
        sqlite && postgres
    });
    if !ok {
        std::process::exit(1);
    }
}
