//! An organization's admin invites contacts (REST and server function), within the seats;
//! the invited person chooses a password from the emailed link (once), and signs in.

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The invitation link emailed to `to` (read from the file outbox; quoted-printable undone).
async fn invitation_link(s: &TestServer, to: &str) -> String {
    let outbox = s.config.data_dir.join("outbox");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        for entry in std::fs::read_dir(&outbox).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default().replace("=\r\n", "").replace("=\n", "");
            if text.contains(&format!("To: {to}")) || text.contains(&format!("<{to}>")) {
                let at = text.find("/invitation/").expect("a link in the invitation");
                return text[at..at + "/invitation/".len() + 64].to_owned();
            }
        }
        assert!(Instant::now() < deadline, "no invitation to {to} in {}", outbox.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn accept(s: &TestServer, link: &str, password: &str) -> reqwest::Response {
    let token = link.trim_start_matches("/invitation/");
    reqwest::Client::new()
        .post(s.url("/api/accept_invitation"))
        .form(&[("token", token), ("password", password)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_invited_contact_chooses_a_password_once_and_signs_in() {
    let s = start().await;
    let olga = s.token("olga@acme.example").await;
    let response = post_json(
        &s,
        &olga,
        "/api/v1/organizations/acme/contacts",
        json!({ "name": "Dana Reed", "email": "Dana@Acme.example", "opens_cases": true }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let contacts: Value = response.json().await.unwrap();
    let dana = contacts["contacts"].as_array().unwrap().iter().find(|c| c["email"] == "dana@acme.example").unwrap().clone();
    assert_eq!(dana["opens_cases"], true);

    // Before choosing a password, no password works.
    let refused = reqwest::Client::new()
        .post(s.url("/api/v1/auth/token"))
        .json(&json!({"email": "dana@acme.example", "password": "!invited"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    let link = invitation_link(&s, "dana@acme.example").await;
    assert_eq!(accept(&s, &link, "short").await.status(), StatusCode::UNPROCESSABLE_ENTITY, "password rules first");
    let accepted = accept(&s, &link, "a long enough secret").await;
    assert_eq!(accepted.status(), StatusCode::OK);
    assert!(accepted.headers().get("set-cookie").is_some(), "signed in");
    let token = s.token_with("dana@acme.example", "a long enough secret").await;
    assert_eq!(s.open_case(&token, case_body("Dana's first case"), None).await.status(), StatusCode::CREATED);

    // A link works once.
    let again = accept(&s, &link, "another long secret").await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.json::<Value>().await.unwrap()["field"], "invitation");
    let forged = accept(&s, &format!("/invitation/{}", "ab".repeat(32)), "another long secret").await;
    assert_eq!(forged.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_the_organizations_admin_invites_within_the_seats_and_never_twice() {
    let s = start().await;
    let olga = s.token("olga@acme.example").await;
    let alice = s.token("alice@acme.example").await;
    let body = |email: &str, opens: bool| json!({ "name": "New Person", "email": email, "opens_cases": opens });
    let invite = |token: String, slug: &'static str, body: Value| {
        let s = &s;
        async move { post_json(s, &token, &format!("/api/v1/organizations/{slug}/contacts"), body).await.status() }
    };
    assert_eq!(invite(alice.clone(), "acme", body("x1@acme.example", false)).await, StatusCode::FORBIDDEN);
    assert_eq!(invite(olga.clone(), "globex", body("x2@globex.example", false)).await, StatusCode::NOT_FOUND);
    assert_eq!(invite(olga.clone(), "acme", body("not an email", false)).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invite(olga.clone(), "acme", body("alice@acme.example", false)).await, StatusCode::UNPROCESSABLE_ENTITY);
    // Globex is on Coveo: two seats, both taken by the demo (Bruno and one more at most).
    let admin = s.token("admin@caseboard.example").await;
    assert_eq!(invite(admin.clone(), "globex", body("g1@globex.example", true)).await, StatusCode::CREATED);
    let full = post_json(&s, &admin, "/api/v1/organizations/globex/contacts", body("g2@globex.example", true)).await;
    assert_eq!(full.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(full.json::<Value>().await.unwrap()["field"], "opens_cases");
    // Without a seat, the invitation goes: they read and reply.
    assert_eq!(invite(admin, "globex", body("g3@globex.example", false)).await, StatusCode::CREATED);
}
