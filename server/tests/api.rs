//! The HTTP surface over real HTTP: a server on a loopback port and a fresh SQLite file
//! per test, with the demo data (alice@acme, bruno@globex, sam the engineer, the admin).

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn health_check_answers_when_the_database_is_up() {
    let s = start().await;
    let response = reqwest::get(s.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_token_identifies_its_user() {
    let s = start().await;
    let token = s.token("alice@acme.example").await;
    let me: Value = s.get(&token, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], "alice@acme.example");
    assert_eq!(me["role"], "customer");
    assert_eq!(me["organization"], "acme");
}

#[tokio::test]
async fn without_credentials_the_api_answers_401() {
    let s = start().await;
    let response = reqwest::get(s.url("/api/v1/cases")).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let forged = s.get("forged-token", "/api/v1/cases").await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_customer_opens_a_case_and_gets_201_with_number_and_version() {
    let s = start().await;
    let token = s.token("alice@acme.example").await;
    let response = s.open_case(&token, case_body("Exports fail"), None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let case: Value = response.json().await.unwrap();
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
    let token = s.token("alice@acme.example").await;
    let before = s.get(&token, "/api/v1/cases").await.json::<Vec<Value>>().await.unwrap().len();
    let first: Value = s.open_case(&token, case_body("Once only"), Some("retry-42")).await.json().await.unwrap();
    let retry = s.open_case(&token, case_body("Once only"), Some("retry-42")).await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers().get("idempotent-replayed").unwrap(), "true");
    let second: Value = retry.json().await.unwrap();
    assert_eq!(first["number"], second["number"]);
    let after = s.get(&token, "/api/v1/cases").await.json::<Vec<Value>>().await.unwrap().len();
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn customer_of_another_organization_gets_404_by_api_and_server_function() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let case: Value = s.open_case(&alice, case_body("Acme's secret"), None).await.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();

    let bruno = s.token("bruno@globex.example").await;
    let response = s.get(&bruno, &format!("/api/v1/cases/{number}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    assert!(!body.to_string().contains("Acme's secret"));
    let listed: Vec<Value> = s.get(&bruno, "/api/v1/cases").await.json().await.unwrap();
    assert!(listed.iter().all(|c| c["organization"] == "globex"));

    let browser = s.browser("bruno@globex.example").await;
    let response = browser.post(s.url("/api/read_case")).form(&[("number", number.to_string())]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    assert!(body.contains("not_found"), "{body}");
    assert!(!body.contains("Acme's secret"));

    let alice_browser = s.browser("alice@acme.example").await;
    let response =
        alice_browser.post(s.url("/api/read_case")).form(&[("number", number.to_string())]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_engineer_reads_every_organizations_cases() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let bruno = s.token("bruno@globex.example").await;
    let a: Value = s.open_case(&alice, case_body("acme"), None).await.json().await.unwrap();
    let b: Value = s.open_case(&bruno, case_body("globex"), None).await.json().await.unwrap();
    let sam = s.token("sam@caseboard.example").await;
    for case in [a, b] {
        let response = s.get(&sam, &format!("/api/v1/cases/{}", case["number"])).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_stale_expected_version_gets_409_with_the_current_version() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let case: Value = s.open_case(&alice, case_body("race"), None).await.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();
    let sam = s.token("sam@caseboard.example").await;
    let path = format!("/api/v1/cases/{number}/status");
    let first = post_json(&s, &sam, &path, json!({"status": "confirmed", "expected_version": 1})).await;
    assert_eq!(first.status(), StatusCode::OK);
    let moved: Value = first.json().await.unwrap();
    assert_eq!(moved["status"], "confirmed");
    assert_eq!(moved["version"], 2);

    let stale = post_json(&s, &sam, &path, json!({"status": "assigned", "expected_version": 1})).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["error"], "conflict");
    assert_eq!(body["current_version"], 2);

    let resolved = post_json(
        &s,
        &sam,
        &path,
        json!({"status": "resolved", "resolution": "unable_to_reproduce", "expected_version": 2}),
    )
    .await;
    assert_eq!(resolved.json::<Value>().await.unwrap()["resolution"], "unable_to_reproduce");
}

#[tokio::test]
async fn malformed_json_gets_400_with_a_message_and_creates_nothing() {
    let s = start().await;
    let token = s.token("alice@acme.example").await;
    let before = s.get(&token, "/api/v1/cases").await.json::<Vec<Value>>().await.unwrap().len();
    let client = reqwest::Client::new();
    for body in [
        "{not json",
        r#"{"summary": 12}"#,
        r#"{"summary":"s","description":"d","kind":"bug","severity":9,"environment":"production"}"#,
    ] {
        let response = client
            .post(s.url("/api/v1/cases"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"], "malformed");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    let after = s.get(&token, "/api/v1/cases").await.json::<Vec<Value>>().await.unwrap().len();
    assert_eq!(before, after);
}

#[tokio::test]
async fn oversized_summary_and_description_are_field_errors() {
    let s = start().await;
    let token = s.token("alice@acme.example").await;
    let mut body = case_body(&"s".repeat(201));
    let response = s.open_case(&token, body.clone(), None).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"], "invalid");
    assert_eq!(error["field"], "summary");
    assert_eq!(error["reason"]["code"], "too_long");

    body["summary"] = json!("fine");
    body["description"] = json!("d".repeat(64 * 1024 + 1));
    let error: Value = s.open_case(&token, body, None).await.json().await.unwrap();
    assert_eq!(error["field"], "description");
}

#[tokio::test]
async fn an_unknown_case_is_404_and_a_bad_number_400() {
    let s = start().await;
    let token = s.token("sam@caseboard.example").await;
    assert_eq!(s.get(&token, "/api/v1/cases/999999").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(s.get(&token, "/api/v1/cases/abc").await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_admin_creates_organizations_and_users_and_others_may_not() {
    let s = start().await;
    let admin = s.token("admin@caseboard.example").await;
    let client = reqwest::Client::new();
    let org = client
        .post(s.url("/api/v1/organizations"))
        .bearer_auth(&admin)
        .json(&json!({"slug": "umbrella", "name": "Umbrella", "plan": "elastic-sm-development"}))
        .send()
        .await
        .unwrap();
    assert_eq!(org.status(), StatusCode::CREATED);
    let user = client
        .post(s.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"email": "u@umbrella.example", "password": "long enough pw", "name": "U", "role": "customer", "organization": "umbrella"}))
        .send()
        .await
        .unwrap();
    assert_eq!(user.status(), StatusCode::CREATED);
    assert!(!s.token_with("u@umbrella.example", "long enough pw").await.is_empty());

    let bad_plan = client
        .post(s.url("/api/v1/organizations"))
        .bearer_auth(&admin)
        .json(&json!({"slug": "x", "name": "X", "plan": "gold-plus"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_plan.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad_email = client
        .post(s.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"email": "not-an-email", "password": "long enough pw", "name": "U", "role": "engineer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_email.json::<Value>().await.unwrap()["field"], "email");

    let customer = s.token("alice@acme.example").await;
    let refused = client
        .post(s.url("/api/v1/organizations"))
        .bearer_auth(&customer)
        .json(&json!({"slug": "mine", "name": "Mine", "plan": "coveo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_email() {
    let s = start().await;
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let response = client
            .post(s.url("/api/v1/auth/token"))
            .json(&json!({"email": "alice@acme.example", "password": "wrong password!"}))
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
    assert_eq!(*statuses.last().unwrap(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let s = start().await;
    let client = reqwest::Client::new();
    let mut bodies = Vec::new();
    for email in ["nobody@nowhere.example", "alice@acme.example"] {
        let response = client
            .post(s.url("/api/v1/auth/token"))
            .json(&json!({"email": email, "password": "wrong password!"}))
            .send()
            .await
            .unwrap();
        bodies.push((response.status(), response.text().await.unwrap()));
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn sign_in_rotates_the_session_cookie() {
    let s = start().await;
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
    let doc: Value = reqwest::get(s.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
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
    let html = reqwest::get(s.url("/sign-in")).await.unwrap().text().await.unwrap();
    assert!(html.contains("Sign in to Caseboard"));
    let missing = reqwest::get(s.url("/no/such/page")).await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_configured_admin_exists_after_start() {
    let s = start_with_admin(Some(("root@example.com".into(), "configured passphrase".into()))).await;
    let token = s.token_with("root@example.com", "configured passphrase").await;
    let me: Value = s.get(&token, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["role"], "admin");
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_it_is_read() {
    let s = start().await;
    let browser = s.browser("alice@acme.example").await;
    let huge = "x".repeat(2 * 1024 * 1024);
    let response = browser
        .post(s.url("/api/open_case"))
        .form(&[
            ("summary", "big"),
            ("description", huge.as_str()),
            ("kind", "bug"),
            ("severity", "3"),
            ("environment", "test"),
            ("visibility", "organization"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let token = s.token("alice@acme.example").await;
    let listed: Vec<Value> = s.get(&token, "/api/v1/cases").await.json().await.unwrap();
    assert!(listed.iter().all(|c| c["summary"] != "big"));
}

#[tokio::test]
async fn a_server_function_refuses_an_unknown_kind_with_a_clear_error() {
    let s = start().await;
    let browser = s.browser("alice@acme.example").await;
    let response = browser
        .post(s.url("/api/open_case"))
        .form(&[
            ("summary", "s"),
            ("description", "d"),
            ("kind", "hack"),
            ("severity", "3"),
            ("environment", "test"),
            ("visibility", "organization"),
        ])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error() || response.status().is_server_error());
    let body = response.text().await.unwrap();
    assert!(body.contains("malformed"), "{body}");
}
