//! Assignment over real HTTP: automatic assignment of new cases, take / assign / unassign
//! through `POST /api/v1/cases/{n}/assign`, and what is refused.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_new_case_is_assigned_automatically_and_the_reason_is_kept_for_support_only() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let mut body = case_body("auto");
    body["product"] = json!("Kibana");
    let case = alice.new_case(&body).await;
    let engineer = case["assignee"].as_str().expect("assigned on opening");
    assert!(["Sam Okafor", "Mei Lin"].contains(&engineer), "{engineer}");
    assert_eq!(case["product"], "Kibana");
    let number = case["number"].as_i64().unwrap();

    let timeline = async |api: &Api| format!("{} {}", api.get_case(number).await.body, api.events(number).await.body);
    let support_view = timeline(&sam).await;
    assert!(support_view.contains("\"on_shift\""), "{support_view}");
    let customer_view = timeline(&alice).await;
    assert!(!customer_view.contains("on_shift"), "{customer_view}");
    assert!(customer_view.contains(engineer), "the customer sees who works the case");
}

#[tokio::test]
async fn an_engineer_takes_assigns_and_unassigns_with_versions() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let case = alice.new_case(&case_body("assign me")).await;
    let number = case["number"].as_i64().unwrap();
    // Whoever is on shift may have been given it already: start from nobody (the hour of
    // the run must not decide whether "take" changes anything).
    let nobodys = sam.assign(number, None, None).await.expect(StatusCode::OK);
    let version = nobodys["version"].as_i64().unwrap();

    let taken = sam.assign(number, Some("me"), Some(version)).await.expect(StatusCode::OK);
    assert_eq!(taken["assignee"], "Sam Okafor");

    // A stale version is refused and names who changed the case.
    let stale = sam.assign(number, Some("mei@caseboard.example"), Some(version)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["changed_by"], "Sam Okafor");

    let to_mei = sam.assign(number, Some("mei@caseboard.example"), None).await;
    assert_eq!(to_mei.body["assignee"], "Mei Lin");
    let nobody = sam.assign(number, None, None).await;
    assert_eq!(nobody.body["assignee"], Value::Null);
}

#[tokio::test]
async fn customers_and_unknown_engineers_are_refused_and_nothing_changes() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let case = alice.new_case(&case_body("mine")).await;
    let number = case["number"].as_i64().unwrap();

    let by_customer = alice.assign(number, Some("sam@caseboard.example"), None).await;
    assert_eq!(by_customer.status, StatusCode::FORBIDDEN);
    let to_customer = sam.assign(number, Some("bruno@globex.example"), None).await;
    assert_eq!(to_customer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let malformed = sam.post(&format!("/api/v1/cases/{number}/assign"), &json!({"engineer": 42})).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let missing = sam.assign(999999, Some("me"), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let now = sam.get_case(number).await.body;
    assert_eq!(now["version"], case["version"]);
    assert_eq!(now["assignee"], case["assignee"]);
}

#[tokio::test]
async fn the_openapi_document_lists_assign_replies_and_events() {
    let s = start().await;
    let doc = s.api().get("/api/v1/openapi.json").await.body;
    for path in ["/api/v1/cases/{number}/assign", "/api/v1/cases/{number}/replies", "/api/v1/events"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[tokio::test]
async fn a_duplicate_needs_the_case_it_duplicates_and_links_are_support_only() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let first = alice.new_case(&case_body("original")).await;
    let second = alice.new_case(&case_body("again")).await;
    let (a, b) = (first["number"].as_i64().unwrap(), second["number"].as_i64().unwrap());
    let version = second["version"].as_i64().unwrap();

    let missing = sam.move_case(b, "resolved", Some("duplicate"), version).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.field(), "duplicate_of");
    let unknown = sam.move_case_duplicate_of(b, "resolved", Some("duplicate"), version, 999999).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let resolved = sam.move_case_duplicate_of(b, "resolved", Some("duplicate"), version, a).await;
    assert_eq!(resolved.status, StatusCode::OK);

    let events = sam.events(b).await.body;
    assert!(events.to_string().contains("duplicate_of"), "{events}");
    let customer_events = alice.events(b).await.body;
    assert!(!customer_events.to_string().contains("linked"), "{customer_events}");

    assert_eq!(alice.link(a, b, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(sam.link(a, a, None).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sam.link(a, b, Some("related")).await.status, StatusCode::OK);
}
