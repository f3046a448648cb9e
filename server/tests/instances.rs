//! Two `caseboard serve` processes on one PostgreSQL database, as behind a load balancer:
//! a move through B reaches a live client of A, a case made through A is read through B,
//! the same card moved through both gives one success and one conflict, cases created at
//! once through both get distinct numbers, presence travels, each SLA event and each email
//! happens once.
//! Needs PostgreSQL (`CASEBOARD_TEST_POSTGRES`, default `postgres://postgres@127.0.0.1:5432`):
//! with `CI=true` an unreachable server fails the test; otherwise it says loudly it skipped.

mod common;

use std::time::{Duration, Instant};

use common::instance::Instance;
use common::{Api, Browser, PASSWORD};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn start(database_url: &str, data_dir: std::path::PathBuf, demo: bool) -> Instance {
    // Both instances sweep SLA clocks every second, and send each mail at once (not gathered
    // for two minutes): the test waits for every queued mail to be sent.
    let env = [("CASEBOARD_MAIL_COALESCE_SECS", "0")];
    common::instance::start_with_env(env!("CARGO_BIN_EXE_caseboard"), database_url, data_dir, demo, 1, &env).await
}

fn case(summary: &str) -> Value {
    json!({"summary": summary, "description": "Through a load balancer.", "kind": "question", "severity": 3, "environment": "staging"})
}

/// The test database on the PostgreSQL server, or `None` (skipped, said loudly) when there
/// is no server outside CI.
async fn database() -> Option<String> {
    let server =
        std::env::var("CASEBOARD_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let reachable =
        tokio::net::TcpStream::connect(server.trim_start_matches("postgres://").rsplit('@').next().unwrap())
            .await
            .is_ok();
    if !reachable {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "PostgreSQL is not reachable at {server}");
        eprintln!("!!! SKIPPED: PostgreSQL is not reachable at {server} !!!");
        return None;
    }
    Some(app::backend::test_database::postgres(&server).await.unwrap())
}

#[tokio::test]
async fn two_instances_on_one_postgresql_database_behave_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let Some(url) = database().await else { return };
    // One instance loads the demo data, then the other joins.
    let a = start(&url, dir.path().join("a"), true).await;
    let b = start(&url, dir.path().join("b"), false).await;

    // Sessions live in the database: a token from A works on B.
    let alice = Api::new(a.base.clone()).demo("alice@acme.example").await;
    let sam = Api::new(b.base.clone()).demo("sam@caseboard.example").await;
    let (alice_on_b, sam_on_a) = (alice.on(&b.base), sam.on(&a.base));

    // A case created through A is read through B.
    let number = alice.new_case(&case("Made on A")).await["number"].as_i64().unwrap();
    let read = sam.get_case(number).await.expect(StatusCode::OK);
    assert_eq!(read["summary"], "Made on A");

    // A board connected to A sees a move made through B.
    let mut stream = sam_on_a.stream(None).await;
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(sam.move_case(number, "confirmed", None, 1).await.status, StatusCode::OK);
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !(seen.contains("\"confirmed\"") && seen.contains(&number.to_string())) {
        match tokio::time::timeout_at(deadline, stream.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => panic!("the move through B never reached A's live client: {seen}"),
        }
    }

    // Presence travels too: Sam looks at the case through A, Mei (through B) is told.
    let sam_browser_on_a = Browser::sign_in(&a.base, "sam@caseboard.example", PASSWORD).await;
    let mei_browser_on_b = Browser::sign_in(&b.base, "mei@caseboard.example", PASSWORD).await;
    assert!(sam_browser_on_a.case_presence(number, "viewing").await.status.is_success());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let others = mei_browser_on_b.case_presence(number, "viewing").await.body;
        if others.to_string().contains("Sam Okafor") {
            break;
        }
        assert!(Instant::now() < deadline, "Sam's presence on A never reached B: {others}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The same card moved at once through A and B: one success, one conflict.
    let version = 2;
    let (through_a, through_b) = tokio::join!(
        sam_on_a.move_case(number, "assigned", None, version),
        sam.move_case(number, "feedback", None, version)
    );
    let mut statuses = [through_a.status, through_b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);

    // Many cases at once through both: every number distinct.
    let creations = (0..40).map(|i| {
        let through = if i % 2 == 0 { alice.clone() } else { alice_on_b.clone() };
        async move { through.open_case(&case(&format!("Concurrent {i}")), None).await }
    });
    let mut numbers = Vec::new();
    for response in futures::future::join_all(creations).await {
        assert_eq!(response.status, StatusCode::CREATED);
        numbers.push(response.number());
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 40, "distinct case numbers");

    // Both instances sweep every second: a clock due in 3 seconds is warned of and breached
    // once in the log, whoever sweeps first.
    let admin = Api::new(a.base.clone()).demo("admin@caseboard.example").await;
    let plans = admin.get("/api/v1/plans").await.list();
    let mut fast = plans.iter().find(|p| p["id"] == "cloud-avenue-gold").unwrap().clone();
    fast["id"] = json!("three-seconds");
    fast["name"] = json!("Three seconds");
    for terms in fast["severities"].as_array_mut().unwrap() {
        terms["initial_response"] = json!({"kind": "duration_24x7", "value": "PT3S"});
    }
    assert_eq!(admin.on(&b.base).put("/api/v1/plans/three-seconds", &fast).await.status, StatusCode::OK);
    let contract = json!({"plan": "three-seconds", "time_zone": "Europe/Paris",
        "working_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "windows": [{"start": "09:00", "end": "18:00"}]});
    admin.put("/api/v1/organizations/initech/contract", &contract).await.ok();
    let chloe = Api::new(b.base.clone()).demo("chloe@initech.example").await;
    let due = chloe.new_case(&case("Due in three seconds")).await["number"].as_i64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let kinds = loop {
        let events = sam_on_a.events(due).await.list();
        let kinds: Vec<String> = events.iter().map(|e| e["change"]["type"].as_str().unwrap_or("").to_owned()).collect();
        if kinds.iter().any(|k| k == "sla_breached") || Instant::now() > deadline {
            break kinds;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    // Two more sweeps by each instance after the breach: still once.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let events = sam.events(due).await.list();
    let count = |kind: &str| events.iter().filter(|e| e["change"]["type"] == kind).count();
    assert!(kinds.iter().any(|k| k == "sla_breached"), "no breach recorded: {kinds:?}");
    assert_eq!((count("sla_warning"), count("sla_breached")), (1, 1), "{events:?}");

    // Every queued email is sent once, by one instance or the other.
    let store = app::backend::Store::connect(&url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let (sent, waiting) = loop {
        let (sent, waiting) = store.mail_counts().await.unwrap();
        if waiting == 0 || Instant::now() > deadline {
            break (sent, waiting);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(waiting, 0);
    let files =
        |instance: &Instance| std::fs::read_dir(instance.data_dir.join("outbox")).map(|d| d.count()).unwrap_or(0);
    assert_eq!((files(&a) + files(&b)) as i64, sent, "each message written once, by one instance");
    assert!(files(&a) > 0 || files(&b) > 0);
}
