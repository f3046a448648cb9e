//! Opening a case with everything the wizard asks (REST, as the browser's server function
//! runs the same service): details kept and read back, files uploaded beforehand joining
//! the case, every step's rule enforced on the server, another person's upload refused.

mod common;

use common::{TestServer, case_body};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

async fn server() -> TestServer {
    common::start_with(None, |config| config.mail.max_attachment_bytes = 64 * 1024).await
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
        "callback": {
            "days": ["tuesday", "monday"], "from": "09:00", "until": "12:30", "time_zone": "Europe/Paris",
            "phone": "+33 1 42 68 53 00"
        }
    });
    body
}

#[tokio::test]
async fn a_case_opened_with_every_wizard_field_keeps_them_and_its_uploaded_files() {
    let s = server().await;
    let alice = s.demo("alice@acme.example").await;
    let uploads = alice
        .upload_for_draft(&[("screen.png", PNG.to_vec()), ("app.log", b"ERROR\n".to_vec())])
        .await
        .expect(StatusCode::CREATED);
    let ids: Vec<i64> = uploads.as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect();
    assert_eq!(uploads[0]["content_type"], "image/png");

    let number =
        alice.new_case(&wizard_body("Dashboard too slow for Friday", ids.clone())).await["number"].as_i64().unwrap();
    let read = alice.get_case(number).await.body;
    let details = &read["details"];
    assert_eq!(details["version"], "9.1.3");
    assert_eq!(details["architecture"], "64_bit");
    assert_eq!(details["stakes"], json!(["brand", "deadline"]));
    assert_eq!(details["callback"]["days"], json!(["monday", "tuesday"]), "days in week order");
    assert_eq!(details["callback"]["phone"], "+33142685300", "the number in E.164");
    // Kept on the contact: the next case's form offers it again.
    assert_eq!(alice.me().await.ok()["phone"], "+33142685300");
    assert_eq!(details["error_message"], "<script>alert(1)</script> Request timeout", "kept as text");

    let files = alice.attachments(number).await;
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["change"]["file_name"], "screen.png");

    // An upload joins one case only.
    let again = alice.open_case(&wizard_body("Second case, same files", ids), None).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn every_step_is_checked_on_the_server_and_a_refusal_changes_nothing() {
    let s = server().await;
    let alice = s.demo("alice@acme.example").await;
    let before = alice.case_count().await;
    let refused = |mut body: Value, edit: fn(&mut Value)| {
        edit(&mut body);
        body
    };
    let cases = [
        (
            "impact",
            refused(wizard_body("No impact", vec![]), |b| {
                b["severity"] = json!(1);
                b["details"]["impact"] = json!("");
            }),
        ),
        ("deadline", refused(wizard_body("Past deadline", vec![]), |b| b["details"]["deadline"] = json!("2020-01-01"))),
        ("deadline", refused(wizard_body("No date", vec![]), |b| b["details"]["deadline"] = Value::Null)),
        ("callback_days", refused(wizard_body("No days", vec![]), |b| b["details"]["callback"]["days"] = json!([]))),
        // A callback needs a number to call, a real one, with its country code.
        ("callback_phone", refused(wizard_body("No number", vec![]), |b| b["details"]["callback"]["phone"] = json!(""))),
        (
            "callback_phone",
            refused(wizard_body("Local number", vec![]), |b| b["details"]["callback"]["phone"] = json!("01 42 68 53 00")),
        ),
        (
            "callback_phone",
            refused(wizard_body("Not a number", vec![]), |b| {
                b["details"]["callback"]["phone"] = json!("+33 <script>alert(1)</script>")
            }),
        ),
        (
            "callback_hours",
            refused(wizard_body("Backwards", vec![]), |b| b["details"]["callback"]["until"] = json!("08:00")),
        ),
        (
            "time_zone",
            refused(wizard_body("Nowhere", vec![]), |b| b["details"]["callback"]["time_zone"] = json!("Mars/Olympus")),
        ),
        ("version", refused(wizard_body("Two lines", vec![]), |b| b["details"]["version"] = json!("9.1\n9.2"))),
        (
            "symptoms",
            refused(wizard_body("Too long", vec![]), |b| b["details"]["symptoms"] = json!("x".repeat(16 * 1024 + 1))),
        ),
    ];
    for (field, body) in cases {
        let response = alice.open_case(&body, None).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(response.field(), field, "{}", response.body);
    }
    assert_eq!(before, alice.case_count().await);
    assert_eq!(alice.me().await.ok()["phone"], Value::Null, "no refused number is kept");
    // A malformed detail (a time that is not one) is a 4xx too, never a 500.
    let mut body = wizard_body("Bad time", vec![]);
    body["details"]["callback"]["from"] = json!("25:99");
    assert!(alice.open_case(&body, None).await.status.is_client_error());
}

#[tokio::test]
async fn a_plan_without_phone_support_refuses_a_callback() {
    let s = server().await;
    // Globex is on Coveo (phone included); move it to Elastic cloud Limited, which is not.
    let admin = s.demo("admin@caseboard.example").await;
    let contract = json!({
        "plan": "elastic-cloud-limited",
        "time_zone": "Europe/Paris",
        "working_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "windows": [{"start": "09:00", "end": "18:00"}]
    });
    admin.put("/api/v1/organizations/globex/contract", &contract).await.ok();
    let bruno = s.demo("bruno@globex.example").await;
    let mut body = wizard_body("Call me", vec![]);
    body["severity"] = json!(3);
    let response = bruno.open_case(&body, None).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.field(), "contact_channel");
}

#[tokio::test]
async fn another_persons_upload_cannot_join_a_case_and_bad_files_are_refused_at_upload() {
    let s = server().await;
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let uploads = bruno.upload_for_draft(&[("globex.png", PNG.to_vec())]).await.body;
    let theirs = uploads[0]["id"].as_i64().unwrap();
    let response = alice.open_case(&wizard_body("Taking Globex's file", vec![theirs]), None).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.field(), "attachments");
    // Nor may Alice take it off Bruno's draft.
    assert_eq!(alice.delete(&format!("/api/v1/uploads/{theirs}")).await.status, StatusCode::NOT_FOUND);
    // Bruno still can use it.
    let mut body = wizard_body("Globex's own file", vec![theirs]);
    body["severity"] = json!(3);
    body["details"]["contact_channel"] = json!("portal");
    assert_eq!(bruno.open_case(&body, None).await.status, StatusCode::CREATED);

    // An executable posing as a screenshot is refused when uploaded, naming the file.
    let error = alice.upload_for_draft(&[("screen.png", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec())]).await;
    assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", error.body);
    assert_eq!(error.field(), "file screen.png");
    // Support uploads files for its replies; an upload opens no case for anyone but its owner.
    let sam = s.demo("sam@caseboard.example").await;
    assert_eq!(sam.upload_for_draft(&[("screen.png", PNG.to_vec())]).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn an_old_client_without_details_still_opens_a_case() {
    let s = server().await;
    let chloe = s.demo("chloe@initech.example").await;
    let case = chloe.open_case(&case_body("Plain"), None).await.expect(StatusCode::CREATED);
    assert_eq!(case["details"]["contact_channel"], "portal");
}

#[tokio::test]
async fn erasing_the_reporter_removes_the_callback_number_from_their_cases_and_keeps_the_rest() {
    let s = server().await;
    let alice = s.demo("alice@acme.example").await;
    let admin = s.demo("admin@caseboard.example").await;
    let number = alice.new_case(&wizard_body("Call me back about the dashboard", vec![])).await["number"].as_i64().unwrap();
    let alice_id = s.store.user_by_email("alice@acme.example").await.unwrap().unwrap().id;
    admin.post(&format!("/api/v1/users/{alice_id}/erase"), &json!({})).await.expect(StatusCode::OK);
    let read = admin.get_case(number).await.ok();
    assert!(read["details"]["callback"].is_null(), "{read}");
    assert!(!read.to_string().contains("33142685300"), "{read}");
    assert_eq!(read["details"]["version"], "9.1.3", "the rest of the case stays as written");
}
