//! Live fan-out: with N Server-Sent Events clients connected to one Caseboard process, the
//! time from a move (its HTTP request) to its delivery at every client, and the server's
//! memory per idle connection. The server runs in a child process (this same binary with
//! `--serve`) so its memory is its own; the clients share this machine's cores with it.
//!
//! `cargo bench -p server --bench fanout` (or `scripts/bench fanout`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[path = "../tests/common/client.rs"]
#[allow(dead_code)]
mod client;
mod shared;

use client::Api;
use shared::{Boards, ms, percentile};

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
    let config = server::Config {
        sweep_every_secs: 3600,
        streams_per_user: u32::MAX,
        ..server::Config::local(dir.clone(), format!("127.0.0.1:{port}").parse().unwrap())
    };
    let store = server::open_store(&config).await.unwrap();
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    // The bench's own window on the heap (not part of Caseboard's routes).
    let heap = axum::Router::new()
        .route("/bench/heap", axum::routing::get(|| async { LIVE.load(Ordering::Relaxed).to_string() }));
    let app = server::router(store, &config, stopped).await.unwrap().merge(heap);
    server::listen::serve(listener, app, &config, std::future::pending()).await;
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn measure(clients: usize) {
    let dir = tempfile::tempdir().unwrap();
    let port = 3900 + (clients % 97) as u16;
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--serve", dir.path().to_str().unwrap(), &port.to_string()])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let anonymous = Api::new(format!("http://127.0.0.1:{port}"));
    for _ in 0..200 {
        if anonymous.request(reqwest::Method::GET, "/healthz").send().await.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sam = anonymous.demo("sam@caseboard.example").await;
    let mei = anonymous.demo("mei@caseboard.example").await;
    // Warm the server up (first queries, first stream) before measuring its memory.
    let _ = sam.list_cases().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let heap = async || anonymous.get("/bench/heap").await.text().parse::<u64>().unwrap();
    let rss_before = rss_kib(child.id());
    let heap_before = heap().await;

    // N idle streams (the engineers' boards), each on its own connection.
    let mut boards = Boards::new(MOVES);
    for i in 0..clients {
        boards.connect(if i % 2 == 0 { &sam } else { &mei }).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_idle = rss_kib(child.id());
    let heap_idle = heap().await;

    let alice = anonymous.demo("alice@acme.example").await;
    let times = boards.run(&alice, &sam, Duration::from_millis(500)).await;
    println!(
        "fan-out {clients:>5} clients: {}/{} deliveries; move request → delivery p50 {:.2} ms, p99 {:.2} ms, \
         last client p50 {:.2} ms; the move's own request p50 {:.2} ms; server RSS {} KiB idle → {} KiB with \
         {clients} streams = {:.1} KiB per idle connection (live heap: {:.1} KiB per connection)",
        times.latencies.len(),
        clients * MOVES,
        ms(percentile(&times.latencies, 0.5)),
        ms(percentile(&times.latencies, 0.99)),
        ms(percentile(&times.last_board, 0.5)),
        ms(percentile(&times.requests, 0.5)),
        rss_before,
        rss_idle,
        (rss_idle.saturating_sub(rss_before)) as f64 / clients as f64,
        (heap_idle.saturating_sub(heap_before)) as f64 / 1024.0 / clients as f64,
    );
    boards.stop();
    let _ = child.kill();
    let _ = child.wait();
}
