//! Opening a case with everything the wizard asks (REST, as the browser's server function
//! runs the same service): details kept and read back, files uploaded beforehand joining
//! the case, every step's rule enforced on the server, another person's upload refused.

mod common;

use common::{TestServer, case_body};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn server() -> TestServer {
    common::start_with(None, |config| config.mail.max_attachment_bytes = 64 * 1024).await
}

async fn upload(s: &TestServer, token: &str, files: &[(&str, Vec<u8>)]) -> (StatusCode, Value) {
    let mut form = Form::new();
    for (name, bytes) in files {
        form = form.part("file", Part::bytes(bytes.clone()).file_name(name.to_string()));
    }
    let response =
        reqwest::Client::new().post(s.url("/api/v1/uploads")).bearer_auth(token).multipart(form).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn wizard_body(summary: &str, attachments: Vec<i64>) -> Value {
    let mut body = case_body(summary);
    body["severity"] = json!(2);
    body["product"] = json!("Kibana");
    body["attachments"] = json!(attachments);
    body["details"] = json!({
        "version": "9.1.3",
        "build": "b42",
        "symptoms": "The dashboard spins for 40 s.",
        "error_message": "<script>alert(1)</script> Request timeout",
        "steps_to_reproduce": "1. Open the executive dashboard\n2. Wait",
        "os": "Ubuntu 24.04",
        "architecture": "64_bit",
        "browser": "Chrome 131",
        "impact": "Shown to our own customers on Friday.",
        "stakes": ["brand", "deadline"],
        "deadline": "2037-05-01",
        "affected": "Every executive, and 40 of our customers",
        "contact_channel": "phone",
        "callback": { "days": ["tuesday", "monday"], "from": "09:00", "until": "12:30", "time_zone": "Europe/Paris" }
    });
    body
}

#[tokio::test]
async fn a_case_opened_with_every_wizard_field_keeps_them_and_its_uploaded_files() {
    let s = server().await;
    let alice = s.token("alice@acme.example").await;
    let (status, uploads) = upload(&s, &alice, &[("screen.png", PNG.to_vec()), ("app.log", b"ERROR\n".to_vec())]).await;
    assert_eq!(status, StatusCode::CREATED, "{uploads}");
    let ids: Vec<i64> = uploads.as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect();
    assert_eq!(uploads[0]["content_type"], "image/png");

    let response = s.open_case(&alice, wizard_body("Dashboard too slow for Friday", ids.clone()), None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let case: Value = response.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();
    let read: Value = s.get(&alice, &format!("/api/v1/cases/{number}")).await.json().await.unwrap();
    let details = &read["details"];
    assert_eq!(details["version"], "9.1.3");
    assert_eq!(details["architecture"], "64_bit");
    assert_eq!(details["stakes"], json!(["brand", "deadline"]));
    assert_eq!(details["callback"]["days"], json!(["monday", "tuesday"]), "days in week order");
    assert_eq!(details["error_message"], "<script>alert(1)</script> Request timeout", "kept as text");

    let events: Vec<Value> = s.get(&alice, &format!("/api/v1/cases/{number}/events")).await.json().await.unwrap();
    let files: Vec<&Value> = events.iter().filter(|e| e["change"]["type"] == "attached").collect();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["change"]["file_name"], "screen.png");

    // An upload joins one case only.
    let again = s.open_case(&alice, wizard_body("Second case, same files", ids), None).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn every_step_is_checked_on_the_server_and_a_refusal_changes_nothing() {
    let s = server().await;
    let alice = s.token("alice@acme.example").await;
    let before: Vec<Value> = s.get(&alice, "/api/v1/cases").await.json().await.unwrap();
    let refused = |mut body: Value, edit: fn(&mut Value)| {
        edit(&mut body);
        body
    };
    let cases = [
        ("impact", refused(wizard_body("No impact", vec![]), |b| {
            b["severity"] = json!(1);
            b["details"]["impact"] = json!("");
        })),
        ("deadline", refused(wizard_body("Past deadline", vec![]), |b| b["details"]["deadline"] = json!("2020-01-01"))),
        ("deadline", refused(wizard_body("No date", vec![]), |b| b["details"]["deadline"] = Value::Null)),
        ("callback_days", refused(wizard_body("No days", vec![]), |b| b["details"]["callback"]["days"] = json!([]))),
        ("callback_hours", refused(wizard_body("Backwards", vec![]), |b| b["details"]["callback"]["until"] = json!("08:00"))),
        ("time_zone", refused(wizard_body("Nowhere", vec![]), |b| b["details"]["callback"]["time_zone"] = json!("Mars/Olympus"))),
        ("version", refused(wizard_body("Two lines", vec![]), |b| b["details"]["version"] = json!("9.1\n9.2"))),
        ("symptoms", refused(wizard_body("Too long", vec![]), |b| b["details"]["symptoms"] = json!("x".repeat(16 * 1024 + 1)))),
    ];
    for (field, body) in cases {
        let response = s.open_case(&alice, body, None).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["field"], field, "{error}");
    }
    let after: Vec<Value> = s.get(&alice, "/api/v1/cases").await.json().await.unwrap();
    assert_eq!(before.len(), after.len());
    // A malformed detail (a time that is not one) is a 4xx too, never a 500.
    let mut body = wizard_body("Bad time", vec![]);
    body["details"]["callback"]["from"] = json!("25:99");
    assert!(s.open_case(&alice, body, None).await.status().is_client_error());
}

#[tokio::test]
async fn a_plan_without_phone_support_refuses_a_callback() {
    let s = server().await;
    // Globex is on Coveo (phone included); move it to Elastic cloud Limited, which is not.
    let admin = s.token("admin@caseboard.example").await;
    let response = common::put_json(&s, &admin, "/api/v1/organizations/globex/contract", json!({
        "plan": "elastic-cloud-limited",
        "time_zone": "Europe/Paris",
        "working_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "windows": [{"start": "09:00", "end": "18:00"}]
    })).await;
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    let bruno = s.token("bruno@globex.example").await;
    let mut body = wizard_body("Call me", vec![]);
    body["severity"] = json!(3);
    let response = s.open_case(&bruno, body, None).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json::<Value>().await.unwrap()["field"], "contact_channel");
}

#[tokio::test]
async fn another_persons_upload_cannot_join_a_case_and_bad_files_are_refused_at_upload() {
    let s = server().await;
    let alice = s.token("alice@acme.example").await;
    let bruno = s.token("bruno@globex.example").await;
    let (_, uploads) = upload(&s, &bruno, &[("globex.png", PNG.to_vec())]).await;
    let theirs = uploads[0]["id"].as_i64().unwrap();
    let response = s.open_case(&alice, wizard_body("Taking Globex's file", vec![theirs]), None).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.json::<Value>().await.unwrap()["field"], "attachments");
    // Nor may Alice take it off Bruno's draft.
    let delete = reqwest::Client::new().delete(s.url(&format!("/api/v1/uploads/{theirs}"))).bearer_auth(&alice).send().await.unwrap();
    assert_eq!(delete.status(), StatusCode::NOT_FOUND);
    // Bruno still can use it.
    let mut body = wizard_body("Globex's own file", vec![theirs]);
    body["severity"] = json!(3);
    body["details"]["contact_channel"] = json!("portal");
    assert_eq!(s.open_case(&bruno, body, None).await.status(), StatusCode::CREATED);

    // An executable posing as a screenshot is refused when uploaded, naming the file.
    let (status, error) = upload(&s, &alice, &[("screen.png", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["field"], "file screen.png");
    // Support opens no draft files.
    let sam = s.token("sam@caseboard.example").await;
    let (status, _) = upload(&s, &sam, &[("screen.png", PNG.to_vec())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_old_client_without_details_still_opens_a_case() {
    let s = server().await;
    let chloe = s.token("chloe@initech.example").await;
    let response = s.open_case(&chloe, case_body("Plain"), None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let case: Value = response.json().await.unwrap();
    assert_eq!(case["details"]["contact_channel"], "portal");
}
