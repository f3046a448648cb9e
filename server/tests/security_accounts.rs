//! Credentials a person controls: API tokens are listed (never their secrets) and revoked at
//! once; a password change ends every token and every other session; someone else's token
//! cannot be seen or revoked. Each refusal checks that nothing changed.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn token_named(s: &TestServer, email: &str, name: &str) -> (Api, Value) {
    let body = json!({"email": email, "password": PASSWORD, "name": name});
    let answer = s.api().send(s.api().request(Method::POST, "/api/v1/auth/token").json(&body)).await;
    let issued = answer.expect(StatusCode::OK);
    (s.api().with_token(issued["token"].as_str().unwrap()), issued)
}

/// A REST call with the browser's session cookie, as the browser's own pages make it.
async fn browser_post(browser: &Browser, path: &str, body: &Value) -> Answer {
    Answer::read(
        browser.request(Method::POST, path).header("sec-fetch-site", "same-origin").json(body).send().await.unwrap(),
    )
    .await
}

async fn browser_me(browser: &Browser) -> StatusCode {
    Answer::read(browser.request(Method::GET, "/api/v1/me").send().await.unwrap()).await.status
}

#[tokio::test]
async fn api_tokens_are_listed_without_their_secrets_and_revoked_at_once() {
    let s = start().await;
    let (nightly, first) = token_named(&s, "alice@acme.example", "nightly export").await;
    let (other, second) = token_named(&s, "alice@acme.example", "").await;
    assert!(first["expires_at"].as_str().is_some() && first["id"].as_i64().is_some());

    let list = nightly.get("/api/v1/auth/tokens").await;
    let text = list.text();
    let tokens = list.expect(StatusCode::OK);
    let tokens = tokens.as_array().unwrap();
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[0]["id"], second["id"], "newest first");
    assert_eq!(tokens[1]["name"], "nightly export");
    assert_eq!(tokens[1]["current"], true);
    assert_eq!(tokens[0]["current"], false);
    for secret in [&first["token"], &second["token"]] {
        assert!(!text.contains(secret.as_str().unwrap()), "a secret in the list");
    }

    // Someone else (another organization's customer, or an engineer) cannot revoke it:
    // it answers as a missing token, and the token still works.
    let first_id = first["id"].as_i64().unwrap();
    for email in ["bruno@globex.example", "sam@caseboard.example"] {
        let stranger = s.demo(email).await;
        let refused = stranger.delete(&format!("/api/v1/auth/tokens/{first_id}")).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{email}");
        assert_eq!(refused.error(), "not_found");
        let theirs = stranger.get("/api/v1/auth/tokens").await.expect(StatusCode::OK);
        assert!(theirs.as_array().unwrap().iter().all(|t| t["id"] != first["id"]), "{email} sees alice's token");
    }
    nightly.me().await.expect(StatusCode::OK);

    assert_eq!(other.delete("/api/v1/auth/tokens/abc").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(other.delete("/api/v1/auth/tokens/0").await.status, StatusCode::BAD_REQUEST);
    other.delete(&format!("/api/v1/auth/tokens/{first_id}")).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(nightly.me().await.status, StatusCode::UNAUTHORIZED, "revoked at once");
    other.me().await.expect(StatusCode::OK);
    assert_eq!(other.delete(&format!("/api/v1/auth/tokens/{first_id}")).await.status, StatusCode::NOT_FOUND);
    let left = other.get("/api/v1/auth/tokens").await.expect(StatusCode::OK);
    assert_eq!(left.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_token_name_is_checked() {
    let s = start().await;
    for name in ["line\nbreak", &"x".repeat(101)] {
        let body = json!({"email": "alice@acme.example", "password": PASSWORD, "name": name});
        let refused = s.api().send(s.api().request(Method::POST, "/api/v1/auth/token").json(&body)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.field(), "name");
    }
    let alice = s.demo("alice@acme.example").await;
    let tokens = alice.get("/api/v1/auth/tokens").await.expect(StatusCode::OK);
    assert_eq!(tokens.as_array().unwrap().len(), 1, "no token was issued for a refused name");
}

#[tokio::test]
async fn a_password_change_ends_every_token_and_every_other_session_but_the_one_that_made_it() {
    let s = start().await;
    let (token, _) = token_named(&s, "alice@acme.example", "script").await;
    let here = s.browser("alice@acme.example").await;
    let elsewhere = s.browser("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;

    // Refused: a wrong current password, a new one too short. Nothing changes.
    let new_password = "a much longer new password";
    let wrong = browser_post(
        &here,
        "/api/v1/me/password",
        &json!({"current_password": "not it at all", "new_password": new_password}),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.field(), "current_password");
    let short =
        browser_post(&here, "/api/v1/me/password", &json!({"current_password": PASSWORD, "new_password": "short"}))
            .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.field(), "new_password");
    token.me().await.expect(StatusCode::OK);
    assert_eq!(browser_me(&elsewhere).await, StatusCode::OK);
    s.api().token("alice@acme.example", PASSWORD).await.expect(StatusCode::OK);

    let changed = browser_post(
        &here,
        "/api/v1/me/password",
        &json!({"current_password": PASSWORD, "new_password": new_password}),
    )
    .await;
    assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.text());
    assert_eq!(token.me().await.status, StatusCode::UNAUTHORIZED, "the API token ended");
    assert_eq!(browser_me(&elsewhere).await, StatusCode::UNAUTHORIZED, "the other session ended");
    assert_eq!(browser_me(&here).await, StatusCode::OK, "the browser that changed it stays signed in");
    assert_eq!(s.api().token("alice@acme.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    s.api().token("alice@acme.example", new_password).await.expect(StatusCode::OK);
    bruno.me().await.expect(StatusCode::OK);
}

#[tokio::test]
async fn a_password_change_from_another_site_is_refused() {
    let s = start().await;
    let here = s.browser("alice@acme.example").await;
    let body = json!({"current_password": PASSWORD, "new_password": "an attacker's password"});
    let refused = Answer::read(
        here.request(Method::POST, "/api/v1/me/password")
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://evil.example")
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    s.api().token("alice@acme.example", PASSWORD).await.expect(StatusCode::OK);
}

async fn token_from(s: &TestServer, forwarded_for: Option<&str>, email: &str, password: &str) -> Answer {
    let mut request =
        s.api().request(Method::POST, "/api/v1/auth/token").json(&json!({"email": email, "password": password}));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    s.api().send(request).await
}

#[tokio::test]
async fn one_client_address_trying_one_password_over_many_emails_is_stopped() {
    let s =
        common::start_with(None, |c| c.sign_in_per_address_per_minute = std::num::NonZeroU32::new(5).unwrap()).await;
    // A header the client writes itself is not believed (the peer is the source here):
    // changing it every attempt does not reset the count.
    for i in 0..5 {
        let refused =
            token_from(&s, Some(&format!("198.51.100.{i}")), &format!("guess{i}@acme.example"), "Password1!").await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let stopped = token_from(&s, Some("198.51.100.99"), "guess5@acme.example", "Password1!").await;
    assert_eq!(stopped.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(stopped.error(), "rate_limited");
    // The right password from that address waits too: nothing is issued.
    let waits = token_from(&s, None, "alice@acme.example", PASSWORD).await;
    assert_eq!(waits.status, StatusCode::TOO_MANY_REQUESTS);
    let alice = s.store.user_by_email("alice@acme.example").await.unwrap().unwrap();
    assert!(s.store.api_tokens_of(alice.id, jiff::Timestamp::now(), 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_address_has_its_own_count() {
    let s = common::start_with(None, |c| {
        c.sign_in_per_address_per_minute = std::num::NonZeroU32::new(3).unwrap();
        c.client_ip_source = axum_client_ip::ClientIpSource::RightmostXForwardedFor;
    })
    .await;
    for i in 0..3 {
        let refused = token_from(&s, Some("203.0.113.7"), &format!("guess{i}@acme.example"), "Password1!").await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        token_from(&s, Some("203.0.113.7"), "alice@acme.example", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxy signs in; the rightmost address is the proxy's word.
    token_from(&s, Some("203.0.113.7, 198.51.100.4"), "alice@acme.example", PASSWORD).await.expect(StatusCode::OK);
    // The sign-in page's server function counts the same way.
    let browser = Browser::anonymous(&s.base);
    let page = Answer::read(
        browser
            .request(Method::POST, "/api/sign_in")
            .header("x-forwarded-for", "203.0.113.7")
            .header("sec-fetch-site", "same-origin")
            .form(&[("email", "bruno@globex.example"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
}
