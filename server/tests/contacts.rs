//! Seats: only as many contacts as the plan allows may open cases (Coveo: two); the others
//! read and reply. The organization's admin (or a Caseboard admin) hands the seats out.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn only_contacts_with_a_seat_open_cases_and_seats_stop_at_the_plans_number() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    // Globex is on Coveo: two seats; Bruno holds one.
    for (email, name) in [("carla@globex.example", "Carla Reyes"), ("dan@globex.example", "Dan Wu")] {
        let body =
            json!({"email": email, "password": PASSWORD, "name": name, "role": "customer", "organization": "globex"});
        assert_eq!(admin.post("/api/v1/users", &body).await.status, StatusCode::CREATED);
    }
    let list = admin.get("/api/v1/organizations/globex/contacts").await.body;
    assert_eq!(list["seats"], 2);
    assert_eq!(list["seats_taken"], 2);
    let id_of = |email: &str| {
        list["contacts"].as_array().unwrap().iter().find(|c| c["email"] == email).unwrap()["id"].as_i64().unwrap()
    };
    let (dan_id, carla_id) = (id_of("dan@globex.example"), id_of("carla@globex.example"));
    let seat = async |id: i64, opens: bool| {
        admin.put(&format!("/api/v1/organizations/globex/contacts/{id}"), &json!({"opens_cases": opens})).await
    };

    // Dan has no seat: he cannot open a case, and still replies on his organization's cases.
    let dan = s.demo("dan@globex.example").await;
    let refused = dan.open_case(&case_body("No seat"), None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field(), "reporter");
    let bruno = s.demo("bruno@globex.example").await;
    let case = bruno.new_case(&case_body("Bruno's case")).await;
    assert_eq!(dan.reply(&case["number"], "Seen it too.", false).await.status, StatusCode::CREATED);

    // No third seat; a seat handed back can be given to Dan.
    let full = seat(dan_id, true).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(full.field(), "opens_cases");
    assert_eq!(seat(carla_id, false).await.status, StatusCode::OK);
    assert_eq!(seat(dan_id, true).await.body["seats_taken"], 2);
    assert_eq!(dan.open_case(&case_body("Now with a seat"), None).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn only_the_organizations_admin_manages_its_contacts() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let alice = s.demo("alice@acme.example").await;
    let list = olga.get("/api/v1/organizations/acme/contacts").await.body;
    assert_eq!(list["seats"], Value::Null, "Elastic plans let every contact open cases");
    assert_eq!(alice.get("/api/v1/organizations/acme/contacts").await.status, StatusCode::FORBIDDEN);
    assert_eq!(olga.get("/api/v1/organizations/globex/contacts").await.status, StatusCode::NOT_FOUND);
    // Another organization's contact is not found through this one.
    let bruno_id = s.store.user_by_email("bruno@globex.example").await.unwrap().unwrap().id;
    let other =
        olga.put(&format!("/api/v1/organizations/acme/contacts/{bruno_id}"), &json!({"opens_cases": false})).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

/// The id of the contact with `email` in a contacts list.
fn id_in(list: &Value, email: &str) -> i64 {
    list["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["email"] == email)
        .unwrap_or_else(|| panic!("{email} in {list}"))["id"]
        .as_i64()
        .unwrap()
}

fn contact_in<'a>(list: &'a Value, email: &str) -> Option<&'a Value> {
    list["contacts"].as_array().unwrap().iter().find(|c| c["email"] == email)
}

#[tokio::test]
async fn an_admin_renames_a_contact_makes_them_admin_and_gives_a_seat_in_one_change() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let list = olga.get("/api/v1/organizations/acme/contacts").await.expect(StatusCode::OK);
    assert_eq!(contact_in(&list, "olga@acme.example").unwrap()["status"], "active");
    let alice_id = id_in(&list, "alice@acme.example");
    let path = format!("/api/v1/organizations/acme/contacts/{alice_id}");
    let changed = olga
        .put(&path, &json!({"name": "  Alice Martin-Durand ", "org_admin": true, "opens_cases": false}))
        .await
        .expect(StatusCode::OK);
    let alice = contact_in(&changed, "alice@acme.example").unwrap();
    assert_eq!(
        (alice["name"].as_str(), alice["org_admin"].as_bool(), alice["opens_cases"].as_bool()),
        (Some("Alice Martin-Durand"), Some(true), Some(false))
    );
    // Now an admin herself, Alice manages the contacts; a field left out stays as it is.
    let alice_api = s.demo("alice@acme.example").await;
    let again = alice_api.put(&path, &json!({"opens_cases": true})).await.expect(StatusCode::OK);
    let alice = contact_in(&again, "alice@acme.example").unwrap();
    assert_eq!(
        (alice["name"].as_str(), alice["org_admin"].as_bool(), alice["opens_cases"].as_bool()),
        (Some("Alice Martin-Durand"), Some(true), Some(true))
    );

    // A bad name changes nothing, not even the fields that were fine.
    for name in ["", "Two\nlines", &"x".repeat(201)] {
        let refused = olga.put(&path, &json!({"name": name, "org_admin": false})).await;
        assert_eq!((refused.status, refused.field()), (StatusCode::UNPROCESSABLE_ENTITY, "name"), "{name:?}");
    }
    let unknown = olga.put(&path, &json!({"role": "admin"})).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "unknown fields are refused");
    assert_eq!(olga.get("/api/v1/organizations/acme/contacts").await.expect(StatusCode::OK), again);
}

#[tokio::test]
async fn the_last_admin_can_neither_be_demoted_nor_removed_and_nothing_changes() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let before = olga.get("/api/v1/organizations/acme/contacts").await.expect(StatusCode::OK);
    let (olga_id, alice_id) = (id_in(&before, "olga@acme.example"), id_in(&before, "alice@acme.example"));
    let own = format!("/api/v1/organizations/acme/contacts/{olga_id}");

    let demoted = olga.put(&own, &json!({"name": "Olga P.", "org_admin": false})).await;
    assert_eq!((demoted.status, demoted.field()), (StatusCode::UNPROCESSABLE_ENTITY, "org_admin"));
    assert_eq!(demoted.body["reason"]["code"], "last_admin");
    assert!(demoted.body["message"].as_str().unwrap().contains("without an admin"), "{}", demoted.text());
    let removed = olga.delete(&own).await;
    assert_eq!((removed.status, removed.field()), (StatusCode::UNPROCESSABLE_ENTITY, "contact"));
    assert_eq!(removed.body["reason"]["code"], "last_admin");
    // A Caseboard admin is held to the same rule.
    let admin = s.demo("admin@caseboard.example").await;
    assert_eq!(admin.delete(&own).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(olga.get("/api/v1/organizations/acme/contacts").await.expect(StatusCode::OK), before, "nothing changed");
    assert_eq!(olga.me().await.expect(StatusCode::OK)["org_admin"], true);

    // With a second admin, Olga may step down; then she manages nothing.
    let alice_path = format!("/api/v1/organizations/acme/contacts/{alice_id}");
    olga.put(&alice_path, &json!({"org_admin": true})).await.expect(StatusCode::OK);
    olga.put(&own, &json!({"org_admin": false})).await.expect(StatusCode::OK);
    assert_eq!(olga.get("/api/v1/organizations/acme/contacts").await.status, StatusCode::FORBIDDEN);
    // And Alice, now the last admin, cannot remove herself either.
    let alice = s.demo("alice@acme.example").await;
    assert_eq!(alice.delete(&alice_path).await.field(), "contact");
}

#[tokio::test]
async fn a_removed_contact_can_no_longer_sign_in_or_read_and_their_cases_stay_under_their_name() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let alice = s.demo("alice@acme.example").await;
    let alice_browser = s.browser("alice@acme.example").await;
    let case = alice.new_case(&case_body("Exports fail")).await["number"].as_i64().unwrap();
    let list = olga.get("/api/v1/organizations/acme/contacts").await.expect(StatusCode::OK);
    let alice_id = id_in(&list, "alice@acme.example");
    let seats_before = list["seats_taken"].as_u64().unwrap();

    let after = olga.delete(&format!("/api/v1/organizations/acme/contacts/{alice_id}")).await.expect(StatusCode::OK);
    assert!(contact_in(&after, "alice@acme.example").is_none(), "no longer listed");
    assert_eq!(after["seats_taken"].as_u64().unwrap(), seats_before - 1, "her seat is free again");

    // Her token, her browser session and her password no longer open anything.
    assert_eq!(alice.me().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(alice.get_case(case).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(alice_browser.read_case(case).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(s.api().token("alice@acme.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    // Her case stays, under her name.
    assert_eq!(olga.get_case(case).await.expect(StatusCode::OK)["reporter"], "Alice Martin");
    // Removed twice: she is no longer this organization's contact.
    assert_eq!(
        olga.delete(&format!("/api/v1/organizations/acme/contacts/{alice_id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        olga.put(&format!("/api/v1/organizations/acme/contacts/{alice_id}"), &json!({"opens_cases": true}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Invited again, she comes back as invited, with her cases.
    let invited = olga
        .post("/api/v1/organizations/acme/contacts", &json!({"name": "Alice Martin", "email": "alice@acme.example"}))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(contact_in(&invited, "alice@acme.example").unwrap()["status"], "invited");
    assert_eq!(contact_in(&invited, "alice@acme.example").unwrap()["id"], alice_id, "the same account");
    assert_eq!(
        s.api().token("alice@acme.example", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED,
        "a new password first"
    );
}

#[tokio::test]
async fn only_the_organizations_admin_edits_or_removes_its_contacts_and_a_refusal_changes_nothing() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let admin = s.demo("admin@caseboard.example").await;
    let acme = olga.get("/api/v1/organizations/acme/contacts").await.expect(StatusCode::OK);
    let alice_id = id_in(&acme, "alice@acme.example");
    let bruno_id =
        id_in(&admin.get("/api/v1/organizations/globex/contacts").await.expect(StatusCode::OK), "bruno@globex.example");
    let snapshot = async || {
        (
            admin.get("/api/v1/organizations/acme/contacts").await.text(),
            admin.get("/api/v1/organizations/globex/contacts").await.text(),
        )
    };
    let before = snapshot().await;
    let callers = [
        ("a plain customer", s.demo("alice@acme.example").await, StatusCode::FORBIDDEN),
        ("an engineer", s.demo("sam@caseboard.example").await, StatusCode::FORBIDDEN),
        ("another organization's customer", s.demo("bruno@globex.example").await, StatusCode::NOT_FOUND),
    ];
    for (who, api, status) in &callers {
        let path = format!("/api/v1/organizations/acme/contacts/{alice_id}");
        assert_eq!(api.put(&path, &json!({"name": "Taken over", "org_admin": true})).await.status, *status, "{who}");
        assert_eq!(api.delete(&path).await.status, *status, "{who}");
    }
    // Another organization's contact, through Olga's own organization or theirs: not found.
    for path in [
        format!("/api/v1/organizations/acme/contacts/{bruno_id}"),
        format!("/api/v1/organizations/globex/contacts/{bruno_id}"),
        "/api/v1/organizations/acme/contacts/not-a-number".into(),
        "/api/v1/organizations/acme/contacts/999999".into(),
    ] {
        assert_eq!(olga.put(&path, &json!({"name": "Taken over"})).await.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(olga.delete(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    // The server functions the page calls answer the same.
    let alice_browser = s.browser("alice@acme.example").await;
    let id = alice_id.to_string();
    let edit = alice_browser
        .call("edit_contact", &[("user_id", id.as_str()), ("name", "Taken over"), ("org_admin", "on")])
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    assert_eq!(alice_browser.call("remove_contact", &[("user_id", id.as_str())]).await.status, StatusCode::FORBIDDEN);
    let olga_browser = s.browser("olga@acme.example").await;
    let bruno = bruno_id.to_string();
    assert_eq!(olga_browser.call("remove_contact", &[("user_id", bruno.as_str())]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(snapshot().await, before, "nothing changed");
    assert_eq!(s.demo("bruno@globex.example").await.me().await.status, StatusCode::OK, "Bruno still signs in");

    // Olga's own page functions work.
    let edited = olga_browser
        .call("edit_contact", &[("user_id", id.as_str()), ("name", "Alice M."), ("opens_cases", "on")])
        .await
        .expect(StatusCode::OK);
    let alice = contact_in(&edited, "alice@acme.example").unwrap();
    assert_eq!((alice["name"].as_str(), alice["org_admin"].as_bool()), (Some("Alice M."), Some(false)));
    let removed = olga_browser.call("remove_contact", &[("user_id", id.as_str())]).await.expect(StatusCode::OK);
    assert!(contact_in(&removed, "alice@acme.example").is_none());
}

#[tokio::test]
async fn a_removed_contact_writing_in_by_email_is_an_unknown_sender_and_changes_nothing() {
    let s = common::start_with(None, |config| config.mail.mailgate_token = Some("gate-secret".into())).await;
    let olga = s.demo("olga@acme.example").await;
    let alice = s.demo("alice@acme.example").await;
    let case = alice.new_case(&case_body("Exports fail")).await["number"].as_i64().unwrap();
    let alice_id = s.store.user_by_email("alice@acme.example").await.unwrap().unwrap().id;
    let tag = app::backend::mail::reply_key(&s.store).tag(app::domain::CaseNumber(case), alice_id);
    olga.delete(&format!("/api/v1/organizations/acme/contacts/{alice_id}")).await.expect(StatusCode::OK);
    let events = olga.events(case).await.list().len();
    let cases = olga.case_count().await;

    let mail = |to: String, id: &str| {
        format!(
            "From: Alice Martin <alice@acme.example>\r\nTo: {to}\r\nSubject: Re: [Case {case}]\r\n\
             Message-ID: <{id}@acme.example>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nStill failing.\r\n"
        )
    };
    let gateway = s.api().with_token("gate-secret");
    for (to, id) in [
        (format!("support+{tag}@caseboard.example"), "removed-reply"),
        ("support@caseboard.example".into(), "removed-new"),
    ] {
        let request = gateway
            .request(reqwest::Method::POST, "/api/v1/mail/inbound")
            .header("content-type", "message/rfc822")
            .body(mail(to, id));
        let report = gateway.send(request).await.expect(StatusCode::OK);
        assert_eq!((report["outcome"].as_str(), report["reason"].as_str()), (Some("refused"), Some("unknown_sender")));
    }
    assert_eq!(olga.events(case).await.list().len(), events, "no reply added");
    assert_eq!(olga.case_count().await, cases, "no case opened");
}
