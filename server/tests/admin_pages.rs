//! The admin console's organization pages (issue #16): their server functions refuse a
//! customer, an organization admin and an engineer in the API's error shape and change
//! nothing; an admin creates, renames, equips and deactivates an organization through them;
//! and the list page shows an organization's name as text, never as markup.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const ADMIN: &str = "admin@caseboard.example";

/// An iCalendar file with two holidays.
const TWO_HOLIDAYS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//caseboard test//EN\r\n\
    BEGIN:VEVENT\r\nUID:christmas-2027\r\nDTSTART;VALUE=DATE:20271225\r\nSUMMARY:Christmas\r\nEND:VEVENT\r\n\
    BEGIN:VEVENT\r\nUID:new-year-2028\r\nDTSTART;VALUE=DATE:20280101\r\nSUMMARY:New year\r\nEND:VEVENT\r\n\
    END:VCALENDAR\r\n";

/// What an admin reads of the organizations, Acme's products, contract changes and the
/// admin log: a refusal leaves it as it was.
async fn snapshot(s: &TestServer, admin: &Api) -> Vec<String> {
    let mut seen = Vec::new();
    for path in ["/api/v1/organizations?limit=200", "/api/v1/organizations/acme/products", "/api/v1/audit?limit=200"] {
        let answer = admin.get(path).await;
        seen.push(format!("{path}: {} {}", answer.status, answer.text()));
    }
    let acme = s.store.organization_by_slug("acme").await.unwrap().unwrap();
    let changes = s.store.contract_changes(acme.id).await.unwrap();
    seen.push(format!("acme contract: {changes:?}"));
    seen
}

/// Every server function of the organization pages, with arguments that would change
/// something if the caller were allowed.
fn calls() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        ("admin_organizations", vec![]),
        ("admin_plan_choices", vec![]),
        ("admin_organization", vec![("slug", "acme".into())]),
        (
            "create_admin_organization",
            vec![("slug", "intruder-co".into()), ("name", "Intruder".into()), ("plan", "elastic-cloud-basic".into())],
        ),
        (
            "rename_organization",
            vec![("slug", "acme".into()), ("name", "Renamed".into()), ("new_slug", "acme-renamed".into())],
        ),
        ("set_organization_active", vec![("slug", "acme".into()), ("active", "false".into())]),
        ("set_organization_email_intake", vec![("slug", "acme".into()), ("allowed", "false".into())]),
        (
            "set_organization_contract",
            vec![
                ("slug", "acme".into()),
                ("plan", "elastic-cloud-basic".into()),
                ("time_zone", "UTC".into()),
                ("working_days", "monday".into()),
                ("windows", "09:00-17:00".into()),
            ],
        ),
        (
            "save_organization_product",
            vec![
                ("slug", "acme".into()),
                ("name", "Intruder product".into()),
                ("versions", "1.0".into()),
                ("supported_majors", "1".into()),
                ("replace", "on".into()),
            ],
        ),
        ("import_organization_holidays", vec![("slug", "acme".into()), ("calendar", TWO_HOLIDAYS.into())]),
    ]
}

#[tokio::test]
async fn the_organization_pages_refuse_customers_and_engineers_and_the_refusal_changes_nothing() {
    let s = start().await;
    let admin = s.demo(ADMIN).await;
    let before = snapshot(&s, &admin).await;
    let mut failures = Vec::new();
    for email in ["alice@acme.example", "olga@acme.example", "sam@caseboard.example"] {
        let browser = s.browser(email).await;
        for (endpoint, args) in calls() {
            let answer = browser.call(endpoint, &args).await;
            if answer.status != StatusCode::FORBIDDEN || answer.error() != "forbidden" {
                failures.push(format!("{endpoint} as {email}: {} {}", answer.status, answer.text()));
            }
        }
    }
    let anonymous = Browser::anonymous(&s.base);
    for (endpoint, args) in calls() {
        let answer = anonymous.call(endpoint, &args).await;
        if answer.status != StatusCode::UNAUTHORIZED || answer.error() != "unauthenticated" {
            failures.push(format!("{endpoint} anonymous: {} {}", answer.status, answer.text()));
        }
    }
    assert!(failures.is_empty(), "wrong answers:\n{}", failures.join("\n"));
    assert_eq!(snapshot(&s, &admin).await, before, "a refusal changed something");
}

/// The organization as the admin's page reads it.
async fn read(browser: &Browser, slug: &str) -> Value {
    browser.call("admin_organization", &[("slug", slug)]).await.expect(StatusCode::OK)
}

#[tokio::test]
async fn an_admin_creates_renames_equips_and_deactivates_an_organization_through_its_pages() {
    let s = start().await;
    let admin = s.browser(ADMIN).await;
    let plans = admin.call("admin_plan_choices", &Vec::<(&str, &str)>::new()).await.expect(StatusCode::OK);
    let plans = plans.as_array().unwrap();
    assert!(plans.iter().any(|p| p["id"] == "elastic-cloud-basic" && p["preset"] == true), "{plans:?}");

    let create = [("slug", "umbrella"), ("name", "Umbrella Corp"), ("plan", "elastic-cloud-basic")];
    let created = admin.call("create_admin_organization", &create).await.expect(StatusCode::OK);
    assert_eq!(created["slug"], "umbrella");
    assert_eq!(created["active"], true);
    // The same slug again: refused on `slug`, beside the field it names.
    let again = admin.call("create_admin_organization", &create).await;
    assert_eq!((again.status, again.error(), again.field()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid", "slug"));
    let unknown_plan = [("slug", "umbrella-two"), ("name", "Umbrella Two"), ("plan", "no-such-plan")];
    let refused = admin.call("create_admin_organization", &unknown_plan).await;
    assert_eq!((refused.status, refused.field()), (StatusCode::UNPROCESSABLE_ENTITY, "plan"));

    let found = admin.call("admin_organizations", &[("q", "umbre")]).await.expect(StatusCode::OK);
    let names: Vec<&str> =
        found["organizations"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Umbrella Corp"]);

    let rename = [("slug", "umbrella"), ("name", "Umbrella Europe"), ("new_slug", "umbrella-eu")];
    let renamed = admin.call("rename_organization", &rename).await.expect(StatusCode::OK);
    assert_eq!((renamed["slug"].as_str(), renamed["name"].as_str()), (Some("umbrella-eu"), Some("Umbrella Europe")));
    let taken = [("slug", "umbrella-eu"), ("name", "Umbrella Europe"), ("new_slug", "acme")];
    let refused = admin.call("rename_organization", &taken).await;
    assert_eq!((refused.status, refused.field()), (StatusCode::UNPROCESSABLE_ENTITY, "slug"));
    assert_eq!(read(&admin, "umbrella-eu").await["organization"]["name"], "Umbrella Europe");

    let product =
        [("slug", "umbrella-eu"), ("name", "Kibana"), ("versions", "9.1, 9.0 8.19"), ("supported_majors", "2")];
    let saved = admin.call("save_organization_product", &product).await.expect(StatusCode::OK);
    assert_eq!(saved["versions"], json!(["9.1", "9.0", "8.19"]));
    assert_eq!(saved["latest_version"], "9.1");
    let twice = admin.call("save_organization_product", &product).await;
    assert_eq!((twice.status, twice.error(), twice.field()), (StatusCode::CONFLICT, "exists", "name"));
    let bad = [
        ("slug", "umbrella-eu"),
        ("name", "Kibana"),
        ("versions", "9.2"),
        ("supported_majors", "many"),
        ("replace", "on"),
    ];
    let refused = admin.call("save_organization_product", &bad).await;
    assert_eq!((refused.status, refused.field()), (StatusCode::UNPROCESSABLE_ENTITY, "supported_majors"));
    let edit = [
        ("slug", "umbrella-eu"),
        ("name", "Kibana"),
        ("versions", "9.2, 9.1"),
        ("supported_majors", "1"),
        ("replace", "on"),
    ];
    admin.call("save_organization_product", &edit).await.expect(StatusCode::OK);
    let page = read(&admin, "umbrella-eu").await;
    assert_eq!(page["products"][0]["versions"], json!(["9.2", "9.1"]));
    assert_eq!(page["products"][0]["supported_majors"], 1);

    let history_before = page["history"].as_array().unwrap().len();
    let bad_windows = [
        ("slug", "umbrella-eu"),
        ("plan", "elastic-cloud-premium"),
        ("time_zone", "America/New_York"),
        ("working_days", "monday,tuesday"),
        ("windows", "9 to 5"),
    ];
    let refused = admin.call("set_organization_contract", &bad_windows).await;
    assert_eq!((refused.status, refused.field()), (StatusCode::UNPROCESSABLE_ENTITY, "windows"));
    let bad_zone = [
        ("slug", "umbrella-eu"),
        ("plan", "elastic-cloud-premium"),
        ("time_zone", "Mars/Olympus"),
        ("working_days", "monday"),
        ("windows", "09:00-17:00"),
    ];
    let refused = admin.call("set_organization_contract", &bad_zone).await;
    assert_eq!((refused.status, refused.field()), (StatusCode::UNPROCESSABLE_ENTITY, "time_zone"));
    assert_eq!(read(&admin, "umbrella-eu").await["history"].as_array().unwrap().len(), history_before);

    let holidays = admin
        .call("import_organization_holidays", &[("slug", "umbrella-eu"), ("calendar", TWO_HOLIDAYS)])
        .await
        .expect(StatusCode::OK);
    assert_eq!(holidays["added"], json!(["2027-12-25", "2028-01-01"]));
    let again = admin
        .call("import_organization_holidays", &[("slug", "umbrella-eu"), ("calendar", TWO_HOLIDAYS)])
        .await
        .expect(StatusCode::OK);
    assert_eq!(again["added"], json!([]));
    let not_a_calendar =
        admin.call("import_organization_holidays", &[("slug", "umbrella-eu"), ("calendar", "hello")]).await;
    assert_eq!((not_a_calendar.status, not_a_calendar.field()), (StatusCode::UNPROCESSABLE_ENTITY, "calendar"));

    let contract = [
        ("slug", "umbrella-eu"),
        ("plan", "elastic-cloud-premium"),
        ("time_zone", "America/New_York"),
        ("working_days", "monday,tuesday,wednesday"),
        ("windows", "08:00-12:00, 13:00-17:00"),
    ];
    admin.call("set_organization_contract", &contract).await.expect(StatusCode::OK);
    let page = read(&admin, "umbrella-eu").await;
    assert_eq!(page["organization"]["plan"], "elastic-cloud-premium");
    assert_eq!(page["calendar"]["time_zone"], "America/New_York");
    assert_eq!(page["calendar"]["working_days"], json!(["monday", "tuesday", "wednesday"]));
    assert_eq!(
        page["calendar"]["windows"],
        json!([{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}])
    );
    // The imported holidays stay through the contract change.
    assert_eq!(page["calendar"]["holidays"], json!(["2027-12-25", "2028-01-01"]));
    let history = page["history"].as_array().unwrap();
    assert_eq!(history.len(), history_before + 2, "the import and the contract, each a dated change");
    assert_eq!(history[0]["plan"]["id"], "elastic-cloud-premium", "newest first");

    assert_eq!(page["organization"]["email_intake"], true, "open to cases by email by default");
    let intake = admin.call("set_organization_email_intake", &[("slug", "umbrella-eu"), ("allowed", "false")]).await;
    assert_eq!(intake.expect(StatusCode::OK)["email_intake"], false);
    assert_eq!(read(&admin, "umbrella-eu").await["organization"]["email_intake"], false);

    let off = admin.call("set_organization_active", &[("slug", "umbrella-eu"), ("active", "false")]).await;
    assert_eq!(off.expect(StatusCode::OK)["active"], false);
    let on = admin.call("set_organization_active", &[("slug", "umbrella-eu"), ("active", "true")]).await;
    assert_eq!(on.expect(StatusCode::OK)["active"], true);
}

#[tokio::test]
async fn the_organizations_page_shows_a_hostile_name_as_text() {
    let s = start().await;
    let api = s.demo(ADMIN).await;
    let body = json!({"slug": "hostile", "name": "<script>alert(1)</script>", "plan": "elastic-cloud-basic"});
    api.post("/api/v1/organizations", &body).await.expect(StatusCode::CREATED);
    let admin = s.browser(ADMIN).await;
    for path in ["/admin/organizations", "/admin/organizations?q=hostile", "/admin/organizations/hostile"] {
        let page = admin.page(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.text();
        assert!(!html.contains("<script>alert(1)</script>"), "live markup in {path}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "the name is not shown as text in {path}: {html}"
        );
    }
}

#[tokio::test]
async fn the_organization_page_renders_its_sections_for_an_admin_and_only_a_sentence_for_others() {
    let s = start().await;
    let api = s.demo(ADMIN).await;
    let product = json!({"name": "Fleet Server", "versions": ["9.1", "9.0"], "supported_majors": 2});
    api.post("/api/v1/organizations/acme/products", &product).await.expect(StatusCode::CREATED);
    let admin = s.browser(ADMIN).await;
    admin
        .call("import_organization_holidays", &[("slug", "acme"), ("calendar", TWO_HOLIDAYS)])
        .await
        .expect(StatusCode::OK);

    let html = admin.page("/admin/organizations/acme").await.text();
    for part in [
        "data-testid=\"organization-name\"",
        "id=\"org-slug\"",
        "id=\"contract-plan\"",
        "id=\"contract-windows\"",
        "id=\"history-title\"",
        "data-product=\"Fleet Server\"",
        "datetime=\"2027-12-25\"",
        "id=\"holidays-file\"",
        "Deactivate the organization",
    ] {
        assert!(html.contains(part), "{part} missing from the organization page");
    }
    let list = admin.page("/admin/organizations?q=acme").await.text();
    assert!(list.contains("data-organization=\"acme\""), "Acme missing from the list");
    assert!(!list.contains("data-organization=\"globex\""), "the search did not narrow the list");

    for email in ["alice@acme.example", "sam@caseboard.example"] {
        let browser = s.browser(email).await;
        for path in ["/admin/organizations", "/admin/organizations/acme"] {
            let html = browser.page(path).await.text();
            assert!(html.contains("Only administrators can use these pages."), "{email} on {path}");
            for leak in ["data-organization=", "id=\"contract-plan\"", "data-product="] {
                assert!(!html.contains(leak), "{email} on {path} sees {leak}");
            }
        }
    }
}
