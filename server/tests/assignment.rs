//! Assignment over real HTTP: automatic assignment of new cases, take / assign / unassign
//! through `POST /api/v1/cases/{n}/assign`, and what is refused.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_new_case_is_assigned_automatically_and_the_reason_is_kept_for_support_only() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let mut body = case_body("auto");
    body["product"] = json!("Kibana");
    let case: Value = s.open_case(&alice, body, None).await.json().await.unwrap();
    let engineer = case["assignee"].as_str().expect("assigned on opening");
    assert!(["Sam Okafor", "Mei Lin"].contains(&engineer), "{engineer}");
    assert_eq!(case["product"], "Kibana");
    let number = case["number"].as_i64().unwrap();

    let timeline = |token: String| {
        let s = &s;
        async move {
            let case: Value = s.get(&token, &format!("/api/v1/cases/{number}")).await.json().await.unwrap();
            let events: Value = s.get(&token, &format!("/api/v1/cases/{number}/events")).await.json().await.unwrap();
            format!("{case} {events}")
        }
    };
    let support_view = timeline(sam.clone()).await;
    assert!(support_view.contains("\"on_shift\""), "{support_view}");
    let customer_view = timeline(alice.clone()).await;
    assert!(!customer_view.contains("on_shift"), "{customer_view}");
    assert!(customer_view.contains(engineer), "the customer sees who works the case");
}

#[tokio::test]
async fn an_engineer_takes_assigns_and_unassigns_with_versions() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let case: Value = s.open_case(&alice, case_body("assign me"), None).await.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();
    let version = case["version"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{number}/assign");

    let taken = post_json(&s, &sam, &path, json!({"engineer": "me", "expected_version": version})).await;
    assert_eq!(taken.status(), StatusCode::OK);
    let taken: Value = taken.json().await.unwrap();
    assert_eq!(taken["assignee"], "Sam Okafor");

    // A stale version is refused and names who changed the case.
    let stale = post_json(&s, &sam, &path, json!({"engineer": "mei@caseboard.example", "expected_version": 1})).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let stale: Value = stale.json().await.unwrap();
    assert_eq!(stale["changed_by"], "Sam Okafor");

    let to_mei = post_json(&s, &sam, &path, json!({"engineer": "mei@caseboard.example"})).await;
    assert_eq!(to_mei.json::<Value>().await.unwrap()["assignee"], "Mei Lin");
    let nobody = post_json(&s, &sam, &path, json!({"engineer": null})).await;
    assert_eq!(nobody.json::<Value>().await.unwrap()["assignee"], Value::Null);
}

#[tokio::test]
async fn customers_and_unknown_engineers_are_refused_and_nothing_changes() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let case: Value = s.open_case(&alice, case_body("mine"), None).await.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{number}/assign");

    let by_customer = post_json(&s, &alice, &path, json!({"engineer": "sam@caseboard.example"})).await;
    assert_eq!(by_customer.status(), StatusCode::FORBIDDEN);
    let to_customer = post_json(&s, &sam, &path, json!({"engineer": "bruno@globex.example"})).await;
    assert_eq!(to_customer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let malformed = post_json(&s, &sam, &path, json!({"engineer": 42})).await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let missing = post_json(&s, &sam, "/api/v1/cases/999999/assign", json!({"engineer": "me"})).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let now: Value = s.get(&sam, &format!("/api/v1/cases/{number}")).await.json().await.unwrap();
    assert_eq!(now["version"], case["version"]);
    assert_eq!(now["assignee"], case["assignee"]);
}

#[tokio::test]
async fn the_openapi_document_lists_assign_replies_and_events() {
    let s = start().await;
    let doc: Value = reqwest::get(s.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    for path in ["/api/v1/cases/{number}/assign", "/api/v1/cases/{number}/replies", "/api/v1/events"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[tokio::test]
async fn a_duplicate_needs_the_case_it_duplicates_and_links_are_support_only() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let first: Value = s.open_case(&alice, case_body("original"), None).await.json().await.unwrap();
    let second: Value = s.open_case(&alice, case_body("again"), None).await.json().await.unwrap();
    let (a, b) = (first["number"].as_i64().unwrap(), second["number"].as_i64().unwrap());
    let version = second["version"].as_i64().unwrap();
    let status = format!("/api/v1/cases/{b}/status");

    let missing = post_json(&s, &sam, &status, json!({"status": "resolved", "resolution": "duplicate", "expected_version": version})).await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json::<Value>().await.unwrap()["field"], "duplicate_of");
    let unknown = post_json(
        &s,
        &sam,
        &status,
        json!({"status": "resolved", "resolution": "duplicate", "expected_version": version, "duplicate_of": 999999}),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resolved = post_json(
        &s,
        &sam,
        &status,
        json!({"status": "resolved", "resolution": "duplicate", "expected_version": version, "duplicate_of": a}),
    )
    .await;
    assert_eq!(resolved.status(), StatusCode::OK);

    let events: Value = s.get(&sam, &format!("/api/v1/cases/{b}/events")).await.json().await.unwrap();
    assert!(events.to_string().contains("duplicate_of"), "{events}");
    let customer_events: Value = s.get(&alice, &format!("/api/v1/cases/{b}/events")).await.json().await.unwrap();
    assert!(!customer_events.to_string().contains("linked"), "{customer_events}");

    let by_customer = post_json(&s, &alice, &format!("/api/v1/cases/{a}/links"), json!({"case": b})).await;
    assert_eq!(by_customer.status(), StatusCode::FORBIDDEN);
    let to_itself = post_json(&s, &sam, &format!("/api/v1/cases/{a}/links"), json!({"case": a})).await;
    assert_eq!(to_itself.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let related = post_json(&s, &sam, &format!("/api/v1/cases/{a}/links"), json!({"case": b, "kind": "related"})).await;
    assert_eq!(related.status(), StatusCode::OK);
}
