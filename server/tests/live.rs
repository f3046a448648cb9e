//! The live stream (`GET /api/v1/events`) over real HTTP: filtered per caller, internal
//! notes never sent to customers (asserted on the raw stream), replay with Last-Event-ID.

mod common;

use std::time::Duration;

use common::*;
use reqwest::StatusCode;

/// Reads the raw stream until `marker` shows up (or 10 s pass); returns all that was read.
async fn read_until(response: &mut reqwest::Response, marker: &str) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !text.contains(marker) {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(bytes))) => text.push_str(&String::from_utf8_lossy(&bytes)),
            _ => break,
        }
    }
    text
}

async fn stream(api: &Api, last_event_id: Option<&str>) -> reqwest::Response {
    let response = api.stream(last_event_id).await;
    assert_eq!(response.status(), StatusCode::OK);
    response
}

#[tokio::test]
async fn a_customer_stream_carries_public_changes_and_never_internal_notes() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = alice.new_case(&case_body("live")).await["number"].as_i64().unwrap();

    let mut customer = stream(&alice, None).await;
    let mut engineer = stream(&sam, None).await;
    sam.reply(number, "INTERNAL-ONLY hypothesis", true).await;
    sam.reply(number, "PUBLIC-ANSWER we are on it", false).await;

    let seen_by_engineer = read_until(&mut engineer, "PUBLIC-ANSWER").await;
    assert!(seen_by_engineer.contains("INTERNAL-ONLY"), "{seen_by_engineer}");
    let seen_by_customer = read_until(&mut customer, "PUBLIC-ANSWER").await;
    assert!(seen_by_customer.contains("PUBLIC-ANSWER"), "{seen_by_customer}");
    assert!(!seen_by_customer.contains("INTERNAL-ONLY"), "{seen_by_customer}");
    assert!(!seen_by_customer.contains("internal_note"), "{seen_by_customer}");
    assert!(seen_by_customer.contains("event: reply"));
}

#[tokio::test]
async fn a_stream_shows_only_the_callers_organization() {
    let s = start().await;
    let bruno = s.demo("bruno@globex.example").await;
    let alice = s.demo("alice@acme.example").await;
    let mut globex = stream(&bruno, None).await;
    let acme = alice.new_case(&case_body("acme's")).await;
    let own = bruno.new_case(&case_body("globex's")).await;
    let seen = read_until(&mut globex, &format!("\"case\":{}", own["number"])).await;
    assert!(seen.contains(&format!("\"case\":{}", own["number"])), "{seen}");
    assert!(!seen.contains(&format!("\"case\":{}", acme["number"])), "{seen}");
}

#[tokio::test]
async fn a_reconnecting_client_gets_what_it_missed_from_the_log() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = alice.new_case(&case_body("missed")).await["number"].as_i64().unwrap();

    // Where the client was: the id of the case's opening event.
    let mut first = stream(&sam, Some("0")).await;
    let backlog = read_until(&mut first, &format!("\"case\":{number}")).await;
    let opened_id = backlog.lines().rev().find_map(|l| l.strip_prefix("id: ")).expect("an id line").trim().to_owned();
    drop(first);

    // While it was away, the case moved.
    sam.move_case(number, "confirmed", None, 1).await;
    let mut again = stream(&sam, Some(&opened_id)).await;
    let replay = read_until(&mut again, "status_changed").await;
    assert!(replay.contains("\"to\":\"confirmed\""), "{replay}");
    assert!(!replay.contains(&format!("id: {opened_id}\n")), "nothing already seen is sent again");
}

#[tokio::test]
async fn a_malformed_last_event_id_is_refused_and_strangers_get_401() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    assert_eq!(sam.stream(Some("yesterday")).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(s.api().stream(None).await.status(), StatusCode::UNAUTHORIZED);
}
