//! Password reset: the request answers the same whatever the address; the emailed link sets
//! a new password once, within the hour, and ends every session and API token; a reused,
//! expired or unknown link and a refused password change nothing; requests are limited per
//! email and per client address. Over REST and through the pages' server functions.

mod common;

use std::time::Duration;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

/// The token of the newest reset link emailed to `to`.
async fn reset_token(s: &TestServer, to: &str, count: usize) -> String {
    let mails = s.mails("password_reset", to, count).await;
    let text = mails.last().unwrap();
    let at = text.find("/password-reset/").expect("a link in the mail") + "/password-reset/".len();
    text[at..at + 64].to_owned()
}

async fn ask(s: &TestServer, email: &str) -> common::Answer {
    s.api().post("/api/v1/auth/password-reset", &json!({ "email": email })).await
}

async fn confirm(s: &TestServer, token: &str, password: &str) -> common::Answer {
    s.api().post("/api/v1/auth/password-reset/confirm", &json!({ "token": token, "password": password })).await
}

/// Whether `password` signs `email` in (a token is asked for, over REST).
async fn signs_in(s: &TestServer, email: &str, password: &str) -> bool {
    let answer = s.api().token(email, password).await;
    assert!(matches!(answer.status, StatusCode::OK | StatusCode::UNAUTHORIZED), "{}", answer.status);
    answer.status == StatusCode::OK
}

#[tokio::test]
async fn the_answer_is_the_same_for_every_address_and_only_an_account_is_mailed() {
    let s = start().await;
    let known = ask(&s, "Alice@Acme.example").await;
    let unknown = ask(&s, "nobody@acme.example").await;
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(known.text(), unknown.text(), "the same body");
    assert!(known.text().contains("If an account exists"), "{}", known.text());
    // Text that is no address at all says nothing about any account.
    let malformed = ask(&s, "not an address").await;
    assert_eq!((malformed.status, malformed.field()), (StatusCode::UNPROCESSABLE_ENTITY, "email"));

    // The mail: in Alice's language, with a link of 64 hexadecimal digits to the reset page.
    let mail = s.mails("password_reset", "alice@acme.example", 1).await.remove(0);
    assert!(mail.contains("Choose a new password"), "{mail}");
    let token = reset_token(&s, "alice@acme.example", 1).await;
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    assert!(mail.contains(&format!("{}/password-reset/{token}", s.config.mail.public_url)), "{mail}");
    // Nothing went to the unknown address.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let outbox = s.config.data_dir.join("outbox");
    for entry in std::fs::read_dir(&outbox).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        assert!(!text.contains("nobody@acme.example"), "a mail to an unknown address: {}", entry.path().display());
    }
}

#[tokio::test]
async fn a_link_sets_the_password_once_and_ends_every_session_and_api_token() {
    let s = start().await;
    let email = "alice@acme.example";
    let browser = s.browser(email).await;
    let script = s.api().sign_in(email, PASSWORD).await;
    assert_eq!(script.me().await.status, StatusCode::OK);
    let before = browser.call("current_user", &[("", ""); 0]).await;
    assert!(before.text().contains(email), "{}", before.text());

    assert_eq!(ask(&s, email).await.status, StatusCode::ACCEPTED);
    let token = reset_token(&s, email, 1).await;

    // A password the rules refuse: nothing changes, the link still works.
    let short = confirm(&s, &token, "short").await;
    assert_eq!((short.status, short.field()), (StatusCode::UNPROCESSABLE_ENTITY, "password"));
    assert!(signs_in(&s, email, PASSWORD).await, "the old password still works");
    assert_eq!(script.me().await.status, StatusCode::OK, "the token still works");

    assert_eq!(confirm(&s, &token, "a brand new passphrase").await.status, StatusCode::NO_CONTENT);
    assert!(!signs_in(&s, email, PASSWORD).await, "the old password no longer works");
    assert!(signs_in(&s, email, "a brand new passphrase").await);
    assert_eq!(script.me().await.status, StatusCode::UNAUTHORIZED, "API tokens ended");
    let after = browser.call("current_user", &[("", ""); 0]).await;
    assert!(!after.text().contains(email), "the browser session ended: {}", after.text());

    // Once: the second use is refused and changes nothing.
    let again = confirm(&s, &token, "yet another passphrase").await;
    assert_eq!((again.status, again.field()), (StatusCode::UNPROCESSABLE_ENTITY, "token"));
    assert!(signs_in(&s, email, "a brand new passphrase").await);
    assert!(!signs_in(&s, email, "yet another passphrase").await);
    // Unknown and malformed tokens: the same refusal.
    for forged in ["ab".repeat(32), "not a token".to_owned()] {
        let answer = confirm(&s, &forged, "yet another passphrase").await;
        assert_eq!((answer.status, answer.field()), (StatusCode::UNPROCESSABLE_ENTITY, "token"), "{forged}");
    }
    assert!(signs_in(&s, email, "a brand new passphrase").await);
}

#[tokio::test]
async fn an_expired_link_is_refused_and_changes_nothing() {
    let s = start().await;
    let email = "bruno@globex.example";
    assert_eq!(ask(&s, email).await.status, StatusCode::ACCEPTED);
    let token = reset_token(&s, email, 1).await;
    // An hour and a minute later (the link's expiry moved back in the database).
    let url = s.config.database_url.clone().unwrap();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let past = (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(1)).to_string();
    sqlx::query("UPDATE password_resets SET expires_at = $1").bind(past).execute(&pool).await.unwrap();
    pool.close().await;

    let expired = confirm(&s, &token, "a brand new passphrase").await;
    assert_eq!((expired.status, expired.field()), (StatusCode::UNPROCESSABLE_ENTITY, "token"));
    assert!(signs_in(&s, email, PASSWORD).await, "the old password still works");
    assert!(!signs_in(&s, email, "a brand new passphrase").await);
}

#[tokio::test]
async fn requests_are_limited_per_email_and_per_client_address() {
    let s = start().await;
    let email = "olga@acme.example";
    let first = ask(&s, email).await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    let body = first.text();
    // Past three for one address: the same answer, and no more mail.
    for _ in 0..3 {
        let answer = ask(&s, email).await;
        assert_eq!((answer.status, answer.text()), (StatusCode::ACCEPTED, body.clone()));
    }
    assert_eq!(s.mails("password_reset", email, 3).await.len(), 3);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(s.mails("password_reset", email, 3).await.len(), 3, "the fourth request sent nothing");
    // From one client address, ten a minute: then 429 whatever the email.
    let mut statuses = Vec::new();
    for n in 0..8 {
        statuses.push(ask(&s, &format!("someone{n}@acme.example")).await.status);
    }
    assert!(statuses[..6].iter().all(|s| *s == StatusCode::ACCEPTED), "{statuses:?}");
    assert_eq!(statuses[6..], [StatusCode::TOO_MANY_REQUESTS; 2], "{statuses:?}");
    let limited = ask(&s, "alice@acme.example").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.get("retry-after").is_some());
}

#[tokio::test]
async fn the_pages_ask_for_a_link_and_choose_a_new_password_through_their_server_functions() {
    let s = start().await;
    let email = "alice@acme.example";
    let browser = Browser::anonymous(&s.base);
    let sign_in = browser.page("/sign-in").await;
    assert!(sign_in.text().contains("href=\"/password-reset\""), "a link on the sign-in page");
    let page = browser.page("/password-reset").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("for=\"reset-email\""), "a labelled input");

    let asked = browser.call("request_password_reset", &[("email", email)]).await;
    assert!(asked.status.is_success(), "{}: {}", asked.status, asked.text());
    let unknown = browser.call("request_password_reset", &[("email", "nobody@acme.example")]).await;
    assert_eq!((unknown.status, unknown.text()), (asked.status, asked.text()), "the same answer");
    let token = reset_token(&s, email, 1).await;

    let page = browser.page(&format!("/password-reset/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("for=\"new-password-again\""), "a labelled input");
    let short = browser.call("reset_password", &[("token", token.as_str()), ("password", "short")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done =
        browser.call("reset_password", &[("token", token.as_str()), ("password", "a brand new passphrase")]).await;
    assert!(done.status.is_success(), "{}: {}", done.status, done.text());
    assert!(signs_in(&s, email, "a brand new passphrase").await);
    let again =
        browser.call("reset_password", &[("token", token.as_str()), ("password", "yet another passphrase")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}
