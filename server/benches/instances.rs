//! Scale-out, in one run: SQLite with one instance, PostgreSQL with one instance, and
//! PostgreSQL with two instances on the same database (`caseboard serve` processes, release
//! build). For each: cases created per second (16 clients at once, spread over the
//! instances), and the live fan-out: 100 boards spread over the instances, 30 moves made
//! through the last instance, the time from each move's request to its arrival at every
//! board (p50, p99). Everything shares this machine's cores.
//!
//! `cargo bench -p server --bench instances` (or `scripts/bench instances`); PostgreSQL from
//! `CASEBOARD_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Mutex;

const CASES: usize = 600;
const WRITERS: usize = 16;
const BOARDS: usize = 100;
const MOVES: usize = 30;

#[path = "../tests/common/instance.rs"]
#[allow(dead_code)]
mod instance;

use instance::{Instance, token};

async fn start(database_url: &str, data_dir: std::path::PathBuf, demo: bool) -> Instance {
    // No sweep during the measurement.
    instance::start(env!("CARGO_BIN_EXE_caseboard"), database_url, data_dir, demo, 3600).await
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1e3
}

async fn postgres_database(server: &str, name: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres")).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&mut admin).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.unwrap();
    format!("{server}/{name}")
}

async fn measure(label: &str, database_url: &str, instances: usize, dir: &std::path::Path) {
    let mut running = vec![start(database_url, dir.join("i0"), true).await];
    for i in 1..instances {
        running.push(start(database_url, dir.join(format!("i{i}")), false).await);
    }
    let bases: Vec<String> = running.iter().map(|i| i.base.clone()).collect();
    let alice = token(&bases[0], "chloe@initech.example").await;
    let sam = token(&bases[0], "sam@caseboard.example").await;

    // Cases created per second: WRITERS clients at once, round robin over the instances.
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (bases, alice, next) = (bases.clone(), alice.clone(), next.clone());
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= CASES {
                        break;
                    }
                    let base = &bases[(i + w) % bases.len()];
                    let r = http
                        .post(format!("{base}/api/v1/cases"))
                        .bearer_auth(&alice)
                        .json(&json!({"summary": format!("Bench {i}"), "description": "x", "kind": "question", "severity": 3, "environment": "staging"}))
                        .send()
                        .await
                        .unwrap();
                    assert!(r.status().is_success(), "{}", r.status());
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    let per_second = CASES as f64 / started.elapsed().as_secs_f64();

    // Fan-out: BOARDS streams spread over the instances; moves made through the last one.
    let delivered = Arc::new(AtomicUsize::new(0));
    let arrivals: Arc<Mutex<Vec<Vec<Instant>>>> = Arc::new(Mutex::new(vec![Vec::new(); MOVES]));
    let mut boards = Vec::new();
    for i in 0..BOARDS {
        let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        let mut response =
            client.get(format!("{}/api/v1/events", bases[i % bases.len()])).bearer_auth(&sam).send().await.unwrap();
        assert!(response.status().is_success());
        let (delivered, arrivals) = (delivered.clone(), arrivals.clone());
        boards.push(tokio::spawn(async move {
            let mut seen = 0;
            while let Ok(Some(chunk)) = response.chunk().await {
                let at = Instant::now();
                let text = String::from_utf8_lossy(&chunk);
                for _ in 0..text.matches("event: status_changed").count() {
                    if seen < MOVES {
                        arrivals.lock().await[seen].push(at);
                    }
                    seen += 1;
                    delivered.fetch_add(1, Ordering::SeqCst);
                }
                if seen >= MOVES {
                    break;
                }
            }
            drop(client);
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mover = bases.last().unwrap().clone();
    let http = reqwest::Client::new();
    let case: Value = http
        .post(format!("{mover}/api/v1/cases"))
        .bearer_auth(&alice)
        .json(&json!({"summary": "fan-out", "description": "x", "kind": "bug", "severity": 3, "environment": "production"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let number = case["number"].as_i64().unwrap();
    let mut version = case["version"].as_i64().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut sent = Vec::new();
    for k in 0..MOVES {
        let to = if k % 2 == 0 { "confirmed" } else { "assigned" };
        let t0 = Instant::now();
        let r: Value = http
            .post(format!("{mover}/api/v1/cases/{number}/status"))
            .bearer_auth(&sam)
            .json(&json!({"status": to, "expected_version": version}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        version = r["version"].as_i64().unwrap_or_else(|| panic!("{r}"));
        sent.push(t0);
        let deadline = Instant::now() + Duration::from_secs(10);
        while delivered.load(Ordering::SeqCst) < BOARDS * (k + 1) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    let arrivals = arrivals.lock().await.clone();
    let mut latencies: Vec<Duration> = Vec::new();
    for (k, at) in arrivals.iter().enumerate() {
        latencies.extend(at.iter().map(|a| a.duration_since(sent[k])));
    }
    latencies.sort();
    println!(
        "{label:<28} cases created {per_second:>6.0}/s ({CASES} by {WRITERS} clients); fan-out to {BOARDS} boards: \
         {}/{} delivered, move → delivery p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        BOARDS * MOVES,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
    );
    for board in boards {
        board.abort();
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server = std::env::var("CASEBOARD_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let dir = tempfile::tempdir().unwrap();
        let sqlite = format!("sqlite://{}?mode=rwc", dir.path().join("bench.sqlite").display());
        measure("SQLite, one instance", &sqlite, 1, &dir.path().join("sqlite")).await;
        let one = postgres_database(&server, "caseboard_bench_one").await;
        measure("PostgreSQL, one instance", &one, 1, &dir.path().join("pg1")).await;
        let two = postgres_database(&server, "caseboard_bench_two").await;
        measure("PostgreSQL, two instances", &two, 2, &dir.path().join("pg2")).await;
    });
}
