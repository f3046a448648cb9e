//! An organization's admin invites contacts (REST and server function), within the seats;
//! the invited person chooses a password from the emailed link (once), and signs in.

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use serde_json::json;

/// The invitation link emailed to `to` (read from the file outbox; quoted-printable undone).
async fn invitation_link(s: &TestServer, to: &str) -> String {
    let outbox = s.config.data_dir.join("outbox");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        for entry in std::fs::read_dir(&outbox).into_iter().flatten().flatten() {
            let text =
                std::fs::read_to_string(entry.path()).unwrap_or_default().replace("=\r\n", "").replace("=\n", "");
            if text.contains(&format!("To: {to}")) || text.contains(&format!("<{to}>")) {
                let at = text.find("/invitation/").expect("a link in the invitation");
                return text[at..at + "/invitation/".len() + 64].to_owned();
            }
        }
        assert!(Instant::now() < deadline, "no invitation to {to} in {}", outbox.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn accept(s: &TestServer, link: &str, password: &str) -> Answer {
    let token = link.trim_start_matches("/invitation/");
    Browser::anonymous(&s.base).call("accept_invitation", &[("token", token), ("password", password)]).await
}

#[tokio::test]
async fn an_invited_contact_chooses_a_password_once_and_signs_in() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let invitation = json!({ "name": "Dana Reed", "email": "Dana@Acme.example", "opens_cases": true });
    let contacts = olga.post("/api/v1/organizations/acme/contacts", &invitation).await.expect(StatusCode::CREATED);
    let dana =
        contacts["contacts"].as_array().unwrap().iter().find(|c| c["email"] == "dana@acme.example").unwrap().clone();
    assert_eq!(dana["opens_cases"], true);

    // Before choosing a password, no password works.
    assert_eq!(s.api().token("dana@acme.example", "!invited").await.status, StatusCode::UNAUTHORIZED);

    let link = invitation_link(&s, "dana@acme.example").await;
    assert_eq!(accept(&s, &link, "short").await.status, StatusCode::UNPROCESSABLE_ENTITY, "password rules first");
    let accepted = accept(&s, &link, "a long enough secret").await;
    assert_eq!(accepted.status, StatusCode::OK);
    assert!(accepted.headers.get("set-cookie").is_some(), "signed in");
    let dana = s.api().sign_in("dana@acme.example", "a long enough secret").await;
    assert_eq!(dana.open_case(&case_body("Dana's first case"), None).await.status, StatusCode::CREATED);

    // A link works once.
    let again = accept(&s, &link, "another long secret").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.field(), "invitation");
    let forged = accept(&s, &format!("/invitation/{}", "ab".repeat(32)), "another long secret").await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_the_organizations_admin_invites_within_the_seats_and_never_twice() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let alice = s.demo("alice@acme.example").await;
    let invite = async |by: &Api, slug: &str, email: &str, opens: bool| {
        let body = json!({ "name": "New Person", "email": email, "opens_cases": opens });
        by.post(&format!("/api/v1/organizations/{slug}/contacts"), &body).await
    };
    assert_eq!(invite(&alice, "acme", "x1@acme.example", false).await.status, StatusCode::FORBIDDEN);
    assert_eq!(invite(&olga, "globex", "x2@globex.example", false).await.status, StatusCode::NOT_FOUND);
    assert_eq!(invite(&olga, "acme", "not an email", false).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A domain without its top level is a typo, caught where it is typed.
    let typo = invite(&olga, "acme", "dan@acme", false).await;
    assert_eq!((typo.status, typo.field()), (StatusCode::UNPROCESSABLE_ENTITY, "email"));
    assert_eq!(
        invite(&olga, "acme", "alice@acme.example", false).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "already here"
    );
    // Globex is on Coveo: two seats, both taken by the demo (Bruno and one more at most).
    let admin = s.demo("admin@caseboard.example").await;
    assert_eq!(invite(&admin, "globex", "g1@globex.example", true).await.status, StatusCode::CREATED);
    let full = invite(&admin, "globex", "g2@globex.example", true).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(full.field(), "opens_cases");
    // Without a seat, the invitation goes: they read and reply.
    assert_eq!(invite(&admin, "globex", "g3@globex.example", false).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn inviting_someone_with_an_account_elsewhere_answers_as_a_new_address_and_tells_them_by_email() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let invite = async |email: &str| {
        let body = json!({ "name": "Someone", "email": email, "opens_cases": false });
        olga.post("/api/v1/organizations/acme/contacts", &body).await
    };
    let before = olga.get("/api/v1/organizations/acme/contacts").await.expect(StatusCode::OK);

    // Another organization's customer and a support engineer: the answer a new address gets.
    for email in ["bruno@globex.example", "Sam@Caseboard.example"] {
        let answer = invite(email).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{email}");
        let body = answer.ok();
        let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&body), keys(&before));
        assert_eq!(body["contacts"], before["contacts"], "nobody was added to Acme");
    }
    // Nothing changed for them: Bruno is still Globex's, signs in as before, got no link.
    let bruno = s.demo("bruno@globex.example").await;
    assert_eq!(bruno.me().await.ok()["organization"], "globex");
    let note = outbox_mail_to(&s, "invitation_existing", "bruno@globex.example").await;
    assert!(note.contains("already has an account"), "{note}");
    assert!(!note.contains("/invitation/"), "no link to take over the account");

    // A new address, for comparison, and the same status.
    assert_eq!(invite("newcomer@acme.example").await.status, StatusCode::CREATED);

    // At most three notes a day to one person, however often they are invited.
    for _ in 0..4 {
        assert_eq!(invite("bruno@globex.example").await.status, StatusCode::CREATED);
    }
    let notes = std::fs::read_dir(s.config.data_dir.join("outbox"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("invitation_existing"))
        .filter(|e| std::fs::read_to_string(e.path()).unwrap_or_default().contains("bruno@globex.example"))
        .count();
    assert!(notes <= 3, "{notes} notes to Bruno");
}

/// The first mail of `kind` in the file outbox addressed to `to` (waits for the sender).
async fn outbox_mail_to(s: &TestServer, kind: &str, to: &str) -> String {
    let outbox = s.config.data_dir.join("outbox");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        for entry in std::fs::read_dir(&outbox).into_iter().flatten().flatten() {
            if !entry.file_name().to_string_lossy().contains(kind) {
                continue;
            }
            let text =
                std::fs::read_to_string(entry.path()).unwrap_or_default().replace("=\r\n", "").replace("=\n", "");
            if text.contains(&format!("To: {to}")) || text.contains(&format!("<{to}>")) {
                return text;
            }
        }
        assert!(Instant::now() < deadline, "no mail to {to} in {}", outbox.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
