//! Live fan-out: with N Server-Sent Events clients connected to one Caseboard process, the
//! time from a move (its HTTP request) to its delivery at every client, and the server's
//! memory per idle connection. The server runs in a child process (this same binary with
//! `--serve`) so its memory is its own; the clients share this machine's cores with it.
//!
//! `cargo bench -p server --bench fanout` (or `scripts/bench fanout`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Mutex;

const MOVES: usize = 30;

/// Counts live heap bytes, so the memory per connection is what the server keeps, not what
/// the allocator has not yet handed back to the system.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    if let Some(i) = args.iter().position(|a| a == "--serve") {
        let dir = std::path::PathBuf::from(&args[i + 1]);
        let port: u16 = args[i + 2].parse().unwrap();
        runtime.block_on(serve(dir, port));
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    for clients in [100, 1_000] {
        runtime.block_on(measure(clients));
    }
}

async fn serve(dir: std::path::PathBuf, port: u16) {
    let config =
        server::Config { sweep_every_secs: 3600, ..server::Config::local(dir.clone(), format!("127.0.0.1:{port}").parse().unwrap()) };
    let store = server::open_store(&config).await.unwrap();
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    // The bench's own window on the heap (not part of Caseboard's routes).
    let heap = axum::Router::new().route(
        "/bench/heap",
        axum::routing::get(|| async { LIVE.load(Ordering::Relaxed).to_string() }),
    );
    axum::serve(listener, server::router(store, &config, stopped).await.unwrap().merge(heap).into_make_service()).await.unwrap();
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn measure(clients: usize) {
    let dir = tempfile::tempdir().unwrap();
    let port = 3900 + (clients % 97) as u16;
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--serve", dir.path().to_str().unwrap(), &port.to_string()])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let token = |email: &'static str| {
        let http = http.clone();
        let base = base.clone();
        async move {
            let r: Value = http
                .post(format!("{base}/api/v1/auth/token"))
                .json(&json!({"email": email, "password": "caseboard-demo"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            r["token"].as_str().unwrap().to_owned()
        }
    };
    let sam = token("sam@caseboard.example").await;
    let mei = token("mei@caseboard.example").await;
    // Warm the server up (first queries, first stream) before measuring its memory.
    let _ = http.get(format!("{base}/api/v1/cases")).bearer_auth(&sam).send().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let heap = |http: reqwest::Client, base: String| async move {
        http.get(format!("{base}/bench/heap")).send().await.unwrap().text().await.unwrap().parse::<u64>().unwrap()
    };
    let rss_before = rss_kib(child.id());
    let heap_before = heap(http.clone(), base.clone()).await;

    // N idle streams (the engineers' boards), each on its own connection.
    let delivered = Arc::new(AtomicUsize::new(0));
    let arrivals: Arc<Mutex<Vec<Vec<Instant>>>> = Arc::new(Mutex::new(vec![Vec::new(); MOVES]));
    let mut tasks = Vec::new();
    for i in 0..clients {
        let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        let token = if i % 2 == 0 { sam.clone() } else { mei.clone() };
        let mut response = client
            .get(format!("{base}/api/v1/events"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("stream {i}: {e}"));
        assert!(response.status().is_success());
        let delivered = delivered.clone();
        let arrivals = arrivals.clone();
        tasks.push(tokio::spawn(async move {
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
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_idle = rss_kib(child.id());
    let heap_idle = heap(http.clone(), base.clone()).await;

    let alice = token("alice@acme.example").await;
    let case: Value = http
        .post(format!("{base}/api/v1/cases"))
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
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut sent = Vec::new();
    let mut move_latency = Vec::new();
    for k in 0..MOVES {
        let to = if k % 2 == 0 { "confirmed" } else { "assigned" };
        let t0 = Instant::now();
        let r: Value = http
            .post(format!("{base}/api/v1/cases/{number}/status"))
            .bearer_auth(&sam)
            .json(&json!({"status": to, "expected_version": version}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        move_latency.push(t0.elapsed());
        version = r["version"].as_i64().unwrap_or_else(|| panic!("{r}"));
        sent.push(t0);
        let deadline = Instant::now() + Duration::from_secs(10);
        while delivered.load(Ordering::SeqCst) < clients * (k + 1) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    let arrivals = arrivals.lock().await.clone();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut last_client: Vec<Duration> = Vec::new();
    for (k, at) in arrivals.iter().enumerate() {
        latencies.extend(at.iter().map(|a| a.duration_since(sent[k])));
        if let Some(max) = at.iter().max() {
            last_client.push(max.duration_since(sent[k]));
        }
    }
    latencies.sort();
    last_client.sort();
    move_latency.sort();
    let complete = arrivals.iter().map(Vec::len).sum::<usize>();
    println!(
        "fan-out {clients:>5} clients: {complete}/{} deliveries; move request → delivery p50 {:.2} ms, p99 {:.2} ms, \
         last client p50 {:.2} ms; the move's own request p50 {:.2} ms; server RSS {} KiB idle → {} KiB with \
         {clients} streams = {:.1} KiB per idle connection (live heap: {:.1} KiB per connection)",
        clients * MOVES,
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        percentile(&last_client, 0.5).as_secs_f64() * 1e3,
        percentile(&move_latency, 0.5).as_secs_f64() * 1e3,
        rss_before,
        rss_idle,
        (rss_idle.saturating_sub(rss_before)) as f64 / clients as f64,
        (heap_idle.saturating_sub(heap_before)) as f64 / 1024.0 / clients as f64,
    );
    for task in tasks {
        task.abort();
    }
    let _ = child.kill();
    let _ = child.wait();
}
