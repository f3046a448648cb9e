//! Load: N concurrent signed-in users for S seconds against one `caseboard serve` (release
//! build), on SQLite and on PostgreSQL. One user in five is an engineer in the browser (a
//! session cookie from the `sign_in` server function; the board, case pages, replies and
//! moves through the server functions the pages call), the others customers with API tokens
//! (their case list, case reads and replies through the REST API). Each user makes one
//! request, pauses (0.5–1.5 × the think time, 1 s by default), and so on. Printed per kind
//! of request: count, errors (by status and error kind, with the first bodies), p50, p99,
//! max; and the server's peak RSS and CPU time. Everything shares this machine's cores.
//!
//! `cargo bench -p server --bench load` (or `scripts/bench load`). Settings from the
//! environment: `CASEBOARD_LOAD_USERS` (500), `CASEBOARD_LOAD_SECS` (300),
//! `CASEBOARD_LOAD_THINK_MS` (1000), `CASEBOARD_LOAD_ENGINES` (`sqlite,postgres`); PostgreSQL
//! from `CASEBOARD_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`, a fresh
//! database each run).
//!
//! The people are made through the admin REST API (`POST /api/v1/users`); the bench server
//! allows many sign-ins from one address (`CASEBOARD_SIGN_IN_PER_ADDRESS_PER_MINUTE`) and has
//! no work-in-progress limits (every engineer moves a case of their own around the board).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};

#[path = "../tests/common/client.rs"]
#[allow(dead_code)]
mod client;
#[path = "../tests/common/instance.rs"]
#[allow(dead_code)]
mod instance;
#[allow(dead_code)]
mod shared;

use client::{Api, Browser};
use shared::{ms, percentile};

/// The kinds of request, as reported.
const KINDS: [&str; 7] = [
    "board      (engineer, server fn board_cases)",
    "case list  (customer, REST GET /cases)",
    "case read  (engineer, server fn read_case)",
    "case read  (customer, REST GET /cases/{n})",
    "reply      (engineer, server fn reply_to_case)",
    "reply      (customer, REST POST /cases/{n}/replies)",
    "move       (engineer, server fn move_case)",
];
const BOARD: usize = 0;
const LIST: usize = 1;
const READ_FN: usize = 2;
const READ_REST: usize = 3;
const REPLY_FN: usize = 4;
const REPLY_REST: usize = 5;
const MOVE: usize = 6;

/// Cases each organization's customers and the engineers talk on (replies); every engineer
/// also has a case of their own that only they move.
const TALK_CASES_PER_ORGANIZATION: usize = 20;
const ORGANIZATIONS: [(&str, &str); 3] =
    [("acme", "alice@acme.example"), ("globex", "bruno@globex.example"), ("initech", "chloe@initech.example")];
const PASSWORD: &str = "load-bench-password";
const SETUP_AT_ONCE: usize = 16;
/// Moves go round these working statuses (a case starts as `new`).
const ROUND: [&str; 3] = ["confirmed", "assigned", "feedback"];

struct Settings {
    users: usize,
    secs: u64,
    think: Duration,
    engines: Vec<String>,
}

fn settings() -> Settings {
    let var = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .map(|v| v.parse().unwrap_or_else(|_| panic!("{name}: not a number")))
            .unwrap_or(default)
    };
    Settings {
        users: var("CASEBOARD_LOAD_USERS", 500) as usize,
        secs: var("CASEBOARD_LOAD_SECS", 300),
        think: Duration::from_millis(var("CASEBOARD_LOAD_THINK_MS", 1000)),
        engines: std::env::var("CASEBOARD_LOAD_ENGINES")
            .unwrap_or_else(|_| "sqlite,postgres".into())
            .split(',')
            .map(|e| e.trim().to_owned())
            .collect(),
    }
}

/// One request as the user saw it: how long until the whole answer was read, and what went
/// wrong if anything (`"409 conflict"`, `"timeout"`, …) with the answer's first bytes.
struct Sample {
    kind: usize,
    took: Duration,
    error: Option<(String, String)>,
}

/// Sends `request` and reads the whole answer; the body when it is a success.
async fn timed(samples: &mut Vec<Sample>, kind: usize, request: RequestBuilder) -> Option<axum::body::Bytes> {
    let started = Instant::now();
    let outcome = match request.timeout(Duration::from_secs(30)).send().await {
        Ok(response) => {
            let status = response.status();
            match response.bytes().await {
                Ok(body) if status.is_success() => Ok(body),
                Ok(body) => {
                    let error: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let label = format!("{} {}", status.as_u16(), error["error"].as_str().unwrap_or(""));
                    Err((label, String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned()))
                }
                Err(e) => Err((format!("{} body: {}", status.as_u16(), transport(&e)), e.to_string())),
            }
        }
        Err(e) => Err((transport(&e), e.to_string())),
    };
    let took = started.elapsed();
    match outcome {
        Ok(body) => {
            samples.push(Sample { kind, took, error: None });
            Some(body)
        }
        Err(error) => {
            samples.push(Sample { kind, took, error: Some(error) });
            None
        }
    }
}

fn transport(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connect".into()
    } else {
        "transport".into()
    }
}

/// The cases of the run: per organization, the ones everybody talks on; per engineer, one
/// of their own to move.
struct Cases {
    talk: Vec<Vec<i64>>,
    /// Everything a customer of the organization may read.
    readable: Vec<Vec<i64>>,
    all: Vec<i64>,
}

struct People {
    engineers: Vec<(Browser, i64, i64)>,
    customers: Vec<(Api, usize)>,
}

fn new_case(summary: &str) -> Value {
    json!({"summary": summary, "description": "Made by the load bench.", "kind": "question", "severity": 3,
        "environment": "staging"})
}

/// Makes the cases and the people, and signs everybody in.
async fn set_up(base: &str, users: usize) -> (Cases, People) {
    let engineers = (users / 5).max(1);
    let admin = Api::new(base).demo("admin@caseboard.example").await;
    let mut openers = Vec::new();
    for (_, email) in ORGANIZATIONS {
        openers.push(Api::new(base).demo(email).await);
    }
    // Talk cases, then one case per engineer (opened by a customer of organization e % 3).
    let mut wanted: Vec<(usize, String)> = Vec::new();
    for o in 0..ORGANIZATIONS.len() {
        for t in 0..TALK_CASES_PER_ORGANIZATION {
            wanted.push((o, format!("Load: talk {o}-{t}")));
        }
    }
    for e in 0..engineers {
        wanted.push((e % ORGANIZATIONS.len(), format!("Load: moved by engineer {e}")));
    }
    let opened: Vec<(usize, String, i64, i64)> = futures::stream::iter(wanted)
        .map(|(o, summary)| {
            let opener = openers[o].clone();
            async move {
                let case = opener.new_case(&new_case(&summary)).await;
                (o, summary, case["number"].as_i64().unwrap(), case["version"].as_i64().unwrap())
            }
        })
        .buffered(SETUP_AT_ONCE)
        .collect()
        .await;
    let mut cases = Cases {
        talk: vec![Vec::new(); ORGANIZATIONS.len()],
        readable: vec![Vec::new(); ORGANIZATIONS.len()],
        all: Vec::new(),
    };
    let mut own = Vec::new();
    for (o, summary, number, version) in &opened {
        cases.readable[*o].push(*number);
        cases.all.push(*number);
        if summary.starts_with("Load: talk") {
            cases.talk[*o].push(*number);
        } else {
            own.push((*number, *version));
        }
    }

    // The people, made by the admin, then signed in: engineers in the browser, customers
    // with a token each.
    let made = futures::stream::iter(0..users)
        .map(|i| {
            let admin = admin.clone();
            async move {
                let body = if i < engineers {
                    json!({"email": format!("load-engineer-{i}@caseboard.example"), "password": PASSWORD,
                        "name": format!("Engineer {i}"), "role": "engineer"})
                } else {
                    let (slug, _) = ORGANIZATIONS[i % ORGANIZATIONS.len()];
                    json!({"email": format!("load-customer-{i}@{slug}.example"), "password": PASSWORD,
                        "name": format!("Customer {i}"), "role": "customer", "organization": slug})
                };
                admin.post("/api/v1/users", &body).await.expect(StatusCode::CREATED);
                i
            }
        })
        .buffer_unordered(SETUP_AT_ONCE)
        .collect::<Vec<_>>()
        .await;
    assert_eq!(made.len(), users);
    let signed_in_engineers = futures::stream::iter(0..engineers)
        .map(|i| async move { Browser::sign_in(base, &format!("load-engineer-{i}@caseboard.example"), PASSWORD).await })
        .buffered(SETUP_AT_ONCE)
        .collect::<Vec<_>>()
        .await;
    let signed_in_customers = futures::stream::iter(engineers..users)
        .map(|i| async move {
            let o = i % ORGANIZATIONS.len();
            let email = format!("load-customer-{i}@{}.example", ORGANIZATIONS[o].0);
            (Api::new(base).sign_in(&email, PASSWORD).await, o)
        })
        .buffered(SETUP_AT_ONCE)
        .collect::<Vec<_>>()
        .await;
    let engineers = signed_in_engineers.into_iter().zip(own).map(|(b, (number, version))| (b, number, version));
    (cases, People { engineers: engineers.collect(), customers: signed_in_customers })
}

/// 0.5–1.5 × the think time.
fn pause(rng: &mut StdRng, think: Duration) -> Duration {
    think.mul_f64(rng.random_range(0.5..1.5))
}

async fn engineer(
    browser: Browser,
    own: i64,
    mut version: i64,
    cases: Arc<Cases>,
    seed: u64,
    think: Duration,
    until: Instant,
) -> Vec<Sample> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut samples = Vec::new();
    let mut next_status = 0;
    tokio::time::sleep(think.mul_f64(rng.random_range(0.0..1.0))).await;
    while Instant::now() < until {
        let roll = rng.random_range(0..100);
        if roll < 20 {
            timed(&mut samples, BOARD, browser.request(Method::POST, "/api/board_cases").form(&[("", ""); 0])).await;
        } else if roll < 60 {
            let number = cases.all[rng.random_range(0..cases.all.len())].to_string();
            timed(&mut samples, READ_FN, browser.request(Method::POST, "/api/read_case").form(&[("number", number)]))
                .await;
        } else if roll < 75 {
            let talk = &cases.talk[rng.random_range(0..cases.talk.len())];
            let args = [
                ("number", talk[rng.random_range(0..talk.len())].to_string()),
                ("body", format!("Engineer's answer {}", samples.len())),
            ];
            timed(&mut samples, REPLY_FN, browser.request(Method::POST, "/api/reply_to_case").form(&args)).await;
        } else {
            let args = [
                ("number", own.to_string()),
                ("status", ROUND[next_status].to_owned()),
                ("expected_version", version.to_string()),
            ];
            let moved = timed(&mut samples, MOVE, browser.request(Method::POST, "/api/move_case").form(&args)).await;
            match moved.and_then(|body| serde_json::from_slice::<Value>(&body).ok()) {
                Some(case) => {
                    version = case["version"].as_i64().unwrap_or(version);
                    next_status = (next_status + 1) % ROUND.len();
                }
                // Refused (reported): start again from the case as it is now.
                None => {
                    let now = browser.read_case(own).await;
                    version = now.body["case"]["version"].as_i64().unwrap_or(version);
                }
            }
        }
        tokio::time::sleep(pause(&mut rng, think)).await;
    }
    samples
}

async fn customer(
    api: Api,
    organization: usize,
    cases: Arc<Cases>,
    seed: u64,
    think: Duration,
    until: Instant,
) -> Vec<Sample> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut samples = Vec::new();
    tokio::time::sleep(think.mul_f64(rng.random_range(0.0..1.0))).await;
    let (readable, talk) = (&cases.readable[organization], &cases.talk[organization]);
    while Instant::now() < until {
        let roll = rng.random_range(0..100);
        if roll < 30 {
            timed(&mut samples, LIST, api.request(Method::GET, "/api/v1/cases")).await;
        } else if roll < 80 {
            let number = readable[rng.random_range(0..readable.len())];
            timed(&mut samples, READ_REST, api.request(Method::GET, &format!("/api/v1/cases/{number}"))).await;
        } else {
            let number = talk[rng.random_range(0..talk.len())];
            let body = json!({"body": format!("Customer's reply {}", samples.len())});
            timed(
                &mut samples,
                REPLY_REST,
                api.request(Method::POST, &format!("/api/v1/cases/{number}/replies")).json(&body),
            )
            .await;
        }
        tokio::time::sleep(pause(&mut rng, think)).await;
    }
    samples
}

/// A `/proc/<pid>/status` figure in KiB (`VmRSS`, `VmHWM`).
fn memory_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// CPU time used so far (user + system) by the process `pid` (`self` for this one).
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command name (in parentheses): fields 14 and 15 are utime and stime in ticks.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i - 3).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(14) + ticks(15)) / 100.0
}

/// CPU time the whole machine spent busy so far (every core, every process).
fn machine_busy_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<f64> =
        stat.lines().next().unwrap_or("").split_whitespace().skip(1).filter_map(|v| v.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal: all but idle and iowait is work.
    let total: f64 = ticks.iter().take(8).sum();
    (total - ticks.get(3).unwrap_or(&0.0) - ticks.get(4).unwrap_or(&0.0)) / 100.0
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

async fn measure(label: &str, database_url: &str, dir: &std::path::Path, settings: &Settings) {
    let server = instance::start_with_env(
        env!("CARGO_BIN_EXE_caseboard"),
        database_url,
        dir.to_path_buf(),
        true,
        15,
        &[("CASEBOARD_SIGN_IN_PER_ADDRESS_PER_MINUTE", "1000000"), ("CASEBOARD_WIP_LIMITS", "off")],
    )
    .await;
    let set_up_started = Instant::now();
    let (cases, people) = set_up(&server.base, settings.users).await;
    let set_up_took = set_up_started.elapsed();
    let cases = Arc::new(cases);
    let (engineers, customers) = (people.engineers.len(), people.customers.len());

    let pid = server.pid();
    let rss_after_set_up = memory_kib(pid, "VmRSS");
    let (server_cpu, client_cpu, machine) =
        (cpu_seconds(&pid.to_string()), cpu_seconds("self"), machine_busy_seconds());
    let load_before = load_average();
    let started = Instant::now();
    let until = started + Duration::from_secs(settings.secs);
    let mut users = Vec::new();
    for (i, (browser, own, version)) in people.engineers.into_iter().enumerate() {
        users.push(tokio::spawn(engineer(browser, own, version, cases.clone(), i as u64, settings.think, until)));
    }
    for (i, (api, organization)) in people.customers.into_iter().enumerate() {
        let seed = 1_000_000 + i as u64;
        users.push(tokio::spawn(customer(api, organization, cases.clone(), seed, settings.think, until)));
    }
    // The server's resident memory while the users work (its peak over its whole life,
    // sign-ins included, is VmHWM at the end).
    let sampler = tokio::spawn(async move {
        let mut peak = 0;
        while Instant::now() < until {
            peak = peak.max(memory_kib(pid, "VmRSS"));
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        peak
    });
    let mut samples = Vec::new();
    for user in users {
        samples.extend(user.await.unwrap());
    }
    let elapsed = started.elapsed();
    let peak_during = sampler.await.unwrap();
    let (server_cpu, client_cpu, machine) = (
        cpu_seconds(&pid.to_string()) - server_cpu,
        cpu_seconds("self") - client_cpu,
        machine_busy_seconds() - machine,
    );
    let load_after = load_average();
    let hwm = memory_kib(pid, "VmHWM");
    let rss_end = memory_kib(pid, "VmRSS");

    println!(
        "== load: {label}: {} users ({engineers} engineers in the browser, {customers} customers with API tokens), \
         {} s, a pause of {:.1}–{:.1} s after each request; setup (cases, people, sign-ins) {:.1} s ==",
        settings.users,
        settings.secs,
        settings.think.as_secs_f64() * 0.5,
        settings.think.as_secs_f64() * 1.5,
        set_up_took.as_secs_f64()
    );
    println!("{:<52} {:>8} {:>7} {:>9} {:>9} {:>9}", "request", "count", "errors", "p50 ms", "p99 ms", "max ms");
    let mut errors: BTreeMap<(usize, String), (usize, String)> = BTreeMap::new();
    for (kind, name) in KINDS.iter().enumerate() {
        let of_kind: Vec<&Sample> = samples.iter().filter(|s| s.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let mut times: Vec<Duration> = of_kind.iter().map(|s| s.took).collect();
        times.sort();
        let failed = of_kind.iter().filter(|s| s.error.is_some()).count();
        for (label, body) in of_kind.iter().filter_map(|s| s.error.clone()) {
            errors.entry((kind, label)).or_insert((0, body)).0 += 1;
        }
        println!(
            "{name:<52} {:>8} {failed:>7} {:>9.1} {:>9.1} {:>9.1}",
            times.len(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap())
        );
    }
    let mut all: Vec<Duration> = samples.iter().map(|s| s.took).collect();
    all.sort();
    let failed = samples.iter().filter(|s| s.error.is_some()).count();
    println!(
        "{:<52} {:>8} {failed:>7} {:>9.1} {:>9.1} {:>9.1}   ({:.0} requests/s)",
        "all",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        ms(*all.last().unwrap()),
        all.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "server: peak RSS (VmHWM, sign-ins included) {:.0} MiB; after the sign-ins {:.0} MiB; highest RSS seen during \
         the load {:.0} MiB; at the end {:.0} MiB",
        hwm as f64 / 1024.0,
        rss_after_set_up as f64 / 1024.0,
        peak_during as f64 / 1024.0,
        rss_end as f64 / 1024.0
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "CPU during the load ({:.0} s, {cores} cores shared by the server, this client and the rest of the machine): \
         server {:.0} s ({:.0}% of one core), client {:.0} s, the whole machine busy {:.0} s of {:.0} (the database \
         server and other processes: {:.0} s); load average {load_before} before, {load_after} after",
        elapsed.as_secs_f64(),
        server_cpu,
        100.0 * server_cpu / elapsed.as_secs_f64(),
        client_cpu,
        machine,
        cores as f64 * elapsed.as_secs_f64(),
        machine - server_cpu - client_cpu
    );
    for ((kind, label), (count, body)) in &errors {
        println!(
            "  error: {} × {label} on {}; first answer: {body}",
            count,
            KINDS[*kind].split_whitespace().next().unwrap()
        );
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let settings = settings();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        for engine in &settings.engines {
            match engine.as_str() {
                "sqlite" => {
                    let url = format!("sqlite://{}?mode=rwc", dir.path().join("load.sqlite").display());
                    measure("SQLite", &url, &dir.path().join("sqlite"), &settings).await;
                }
                "postgres" => {
                    let server = std::env::var("CASEBOARD_TEST_POSTGRES")
                        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
                    let url = app::backend::test_database::postgres(&server).await.unwrap();
                    measure("PostgreSQL", &url, &dir.path().join("postgres"), &settings).await;
                }
                other => panic!("CASEBOARD_LOAD_ENGINES: unknown engine {other} (sqlite, postgres)"),
            }
        }
    });
}
