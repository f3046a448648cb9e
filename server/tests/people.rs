//! People and the admin log over real HTTP (#16): an admin lists, reads and changes anyone's
//! profile (`/api/v1/users`), deactivates and reactivates accounts, and every such action is
//! in the admin log (`/api/v1/audit`) with the state before and after. Each refusal is
//! checked for the API's error shape and for changing nothing.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn patch(api: &Api, path: &str, body: &Value) -> Answer {
    api.send(api.request(Method::PATCH, path).json(body)).await
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().expect("an object").keys().cloned().collect();
    keys.sort();
    keys
}

/// An engineer the admin creates (`UTC`, no profile yet), by id.
async fn new_engineer(admin: &Api, email: &str) -> i64 {
    let created = admin
        .post(
            "/api/v1/users",
            &json!({"email": email, "password": "a long passphrase", "name": "Noor Haddad", "role": "engineer"}),
        )
        .await
        .expect(StatusCode::CREATED);
    created["id"].as_i64().expect("the new user's id")
}

/// The first page of the admin log, as the admin reads it.
async fn audit(admin: &Api) -> Value {
    admin.get("/api/v1/audit?limit=200").await.expect(StatusCode::OK)
}

fn refused(answer: Answer, field: &str) {
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", answer.text());
    assert_eq!(answer.error(), "invalid", "{}", answer.text());
    assert_eq!(answer.field(), field, "{}", answer.text());
    assert!(answer.body["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", answer.text());
}

#[tokio::test]
async fn an_admin_sets_an_engineers_profile_and_the_admin_log_shows_before_and_after() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let id = new_engineer(&admin, "noor@caseboard.example").await;

    let noor = admin.get(&format!("/api/v1/users/{id}")).await.expect(StatusCode::OK);
    assert_eq!(
        keys(&noor),
        [
            "active",
            "email",
            "id",
            "language",
            "languages",
            "lead",
            "name",
            "on_duty",
            "org_admin",
            "organization",
            "role",
            "shifts",
            "skills",
            "time_zone"
        ]
    );
    assert_eq!((noor["time_zone"].as_str(), noor["active"].as_bool()), (Some("UTC"), Some(true)));
    assert_eq!(
        noor["shifts"],
        json!([{"days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "start": "09:00", "end": "18:00"}])
    );

    let change = json!({
        "name": "Noor H.", "language": "fr", "time_zone": "Asia/Tokyo", "languages": ["zh", "en"], "skills": ["Kibana"],
        "shifts": [
            {"days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "start": "08:00", "end": "12:00"},
            {"days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "start": "13:00", "end": "17:00"},
            {"days": ["saturday"], "start": "10:00", "end": "14:00"}
        ],
        "lead": true, "on_duty": false
    });
    let changed = patch(&admin, &format!("/api/v1/users/{id}"), &change).await.expect(StatusCode::OK);
    for field in ["name", "language", "time_zone", "languages", "skills", "shifts", "lead", "on_duty"] {
        assert_eq!(changed[field], change[field], "{field}");
    }
    assert_eq!(admin.get(&format!("/api/v1/users/{id}")).await.expect(StatusCode::OK), changed, "as saved");

    // The admin log: exactly {entries, next_cursor}, each entry exactly its six fields.
    let log = audit(&admin).await;
    assert_eq!(keys(&log), ["entries", "next_cursor"]);
    let entries = log["entries"].as_array().unwrap();
    let updated = &entries[0];
    assert_eq!(keys(updated), ["action", "actor", "after", "at", "before", "target"]);
    assert_eq!(updated["action"], "user.updated");
    assert_eq!(updated["target"], format!("user:{id}"));
    assert_eq!(updated["actor"]["email"], "admin@caseboard.example");
    assert_eq!(
        (updated["before"]["time_zone"].as_str(), updated["after"]["time_zone"].as_str()),
        (Some("UTC"), Some("Asia/Tokyo"))
    );
    assert_eq!((updated["before"]["lead"].as_bool(), updated["after"]["lead"].as_bool()), (Some(false), Some(true)));
    assert!(updated["at"].as_str().unwrap().parse::<jiff::Timestamp>().is_ok());
    let created = &entries[1];
    assert_eq!((created["action"].as_str(), created["before"].is_null()), (Some("user.created"), true));
    assert_eq!(created["after"]["email"], "noor@caseboard.example");

    // The log pages newest first: one at a time, following the cursor, it is the whole log.
    let mut paged = Vec::new();
    let mut path = "/api/v1/audit?limit=1".to_string();
    loop {
        let page = admin.get(&path).await.expect(StatusCode::OK);
        assert!(page["entries"].as_array().unwrap().len() <= 1);
        paged.extend(page["entries"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => path = format!("/api/v1/audit?limit=1&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(&paged, entries);

    // Moving zone keeps the shifts at the same civil times.
    let moved = patch(&admin, &format!("/api/v1/users/{id}"), &json!({"time_zone": "Europe/Paris"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(moved["shifts"], change["shifts"]);

    // A customer can be made an organization admin, at creation and later.
    let dana = admin
        .post(
            "/api/v1/users",
            &json!({"email": "dana@acme.example", "password": "a long passphrase", "name": "Dana", "role": "customer",
                "organization": "acme", "org_admin": true}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!((dana["org_admin"].as_bool(), dana["id"].as_i64().is_some()), (Some(true), true));
    let alice_id = s.store.user_by_email("alice@acme.example").await.unwrap().unwrap().id;
    let alice =
        patch(&admin, &format!("/api/v1/users/{alice_id}"), &json!({"org_admin": true})).await.expect(StatusCode::OK);
    assert_eq!(
        (alice["org_admin"].as_bool(), alice["organization"].as_str(), alice["skills"].is_null()),
        (Some(true), Some("acme"), true)
    );
}

#[tokio::test]
async fn refused_changes_name_the_field_and_change_nothing() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let id = new_engineer(&admin, "noor@caseboard.example").await;
    let path = format!("/api/v1/users/{id}");
    let alice_id = s.store.user_by_email("alice@acme.example").await.unwrap().unwrap().id;
    let olga_id = s.store.user_by_email("olga@acme.example").await.unwrap().unwrap().id;
    let week = ["monday", "tuesday", "wednesday", "thursday", "friday"];

    let cases: Vec<(String, Value, &str)> = vec![
        (path.clone(), json!({"name": "Renamed", "time_zone": "Mars/Olympus"}), "time_zone"),
        (path.clone(), json!({"name": "Renamed", "languages": ["zh", "klingon"]}), "languages"),
        (path.clone(), json!({"language": "de"}), "language"),
        (path.clone(), json!({"name": "  "}), "name"),
        (
            path.clone(),
            json!({"skills": ["Kibana"], "shifts": [{"days": week, "start": "09:00", "end": "13:00"},
                {"days": ["friday"], "start": "12:00", "end": "18:00"}]}),
            "shifts",
        ),
        (path.clone(), json!({"shifts": [{"days": week, "start": "18:00", "end": "09:00"}]}), "shifts"),
        (path.clone(), json!({"org_admin": true}), "org_admin"),
        (format!("/api/v1/users/{alice_id}"), json!({"name": "Alice B.", "skills": ["Kibana"]}), "skills"),
        (format!("/api/v1/users/{alice_id}"), json!({"on_duty": false}), "on_duty"),
        // Olga is Acme's only admin: it keeps one.
        (format!("/api/v1/users/{olga_id}"), json!({"org_admin": false}), "org_admin"),
    ];
    for (target, body, field) in cases {
        let before = admin.get(&target).await.expect(StatusCode::OK);
        let log = audit(&admin).await;
        refused(patch(&admin, &target, &body).await, field);
        assert_eq!(admin.get(&target).await.expect(StatusCode::OK), before, "{body}: nothing changed");
        assert_eq!(audit(&admin).await, log, "{body}: nothing logged");
    }

    // An unknown field is a malformed request; an unknown person is not found.
    let unknown = patch(&admin, &path, &json!({"shoe_size": 44})).await;
    assert_eq!((unknown.status, unknown.error()), (StatusCode::BAD_REQUEST, "malformed"));
    let nobody = patch(&admin, "/api/v1/users/999999", &json!({"name": "x"})).await;
    assert_eq!((nobody.status, nobody.error()), (StatusCode::NOT_FOUND, "not_found"));
    assert_eq!(admin.get("/api/v1/users/nobody").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn customers_organization_admins_and_engineers_are_refused_every_people_route() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let id = new_engineer(&admin, "noor@caseboard.example").await;
    let snapshot = async || {
        (
            admin.get(&format!("/api/v1/users/{id}")).await.text(),
            admin.get("/api/v1/users?limit=200").await.text(),
            audit(&admin).await,
        )
    };
    let before = snapshot().await;
    for email in ["alice@acme.example", "olga@acme.example", "sam@caseboard.example"] {
        let caller = s.demo(email).await;
        for (method, path, body) in [
            (Method::GET, "/api/v1/users".to_string(), None),
            (Method::GET, format!("/api/v1/users/{id}"), None),
            (Method::PATCH, format!("/api/v1/users/{id}"), Some(json!({"name": "Taken over"}))),
            (Method::POST, format!("/api/v1/users/{id}/deactivate"), None),
            (Method::POST, format!("/api/v1/users/{id}/reactivate"), None),
            (Method::GET, "/api/v1/audit".to_string(), None),
        ] {
            let request = caller.request(method.clone(), &path);
            let request = match &body {
                Some(body) => request.json(body),
                None => request,
            };
            let answer = caller.send(request).await;
            assert_eq!(
                (answer.status, answer.error()),
                (StatusCode::FORBIDDEN, "forbidden"),
                "{email} {method} {path}"
            );
        }
    }
    assert!(s.api().get("/api/v1/audit").await.status == StatusCode::UNAUTHORIZED);
    assert_eq!(snapshot().await, before, "nothing changed");
}

#[tokio::test]
async fn the_people_list_filters_and_pages_by_cursor() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let names = |page: &Value| -> Vec<String> {
        page["users"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap().to_owned()).collect()
    };
    let engineers = admin.get("/api/v1/users?role=engineer").await.expect(StatusCode::OK);
    assert_eq!(keys(&engineers), ["next_cursor", "users"]);
    let mut found = names(&engineers);
    found.sort();
    assert_eq!(found, ["mei@caseboard.example", "sam@caseboard.example"]);
    let acme = names(&admin.get("/api/v1/users?organization=acme").await.expect(StatusCode::OK));
    assert!(acme.contains(&"alice@acme.example".to_string()) && acme.contains(&"olga@acme.example".to_string()));
    assert!(acme.iter().all(|e| e.ends_with("@acme.example")), "{acme:?}");
    assert_eq!(names(&admin.get("/api/v1/users?q=MEI%40").await.expect(StatusCode::OK)), ["mei@caseboard.example"]);
    assert_eq!(
        names(&admin.get("/api/v1/users?q=%25").await.expect(StatusCode::OK)),
        Vec::<String>::new(),
        "% is literal"
    );

    // One at a time, following the cursor, the pages hold everyone once.
    let everyone = names(&admin.get("/api/v1/users?limit=200").await.expect(StatusCode::OK));
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=2&cursor={c}"),
            None => "/api/v1/users?limit=2".into(),
        };
        let page = admin.get(&path).await.expect(StatusCode::OK);
        paged.extend(names(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(paged, everyone);
    assert!(everyone.len() >= 7);

    for (query, field) in [
        ("role=wizard", "role"),
        ("organization=no-such-org", "organization"),
        ("active=maybe", "active"),
        ("limit=201", "limit"),
        ("limit=0", "limit"),
        ("cursor=zz", "cursor"),
    ] {
        refused(admin.get(&format!("/api/v1/users?{query}")).await, field);
    }
    refused(admin.get("/api/v1/audit?limit=201").await, "limit");
    refused(admin.get("/api/v1/audit?cursor=6e3a31").await, "cursor");
}

#[tokio::test]
async fn a_deactivated_engineer_is_signed_out_signs_in_no_more_and_their_open_cases_go_to_others() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let sam_browser = s.browser("sam@caseboard.example").await;
    let sam_id = s.store.user_by_email("sam@caseboard.example").await.unwrap().unwrap().id;
    let mut numbers = Vec::new();
    for summary in ["first of Sam's", "second of Sam's"] {
        let number = alice.new_case(&case_body(summary)).await["number"].as_i64().unwrap();
        sam.assign(number, Some("me"), None).await.expect(StatusCode::OK);
        numbers.push(number);
    }

    // An admin cannot deactivate themselves.
    let admin_id = admin.me().await.expect(StatusCode::OK)["id"].as_i64().unwrap();
    let log = audit(&admin).await;
    refused(admin.post(&format!("/api/v1/users/{admin_id}/deactivate"), &json!({})).await, "user");
    assert_eq!(audit(&admin).await, log, "nothing logged");
    admin.me().await.expect(StatusCode::OK);

    let deactivated =
        admin.post(&format!("/api/v1/users/{sam_id}/deactivate"), &json!({})).await.expect(StatusCode::OK);
    assert_eq!(deactivated["active"], false);

    // Signed out everywhere at once; signing in is refused as a wrong password is.
    let revoked = sam.me().await;
    assert_eq!((revoked.status, revoked.error()), (StatusCode::UNAUTHORIZED, "unauthenticated"), "{}", revoked.text());
    let page = Answer::read(sam_browser.request(Method::GET, "/api/v1/me").send().await.unwrap()).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "the browser session ended too");
    let signing_in = s.api().token("sam@caseboard.example", PASSWORD).await;
    let wrong_password = s.api().token("mei@caseboard.example", "not her password").await;
    assert_eq!((signing_in.status, signing_in.error()), (wrong_password.status, wrong_password.error()));
    assert_eq!(signing_in.error(), "bad_credentials");

    // Their open cases went to Mei by the assignment rule, each move in the case's log.
    for number in &numbers {
        let case = admin.get_case(number).await.expect(StatusCode::OK);
        assert_eq!(case["assignee"], "Mei Lin", "case {number}");
        let events = admin.events(number).await.text();
        assert!(events.matches("\"assigned\"").count() >= 2, "{events}");
    }
    let entry = &audit(&admin).await["entries"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["target"].as_str()),
        (Some("user.deactivated"), Some(format!("user:{sam_id}").as_str()))
    );
    assert_eq!((entry["before"]["active"].as_bool(), entry["after"]["active"].as_bool()), (Some(true), Some(false)));
    let inactive = admin.get("/api/v1/users?active=false").await.expect(StatusCode::OK);
    assert_eq!(inactive["users"].as_array().unwrap().len(), 1);
    assert_eq!(inactive["users"][0]["email"], "sam@caseboard.example");

    // Deactivating again changes nothing; reactivated, Sam signs in with his password.
    let log = audit(&admin).await;
    admin.post(&format!("/api/v1/users/{sam_id}/deactivate"), &json!({})).await.expect(StatusCode::OK);
    assert_eq!(audit(&admin).await, log);
    let back = admin.post(&format!("/api/v1/users/{sam_id}/reactivate"), &json!({})).await.expect(StatusCode::OK);
    assert_eq!(back["active"], true);
    assert_eq!(audit(&admin).await["entries"][0]["action"], "user.reactivated");
    s.api().token("sam@caseboard.example", PASSWORD).await.expect(StatusCode::OK);
    assert_eq!(sam.me().await.status, StatusCode::UNAUTHORIZED, "the old token stays revoked");
}

#[tokio::test]
async fn a_deactivated_customer_cannot_use_a_token_or_sign_in() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let bruno_id = bruno.me().await.expect(StatusCode::OK)["id"].as_i64().unwrap();
    admin.post(&format!("/api/v1/users/{bruno_id}/deactivate"), &json!({})).await.expect(StatusCode::OK);
    assert_eq!(bruno.list_cases().await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bruno.open_case(&case_body("after deactivation"), None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(s.api().token("bruno@globex.example", PASSWORD).await.error(), "bad_credentials");
    // Other things admins did are in the log too: an organization created.
    admin
        .post("/api/v1/organizations", &json!({"slug": "initrode", "name": "Initrode", "plan": "elastic-cloud-basic"}))
        .await
        .expect(StatusCode::CREATED);
    let entry = &audit(&admin).await["entries"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["target"].as_str()),
        (Some("organization.created"), Some("organization:initrode"))
    );
    assert_eq!(entry["after"]["plan"], "elastic-cloud-basic");
}

#[tokio::test]
async fn the_configured_admin_is_created_by_the_server_itself_in_the_log() {
    let s = start_with_admin(Some(("root@example.com".into(), "configured passphrase".into()))).await;
    let root = s.api().sign_in("root@example.com", "configured passphrase").await;
    let log = audit(&root).await;
    let created = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "user.created" && e["after"]["email"] == "root@example.com")
        .expect("the configured admin's creation is logged");
    assert!(created["actor"].is_null(), "the server's own action: {created}");
    assert_eq!(created["after"]["role"], "admin");
}
