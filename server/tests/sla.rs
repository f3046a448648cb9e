//! SLA over HTTP: contracts, previews, case clocks and entitlement, on a real server.
//! Demo organizations: acme on Elastic cloud Premium, globex on Coveo, initech on Cloud Avenue Gold.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn preview(s: &TestServer, token: &str, query: &str) -> reqwest::Response {
    s.get(token, &format!("/api/v1/sla/preview?{query}")).await
}

async fn put_contract(s: &TestServer, token: &str, slug: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new()
        .put(s.url(&format!("/api/v1/organizations/{slug}/contract")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
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
    let sam = s.token("sam@caseboard.example").await;
    let body: Value =
        preview(&s, &sam, "organization=acme&severity=1&opened_at=2026-11-21T23:10:00Z").await.json().await.unwrap();
    assert_eq!(body["first_response_due"], "2026-11-21T23:40:00Z");
    assert_eq!(body["restore_due"], Value::Null);
    assert_eq!(body["coverage"], "24x7");
    assert!(body["explanation"].as_str().unwrap().contains("Premium"), "{body}");
}

#[tokio::test]
async fn coveo_promises_no_response_time() {
    let s = start().await;
    let bruno = s.token("bruno@globex.example").await;
    let body: Value = preview(&s, &bruno, "severity=1&opened_at=2026-11-23T15:00:00Z").await.json().await.unwrap();
    assert_eq!(body["first_response_due"], Value::Null);
    assert!(body["explanation"].as_str().unwrap().contains("no initial response commitment"), "{body}");
}

#[tokio::test]
async fn cloud_avenue_gold_restores_p1_within_four_hours() {
    let s = start().await;
    let chloe = s.token("chloe@initech.example").await;
    let body: Value = preview(&s, &chloe, "severity=1&opened_at=2026-11-21T23:00:00Z").await.json().await.unwrap();
    assert_eq!(body["restore_due"], "2026-11-22T03:00:00Z");
}

#[tokio::test]
async fn a_customer_cannot_preview_another_organization() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    assert_eq!(preview(&s, &alice, "organization=globex&severity=3").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_preview_parameters_name_the_field() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let body: Value = preview(&s, &alice, "severity=7").await.json().await.unwrap();
    assert_eq!(body["field"], "severity");
    let body: Value = preview(&s, &alice, "severity=1&opened_at=yesterday").await.json().await.unwrap();
    assert_eq!(body["field"], "opened_at");
    let body: Value = preview(&s, &alice, "severity=4").await.json().await.unwrap();
    assert_eq!(body["field"], "severity", "severity 4 is not offered on a production plan");
}

#[tokio::test]
async fn a_contract_with_business_hours_moves_the_due_time_into_the_calendar() {
    let s = start().await;
    let admin = s.token("admin@caseboard.example").await;
    let response = put_contract(&s, &admin, "acme", basic_paris(json!(["2037-11-30"]))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let sam = s.token("sam@caseboard.example").await;
    // A contract applies from the day it is set, so the week tried is in the future (2037's
    // November falls on the same weekdays as 2026's): a past date read the earlier plan.
    // Tuesday 10:00 Paris (09:00Z) + 4 business hours = 14:00 Paris.
    let body: Value =
        preview(&s, &sam, "organization=acme&severity=1&opened_at=2037-11-24T09:00:00Z").await.json().await.unwrap();
    assert_eq!(body["first_response_due"], "2037-11-24T13:00:00Z");
    assert_eq!(body["coverage"], "business_hours");
    // Friday 17:00 Paris: one hour on Friday, Monday 30 November is a holiday, so three more on Tuesday.
    let body: Value =
        preview(&s, &sam, "organization=acme&severity=1&opened_at=2037-11-27T16:00:00Z").await.json().await.unwrap();
    assert_eq!(body["first_response_due"], "2037-12-01T11:00:00Z");
}

#[tokio::test]
async fn bad_contracts_are_refused_with_the_field_at_fault_and_change_nothing() {
    let s = start().await;
    let admin = s.token("admin@caseboard.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let before: Value =
        preview(&s, &sam, "organization=acme&severity=1&opened_at=2026-11-24T09:00:00Z").await.json().await.unwrap();
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
        let response = put_contract(&s, &admin, "acme", body).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(response.json::<Value>().await.unwrap()["field"], field);
    }
    let after: Value =
        preview(&s, &sam, "organization=acme&severity=1&opened_at=2026-11-24T09:00:00Z").await.json().await.unwrap();
    assert_eq!(before, after);
    let customer = s.token("alice@acme.example").await;
    assert_eq!(put_contract(&s, &customer, "acme", basic_paris(json!([]))).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn development_subscriptions_open_severity_four_only() {
    let s = start().await;
    let admin = s.token("admin@caseboard.example").await;
    let mut body = basic_paris(json!([]));
    body["plan"] = json!("elastic-sm-development");
    assert_eq!(put_contract(&s, &admin, "acme", body).await.status(), StatusCode::OK);
    let alice = s.token("alice@acme.example").await;
    let refused = s.open_case(&alice, case_body("urgent on a dev plan"), None).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "severity");
    let mut dev = case_body("dev question");
    dev["severity"] = json!(4);
    dev["environment"] = json!("development");
    assert_eq!(s.open_case(&alice, dev, None).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn production_plans_refuse_severity_four() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let mut dev = case_body("dev question");
    dev["severity"] = json!(4);
    let refused = s.open_case(&alice, dev, None).await;
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "severity");
}

#[tokio::test]
async fn a_case_explains_its_clock_and_pauses_while_waiting_on_the_customer() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let mut body = case_body("clock");
    body["severity"] = json!(1);
    body["details"] = json!({ "impact": "Every order is lost while it is down." });
    let case: Value = s.open_case(&alice, body, None).await.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();
    let clocks: Vec<Value> = s.get(&alice, &format!("/api/v1/cases/{number}/sla")).await.json().await.unwrap();
    assert_eq!(clocks[0]["kind"], "initial_response");
    assert_eq!(clocks[0]["state"]["state"], "running");
    assert!(clocks[0]["explanation"].as_str().unwrap().contains("30 min"), "{}", clocks[0]);

    let sam = s.token("sam@caseboard.example").await;
    let moved = reqwest::Client::new()
        .post(s.url(&format!("/api/v1/cases/{number}/status")))
        .bearer_auth(&sam)
        .json(&json!({"status": "feedback", "expected_version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::OK);
    let clocks: Vec<Value> = s.get(&alice, &format!("/api/v1/cases/{number}/sla")).await.json().await.unwrap();
    assert_eq!(clocks[0]["state"]["state"], "paused");

    let bruno = s.token("bruno@globex.example").await;
    assert_eq!(s.get(&bruno, &format!("/api/v1/cases/{number}/sla")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn plans_list_presets_and_custom_plans() {
    let s = start().await;
    let admin = s.token("admin@caseboard.example").await;
    let plans: Vec<Value> = s.get(&admin, "/api/v1/plans").await.json().await.unwrap();
    assert_eq!(plans.len(), 13);
    let mut custom = plans.iter().find(|p| p["id"] == "elastic-cloud-premium").unwrap().clone();
    custom["id"] = json!("acme-special");
    custom["name"] = json!("Acme special");
    let client = reqwest::Client::new();
    let saved = client.put(s.url("/api/v1/plans/acme-special")).bearer_auth(&admin).json(&custom).send().await.unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let plans: Vec<Value> = s.get(&admin, "/api/v1/plans").await.json().await.unwrap();
    assert_eq!(plans.len(), 14);

    let mut zero = custom.clone();
    zero["severities"][0]["initial_response"] = json!({"kind": "duration_24x7", "value": "PT0S"});
    let refused = client.put(s.url("/api/v1/plans/acme-special")).bearer_auth(&admin).json(&zero).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut preset_id = custom.clone();
    preset_id["id"] = json!("coveo");
    let refused = client.put(s.url("/api/v1/plans/coveo")).bearer_auth(&admin).json(&preset_id).send().await.unwrap();
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "id");
}

async fn clock_state(s: &TestServer, token: &str, number: i64) -> Value {
    let clocks: Vec<Value> = s.get(token, &format!("/api/v1/cases/{number}/sla")).await.json().await.unwrap();
    clocks[0].clone()
}

async fn urgent_acme_case(s: &TestServer, alice: &str) -> i64 {
    let mut body = case_body("needs an answer");
    body["severity"] = json!(1);
    body["details"] = json!({ "impact": "Every order is lost while it is down." });
    s.open_case(alice, body, None).await.json::<Value>().await.unwrap()["number"].as_i64().unwrap()
}

#[tokio::test]
async fn a_paused_clock_resumes_on_the_customers_reply_by_api_and_by_portal() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let number = urgent_acme_case(&s, &alice).await;
    let moved = post_json(
        &s,
        &sam,
        &format!("/api/v1/cases/{number}/status"),
        json!({"status": "feedback", "expected_version": 1}),
    )
    .await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(clock_state(&s, &alice, number).await["state"]["state"], "paused");

    // By the API.
    let replied =
        post_json(&s, &alice, &format!("/api/v1/cases/{number}/replies"), json!({"body": "Here are the logs."})).await;
    assert_eq!(replied.status(), StatusCode::CREATED);
    assert_eq!(clock_state(&s, &alice, number).await["state"]["state"], "running");

    // Paused again, then the customer answers in the portal (server function).
    let version = s.get(&sam, &format!("/api/v1/cases/{number}")).await.json::<Value>().await.unwrap()["version"]
        .as_i64()
        .unwrap();
    post_json(
        &s,
        &sam,
        &format!("/api/v1/cases/{number}/status"),
        json!({"status": "confirmed", "expected_version": version}),
    )
    .await;
    post_json(
        &s,
        &sam,
        &format!("/api/v1/cases/{number}/status"),
        json!({"status": "feedback", "expected_version": version + 1}),
    )
    .await;
    assert_eq!(clock_state(&s, &alice, number).await["state"]["state"], "paused");
    let browser = s.browser("alice@acme.example").await;
    let response = browser
        .post(s.url("/api/reply_to_case"))
        .form(&[("number", number.to_string()), ("body", "It happens again at 10:02.".to_owned())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(clock_state(&s, &alice, number).await["state"]["state"], "running");
}

#[tokio::test]
async fn an_internal_note_does_not_meet_the_response_clock_and_never_reaches_the_customer() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let number = urgent_acme_case(&s, &alice).await;
    let note = post_json(
        &s,
        &sam,
        &format!("/api/v1/cases/{number}/replies"),
        json!({"body": "Customer seems to run 7.1 SECRET", "internal": true}),
    )
    .await;
    assert_eq!(note.status(), StatusCode::CREATED);
    assert_eq!(clock_state(&s, &sam, number).await["state"]["state"], "running");

    let browser = s.browser("alice@acme.example").await;
    let page = browser
        .post(s.url("/api/read_case"))
        .form(&[("number", number.to_string())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("SECRET"), "{page}");
    let engineer = s.browser("sam@caseboard.example").await;
    let page = engineer
        .post(s.url("/api/read_case"))
        .form(&[("number", number.to_string())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("SECRET"));

    let reply = post_json(&s, &sam, &format!("/api/v1/cases/{number}/replies"), json!({"body": "We are on it."})).await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    let clock = clock_state(&s, &alice, number).await;
    assert_eq!(clock["state"]["state"], "met");
    assert_eq!(clock["state"]["in_time"], true);
}

#[tokio::test]
async fn customers_cannot_write_internal_notes_or_empty_replies() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let number = urgent_acme_case(&s, &alice).await;
    let refused =
        post_json(&s, &alice, &format!("/api/v1/cases/{number}/replies"), json!({"body": "x", "internal": true})).await;
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "internal");
    let empty = post_json(&s, &alice, &format!("/api/v1/cases/{number}/replies"), json!({"body": "   "})).await;
    assert_eq!(empty.json::<Value>().await.unwrap()["field"], "body");
    let bruno = s.token("bruno@globex.example").await;
    let other = post_json(&s, &bruno, &format!("/api/v1/cases/{number}/replies"), json!({"body": "hello"})).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_upgrade_applies_to_open_cases_and_the_explanation_says_so() {
    let s = start().await;
    let admin = s.token("admin@caseboard.example").await;
    assert_eq!(put_contract(&s, &admin, "acme", basic_paris(json!([]))).await.status(), StatusCode::OK);
    let alice = s.token("alice@acme.example").await;
    let number = urgent_acme_case(&s, &alice).await;
    assert!(clock_state(&s, &alice, number).await["explanation"].as_str().unwrap().contains("Basic"));
    let mut premium = basic_paris(json!([]));
    premium["plan"] = json!("elastic-cloud-premium");
    assert_eq!(put_contract(&s, &admin, "acme", premium).await.status(), StatusCode::OK);
    let clock = clock_state(&s, &alice, number).await;
    let explanation = clock["explanation"].as_str().unwrap();
    assert!(explanation.contains("upgraded from Elastic cloud Basic"), "{explanation}");
}

#[tokio::test]
async fn a_customer_asks_for_a_more_urgent_severity_and_support_raises_it_with_the_clock() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let opened: Value = s.open_case(&alice, case_body("Dashboard slow before our demo"), None).await.json().await.unwrap();
    let number = opened["number"].as_i64().unwrap();
    let ask = |token: String, body: Value| {
        let url = s.url(&format!("/api/v1/cases/{number}/severity-requests"));
        async move { reqwest::Client::new().post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    // Not more urgent, no reason, not offered by the contract: refused, naming the field.
    let response = ask(alice.clone(), json!({"severity": 3, "reason": "x"})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = ask(alice.clone(), json!({"severity": 1, "reason": "   "})).await;
    assert_eq!(response.json::<Value>().await.unwrap()["field"], "reason");
    let response = ask(alice.clone(), json!({"severity": 1, "reason": "Shown to our customers on Friday"})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let events: Vec<Value> = s.get(&alice, &format!("/api/v1/cases/{number}/events")).await.json().await.unwrap();
    let request = events.iter().find(|e| e["change"]["type"] == "severity_raise_requested").unwrap();
    assert_eq!(request["change"]["reason"], "Shown to our customers on Friday");

    // Customers do not set severities; support does, at the version it saw.
    let change = |token: String, body: Value| {
        let url = s.url(&format!("/api/v1/cases/{number}/severity"));
        async move { reqwest::Client::new().post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    let case: Value = s.get(&sam, &format!("/api/v1/cases/{number}")).await.json().await.unwrap();
    let version = case["version"].as_i64().unwrap();
    assert_eq!(change(alice.clone(), json!({"severity": 1, "expected_version": version})).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(change(sam.clone(), json!({"severity": 4, "expected_version": version})).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(change(sam.clone(), json!({"severity": 1, "expected_version": version - 1})).await.status(), StatusCode::CONFLICT);
    let response = change(sam.clone(), json!({"severity": 1, "expected_version": version})).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["severity"], 1);

    // The clock: Premium High was 4 h around the clock; Urgent is 30 min from the change.
    let clocks: Vec<Value> = s.get(&alice, &format!("/api/v1/cases/{number}/sla")).await.json().await.unwrap();
    let first = &clocks[0];
    let explanation = first["explanation"].as_str().unwrap();
    assert!(explanation.contains("severity raised to 1"), "{explanation}");
    let due: jiff::Timestamp = first["due"].as_str().unwrap().parse().unwrap();
    let minutes = due.duration_since(jiff::Timestamp::now()).as_secs() / 60;
    assert!((28..=30).contains(&minutes), "due in {minutes} min");
}
