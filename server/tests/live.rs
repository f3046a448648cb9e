//! The live stream (`GET /api/v1/events`) over real HTTP: filtered per caller, internal
//! notes never sent to customers (asserted on the raw stream), replay with Last-Event-ID.

mod common;

use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

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

async fn stream(s: &TestServer, token: &str, last_event_id: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(s.url("/api/v1/events")).bearer_auth(token);
    if let Some(id) = last_event_id {
        request = request.header("Last-Event-ID", id);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response
}

#[tokio::test]
async fn a_customer_stream_carries_public_changes_and_never_internal_notes() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let case: serde_json::Value = s.open_case(&alice, case_body("live"), None).await.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();

    let mut customer = stream(&s, &alice, None).await;
    let mut engineer = stream(&s, &sam, None).await;
    post_json(
        &s,
        &sam,
        &format!("/api/v1/cases/{number}/replies"),
        json!({"body": "INTERNAL-ONLY hypothesis", "internal": true}),
    )
    .await;
    post_json(&s, &sam, &format!("/api/v1/cases/{number}/replies"), json!({"body": "PUBLIC-ANSWER we are on it"}))
        .await;

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
    let bruno = s.token("bruno@globex.example").await;
    let alice = s.token("alice@acme.example").await;
    let mut globex = stream(&s, &bruno, None).await;
    let acme: serde_json::Value = s.open_case(&alice, case_body("acme's"), None).await.json().await.unwrap();
    let own: serde_json::Value = s.open_case(&bruno, case_body("globex's"), None).await.json().await.unwrap();
    let seen = read_until(&mut globex, &format!("\"case\":{}", own["number"])).await;
    assert!(seen.contains(&format!("\"case\":{}", own["number"])), "{seen}");
    assert!(!seen.contains(&format!("\"case\":{}", acme["number"])), "{seen}");
}

#[tokio::test]
async fn a_reconnecting_client_gets_what_it_missed_from_the_log() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let case: serde_json::Value = s.open_case(&alice, case_body("missed"), None).await.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();

    // Where the client was: the id of the case's opening event.
    let mut first = stream(&s, &sam, Some("0")).await;
    let backlog = read_until(&mut first, &format!("\"case\":{number}")).await;
    let opened_id = backlog.lines().rev().find_map(|l| l.strip_prefix("id: ")).expect("an id line").trim().to_owned();
    drop(first);

    // While it was away, the case moved.
    post_json(
        &s,
        &sam,
        &format!("/api/v1/cases/{number}/status"),
        json!({"status": "confirmed", "expected_version": 1}),
    )
    .await;
    let mut again = stream(&s, &sam, Some(&opened_id)).await;
    let replay = read_until(&mut again, "status_changed").await;
    assert!(replay.contains("\"to\":\"confirmed\""), "{replay}");
    assert!(!replay.contains(&format!("id: {opened_id}\n")), "nothing already seen is sent again");
}

#[tokio::test]
async fn a_malformed_last_event_id_is_refused_and_strangers_get_401() {
    let s = start().await;
    let sam = s.token("sam@caseboard.example").await;
    let response = reqwest::Client::new()
        .get(s.url("/api/v1/events"))
        .bearer_auth(&sam)
        .header("Last-Event-ID", "yesterday")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(reqwest::get(s.url("/api/v1/events")).await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
