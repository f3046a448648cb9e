//! The HTTP surface over real HTTP: a server on a loopback port and a fresh database per
//! test, with the demo data (alice@acme, bruno@globex, sam the engineer, the admin).

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn health_check_answers_when_the_database_is_up() {
    let s = start().await;
    assert_eq!(s.api().get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_token_identifies_its_user() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let me = alice.me().await.body;
    assert_eq!(me["email"], "alice@acme.example");
    assert_eq!(me["role"], "customer");
    assert_eq!(me["organization"], "acme");
}

#[tokio::test]
async fn without_credentials_the_api_answers_401() {
    let s = start().await;
    assert_eq!(s.api().list_cases().await.status, StatusCode::UNAUTHORIZED);
    let forged = s.api().with_token("forged-token").list_cases().await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_customer_opens_a_case_and_gets_201_with_number_and_version() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let case = alice.open_case(&case_body("Exports fail"), None).await.expect(StatusCode::CREATED);
    assert!(case["number"].as_i64().unwrap() >= 1001);
    assert_eq!(case["version"], 1);
    assert_eq!(case["status"], "new");
    assert_eq!(case["resolution"], "open");
    assert_eq!(case["severity"], 2);
    assert_eq!(case["kind"], "bug");
    assert_eq!(case["organization"], "acme");
}

#[tokio::test]
async fn an_idempotent_retry_makes_one_case() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let before = alice.case_count().await;
    let first = alice.open_case(&case_body("Once only"), Some("retry-42")).await.body;
    let retry = alice.open_case(&case_body("Once only"), Some("retry-42")).await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(retry.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(first["number"], retry.body["number"]);
    assert_eq!(alice.case_count().await, before + 1);
}

#[tokio::test]
async fn customer_of_another_organization_gets_404_by_api_and_server_function() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let number = alice.new_case(&case_body("Acme's secret")).await["number"].as_i64().unwrap();

    let bruno = s.demo("bruno@globex.example").await;
    let response = bruno.get_case(number).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.error(), "not_found");
    assert!(!response.text().contains("Acme's secret"));
    assert!(bruno.list_cases().await.list().iter().all(|c| c["organization"] == "globex"));

    let response = s.browser("bruno@globex.example").await.read_case(number).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    let body = response.text();
    assert!(body.contains("not_found"), "{body}");
    assert!(!body.contains("Acme's secret"));

    let response = s.browser("alice@acme.example").await.read_case(number).await;
    assert_eq!(response.status, StatusCode::OK);
}

#[tokio::test]
async fn an_engineer_reads_every_organizations_cases() {
    let s = start().await;
    let a = s.demo("alice@acme.example").await.new_case(&case_body("acme")).await;
    let b = s.demo("bruno@globex.example").await.new_case(&case_body("globex")).await;
    let sam = s.demo("sam@caseboard.example").await;
    for case in [a, b] {
        assert_eq!(sam.get_case(&case["number"]).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_stale_expected_version_gets_409_with_the_current_version() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let number = alice.new_case(&case_body("race")).await["number"].as_i64().unwrap();
    let sam = s.demo("sam@caseboard.example").await;
    let moved = sam.move_case(number, "confirmed", None, 1).await.expect(StatusCode::OK);
    assert_eq!(moved["status"], "confirmed");
    assert_eq!(moved["version"], 2);

    let stale = sam.move_case(number, "assigned", None, 1).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.error(), "conflict");
    assert_eq!(stale.body["current_version"], 2);

    let resolved = sam.move_case(number, "resolved", Some("unable_to_reproduce"), 2).await;
    assert_eq!(resolved.body["resolution"], "unable_to_reproduce");
}

#[tokio::test]
async fn malformed_json_gets_400_with_a_message_and_creates_nothing() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let before = alice.case_count().await;
    for body in [
        "{not json",
        r#"{"summary": 12}"#,
        r#"{"summary":"s","description":"d","kind":"bug","severity":"high","environment":"production"}"#,
    ] {
        let request =
            alice.request(Method::POST, "/api/v1/cases").header("content-type", "application/json").body(body);
        let response = alice.send(request).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(response.error(), "malformed");
        assert!(!response.body["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(before, alice.case_count().await);
}

#[tokio::test]
async fn oversized_summary_and_description_are_field_errors() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let mut body = case_body(&"s".repeat(201));
    let response = alice.open_case(&body, None).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.error(), "invalid");
    assert_eq!(response.field(), "summary");
    assert_eq!(response.body["reason"]["code"], "too_long");

    body["summary"] = json!("fine");
    body["description"] = json!("d".repeat(64 * 1024 + 1));
    assert_eq!(alice.open_case(&body, None).await.field(), "description");
}

#[tokio::test]
async fn an_unknown_case_is_404_and_a_bad_number_400() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    assert_eq!(sam.get_case(999999).await.status, StatusCode::NOT_FOUND);
    assert_eq!(sam.get_case("abc").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_admin_creates_organizations_and_users_and_others_may_not() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let org = admin
        .post(
            "/api/v1/organizations",
            &json!({"slug": "umbrella", "name": "Umbrella", "plan": "elastic-sm-development"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED);
    let user = admin
        .post(
            "/api/v1/users",
            &json!({"email": "u@umbrella.example", "password": "long enough pw", "name": "U", "role": "customer", "organization": "umbrella"}),
        )
        .await;
    assert_eq!(user.status, StatusCode::CREATED);
    assert!(s.api().sign_in("u@umbrella.example", "long enough pw").await.me().await.status.is_success());

    let bad_plan = admin.post("/api/v1/organizations", &json!({"slug": "x", "name": "X", "plan": "gold-plus"})).await;
    assert_eq!(bad_plan.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_email = admin
        .post(
            "/api/v1/users",
            &json!({"email": "not-an-email", "password": "long enough pw", "name": "U", "role": "engineer"}),
        )
        .await;
    assert_eq!(bad_email.field(), "email");

    let customer = s.demo("alice@acme.example").await;
    let refused =
        customer.post("/api/v1/organizations", &json!({"slug": "mine", "name": "Mine", "plan": "coveo"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_email() {
    let s = start().await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(s.api().token("alice@acme.example", "wrong password!").await.status);
    }
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
    assert_eq!(*statuses.last().unwrap(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let s = start().await;
    let mut bodies = Vec::new();
    for email in ["nobody@nowhere.example", "alice@acme.example"] {
        let response = s.api().token(email, "wrong password!").await;
        bodies.push((response.status, response.text()));
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn sign_in_rotates_the_session_cookie() {
    let s = start().await;
    // A client that keeps no cookies: each request carries the one the test gives it.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let sign_in = |cookie: Option<String>| {
        let mut request =
            client.post(s.url("/api/sign_in")).form(&[("email", "alice@acme.example"), ("password", PASSWORD)]);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let first = sign_in(None).await.unwrap();
    let cookie = first.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    let first_pair = cookie.split(';').next().unwrap().to_owned();
    let second = sign_in(Some(first_pair.clone())).await.unwrap();
    let second_pair =
        second.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
    assert_ne!(first_pair, second_pair);
    let old = client.post(s.url("/api/my_cases")).header("cookie", first_pair).send().await.unwrap();
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = client.post(s.url("/api/my_cases")).header("cookie", second_pair).send().await.unwrap();
    assert_eq!(new.status(), StatusCode::OK);
}

#[tokio::test]
async fn openapi_document_lists_the_endpoints() {
    let s = start().await;
    let doc = s.api().get("/api/v1/openapi.json").await.body;
    for path in [
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/cases",
        "/api/v1/cases/{number}",
        "/api/v1/cases/{number}/status",
        "/api/v1/organizations",
        "/api/v1/users",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert_eq!(doc["components"]["schemas"]["Severity"]["type"], "integer");
    assert_eq!(doc["components"]["schemas"]["Status"]["enum"][1], "feedback");
}

#[tokio::test]
async fn pages_render_on_the_server() {
    let s = start().await;
    let html = s.api().get("/sign-in").await.text();
    assert!(html.contains("Sign in to Caseboard"));
    assert_eq!(s.api().get("/no/such/page").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_configured_admin_exists_after_start() {
    let s = start_with_admin(Some(("root@example.com".into(), "configured passphrase".into()))).await;
    let root = s.api().sign_in("root@example.com", "configured passphrase").await;
    assert_eq!(root.me().await.body["role"], "admin");
}

/// The arguments of `open_case` as the wizard's form once posted them (form-encoded).
fn form_case(summary: &str, kind: &str, description: &str) -> Vec<(&'static str, String)> {
    let mut form =
        vec![("summary", summary.to_owned()), ("description", description.to_owned()), ("kind", kind.to_owned())];
    form.extend(
        [("severity", "3"), ("environment", "test"), ("visibility", "organization")].map(|(k, v)| (k, v.to_owned())),
    );
    form
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_it_is_read() {
    let s = start().await;
    let browser = s.browser("alice@acme.example").await;
    let response = browser.call("open_case", &form_case("big", "bug", &"x".repeat(2 * 1024 * 1024))).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    let listed: Vec<Value> = s.demo("alice@acme.example").await.list_cases().await.list();
    assert!(listed.iter().all(|c| c["summary"] != "big"));
}

#[tokio::test]
async fn a_server_function_refuses_an_unknown_kind_with_a_clear_error() {
    let s = start().await;
    let browser = s.browser("alice@acme.example").await;
    let response = browser.call("open_case", &form_case("s", "hack", "d")).await;
    assert!(response.status.is_client_error() || response.status.is_server_error());
    let body = response.text();
    assert!(body.contains("malformed"), "{body}");
}

#[tokio::test]
async fn a_customer_closes_or_reopens_a_resolved_case_with_a_verdict_and_the_reason_is_required() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let number = alice.new_case(&case_body("Verdict")).await["number"].as_i64().unwrap();
    let resolved = sam.move_now(number, "resolved", Some("fixed")).await;
    let version = resolved["version"].as_i64().unwrap();
    let verdict =
        async |by: &Api, body: serde_json::Value| by.post(&format!("/api/v1/cases/{number}/verdict"), &body).await;

    // Refused, nothing changed: no reason, support, a stale version, an unknown verdict.
    let no_reason =
        verdict(&alice, json!({"verdict": "still_a_problem", "reason": " ", "expected_version": version})).await;
    assert_eq!((no_reason.status, no_reason.field()), (StatusCode::UNPROCESSABLE_ENTITY, "reason"));
    assert_eq!(
        verdict(&sam, json!({"verdict": "solved", "expected_version": version})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        verdict(&alice, json!({"verdict": "solved", "expected_version": version - 1})).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        verdict(&alice, json!({"verdict": "maybe", "expected_version": version})).await.status.as_u16() / 100,
        4
    );
    let unchanged = alice.get_case(number).await.ok();
    assert_eq!((unchanged["status"].as_str(), unchanged["version"].as_i64()), (Some("resolved"), Some(version)));

    let reopened = verdict(
        &alice,
        json!({"verdict": "still_a_problem", "reason": "Still failing over 2 GB", "expected_version": version}),
    )
    .await
    .ok();
    assert_eq!((reopened["status"].as_str(), reopened["resolution"].as_str()), (Some("confirmed"), Some("reopened")));
    let events = alice.events(number).await.list();
    assert_eq!(events.last().unwrap()["change"]["body"], "Still failing over 2 GB");
    // On a case support is working, there is no verdict to give.
    let early = verdict(&alice, json!({"verdict": "solved", "expected_version": reopened["version"]})).await;
    assert_eq!((early.status, early.field()), (StatusCode::UNPROCESSABLE_ENTITY, "verdict"));
}
