//! Registration with approval: the request answers the same whatever the address; only a
//! request confirmed from its emailed link reaches the admins; approving makes exactly one
//! customer, who chooses a password from the emailed link and signs in; rejecting emails
//! the reason and makes nothing; decisions are admins' only, taken once, and in the admin
//! log; reused or expired links, refused fields and callers change nothing; requests are
//! limited per email and per client address. Over REST and through the pages' server
//! functions, on SQLite and PostgreSQL (`CASEBOARD_TEST_POSTGRES`).

mod common;

use std::time::Duration;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Every mail in the outbox that names `to`.
fn any_mail_to(s: &TestServer, to: &str) -> Vec<String> {
    let outbox = s.config.data_dir.join("outbox");
    std::fs::read_dir(&outbox)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .filter(|text| text.contains(to))
        .collect()
}

/// The 64 hexadecimal digits after `marker` in the newest mail of `kind` to `to`.
async fn token_in(s: &TestServer, kind: &str, marker: &str, to: &str, count: usize) -> String {
    let found = s.mails(kind, to, count).await;
    let text = found.last().unwrap();
    let at = text.find(marker).unwrap_or_else(|| panic!("{marker} in {text}")) + marker.len();
    text[at..at + 64].to_owned()
}

fn request_body(email: &str) -> Value {
    json!({"email": email, "name": "Dana Reed", "organization_name": "Initrode", "message": "We bought Gold."})
}

async fn ask(s: &TestServer, body: &Value) -> Answer {
    s.api().post("/api/v1/auth/register", body).await
}

async fn ask_in(s: &TestServer, body: &Value, language: &str) -> Answer {
    let api = s.api();
    api.send(api.request(Method::POST, "/api/v1/auth/register").header("Accept-Language", language).json(body)).await
}

async fn verify(s: &TestServer, token: &str) -> Answer {
    s.api().post("/api/v1/auth/register/verify", &json!({ "token": token })).await
}

/// Asks for an account for `email` and confirms it; returns the request's id.
async fn confirmed(s: &TestServer, admin: &Api, email: &str) -> i64 {
    assert_eq!(ask(s, &request_body(email)).await.status, StatusCode::ACCEPTED);
    let token = token_in(s, "registration_verify", "/register/verify/", email, 1).await;
    assert_eq!(verify(s, &token).await.status, StatusCode::NO_CONTENT);
    pending(admin).await.into_iter().find(|r| r["email"] == email).expect("listed once confirmed")["id"]
        .as_i64()
        .unwrap()
}

async fn pending(admin: &Api) -> Vec<Value> {
    admin.get("/api/v1/registrations").await.ok()["registrations"].as_array().unwrap().clone()
}

/// People whose email holds `part`, as the administrator lists them.
async fn people(admin: &Api, part: &str) -> Vec<Value> {
    admin.get(&format!("/api/v1/users?q={part}")).await.ok()["users"].as_array().unwrap().clone()
}

async fn audit_actions(admin: &Api) -> Vec<String> {
    let log = admin.get("/api/v1/audit").await.ok();
    log["entries"].as_array().unwrap().iter().map(|e| format!("{} {}", e["action"], e["target"])).collect()
}

#[tokio::test]
async fn the_answer_is_the_same_for_a_new_address_and_an_account() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let new = ask(&s, &request_body("dana@initrode.example")).await;
    let known = ask(&s, &request_body("Alice@Acme.example")).await;
    assert_eq!(new.status, StatusCode::ACCEPTED);
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(new.text(), known.text(), "the same body");
    assert!(new.text().contains("A link to confirm your request"), "{}", new.text());

    // The new address: a link of 64 hexadecimal digits to the verification page.
    let token = token_in(&s, "registration_verify", "/register/verify/", "dana@initrode.example", 1).await;
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    // The account: a note that it already has one, and no verification link.
    let note = s.mails("registration_existing", "alice@acme.example", 1).await.remove(0);
    assert!(note.contains("already has one"), "{note}");
    assert!(note.contains("/password-reset"), "{note}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        any_mail_to(&s, "alice@acme.example").iter().all(|m| !m.contains("/register/verify/")),
        "no verification link to an account"
    );
    assert!(pending(&admin).await.is_empty(), "nothing confirmed, nothing listed");
    assert!(people(&admin, "initrode").await.is_empty(), "no account before approval");
}

#[tokio::test]
async fn a_confirmed_request_approved_makes_one_customer_who_chooses_a_password_and_signs_in() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let email = "dana@initrode.example";
    // Asked from a French page: every mail of the request is in French.
    assert_eq!(ask_in(&s, &request_body(email), "fr-FR,fr;q=0.9").await.status, StatusCode::ACCEPTED);
    let verification = s.mails("registration_verify", email, 1).await.remove(0);
    assert!(verification.contains("Confirmez votre demande"), "{verification}");
    assert!(!verification.contains("Initrode") && !verification.contains("Gold"), "no word the requester typed");
    let token = token_in(&s, "registration_verify", "/register/verify/", email, 1).await;
    assert!(pending(&admin).await.is_empty(), "not confirmed yet");
    assert_eq!(verify(&s, &token).await.status, StatusCode::NO_CONTENT);
    assert!(people(&admin, "initrode").await.is_empty(), "confirmed: still no account");

    let listed = pending(&admin).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    let request = &listed[0];
    assert_eq!(
        (&request["email"], &request["name"], &request["organization_name"], &request["message"], &request["status"]),
        (&json!(email), &json!("Dana Reed"), &json!("Initrode"), &json!("We bought Gold."), &json!("pending"))
    );
    assert!(request["requested_at"].as_str().unwrap() <= request["verified_at"].as_str().unwrap());
    let id = request["id"].as_i64().unwrap();

    let approved = admin.post(&format!("/api/v1/registrations/{id}/approve"), &json!({"organization": "acme"})).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
    assert_eq!(approved.ok()["status"], "approved");
    let made = people(&admin, "initrode").await;
    assert_eq!(made.len(), 1, "exactly one account: {made:?}");
    assert_eq!((&made[0]["role"], &made[0]["organization"]), (&json!("customer"), &json!("acme")), "{made:?}");
    assert!(pending(&admin).await.is_empty(), "decided: no longer waiting");
    let decided = admin.get("/api/v1/registrations?status=approved").await.ok();
    assert_eq!(decided["registrations"][0]["id"], id);
    assert!(audit_actions(&admin).await.contains(&format!("\"registration.approved\" \"registration:{id}\"")));

    // Once: a second decision either way is refused and changes nothing.
    for (path, body) in [("approve", json!({"organization": "globex"})), ("reject", json!({"reason": "Too late."}))] {
        let again = admin.post(&format!("/api/v1/registrations/{id}/{path}"), &body).await;
        assert_eq!((again.status, again.field()), (StatusCode::UNPROCESSABLE_ENTITY, "registration"), "{path}");
    }
    assert_eq!(people(&admin, "initrode").await, made);

    // The approval mail (French) carries an invitation link: the person chooses a password and signs in.
    let approval = s.mails("registration_approved", email, 1).await.remove(0);
    assert!(approval.contains("Choisissez votre mot de passe"), "{approval}");
    let invitation = token_in(&s, "registration_approved", "/invitation/", email, 1).await;
    assert_eq!(s.api().token(email, "a long enough secret").await.status, StatusCode::UNAUTHORIZED, "no password yet");
    let browser = Browser::anonymous(&s.base);
    let accepted = browser
        .call("accept_invitation", &[("token", invitation.as_str()), ("password", "a long enough secret")])
        .await;
    assert!(accepted.status.is_success(), "{}: {}", accepted.status, accepted.text());
    let dana = s.api().sign_in(email, "a long enough secret").await;
    let me = dana.me().await.ok();
    assert_eq!((&me["role"], &me["organization"]), (&json!("customer"), &json!("acme")), "{me}");
}

#[tokio::test]
async fn a_rejection_emails_the_reason_and_makes_nothing() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let email = "dana@initrode.example";
    let id = confirmed(&s, &admin, email).await;
    let reason = "We serve organizations under contract only: <b>ask</b> your manager.";
    let rejected = admin.post(&format!("/api/v1/registrations/{id}/reject"), &json!({ "reason": reason })).await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.text());
    assert_eq!(rejected.ok()["status"], "rejected");
    let mail = s.mails("registration_rejected", email, 1).await.remove(0);
    assert!(mail.contains("cannot approve it"), "{mail}");
    // The reason, quoted (escaped in the HTML part: `mail::registration` unit tests).
    assert!(mail.contains("We serve organizations under contract only"), "the reason: {mail}");
    assert!(people(&admin, "initrode").await.is_empty(), "no account");
    assert!(pending(&admin).await.is_empty());
    let listed = admin.get("/api/v1/registrations?status=rejected").await.ok();
    assert_eq!(listed["registrations"][0]["id"], id);
    assert!(audit_actions(&admin).await.contains(&format!("\"registration.rejected\" \"registration:{id}\"")));
    let again = admin.post(&format!("/api/v1/registrations/{id}/approve"), &json!({"organization": "acme"})).await;
    assert_eq!((again.status, again.field()), (StatusCode::UNPROCESSABLE_ENTITY, "registration"));
    assert!(people(&admin, "initrode").await.is_empty(), "still no account");
}

#[tokio::test]
async fn an_unconfirmed_request_is_not_listed_and_cannot_be_decided() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    assert_eq!(ask(&s, &request_body("dana@initrode.example")).await.status, StatusCode::ACCEPTED);
    s.mails("registration_verify", "dana@initrode.example", 1).await;
    assert!(pending(&admin).await.is_empty());
    for status in ["pending", "approved", "rejected"] {
        let page = admin.get(&format!("/api/v1/registrations?status={status}")).await.ok();
        assert_eq!(page["registrations"], json!([]), "{status}");
    }
    let id: i64 = sqlx_scalar(&s, "SELECT MAX(id) FROM registrations").await;
    let approve = admin.post(&format!("/api/v1/registrations/{id}/approve"), &json!({"organization": "acme"})).await;
    assert_eq!(approve.status, StatusCode::NOT_FOUND);
    let reject = admin.post(&format!("/api/v1/registrations/{id}/reject"), &json!({"reason": "No."})).await;
    assert_eq!(reject.status, StatusCode::NOT_FOUND);
    assert!(people(&admin, "initrode").await.is_empty());
}

/// One number from the test's database.
async fn sqlx_scalar(s: &TestServer, sql: &'static str) -> i64 {
    let url = s.config.database_url.clone().unwrap();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let value: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    value
}

#[tokio::test]
async fn customers_and_engineers_are_refused_on_the_admin_routes_and_nothing_changes() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let id = confirmed(&s, &admin, "dana@initrode.example").await;
    let before = pending(&admin).await;
    let audit = audit_actions(&admin).await;
    for who in ["alice@acme.example", "olga@acme.example", "sam@caseboard.example"] {
        let caller = s.demo(who).await;
        assert_eq!(caller.get("/api/v1/registrations").await.status, StatusCode::FORBIDDEN, "{who}");
        let approve =
            caller.post(&format!("/api/v1/registrations/{id}/approve"), &json!({"organization": "acme"})).await;
        assert_eq!(approve.status, StatusCode::FORBIDDEN, "{who}");
        let reject = caller.post(&format!("/api/v1/registrations/{id}/reject"), &json!({"reason": "No."})).await;
        assert_eq!(reject.status, StatusCode::FORBIDDEN, "{who}");
        let browser = s.browser(who).await;
        let call =
            browser.call("approve_registration", &[("id", id.to_string().as_str()), ("organization", "acme")]).await;
        assert_eq!(call.status, StatusCode::FORBIDDEN, "{who}");
    }
    let anonymous =
        s.api().post(&format!("/api/v1/registrations/{id}/approve"), &json!({"organization": "acme"})).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(pending(&admin).await, before, "still waiting");
    assert!(people(&admin, "initrode").await.is_empty(), "no account");
    assert_eq!(audit_actions(&admin).await, audit, "nothing in the admin log");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(any_mail_to(&s, "dana@initrode.example").len() == 1, "only the verification mail");
}

#[tokio::test]
async fn reused_expired_and_unknown_links_are_refused_and_change_nothing() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let first = "dana@initrode.example";
    let id = confirmed(&s, &admin, first).await;
    let token = token_in(&s, "registration_verify", "/register/verify/", first, 1).await;
    let again = verify(&s, &token).await;
    assert_eq!((again.status, again.field()), (StatusCode::UNPROCESSABLE_ENTITY, "token"));
    for forged in ["ab".repeat(32), "not a token".to_owned(), String::new()] {
        let answer = verify(&s, &forged).await;
        assert_eq!((answer.status, answer.field()), (StatusCode::UNPROCESSABLE_ENTITY, "token"), "{forged}");
    }

    // A day and a minute later (the link's expiry moved back in the database).
    let second = "erin@initrode.example";
    assert_eq!(ask(&s, &request_body(second)).await.status, StatusCode::ACCEPTED);
    let late = token_in(&s, "registration_verify", "/register/verify/", second, 1).await;
    let url = s.config.database_url.clone().unwrap();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let past = (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(1)).to_string();
    sqlx::query("UPDATE registrations SET expires_at = $1 WHERE email = $2")
        .bind(past)
        .bind(second)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let expired = verify(&s, &late).await;
    assert_eq!((expired.status, expired.field()), (StatusCode::UNPROCESSABLE_ENTITY, "token"));

    let listed = pending(&admin).await;
    assert_eq!(listed.iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>(), [id], "only the first, once");
}

#[tokio::test]
async fn requests_are_limited_per_email_and_per_client_address() {
    let s = start().await;
    let email = "dana@initrode.example";
    let first = ask(&s, &request_body(email)).await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    let body = first.text();
    // Past three for one address: the same answer, and no more mail.
    for _ in 0..3 {
        let answer = ask(&s, &request_body(email)).await;
        assert_eq!((answer.status, answer.text()), (StatusCode::ACCEPTED, body.clone()));
    }
    assert_eq!(s.mails("registration_verify", email, 3).await.len(), 3);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(s.mails("registration_verify", email, 3).await.len(), 3, "the fourth request sent nothing");
    // From one client address, ten a minute: then 429 whatever the email.
    let mut statuses = Vec::new();
    for n in 0..8 {
        statuses.push(ask(&s, &request_body(&format!("someone{n}@initrode.example"))).await.status);
    }
    assert!(statuses[..6].iter().all(|s| *s == StatusCode::ACCEPTED), "{statuses:?}");
    assert_eq!(statuses[6..], [StatusCode::TOO_MANY_REQUESTS; 2], "{statuses:?}");
    let limited = ask(&s, &request_body("alice@acme.example")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.get("retry-after").is_some());
}

#[tokio::test]
async fn refused_fields_are_named_and_change_nothing() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let with = |field: &str, value: Value| {
        let mut body = request_body("dana@initrode.example");
        body[field] = value;
        body
    };
    for (field, value) in [
        ("email", json!("not an address")),
        ("name", json!("x".repeat(201))),
        ("name", json!("  ")),
        ("organization_name", json!("")),
        ("organization_name", json!("Init\nrode")),
        ("message", json!("x".repeat(4001))),
    ] {
        let answer = ask(&s, &with(field, value)).await;
        assert_eq!((answer.status, answer.field()), (StatusCode::UNPROCESSABLE_ENTITY, field), "{}", answer.text());
    }
    let unknown_field = ask(&s, &with("role", json!("admin"))).await;
    assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST, "{}", unknown_field.text());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(any_mail_to(&s, "dana@initrode.example").is_empty(), "nothing sent");

    let id = confirmed(&s, &admin, "dana@initrode.example").await;
    admin.send(admin.request(Method::POST, "/api/v1/organizations/globex/deactivate")).await.expect(StatusCode::OK);
    let audit = audit_actions(&admin).await;
    for (path, body, field) in [
        ("approve", json!({"organization": ""}), "organization"),
        ("approve", json!({"organization": "no-such-org"}), "organization"),
        ("approve", json!({"organization": "Acme\u{0}<b>"}), "organization"),
        // A deactivated organization takes no new account.
        ("approve", json!({"organization": "globex"}), "organization"),
        ("reject", json!({"reason": ""}), "reason"),
        ("reject", json!({"reason": "x".repeat(2001)}), "reason"),
    ] {
        let answer = admin.post(&format!("/api/v1/registrations/{id}/{path}"), &body).await;
        assert_eq!((answer.status, answer.field()), (StatusCode::UNPROCESSABLE_ENTITY, field), "{path} {body}");
    }
    for (query, field) in
        [("status=unverified", "status"), ("limit=0", "limit"), ("limit=x", "limit"), ("cursor=zz", "cursor")]
    {
        let answer = admin.get(&format!("/api/v1/registrations?{query}")).await;
        assert_eq!((answer.status, answer.field()), (StatusCode::UNPROCESSABLE_ENTITY, field), "{query}");
    }
    assert_eq!(pending(&admin).await.len(), 1, "still waiting");
    assert!(people(&admin, "initrode").await.is_empty(), "no account");
    assert_eq!(audit_actions(&admin).await, audit, "nothing in the admin log");
}

#[tokio::test]
async fn the_list_pages_by_cursor() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(confirmed(&s, &admin, &format!("person{n}@initrode.example")).await);
    }
    let first = admin.get("/api/v1/registrations?limit=2").await.ok();
    let next = first["next_cursor"].as_str().expect("a next page").to_owned();
    let second = admin.get(&format!("/api/v1/registrations?limit=2&cursor={next}")).await.ok();
    assert_eq!(second["next_cursor"], Value::Null);
    let seen: Vec<i64> = [&first, &second]
        .iter()
        .flat_map(|p| p["registrations"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()))
        .collect();
    assert_eq!(seen, ids, "oldest first, each once");
}

#[tokio::test]
async fn the_pages_ask_confirm_and_decide_through_their_server_functions() {
    let s = start().await;
    let email = "dana@initrode.example";
    let browser = Browser::anonymous(&s.base);
    let sign_in = browser.page("/sign-in").await;
    assert!(sign_in.text().contains("href=\"/register\""), "a link on the sign-in page");
    let page = browser.page("/register").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("for=\"register-organization\""), "a labelled input");

    let fields = |email: &'static str| {
        [("email", email), ("name", "Dana Reed"), ("organization_name", "Initrode"), ("message", "")]
    };
    let asked = browser.call("request_registration", &fields(email)).await;
    assert!(asked.status.is_success(), "{}: {}", asked.status, asked.text());
    let known = browser.call("request_registration", &fields("bruno@globex.example")).await;
    assert_eq!((known.status, known.text()), (asked.status, asked.text()), "the same answer");
    let token = token_in(&s, "registration_verify", "/register/verify/", email, 1).await;
    let page = browser.page(&format!("/register/verify/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let verified = browser.call("verify_registration", &[("token", token.as_str())]).await;
    assert!(verified.status.is_success(), "{}: {}", verified.status, verified.text());
    let again = browser.call("verify_registration", &[("token", token.as_str())]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);

    let admin = s.browser("admin@caseboard.example").await;
    let page = admin.page("/admin/registrations").await;
    assert_eq!(page.status, StatusCode::OK);
    let list = admin.call("registrations", &[("status", ""), ("cursor", "")]).await;
    assert!(list.text().contains(email), "{}", list.text());
    let id = serde_json::from_str::<Value>(&list.text()).unwrap()["registrations"][0]["id"].as_i64().unwrap();
    let approved =
        admin.call("approve_registration", &[("id", id.to_string().as_str()), ("organization", "globex")]).await;
    assert!(approved.status.is_success(), "{}: {}", approved.status, approved.text());
    let api = s.demo("admin@caseboard.example").await;
    let made = people(&api, "initrode").await;
    assert_eq!((made.len(), &made[0]["organization"]), (1, &json!("globex")), "{made:?}");
}

#[tokio::test]
async fn erasing_an_approved_person_erases_their_request_and_the_mail_sent_before_their_account() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let email = "erin@initrode.example";
    assert_eq!(ask(&s, &request_body(email)).await.status, StatusCode::ACCEPTED);
    let token = token_in(&s, "registration_verify", "/register/verify/", email, 1).await;
    assert_eq!(verify(&s, &token).await.status, StatusCode::NO_CONTENT);
    let id = pending(&admin).await[0]["id"].as_i64().unwrap();
    admin.post(&format!("/api/v1/registrations/{id}/approve"), &json!({"organization": "acme"})).await.ok();
    let person = people(&admin, "initrode").await[0]["id"].as_i64().unwrap();
    admin.post(&format!("/api/v1/users/{person}/erase"), &json!({})).await.ok();
    let decided = admin.get("/api/v1/registrations?status=approved").await.ok().to_string();
    assert!(!decided.contains("erin@") && !decided.contains("Dana Reed") && !decided.contains("Initrode"), "{decided}");
    let left: i64 = sqlx_scalar(&s, "SELECT COUNT(*) FROM mail_outbox WHERE to_address LIKE 'erin@%'").await;
    assert_eq!(left, 0, "no mail keeps the erased address");
}
