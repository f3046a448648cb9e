//! The admin console's people, plans and admin-log pages (#16) through their server
//! functions, as the pages call them (`POST /api/<function>`): a customer, an engineer and
//! a visitor are refused every one of them and change nothing; an admin creates a person,
//! sees a bad zone and overlapping shifts refused on their field, sets a profile and
//! deactivates; and the admin log page shows a hostile name as text, never as markup.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const ADMIN: &str = "admin@caseboard.example";
const HOSTILE: &str = "<img src=x onerror=alert(1)>";

/// Everything the console's functions could change, as the admin reads it over REST.
async fn state(admin: &Api, id: i64) -> (Value, Value, Value, Value) {
    let person = admin.get(&format!("/api/v1/users/{id}")).await.expect(StatusCode::OK);
    let people = admin.get("/api/v1/users?limit=200").await.expect(StatusCode::OK);
    let plans = admin.get("/api/v1/plans").await.expect(StatusCode::OK);
    let log = admin.get("/api/v1/audit?limit=200").await.expect(StatusCode::OK);
    (person, people, plans, log)
}

/// A custom plan as `save_custom_plan` takes it: a copy of the first preset.
async fn a_plan(admin: &Api) -> Value {
    let mut plan = admin.get("/api/v1/plans").await.expect(StatusCode::OK)[0].clone();
    plan["id"] = json!("intruder-plan");
    plan["name"] = json!("Intruder plan");
    plan
}

/// Every function of the console, called by `browser` on person `id`: each status.
async fn call_every_function(browser: &Browser, id: i64, plan: &Value) -> Vec<(&'static str, StatusCode)> {
    let id = id.to_string();
    let new_person = [
        ("email", "intruder@caseboard.example"),
        ("name", "Intruder"),
        ("password", "a long passphrase"),
        ("role", "admin"),
    ];
    let change = json!({"id": id.parse::<i64>().unwrap(), "change": {"name": "Taken over", "time_zone": "Asia/Tokyo"}});
    vec![
        ("admin_people", browser.call("admin_people", &[("q", "")]).await.status),
        ("admin_person", browser.call("admin_person", &[("id", id.as_str())]).await.status),
        ("create_person", browser.call("create_person", &new_person).await.status),
        ("change_person", browser.call_json("change_person", &change).await.status),
        ("deactivate_person", browser.call("deactivate_person", &[("id", id.as_str())]).await.status),
        ("reactivate_person", browser.call("reactivate_person", &[("id", id.as_str())]).await.status),
        ("save_custom_plan", browser.call_json("save_custom_plan", &json!({"plan": plan})).await.status),
        ("admin_log", browser.call("admin_log", &[("cursor", "")]).await.status),
    ]
}

#[tokio::test]
async fn customers_engineers_and_visitors_are_refused_every_console_function_and_change_nothing() {
    let s = start().await;
    let admin = s.demo(ADMIN).await;
    let mei = s.store.user_by_email("mei@caseboard.example").await.unwrap().unwrap().id;
    let plan = a_plan(&admin).await;
    let before = state(&admin, mei).await;

    for email in ["alice@acme.example", "olga@acme.example", "sam@caseboard.example"] {
        let browser = s.browser(email).await;
        for (function, status) in call_every_function(&browser, mei, &plan).await {
            assert_eq!(status, StatusCode::FORBIDDEN, "{function} as {email}");
        }
    }
    for (function, status) in call_every_function(&Browser::anonymous(&s.base), mei, &plan).await {
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{function} as a visitor");
    }

    assert_eq!(state(&admin, mei).await, before, "nothing changed, nothing logged");
    assert!(s.store.user_by_email("intruder@caseboard.example").await.unwrap().is_none());
    assert!(s.store.user_by_email("mei@caseboard.example").await.unwrap().is_some(), "Mei still signs in");
}

#[tokio::test]
async fn an_admin_creates_an_engineer_and_sets_their_profile_a_refused_field_changing_nothing() {
    let s = start().await;
    let admin = s.demo(ADMIN).await;
    let browser = s.browser(ADMIN).await;
    let created = browser
        .call(
            "create_person",
            &[
                ("email", "noor@caseboard.example"),
                ("name", "Noor Haddad"),
                ("password", "a long passphrase"),
                ("role", "engineer"),
            ],
        )
        .await
        .expect(StatusCode::OK);
    let id = created.as_i64().expect("the new person's id");
    let person = browser.call("admin_person", &[("id", id.to_string())]).await.expect(StatusCode::OK);
    assert_eq!((person["name"].as_str(), person["role"].as_str()), (Some("Noor Haddad"), Some("engineer")));
    // A customer needs an organization: refused on that field.
    let orphan = browser
        .call(
            "create_person",
            &[("email", "c@acme.example"), ("name", "C"), ("password", "a long passphrase"), ("role", "customer")],
        )
        .await;
    assert_eq!(orphan.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", orphan.text());
    assert!(orphan.text().contains("organization"), "{}", orphan.text());

    let before = state(&admin, id).await;
    let weekdays = json!(["monday", "tuesday", "wednesday", "thursday", "friday"]);
    for (change, field) in [
        (json!({"time_zone": "Mars/Olympus_Mons"}), "time_zone"),
        (
            json!({"time_zone": "Asia/Shanghai", "shifts": [
                {"days": weekdays, "start": "09:00", "end": "18:00"},
                {"days": ["friday"], "start": "17:00", "end": "20:00"}
            ]}),
            "shifts",
        ),
        (json!({"languages": ["klingon"]}), "languages"),
        (json!({"org_admin": true}), "org_admin"),
    ] {
        let refused = browser.call_json("change_person", &json!({"id": id, "change": change})).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", refused.text());
        assert!(refused.text().contains(&format!("\"{field}\"")), "{field}: {}", refused.text());
        assert_eq!(state(&admin, id).await, before, "{field}: nothing changed");
    }

    let change = json!({"time_zone": "Asia/Shanghai", "languages": ["zh", "en"], "skills": ["Kibana"],
        "shifts": [{"days": weekdays, "start": "09:00", "end": "18:00"}], "on_duty": false});
    let changed = browser.call_json("change_person", &json!({"id": id, "change": change})).await.expect(StatusCode::OK);
    assert_eq!(changed["time_zone"], "Asia/Shanghai");
    assert_eq!(changed["languages"], json!(["zh", "en"]));
    assert_eq!(changed["skills"], json!(["Kibana"]));
    assert_eq!(changed["on_duty"], false);
    let deactivated = browser.call("deactivate_person", &[("id", id.to_string())]).await.expect(StatusCode::OK);
    assert_eq!(deactivated["active"], false);
    let log = browser.call("admin_log", &[("cursor", "")]).await.expect(StatusCode::OK);
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().take(3).map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["user.deactivated", "user.updated", "user.created"]);
    let listed =
        browser.call("admin_people", &[("active", "false"), ("role", "engineer")]).await.expect(StatusCode::OK);
    assert_eq!(listed["users"][0]["id"].as_i64(), Some(id));
}

/// `caseboard serve` in a process of its own, as `security.rs` runs page renders: a debug
/// build's render of these pages is deeper than a test thread's stack.
async fn own_process() -> (tempfile::TempDir, common::instance::Instance) {
    let dir = tempfile::tempdir().unwrap();
    let url = app::backend::test_database::url(dir.path()).await.unwrap();
    let instance =
        common::instance::start(env!("CARGO_BIN_EXE_caseboard"), &url, dir.path().to_path_buf(), true, 3600).await;
    (dir, instance)
}

#[tokio::test]
async fn the_admin_log_and_people_pages_show_a_hostile_name_as_text() {
    let (_dir, server) = own_process().await;
    let admin = Api::new(&server.base).demo(ADMIN).await;
    let found = admin.get("/api/v1/users?q=sam%40caseboard.example").await.expect(StatusCode::OK);
    let sam = found["users"][0]["id"].as_i64().expect("Sam's id");
    let renamed = admin
        .send(admin.request(reqwest::Method::PATCH, &format!("/api/v1/users/{sam}")).json(&json!({"name": HOSTILE})))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text());

    let mut plan = admin.get("/api/v1/plans").await.expect(StatusCode::OK)[0].clone();
    (plan["id"], plan["name"]) = (json!("hostile-plan"), json!(HOSTILE));
    admin.put("/api/v1/plans/hostile-plan", &plan).await.expect(StatusCode::OK);

    let browser = Browser::sign_in(&server.base, ADMIN, PASSWORD).await;
    let pages = [
        "/admin/audit".to_owned(),
        format!("/admin/people/{sam}"),
        "/admin/people?role=engineer".into(),
        "/admin/plans".into(),
    ];
    for path in pages {
        let page = browser.page(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.text();
        assert!(!html.contains("<img src=x"), "live markup in {path}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "the name is shown as text in {path}");
    }
    let audit = browser.page("/admin/audit").await.text();
    assert!(audit.contains("user.updated") && audit.contains(&format!("user:{sam}")), "the entry is listed");
    let plans = browser.page("/admin/plans").await.text();
    assert!(plans.contains("Elastic cloud Premium") && plans.contains("hostile-plan"), "presets and the custom plan");
}
