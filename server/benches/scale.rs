//! Scale (issue #15, "Prove it"): for each dataset (10k, 100k and 1M cases on SQLite, 1M on
//! PostgreSQL by default), `caseboard generate` fills a fresh database, `caseboard serve`
//! (release, no demo, no work-in-progress limits) starts on it, and one client measures,
//! request after request, the server's own time (`Server-Timing: app;dur=`) p50/p95 of:
//! the board (page and `board_cases`), `GET /api/v1/cases` first page and a deep cursor page
//! (engineer and customer; without cursors, the whole list), My cases (page and `my_cases`),
//! a case (page and `read_case`), search for a rare word, a common word and a Chinese term
//! (case search when the server has it, else the knowledge-base search), then the server's
//! RSS (VmHWM, VmRSS), and, with the server stopped, SLA sweeper passes on the same database.
//!
//! `cargo bench -p server --bench scale` (or `scripts/bench scale`, which builds the release
//! server first). Environment: `CASEBOARD_SCALE_SIZES` (`10000,100000,1000000,pg:1000000`),
//! `CASEBOARD_SCALE_REQUESTS` (200 per operation), `CASEBOARD_SCALE_OP_SECS` (60: an operation
//! stops early past this, with at least 3 requests, and says how many it made),
//! `CASEBOARD_SCALE_SWEEPS` (3), `CASEBOARD_TEST_POSTGRES` (`postgres://postgres@127.0.0.1:5432`;
//! a fresh database per dataset). Generated people sign in with `caseboard-generated`.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../tests/common/client.rs"]
#[allow(dead_code)]
mod client;
#[path = "../tests/common/instance.rs"]
#[allow(dead_code)]
mod instance;

use client::{Answer, Api, Browser};

/// The release server cargo builds for benches (`target/release/caseboard`).
const BINARY: &str = env!("CARGO_BIN_EXE_caseboard");
const PASSWORD: &str = app::backend::generate::GENERATED_PASSWORD;

struct Settings {
    sizes: Vec<(bool, u64)>,
    requests: usize,
    op_secs: u64,
    sweeps: usize,
    postgres: String,
}

fn settings() -> Settings {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let sizes = var("CASEBOARD_SCALE_SIZES").unwrap_or_else(|| "10000,100000,1000000,pg:1000000".into());
    let sizes = sizes
        .split(',')
        .map(|s| {
            let (pg, n) = match s.trim().strip_prefix("pg:") {
                Some(n) => (true, n),
                None => (false, s.trim()),
            };
            (pg, n.replace('_', "").parse().expect("CASEBOARD_SCALE_SIZES: numbers, pg:N for PostgreSQL"))
        })
        .collect();
    let number = |name: &str, default: u64| var(name).map_or(default, |v| v.parse().expect(name));
    Settings {
        sizes,
        requests: number("CASEBOARD_SCALE_REQUESTS", 200) as usize,
        op_secs: number("CASEBOARD_SCALE_OP_SECS", 60),
        sweeps: number("CASEBOARD_SCALE_SWEEPS", 3) as usize,
        postgres: var("CASEBOARD_TEST_POSTGRES").unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432".into()),
    }
}

/// One operation's figures.
struct Figures {
    name: String,
    requests: usize,
    server: Vec<f64>,
    client: Vec<f64>,
    bytes: usize,
    note: String,
}

fn at(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

impl Figures {
    fn line(&self) -> String {
        let (mut s, mut c) = (self.server.clone(), self.client.clone());
        s.sort_by(f64::total_cmp);
        c.sort_by(f64::total_cmp);
        format!(
            "{:<46} {:>4}  server p50 {:>9.1} ms  p95 {:>9.1} ms   client p50 {:>9.1} ms   {:>10} bytes  {}",
            self.name,
            self.requests,
            at(&s, 0.5),
            at(&s, 0.95),
            at(&c, 0.5),
            self.bytes,
            self.note
        )
    }
}

/// The server's time from `Server-Timing: app;dur=<ms>`.
fn server_ms(answer: &Answer) -> Option<f64> {
    let header = answer.headers.get("server-timing")?.to_str().ok()?;
    header.split(';').find_map(|part| part.trim().strip_prefix("dur=")).and_then(|v| v.parse().ok())
}

/// Makes `request` until the count or the time budget is reached (at least 3 times).
async fn measure<F, Fut>(name: &str, settings: &Settings, mut request: F) -> Figures
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Answer>,
{
    let started = Instant::now();
    let budget = Duration::from_secs(settings.op_secs);
    let mut figures = Figures {
        name: name.into(),
        requests: 0,
        server: Vec::new(),
        client: Vec::new(),
        bytes: 0,
        note: String::new(),
    };
    for i in 0..settings.requests {
        if i >= 3 && started.elapsed() > budget {
            figures.note = format!("(time-boxed: {i} of {} requests in {} s)", settings.requests, settings.op_secs);
            break;
        }
        let sent = Instant::now();
        let answer = request(i).await;
        figures.client.push(sent.elapsed().as_secs_f64() * 1e3);
        if !answer.status.is_success() {
            figures.note =
                format!("(status {}: {})", answer.status, answer.text().chars().take(120).collect::<String>());
        }
        figures.server.push(server_ms(&answer).unwrap_or(f64::NAN));
        figures.bytes = answer.bytes.len();
        figures.requests += 1;
    }
    println!("  {}", figures.line());
    figures
}

/// The generated logins, read from `generate`'s last line.
fn logins(output: &str) -> (String, String) {
    let line = output.lines().find(|l| l.starts_with("sign in as ")).expect("generate names its logins");
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[3].to_string(), words[6].to_string())
}

/// The cursor `pages` pages into a cursor-paginated list, if the server pages by cursor.
async fn deep_cursor(api: &Api, pages: usize) -> Option<String> {
    let mut cursor: Option<String> = None;
    for _ in 0..pages {
        let path = match &cursor {
            Some(c) => format!("/api/v1/cases?limit=200&cursor={c}"),
            None => "/api/v1/cases?limit=200".to_string(),
        };
        let body = api.get(&path).await.body;
        match body.get("next_cursor").and_then(Value::as_str) {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    cursor
}

async fn dataset(settings: &Settings, postgres: bool, cases: u64) -> Vec<Figures> {
    let label = format!("{} cases on {}", cases, if postgres { "PostgreSQL" } else { "SQLite" });
    println!("\n== {label} ==");
    let dir = tempfile::tempdir().unwrap();
    let url = if postgres {
        app::backend::test_database::postgres(&settings.postgres).await.expect("a PostgreSQL database for the bench")
    } else {
        format!("sqlite://{}?mode=rwc", dir.path().join("caseboard.sqlite").display())
    };
    let started = Instant::now();
    let generated = Command::new(BINARY)
        .args(["generate", "--cases", &cases.to_string(), "--seed", "1"])
        .env("DATABASE_URL", &url)
        .env("CASEBOARD_DATA_DIR", dir.path())
        .output()
        .expect("caseboard generate runs");
    let output = String::from_utf8_lossy(&generated.stdout).into_owned();
    assert!(generated.status.success(), "generate failed: {output}{}", String::from_utf8_lossy(&generated.stderr));
    for line in output.lines().filter(|l| {
        l.starts_with("generated") || l.contains("search index") || l.contains("projections") || l.contains("written in")
    }) {
        println!("  {}", line.trim());
    }
    println!("  generate took {:.1} s", started.elapsed().as_secs_f64());
    let (engineer_email, customer_email) = logins(&output);

    let server = instance::start_with_env(
        BINARY,
        &url,
        dir.path().to_path_buf(),
        false,
        // The server's own sweeper runs once at start; the passes are timed below, server stopped.
        86_400,
        &[("CASEBOARD_WIP_LIMITS", "off"), ("CASEBOARD_SIGN_IN_PER_ADDRESS_PER_MINUTE", "1000")],
    )
    .await;
    let base = server.base.clone();
    let engineer = Browser::sign_in(&base, &engineer_email, PASSWORD).await;
    let customer = Browser::sign_in(&base, &customer_email, PASSWORD).await;
    let engineer_api = Api::new(&base).sign_in(&engineer_email, PASSWORD).await;
    let customer_api = Api::new(&base).sign_in(&customer_email, PASSWORD).await;
    let first = 1001;
    let number = |i: usize| first + ((i as u64 * 7_919) % cases) as i64;
    let mut all = Vec::new();

    all.push(measure("board page /board (engineer)", settings, |_| engineer.page("/board")).await);
    all.push(
        measure("board_cases (engineer, no filters)", settings, |_| engineer.call("board_cases", &[("", ""); 0])).await,
    );
    // One column's next page ("Show more"), with the cursor the board gave.
    let board = engineer.call("board_cases", &[("", ""); 0]).await.body;
    let column = board["columns"].as_array().into_iter().flatten().find(|c| c["next_cursor"].is_string()).cloned();
    match column {
        Some(column) => {
            let status = column["status"].as_str().unwrap_or_default().to_string();
            let cursor = column["next_cursor"].as_str().unwrap_or_default().to_string();
            let args = [("status", status.clone()), ("cursor", cursor)];
            all.push(
                measure(&format!("board_column next page ({status})"), settings, |_| {
                    engineer.call("board_column", &args)
                })
                .await,
            );
        }
        None => println!("  board_column: no column has a next page"),
    }
    for (who, api) in [("engineer", &engineer_api), ("customer", &customer_api)] {
        let paged = api.get("/api/v1/cases?limit=50").await.body.get("next_cursor").is_some();
        let name = if paged {
            format!("GET /api/v1/cases first page ({who})")
        } else {
            format!("GET /api/v1/cases, whole list ({who})")
        };
        all.push(measure(&name, settings, |_| api.get("/api/v1/cases?limit=50")).await);
        match deep_cursor(api, 20).await {
            Some(cursor) => {
                let path = format!("/api/v1/cases?limit=50&cursor={cursor}");
                all.push(measure(&format!("GET /api/v1/cases deep page ({who})"), settings, |_| api.get(&path)).await);
            }
            None => println!("  GET /api/v1/cases deep page ({who}): no cursor pagination on this server"),
        }
    }
    all.push(measure("My cases page /cases (customer)", settings, |_| customer.page("/cases")).await);
    all.push(measure("my_cases (customer)", settings, |_| customer.my_cases()).await);
    all.push(
        measure("case page /cases/{n} (engineer)", settings, |i| {
            let engineer = engineer.clone();
            let path = format!("/cases/{}", number(i));
            async move { engineer.page(&path).await }
        }).await,
    );
    all.push(measure("read_case (engineer)", settings, |i| engineer.read_case(number(i))).await);
    use app::backend::generate::{CJK_TERM, COMMON_WORD, RARE_WORD};
    let case_search = engineer_api.get("/api/v1/cases/search?q=x").await.status != reqwest::StatusCode::NOT_FOUND;
    for (kind, word) in [("rare word", RARE_WORD), ("common word", COMMON_WORD), ("CJK term", CJK_TERM)] {
        let q: String = url_escape(word);
        if case_search {
            let path = format!("/api/v1/cases/search?q={q}");
            all.push(measure(&format!("case search, {kind} (engineer)"), settings, |_| engineer_api.get(&path)).await);
            all.push(measure(&format!("case search, {kind} (customer)"), settings, |_| customer_api.get(&path)).await);
        } else {
            let path = format!("/api/v1/kb/search?q={q}");
            all.push(measure(&format!("KB search, {kind} (engineer)"), settings, |_| engineer_api.get(&path)).await);
            all.push(measure(&format!("KB search, {kind} (customer)"), settings, |_| customer_api.get(&path)).await);
        }
    }
    // 100 connected boards: each loads the board page and keeps its live stream open.
    let mut streams = Vec::new();
    for _ in 0..100 {
        let _ = engineer.page("/board").await;
        streams.push(engineer_api.stream(None).await);
    }
    let connected = streams.iter().filter(|s| s.status().is_success()).count();
    println!("  {connected} boards connected (page loaded, live stream open)");
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap_or_default();
    let memory = |key: &str| {
        status.lines().find(|l| l.starts_with(key)).map_or("?".into(), |l| l[key.len()..].trim().to_string())
    };
    println!("  server memory after these requests: VmHWM {}, VmRSS {}", memory("VmHWM:"), memory("VmRSS:"));
    all.push(Figures {
        name: format!("server RSS, {connected} boards connected: VmHWM {}, VmRSS {}", memory("VmHWM:"), memory("VmRSS:")),
        requests: 0,
        server: Vec::new(),
        client: Vec::new(),
        bytes: 0,
        note: String::new(),
    });
    drop(streams);
    server.kill();

    let store = app::backend::Store::connect(&url).await.expect("the bench opens the database");
    let mut passes = Vec::new();
    for _ in 0..settings.sweeps {
        let started = Instant::now();
        let report = app::backend::sweeper::sweep(&store, jiff::Timestamp::now()).await.expect("a sweep");
        passes.push(started.elapsed().as_secs_f64() * 1e3);
        println!(
            "  sweeper pass: {:.1} ms ({} cases looked at, {} warnings, {} breaches written)",
            passes[passes.len() - 1],
            report.cases,
            report.warnings,
            report.breaches
        );
    }
    // Passes that find work: as the sweeper would run after 15 minutes, then after a day, without
    // a pass in between (every warning and breach falling due meanwhile is written).
    for (label, ahead) in [("15 minutes later", 15 * 60), ("a day later", 86_400)] {
        let at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(ahead);
        let started = Instant::now();
        let report = app::backend::sweeper::sweep(&store, at).await.expect("a sweep");
        let ms = started.elapsed().as_secs_f64() * 1e3;
        println!(
            "  sweeper pass {label}: {ms:.1} ms ({} cases looked at, {} warnings, {} breaches written)",
            report.cases, report.warnings, report.breaches
        );
        all.push(Figures {
            name: format!("sweeper pass {label} ({} cases looked at, {} written)", report.cases, report.warnings + report.breaches),
            requests: 1,
            server: vec![ms],
            client: vec![ms],
            bytes: 0,
            note: String::new(),
        });
    }
    store.close().await;
    all.push(Figures {
        name: "sweeper pass (in process, same database)".into(),
        requests: passes.len(),
        server: passes.clone(),
        client: passes,
        bytes: 0,
        note: String::new(),
    });
    all
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let settings = settings();
        let started = Instant::now();
        let mut summary = Vec::new();
        for &(postgres, cases) in &settings.sizes {
            let figures = dataset(&settings, postgres, cases).await;
            summary.push((format!("{cases} cases on {}", if postgres { "PostgreSQL" } else { "SQLite" }), figures));
        }
        println!("\n== summary ({:.0} s in all) ==", started.elapsed().as_secs_f64());
        for (label, figures) in summary {
            println!("{label}");
            for f in figures {
                println!("  {}", f.line());
            }
        }
    });
}
