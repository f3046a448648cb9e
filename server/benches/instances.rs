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

use serde_json::json;

const CASES: usize = 600;
const WRITERS: usize = 16;
const BOARDS: usize = 100;
const MOVES: usize = 30;

#[path = "../tests/common/client.rs"]
#[allow(dead_code)]
mod client;
#[path = "../tests/common/instance.rs"]
#[allow(dead_code)]
mod instance;
mod shared;

use client::Api;
use instance::Instance;
use shared::{Boards, ms, percentile};

async fn start(database_url: &str, data_dir: std::path::PathBuf, demo: bool) -> Instance {
    // No sweep during the measurement.
    instance::start(env!("CARGO_BIN_EXE_caseboard"), database_url, data_dir, demo, 3600).await
}

async fn measure(label: &str, database_url: &str, instances: usize, dir: &std::path::Path) {
    let mut running = vec![start(database_url, dir.join("i0"), true).await];
    for i in 1..instances {
        running.push(start(database_url, dir.join(format!("i{i}")), false).await);
    }
    let first = Api::new(running[0].base.clone());
    let chloe = first.demo("chloe@initech.example").await;
    let sam = first.demo("sam@caseboard.example").await;
    // Each caller once per instance, same token.
    let through = |api: &Api| running.iter().map(|i| api.on(&i.base)).collect::<Vec<_>>();
    let (chloes, sams) = (through(&chloe), through(&sam));

    // Cases created per second: WRITERS clients at once, round robin over the instances.
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (chloes, next) = (chloes.iter().map(Api::own_client).collect::<Vec<_>>(), next.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= CASES {
                        break;
                    }
                    let body = json!({"summary": format!("Bench {i}"), "description": "x", "kind": "question", "severity": 3, "environment": "staging"});
                    chloes[(i + w) % chloes.len()].open_case(&body, None).await.ok();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    let per_second = CASES as f64 / started.elapsed().as_secs_f64();

    // Fan-out: BOARDS streams spread over the instances; moves made through the last one.
    let mut boards = Boards::new(MOVES);
    for i in 0..BOARDS {
        boards.connect(&sams[i % sams.len()]).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let times = boards.run(chloes.last().unwrap(), sams.last().unwrap(), Duration::from_millis(300)).await;
    println!(
        "{label:<28} cases created {per_second:>6.0}/s ({CASES} by {WRITERS} clients); fan-out to {BOARDS} boards: \
         {}/{} delivered, move → delivery p50 {:.1} ms, p99 {:.1} ms",
        times.latencies.len(),
        BOARDS * MOVES,
        ms(percentile(&times.latencies, 0.5)),
        ms(percentile(&times.latencies, 0.99)),
    );
    boards.stop();
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server =
            std::env::var("CASEBOARD_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let dir = tempfile::tempdir().unwrap();
        let sqlite = format!("sqlite://{}?mode=rwc", dir.path().join("bench.sqlite").display());
        measure("SQLite, one instance", &sqlite, 1, &dir.path().join("sqlite")).await;
        let one = app::backend::test_database::postgres(&server).await.unwrap();
        measure("PostgreSQL, one instance", &one, 1, &dir.path().join("pg1")).await;
        let two = app::backend::test_database::postgres(&server).await.unwrap();
        measure("PostgreSQL, two instances", &two, 2, &dir.path().join("pg2")).await;
    });
}
