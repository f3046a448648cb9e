//! The admin's organizations over REST (issue #16): the list (search, keyset pages by name),
//! one organization, renaming, deactivation (its contacts are shut out at once, its cases
//! kept) and reactivation, products, and holidays imported from an iCalendar file. Every
//! refusal answers in the API's error shape and changes nothing.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ADMIN: &str = "admin@caseboard.example";

/// What an admin reads of every organization and of Acme's products: a refusal leaves it as it was.
async fn snapshot(admin: &Api) -> Vec<String> {
    let mut seen = Vec::new();
    for path in [
        "/api/v1/organizations?limit=200",
        "/api/v1/organizations/acme/products",
        "/api/v1/organizations/globex/products",
        "/api/v1/audit?limit=200",
    ] {
        let answer = admin.get(path).await;
        seen.push(format!("{path}: {} {}", answer.status, answer.text()));
    }
    seen
}

/// The organization's contract changes (plan and calendar snapshots), oldest first.
async fn contract_changes(s: &TestServer, slug: &str) -> Vec<(String, String)> {
    let organization = s.store.organization_by_slug(slug).await.unwrap().unwrap();
    s.store.contract_changes(organization.id).await.unwrap().into_iter().map(|(_, p, c)| (p, c)).collect()
}

#[track_caller]
fn refused(answer: &Answer, status: StatusCode, error: &str, field: Option<&str>) {
    assert_eq!(answer.status, status, "{}", answer.text());
    assert_eq!(answer.error(), error, "{}", answer.text());
    assert!(answer.body["message"].is_string(), "{}", answer.text());
    if let Some(field) = field {
        assert_eq!(answer.field(), field, "{}", answer.text());
    }
}

/// The newest admin log entry.
async fn last_entry(admin: &Api) -> Value {
    admin.get("/api/v1/audit?limit=1").await.expect(StatusCode::OK)["entries"][0].clone()
}

async fn patch(api: &Api, path: &str, body: &Value) -> Answer {
    api.send(api.request(Method::PATCH, path).json(body)).await
}

async fn post_calendar(api: &Api, slug: &str, content_type: &str, body: &str) -> Answer {
    let path = format!("/api/v1/organizations/{slug}/calendar/holidays");
    api.send(api.request(Method::POST, &path).header("Content-Type", content_type).body(body.to_owned())).await
}

#[tokio::test]
async fn the_admin_lists_organizations_by_name_a_page_at_a_time_and_searches_them() {
    let s = start().await;
    let admin = s.demo(ADMIN).await;
    for (slug, name) in [("zeta", "Zeta Labs"), ("beta", "Beta 50% Off"), ("alpha-two", "Alpha Two")] {
        let body = json!({"slug": slug, "name": name, "plan": "elastic-cloud-basic"});
        admin.post("/api/v1/organizations", &body).await.expect(StatusCode::CREATED);
    }

    let mut names = Vec::new();
    let mut path = "/api/v1/organizations?limit=2".to_owned();
    loop {
        let page = admin.get(&path).await.expect(StatusCode::OK);
        let organizations = page["organizations"].as_array().unwrap();
        assert!(organizations.len() <= 2);
        for organization in organizations {
            for field in ["slug", "name", "plan", "active", "seats", "seats_taken", "email_intake"] {
                assert!(organization.get(field).is_some(), "{field} in {organization}");
            }
            names.push(organization["name"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/organizations?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(names, ["Acme Analytics", "Alpha Two", "Beta 50% Off", "Globex", "Initech", "Zeta Labs"]);

    let globex = admin.get("/api/v1/organizations?q=GLOB").await.expect(StatusCode::OK);
    assert_eq!(globex["organizations"].as_array().unwrap().len(), 1);
    let globex = &globex["organizations"][0];
    assert_eq!(globex["slug"], "globex");
    assert_eq!(globex["active"], true);
    assert_eq!(globex["email_intake"], true);
    assert_eq!(globex["seats"], 2, "Coveo: two seats");
    assert_eq!(globex["seats_taken"], 1);
    assert_eq!(globex["next_cursor"], Value::Null);
    // By slug too; `%` is a character, not a wildcard.
    let by_slug = admin.get("/api/v1/organizations?q=alpha-t").await.expect(StatusCode::OK);
    assert_eq!(by_slug["organizations"][0]["slug"], "alpha-two");
    let percent = admin.get("/api/v1/organizations?q=50%25").await.expect(StatusCode::OK);
    assert_eq!(percent["organizations"].as_array().unwrap().len(), 1);
    assert_eq!(admin.get("/api/v1/organizations?q=%25").await.ok()["organizations"].as_array().unwrap().len(), 1);

    let one = admin.get("/api/v1/organizations/acme").await.expect(StatusCode::OK);
    assert_eq!(one["name"], "Acme Analytics");
    assert_eq!(one["seats"], Value::Null, "Elastic plans: every contact may open cases");

    let before = snapshot(&admin).await;
    for (path, field) in [
        ("/api/v1/organizations?limit=0", "limit"),
        ("/api/v1/organizations?limit=201", "limit"),
        ("/api/v1/organizations?limit=many", "limit"),
        ("/api/v1/organizations?cursor=zz", "cursor"),
        // A contacts list's cursor is no organizations list's.
        ("/api/v1/organizations?cursor=633a313a41", "cursor"),
    ] {
        refused(&admin.get(path).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(field));
    }
    let long = format!("/api/v1/organizations?q={}", "a".repeat(101));
    refused(&admin.get(&long).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("q"));
    refused(&admin.get("/api/v1/organizations/no-such-org").await, StatusCode::NOT_FOUND, "not_found", None);
    assert_eq!(snapshot(&admin).await, before);
}

#[tokio::test]
async fn an_organization_is_renamed_and_a_slug_already_taken_changes_nothing() {
    let s = start().await;
    let admin = s.demo(ADMIN).await;
    let alice = s.demo("alice@acme.example").await;
    let case = alice.new_case(&case_body("Before the rename")).await["number"].as_i64().unwrap();

    let before = snapshot(&admin).await;
    let taken = patch(&admin, "/api/v1/organizations/acme", &json!({"name": "Acme Two", "slug": "globex"})).await;
    refused(&taken, StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("slug"));
    assert_eq!(taken.body["reason"]["code"], "not_allowed");
    for (body, field) in [
        (json!({"slug": "Acme!"}), "slug"),
        (json!({"slug": ""}), "slug"),
        (json!({"name": " "}), "name"),
        (json!({"name": "x".repeat(201)}), "name"),
    ] {
        let answer = patch(&admin, "/api/v1/organizations/acme", &body).await;
        refused(&answer, StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(field));
    }
    let unknown_field = patch(&admin, "/api/v1/organizations/acme", &json!({"plan": "elastic-cloud-basic"})).await;
    refused(&unknown_field, StatusCode::BAD_REQUEST, "malformed", None);
    let unknown = patch(&admin, "/api/v1/organizations/no-such-org", &json!({"name": "Nobody"})).await;
    refused(&unknown, StatusCode::NOT_FOUND, "not_found", None);
    assert_eq!(snapshot(&admin).await, before);

    let renamed = patch(&admin, "/api/v1/organizations/acme", &json!({"name": "Acme Europe", "slug": "acme-eu"})).await;
    let renamed = renamed.expect(StatusCode::OK);
    assert_eq!((renamed["slug"].as_str(), renamed["name"].as_str()), (Some("acme-eu"), Some("Acme Europe")));
    assert_eq!(renamed["plan"], "elastic-cloud-premium");
    let entry = last_entry(&admin).await;
    assert_eq!(
        (entry["action"].as_str(), entry["target"].as_str()),
        (Some("organization.updated"), Some("organization:acme"))
    );
    assert_eq!((entry["before"]["slug"].as_str(), entry["after"]["slug"].as_str()), (Some("acme"), Some("acme-eu")));
    assert_eq!(entry["actor"]["email"], ADMIN);
    refused(&admin.get("/api/v1/organizations/acme").await, StatusCode::NOT_FOUND, "not_found", None);
    // Its cases, contacts and contract follow the new slug.
    assert_eq!(alice.get_case(case).await.ok()["organization"], "acme-eu");
    assert_eq!(alice.me().await.ok()["organization"], "acme-eu");
    admin.get("/api/v1/organizations/acme-eu/contacts").await.expect(StatusCode::OK);
    assert_eq!(contract_changes(&s, "acme-eu").await.len(), 1);
    // The name alone.
    let name_only = patch(&admin, "/api/v1/organizations/acme-eu", &json!({"name": "Acme"})).await.ok();
    assert_eq!((name_only["slug"].as_str(), name_only["name"].as_str()), (Some("acme-eu"), Some("Acme")));
}

#[tokio::test]
async fn a_deactivated_organizations_contacts_are_shut_out_at_once_and_its_cases_kept() {
    let s = start().await;
    let admin = s.demo(ADMIN).await;
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let case = alice.new_case(&case_body("Kept after deactivation")).await["number"].as_i64().unwrap();
    let browser = s.browser("olga@acme.example").await;
    assert_eq!(browser.my_cases().await.status, StatusCode::OK);

    let deactivated = admin.post("/api/v1/organizations/acme/deactivate", &json!({})).await.expect(StatusCode::OK);
    assert_eq!(deactivated["active"], false);
    let entry = last_entry(&admin).await;
    assert_eq!(entry["action"], "organization.deactivated");
    assert_eq!((entry["before"]["active"].as_bool(), entry["after"]["active"].as_bool()), (Some(true), Some(false)));
    assert_eq!(admin.get("/api/v1/organizations/acme").await.ok()["active"], false);

    // The API token and the browser session stop working at once.
    refused(&alice.me().await, StatusCode::UNAUTHORIZED, "unauthenticated", None);
    assert_ne!(browser.my_cases().await.status, StatusCode::OK);
    // Signing in is refused as a wrong password is, with the same answer.
    let refused_sign_in = s.api().token("alice@acme.example", PASSWORD).await;
    let wrong_password = s.api().token("bruno@globex.example", "not the password").await;
    refused(&refused_sign_in, StatusCode::UNAUTHORIZED, "bad_credentials", None);
    assert_eq!(refused_sign_in.body, wrong_password.body);
    // Others are not touched; the case is kept.
    bruno.me().await.expect(StatusCode::OK);
    assert_eq!(admin.get_case(case).await.ok()["summary"], "Kept after deactivation");
    // Deactivating again changes nothing, and is no new entry in the admin log.
    let again = admin.post("/api/v1/organizations/acme/deactivate", &json!({})).await.expect(StatusCode::OK);
    assert_eq!(again, deactivated);
    assert_eq!(last_entry(&admin).await, entry);

    let reactivated = admin.post("/api/v1/organizations/acme/reactivate", &json!({})).await.expect(StatusCode::OK);
    assert_eq!(reactivated["active"], true);
    assert_eq!(last_entry(&admin).await["action"], "organization.reactivated");
    let alice_again = s.demo("alice@acme.example").await;
    assert_eq!(alice_again.get_case(case).await.ok()["summary"], "Kept after deactivation");
    // The tokens ended by the deactivation stay ended.
    refused(&alice.me().await, StatusCode::UNAUTHORIZED, "unauthenticated", None);

    let unknown = admin.post("/api/v1/organizations/no-such-org/deactivate", &json!({})).await;
    refused(&unknown, StatusCode::NOT_FOUND, "not_found", None);
}

#[tokio::test]
async fn products_are_added_replaced_by_name_and_listed_and_refusals_change_nothing() {
    let s = start().await;
    let admin = s.demo(ADMIN).await;
    let path = "/api/v1/organizations/globex/products";
    let body = json!({"name": "Coveo for Salesforce", "versions": ["9.1", "9.0"], "supported_majors": 2});
    let added = admin.post(path, &body).await.expect(StatusCode::CREATED);
    assert_eq!(added["name"], "Coveo for Salesforce");
    assert_eq!(added["latest_version"], "9.1");
    assert_eq!(added["versions"], json!(["9.1", "9.0"]));
    assert_eq!(added["supported_majors"], 2);
    let entry = last_entry(&admin).await;
    assert_eq!(
        (entry["action"].as_str(), entry["target"].as_str()),
        (Some("product.added"), Some("organization:globex"))
    );
    assert_eq!((&entry["before"], &entry["after"]["versions"]), (&Value::Null, &json!(["9.1", "9.0"])));
    let list = admin.get(path).await.expect(StatusCode::OK);
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Coveo for Salesforce", "Coveo for Sitecore"]);

    let before = snapshot(&admin).await;
    let again =
        admin.post(path, &json!({"name": "Coveo for Salesforce", "versions": ["10.0"], "supported_majors": 1})).await;
    refused(&again, StatusCode::CONFLICT, "exists", Some("name"));
    for (bad, field) in [
        (json!({"name": "", "versions": ["1.0"], "supported_majors": 2}), "name"),
        (json!({"name": "x".repeat(101), "versions": ["1.0"], "supported_majors": 2}), "name"),
        (json!({"name": "New", "versions": [], "supported_majors": 2}), "versions"),
        (json!({"name": "New", "versions": ["1.0", " "], "supported_majors": 2}), "versions"),
        (json!({"name": "New", "versions": ["1.0", "1.0"], "supported_majors": 2}), "versions"),
        (json!({"name": "New", "versions": ["1".repeat(41)], "supported_majors": 2}), "versions"),
        (json!({"name": "New", "versions": vec!["1"; 101], "supported_majors": 2}), "versions"),
        (json!({"name": "New", "versions": ["1.0"], "supported_majors": 0}), "supported_majors"),
    ] {
        for method in [Method::POST, Method::PUT] {
            let answer = admin.send(admin.request(method.clone(), path).json(&bad)).await;
            refused(&answer, StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(field));
        }
    }
    let negative = admin.post(path, &json!({"name": "New", "versions": ["1.0"], "supported_majors": -1})).await;
    refused(&negative, StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("supported_majors"));
    let unknown = admin.post("/api/v1/organizations/no-such-org/products", &body).await;
    refused(&unknown, StatusCode::NOT_FOUND, "not_found", None);
    assert_eq!(snapshot(&admin).await, before);

    // PUT on the same path replaces the product of that name, or adds one.
    let replaced = admin
        .put(path, &json!({"name": "Coveo for Salesforce", "versions": ["10.0", "9.1"], "supported_majors": 1}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(replaced["latest_version"], "10.0");
    let entry = last_entry(&admin).await;
    assert_eq!(entry["action"], "product.replaced");
    assert_eq!(
        (&entry["before"]["latest_version"], &entry["after"]["latest_version"]),
        (&json!("9.1"), &json!("10.0"))
    );
    let put_new = json!({"name": "Coveo Platform", "versions": ["2026.1"], "supported_majors": 1});
    admin.put(path, &put_new).await.expect(StatusCode::OK);
    let list = admin.get(path).await.ok();
    assert_eq!(list.as_array().unwrap().len(), 3);
    let salesforce = list.as_array().unwrap().iter().find(|p| p["name"] == "Coveo for Salesforce").unwrap();
    assert_eq!(salesforce["versions"], json!(["10.0", "9.1"]));
    assert_eq!(salesforce["supported_majors"], 1);
    // The customer's wizard sees the same products and versions.
    let bruno_products = s.store.products(s.store.organization_by_slug("globex").await.unwrap().unwrap().id);
    assert_eq!(bruno_products.await.unwrap().len(), 3);
}

const HOLIDAYS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caseboard tests//EN\r\n\
BEGIN:VEVENT\r\nUID:christmas@test\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261227\r\nSUMMARY:Christmas\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:new-year@test\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:New Year's Day\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[tokio::test]
async fn holidays_are_imported_from_an_icalendar_file_as_a_dated_contract_change() {
    let s = start().await;
    let admin = s.demo(ADMIN).await;
    let history = contract_changes(&s, "acme").await;

    let before = snapshot(&admin).await;
    for bad in
        ["not a calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR"]
    {
        let answer = post_calendar(&admin, "acme", "text/calendar", bad).await;
        refused(&answer, StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some("calendar"));
    }
    let as_json = post_calendar(&admin, "acme", "application/json", HOLIDAYS).await;
    refused(&as_json, StatusCode::BAD_REQUEST, "malformed", None);
    let unknown = post_calendar(&admin, "no-such-org", "text/calendar", HOLIDAYS).await;
    refused(&unknown, StatusCode::NOT_FOUND, "not_found", None);
    let too_large = post_calendar(&admin, "acme", "text/calendar", &"X".repeat(300 * 1024)).await;
    refused(&too_large, StatusCode::PAYLOAD_TOO_LARGE, "too_large", None);
    assert_eq!(contract_changes(&s, "acme").await, history);
    assert_eq!(snapshot(&admin).await, before);

    let imported = post_calendar(&admin, "acme", "text/calendar; charset=utf-8", HOLIDAYS).await.expect(StatusCode::OK);
    assert_eq!(imported["added"], json!(["2026-12-25", "2026-12-26", "2027-01-01"]));
    let changes = contract_changes(&s, "acme").await;
    assert_eq!(changes.len(), history.len() + 1, "one dated contract change");
    assert_eq!(changes.last().unwrap().0, history.last().unwrap().0, "the plan stays");
    let organization = s.store.organization_by_slug("acme").await.unwrap().unwrap();
    let contract = app::backend::contracts::contract_of(&s.store, &organization).await.unwrap();
    let holidays: Vec<String> = contract.calendar().holidays.iter().map(ToString::to_string).collect();
    for day in ["2026-12-25", "2026-12-26", "2027-01-01"] {
        assert!(holidays.contains(&day.to_owned()), "{day} in {holidays:?}");
    }
    assert_eq!(imported["holidays"], json!(holidays));
    let entry = last_entry(&admin).await;
    assert_eq!(
        (entry["action"].as_str(), entry["target"].as_str()),
        (Some("holidays.imported"), Some("organization:acme"))
    );
    assert_eq!(entry["after"]["holidays"], json!(holidays));

    // The same file again adds nothing and records no change.
    let again = post_calendar(&admin, "acme", "text/calendar", HOLIDAYS).await.expect(StatusCode::OK);
    assert_eq!(again["added"], json!([]));
    assert_eq!(contract_changes(&s, "acme").await.len(), changes.len());
}

#[tokio::test]
async fn customers_organization_admins_and_engineers_are_refused_every_organization_route() {
    let s = start().await;
    let admin = s.demo(ADMIN).await;
    let product = json!({"name": "Matrix", "versions": ["1.0"], "supported_majors": 1});
    for email in ["alice@acme.example", "olga@acme.example", "sam@caseboard.example"] {
        let caller = s.demo(email).await;
        let before = snapshot(&admin).await;
        let history = contract_changes(&s, "acme").await;
        let answers = [
            caller.get("/api/v1/organizations").await,
            caller.get("/api/v1/organizations/acme").await,
            patch(&caller, "/api/v1/organizations/acme", &json!({"name": "Taken over"})).await,
            caller.post("/api/v1/organizations/acme/deactivate", &json!({})).await,
            caller.post("/api/v1/organizations/acme/reactivate", &json!({})).await,
            caller.get("/api/v1/organizations/acme/products").await,
            caller.post("/api/v1/organizations/acme/products", &product).await,
            caller.put("/api/v1/organizations/acme/products", &product).await,
            post_calendar(&caller, "acme", "text/calendar", HOLIDAYS).await,
        ];
        for answer in &answers {
            refused(answer, StatusCode::FORBIDDEN, "forbidden", None);
        }
        assert_eq!(snapshot(&admin).await, before, "{email}");
        assert_eq!(contract_changes(&s, "acme").await, history, "{email}");
        caller.me().await.expect(StatusCode::OK);
    }
    let anonymous = s.api().get("/api/v1/organizations").await;
    refused(&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated", None);
}
