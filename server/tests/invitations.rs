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

/// Every invitation link emailed to `to`, oldest first, once there are at least `count`.
async fn invitation_links(s: &TestServer, to: &str, count: usize) -> Vec<String> {
    let outbox = s.config.data_dir.join("outbox");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut files: Vec<_> = std::fs::read_dir(&outbox)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with("-invitation.eml"))
            .collect();
        // Named by outbox id: the order they were queued in.
        files.sort_by_key(|e| e.file_name());
        let links: Vec<String> = files
            .iter()
            .filter_map(|entry| {
                let text =
                    std::fs::read_to_string(entry.path()).unwrap_or_default().replace("=\r\n", "").replace("=\n", "");
                let to_them = text.contains(&format!("To: {to}")) || text.contains(&format!("<{to}>"));
                let at = text.find("/invitation/")?;
                to_them.then(|| text[at..at + "/invitation/".len() + 64].to_owned())
            })
            .collect();
        if links.len() >= count {
            return links;
        }
        assert!(Instant::now() < deadline, "{} of {count} invitations to {to} in {}", links.len(), outbox.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn status_of(list: &serde_json::Value, email: &str) -> String {
    let contact = list["contacts"].as_array().unwrap().iter().find(|c| c["email"] == email).unwrap();
    contact["status"].as_str().unwrap().to_owned()
}

fn id_of(list: &serde_json::Value, email: &str) -> i64 {
    list["contacts"].as_array().unwrap().iter().find(|c| c["email"] == email).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_resent_link_replaces_the_old_one_and_a_revoked_link_no_longer_works() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let invitation = json!({ "name": "Dana Reed", "email": "dana@acme.example" });
    let list = olga.post("/api/v1/organizations/acme/contacts", &invitation).await.expect(StatusCode::CREATED);
    assert_eq!(status_of(&list, "dana@acme.example"), "invited");
    let dana = id_of(&list, "dana@acme.example");
    let invitation_path = format!("/api/v1/organizations/acme/contacts/{dana}/invitation");
    let first = invitation_links(&s, "dana@acme.example", 1).await.remove(0);

    // Sent again: a new link; the first one no longer works.
    let resent = olga.send(olga.request(reqwest::Method::POST, &invitation_path)).await.expect(StatusCode::OK);
    assert_eq!(status_of(&resent, "dana@acme.example"), "invited");
    let links = invitation_links(&s, "dana@acme.example", 2).await;
    let second = links[1].clone();
    assert_ne!(first, second);
    let old = accept(&s, &first, "a long enough secret").await;
    assert_eq!((old.status, old.field()), (StatusCode::UNPROCESSABLE_ENTITY, "invitation"));

    // Revoked: the second stops working too, and the list says so.
    let revoked = olga.delete(&invitation_path).await.expect(StatusCode::OK);
    assert_eq!(status_of(&revoked, "dana@acme.example"), "invitation_revoked");
    let refused = accept(&s, &second, "a long enough secret").await;
    assert_eq!((refused.status, refused.field()), (StatusCode::UNPROCESSABLE_ENTITY, "invitation"));
    assert_eq!(s.api().token("dana@acme.example", "a long enough secret").await.status, StatusCode::UNAUTHORIZED);

    // Sent once more (the third mail today): that link works, once.
    olga.send(olga.request(reqwest::Method::POST, &invitation_path)).await.expect(StatusCode::OK);
    let third = invitation_links(&s, "dana@acme.example", 3).await[2].clone();
    assert_eq!(accept(&s, &third, "a long enough secret").await.status, StatusCode::OK);
    let list = olga.get("/api/v1/organizations/acme/contacts").await.expect(StatusCode::OK);
    assert_eq!(status_of(&list, "dana@acme.example"), "active");

    // Signed up: nothing left to send again or revoke.
    for answer in
        [olga.send(olga.request(reqwest::Method::POST, &invitation_path)).await, olga.delete(&invitation_path).await]
    {
        assert_eq!((answer.status, answer.field()), (StatusCode::UNPROCESSABLE_ENTITY, "invitation"));
        assert_eq!(answer.body["reason"]["code"], "already_accepted");
    }
    assert_eq!(s.api().token("dana@acme.example", "a long enough secret").await.status, StatusCode::OK);
}

#[tokio::test]
async fn invitations_are_resent_at_most_three_times_a_day_and_a_refused_resend_keeps_the_link() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let list = olga
        .post("/api/v1/organizations/acme/contacts", &json!({ "name": "Eve Stone", "email": "eve@acme.example" }))
        .await
        .expect(StatusCode::CREATED);
    let path = format!("/api/v1/organizations/acme/contacts/{}/invitation", id_of(&list, "eve@acme.example"));
    let resend = async || olga.send(olga.request(reqwest::Method::POST, &path)).await;
    assert_eq!(resend().await.status, StatusCode::OK);
    assert_eq!(resend().await.status, StatusCode::OK);
    let links = invitation_links(&s, "eve@acme.example", 3).await;
    let limited = resend().await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 24 * 3600, "{retry}");
    // Nothing changed: the latest link still works.
    assert_eq!(accept(&s, &links[2], "a long enough secret").await.status, StatusCode::OK);
}

#[tokio::test]
async fn only_the_organizations_admin_resends_or_revokes_and_a_refusal_keeps_the_link() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let list = olga
        .post("/api/v1/organizations/acme/contacts", &json!({ "name": "Finn Hale", "email": "finn@acme.example" }))
        .await
        .expect(StatusCode::CREATED);
    let finn = id_of(&list, "finn@acme.example");
    let admin = s.demo("admin@caseboard.example").await;
    let globex = admin.get("/api/v1/organizations/globex/contacts").await.expect(StatusCode::OK);
    let bruno = id_of(&globex, "bruno@globex.example");
    let before = (list.clone(), globex.clone());
    let callers = [
        ("a plain customer", s.demo("alice@acme.example").await, StatusCode::FORBIDDEN),
        ("an engineer", s.demo("sam@caseboard.example").await, StatusCode::FORBIDDEN),
        ("another organization's customer", s.demo("bruno@globex.example").await, StatusCode::NOT_FOUND),
    ];
    let path = format!("/api/v1/organizations/acme/contacts/{finn}/invitation");
    for (who, api, status) in &callers {
        assert_eq!(api.send(api.request(reqwest::Method::POST, &path)).await.status, *status, "{who}");
        assert_eq!(api.delete(&path).await.status, *status, "{who}");
    }
    for path in [
        format!("/api/v1/organizations/acme/contacts/{bruno}/invitation"),
        format!("/api/v1/organizations/globex/contacts/{bruno}/invitation"),
    ] {
        assert_eq!(olga.send(olga.request(reqwest::Method::POST, &path)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(olga.delete(&path).await.status, StatusCode::NOT_FOUND);
    }
    let alice = s.browser("alice@acme.example").await;
    let id = finn.to_string();
    assert_eq!(alice.call("resend_invitation", &[("user_id", id.as_str())]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(alice.call("revoke_invitation", &[("user_id", id.as_str())]).await.status, StatusCode::FORBIDDEN);
    let after = (
        olga.get("/api/v1/organizations/acme/contacts").await.expect(StatusCode::OK),
        admin.get("/api/v1/organizations/globex/contacts").await.expect(StatusCode::OK),
    );
    assert_eq!(after, before, "nothing changed");
    // The one link sent still works: nothing was revoked or replaced.
    let links = invitation_links(&s, "finn@acme.example", 1).await;
    assert_eq!(accept(&s, &links[0], "a long enough secret").await.status, StatusCode::OK);

    // Olga's page functions work.
    let list = olga
        .post("/api/v1/organizations/acme/contacts", &json!({ "name": "Gail Moss", "email": "gail@acme.example" }))
        .await
        .expect(StatusCode::CREATED);
    let id = id_of(&list, "gail@acme.example").to_string();
    let first = invitation_links(&s, "gail@acme.example", 1).await.remove(0);
    let olga_browser = s.browser("olga@acme.example").await;
    let revoked = olga_browser.call("revoke_invitation", &[("user_id", id.as_str())]).await.expect(StatusCode::OK);
    assert_eq!(status_of(&revoked, "gail@acme.example"), "invitation_revoked");
    assert_eq!(accept(&s, &first, "a long enough secret").await.field(), "invitation");
    let resent = olga_browser.call("resend_invitation", &[("user_id", id.as_str())]).await.expect(StatusCode::OK);
    assert_eq!(status_of(&resent, "gail@acme.example"), "invited");
    let links = invitation_links(&s, "gail@acme.example", 2).await;
    assert_eq!(accept(&s, &links[1], "a long enough secret").await.status, StatusCode::OK);
}
