//! SLA over HTTP: contracts, previews, case clocks and entitlement, on a real server.
//! Demo organizations: acme on Elastic cloud Premium, globex on Coveo, initech on Cloud Avenue Gold.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn preview(api: &Api, query: &str) -> Answer {
    api.get(&format!("/api/v1/sla/preview?{query}")).await
}

async fn put_contract(api: &Api, slug: &str, body: Value) -> Answer {
    api.put(&format!("/api/v1/organizations/{slug}/contract"), &body).await
}

fn basic_paris(holidays: Value) -> Value {
    json!({
        "plan": "elastic-cloud-basic",
        "time_zone": "Europe/Paris",
        "working_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "windows": [{"start": "09:00", "end": "18:00"}],
        "holidays": holidays
    })
}

#[tokio::test]
async fn urgent_preview_on_premium_is_thirty_minutes_around_the_clock() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let body = preview(&sam, "organization=acme&severity=1&opened_at=2026-11-21T23:10:00Z").await.body;
    assert_eq!(body["first_response_due"], "2026-11-21T23:40:00Z");
    assert_eq!(body["restore_due"], Value::Null);
    assert_eq!(body["coverage"], "24x7");
    assert!(body["explanation"].as_str().unwrap().contains("Premium"), "{body}");
}

#[tokio::test]
async fn coveo_promises_no_response_time() {
    let s = start().await;
    let bruno = s.demo("bruno@globex.example").await;
    let body = preview(&bruno, "severity=1&opened_at=2026-11-23T15:00:00Z").await.body;
    assert_eq!(body["first_response_due"], Value::Null);
    assert!(body["explanation"].as_str().unwrap().contains("no initial response commitment"), "{body}");
}

#[tokio::test]
async fn cloud_avenue_gold_restores_p1_within_four_hours() {
    let s = start().await;
    let chloe = s.demo("chloe@initech.example").await;
    let body = preview(&chloe, "severity=1&opened_at=2026-11-21T23:00:00Z").await.body;
    assert_eq!(body["restore_due"], "2026-11-22T03:00:00Z");
}

#[tokio::test]
async fn a_customer_cannot_preview_another_organization() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    assert_eq!(preview(&alice, "organization=globex&severity=3").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_preview_parameters_name_the_field() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let body = preview(&alice, "severity=7").await.body;
    assert_eq!(body["field"], "severity");
    let body = preview(&alice, "severity=1&opened_at=yesterday").await.body;
    assert_eq!(body["field"], "opened_at");
    let body = preview(&alice, "severity=4").await.body;
    assert_eq!(body["field"], "severity", "severity 4 is not offered on a production plan");
}

#[tokio::test]
async fn a_contract_with_business_hours_moves_the_due_time_into_the_calendar() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    assert_eq!(put_contract(&admin, "acme", basic_paris(json!(["2037-11-30"]))).await.status, StatusCode::OK);
    let sam = s.demo("sam@caseboard.example").await;
    // A contract applies from the day it is set, so the week tried is in the future (2037's
    // November falls on the same weekdays as 2026's): a past date read the earlier plan.
    // Tuesday 10:00 Paris (09:00Z) + 4 business hours = 14:00 Paris.
    let body = preview(&sam, "organization=acme&severity=1&opened_at=2037-11-24T09:00:00Z").await.body;
    assert_eq!(body["first_response_due"], "2037-11-24T13:00:00Z");
    assert_eq!(body["coverage"], "business_hours");
    // Friday 17:00 Paris: one hour on Friday, Monday 30 November is a holiday, so three more on Tuesday.
    let body = preview(&sam, "organization=acme&severity=1&opened_at=2037-11-27T16:00:00Z").await.body;
    assert_eq!(body["first_response_due"], "2037-12-01T11:00:00Z");
}

#[tokio::test]
async fn bad_contracts_are_refused_with_the_field_at_fault_and_change_nothing() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let before = preview(&sam, "organization=acme&severity=1&opened_at=2026-11-24T09:00:00Z").await.body;
    let mut cases = Vec::new();
    let mut bad = basic_paris(json!([]));
    bad["time_zone"] = json!("Mars/Olympus_Mons");
    cases.push((bad, "time_zone"));
    let mut bad = basic_paris(json!([]));
    bad["windows"] = json!([{"start": "09:00", "end": "13:00"}, {"start": "12:00", "end": "18:00"}]);
    cases.push((bad, "windows"));
    let mut bad = basic_paris(json!([]));
    bad["windows"] = json!([{"start": "18:00", "end": "09:00"}]);
    cases.push((bad, "windows"));
    cases.push((basic_paris(json!(["2026-13-45"])), "holidays"));
    let mut bad = basic_paris(json!([]));
    bad["plan"] = json!("platinum-plus");
    cases.push((bad, "plan"));
    for (body, field) in cases {
        let response = put_contract(&admin, "acme", body).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(response.field(), field);
    }
    let after = preview(&sam, "organization=acme&severity=1&opened_at=2026-11-24T09:00:00Z").await.body;
    assert_eq!(before, after);
    let customer = s.demo("alice@acme.example").await;
    assert_eq!(put_contract(&customer, "acme", basic_paris(json!([]))).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn development_subscriptions_open_severity_four_only() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let mut body = basic_paris(json!([]));
    body["plan"] = json!("elastic-sm-development");
    assert_eq!(put_contract(&admin, "acme", body).await.status, StatusCode::OK);
    let alice = s.demo("alice@acme.example").await;
    let refused = alice.open_case(&case_body("urgent on a dev plan"), None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field(), "severity");
    let mut dev = case_body("dev question");
    dev["severity"] = json!(4);
    dev["environment"] = json!("development");
    assert_eq!(alice.open_case(&dev, None).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn production_plans_refuse_severity_four() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let mut dev = case_body("dev question");
    dev["severity"] = json!(4);
    assert_eq!(alice.open_case(&dev, None).await.field(), "severity");
}

#[tokio::test]
async fn a_case_explains_its_clock_and_pauses_while_waiting_on_the_customer() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let mut body = case_body("clock");
    body["severity"] = json!(1);
    body["details"] = json!({ "impact": "Every order is lost while it is down." });
    let number = alice.open_case(&body, None).await.number();
    let clocks = alice.sla(number).await.body;
    assert_eq!(clocks[0]["kind"], "initial_response");
    assert_eq!(clocks[0]["state"]["state"], "running");
    assert!(clocks[0]["explanation"].as_str().unwrap().contains("30 min"), "{}", clocks[0]);

    let sam = s.demo("sam@caseboard.example").await;
    assert_eq!(sam.move_case(number, "feedback", None, 1).await.status, StatusCode::OK);
    assert_eq!(alice.sla(number).await.body[0]["state"]["state"], "paused");

    let bruno = s.demo("bruno@globex.example").await;
    assert_eq!(bruno.sla(number).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn plans_list_presets_and_custom_plans() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let plans = admin.get("/api/v1/plans").await.list();
    assert_eq!(plans.len(), 13);
    let mut custom = plans.iter().find(|p| p["id"] == "elastic-cloud-premium").unwrap().clone();
    custom["id"] = json!("acme-special");
    custom["name"] = json!("Acme special");
    assert_eq!(admin.put("/api/v1/plans/acme-special", &custom).await.status, StatusCode::OK);
    assert_eq!(admin.get("/api/v1/plans").await.list().len(), 14);
    // A customer reads the presets and their own organization's plan, never another's custom plan.
    let bruno = s.demo("bruno@globex.example").await;
    assert!(bruno.get("/api/v1/plans").await.list().iter().all(|p| p["id"] != "acme-special"));
    let contract = json!({"plan": "acme-special", "time_zone": "Europe/Paris", "working_days": ["monday"],
        "windows": [{"start": "09:00", "end": "18:00"}], "holidays": []});
    assert_eq!(admin.put("/api/v1/organizations/acme/contract", &contract).await.status, StatusCode::OK);
    let alice = s.demo("alice@acme.example").await;
    assert!(alice.get("/api/v1/plans").await.list().iter().any(|p| p["id"] == "acme-special"));
    assert!(bruno.get("/api/v1/plans").await.list().iter().all(|p| p["id"] != "acme-special"));

    let mut zero = custom.clone();
    zero["severities"][0]["initial_response"] = json!({"kind": "duration_24x7", "value": "PT0S"});
    assert_eq!(admin.put("/api/v1/plans/acme-special", &zero).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut preset_id = custom.clone();
    preset_id["id"] = json!("coveo");
    assert_eq!(admin.put("/api/v1/plans/coveo", &preset_id).await.field(), "id");
}

async fn clock_state(api: &Api, number: i64) -> Value {
    api.sla(number).await.body[0].clone()
}

async fn urgent_acme_case(alice: &Api) -> i64 {
    let mut body = case_body("needs an answer");
    body["severity"] = json!(1);
    body["details"] = json!({ "impact": "Every order is lost while it is down." });
    alice.open_case(&body, None).await.number()
}

#[tokio::test]
async fn a_paused_clock_resumes_on_the_customers_reply_by_api_and_by_portal() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = urgent_acme_case(&alice).await;
    assert_eq!(sam.move_case(number, "feedback", None, 1).await.status, StatusCode::OK);
    assert_eq!(clock_state(&alice, number).await["state"]["state"], "paused");

    // By the API.
    assert_eq!(alice.reply(number, "Here are the logs.", false).await.status, StatusCode::CREATED);
    assert_eq!(clock_state(&alice, number).await["state"]["state"], "running");

    // Paused again, then the customer answers in the portal (server function).
    let version = sam.get_case(number).await.version();
    sam.move_case(number, "confirmed", None, version).await;
    sam.move_case(number, "feedback", None, version + 1).await;
    assert_eq!(clock_state(&alice, number).await["state"]["state"], "paused");
    let browser = s.browser("alice@acme.example").await;
    let response = browser.reply_to_case(number, "It happens again at 10:02.").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(clock_state(&alice, number).await["state"]["state"], "running");
}

#[tokio::test]
async fn an_internal_note_does_not_meet_the_response_clock_and_never_reaches_the_customer() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = urgent_acme_case(&alice).await;
    let note = sam.reply(number, "Customer seems to run 7.1 SECRET", true).await;
    assert_eq!(note.status, StatusCode::CREATED);
    assert_eq!(clock_state(&sam, number).await["state"]["state"], "running");

    let page = s.browser("alice@acme.example").await.read_case(number).await.text();
    assert!(!page.contains("SECRET"), "{page}");
    let page = s.browser("sam@caseboard.example").await.read_case(number).await.text();
    assert!(page.contains("SECRET"));

    assert_eq!(sam.reply(number, "We are on it.", false).await.status, StatusCode::CREATED);
    let clock = clock_state(&alice, number).await;
    assert_eq!(clock["state"]["state"], "met");
    assert_eq!(clock["state"]["in_time"], true);
}

#[tokio::test]
async fn customers_cannot_write_internal_notes_or_empty_replies() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let number = urgent_acme_case(&alice).await;
    assert_eq!(alice.reply(number, "x", true).await.field(), "internal");
    assert_eq!(alice.reply(number, "   ", false).await.field(), "body");
    let bruno = s.demo("bruno@globex.example").await;
    assert_eq!(bruno.reply(number, "hello", false).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_upgrade_applies_to_open_cases_and_the_explanation_says_so() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    assert_eq!(put_contract(&admin, "acme", basic_paris(json!([]))).await.status, StatusCode::OK);
    let alice = s.demo("alice@acme.example").await;
    let number = urgent_acme_case(&alice).await;
    assert!(clock_state(&alice, number).await["explanation"].as_str().unwrap().contains("Basic"));
    let mut premium = basic_paris(json!([]));
    premium["plan"] = json!("elastic-cloud-premium");
    assert_eq!(put_contract(&admin, "acme", premium).await.status, StatusCode::OK);
    let clock = clock_state(&alice, number).await;
    let explanation = clock["explanation"].as_str().unwrap();
    assert!(explanation.contains("upgraded from Elastic cloud Basic"), "{explanation}");
}

#[tokio::test]
async fn a_customer_asks_for_a_more_urgent_severity_and_support_raises_it_with_the_clock() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = alice.open_case(&case_body("Dashboard slow before our demo"), None).await.number();
    // Not more urgent, no reason, not offered by the contract: refused, naming the field.
    let response = alice.request_severity_raise(number, 3, "x").await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(alice.request_severity_raise(number, 1, "   ").await.field(), "reason");
    let response = alice.request_severity_raise(number, 1, "Shown to our customers on Friday").await;
    assert_eq!(response.status, StatusCode::CREATED);
    let events = alice.events(number).await.list();
    let request = events.iter().find(|e| e["change"]["type"] == "severity_raise_requested").unwrap();
    assert_eq!(request["change"]["reason"], "Shown to our customers on Friday");

    // Customers do not set severities; support does, at the version it saw.
    let version = sam.get_case(number).await.version();
    assert_eq!(alice.change_severity(number, 1, version).await.status, StatusCode::FORBIDDEN);
    assert_eq!(sam.change_severity(number, 4, version).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sam.change_severity(number, 1, version - 1).await.status, StatusCode::CONFLICT);
    let response = sam.change_severity(number, 1, version).await.expect(StatusCode::OK);
    assert_eq!(response["severity"], 1);

    // The clock: Premium High was 4 h around the clock; Urgent is 30 min from the change.
    let clocks = alice.sla(number).await.body;
    let first = &clocks[0];
    let explanation = first["explanation"].as_str().unwrap();
    assert!(explanation.contains("severity raised to 1"), "{explanation}");
    let due: jiff::Timestamp = first["due"].as_str().unwrap().parse().unwrap();
    let minutes = due.duration_since(jiff::Timestamp::now()).as_secs() / 60;
    assert!((28..=30).contains(&minutes), "due in {minutes} min");
}
