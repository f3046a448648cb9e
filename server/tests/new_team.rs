//! Issue #16's "done means", through REST: a new team starts `caseboard serve` on an empty
//! database with only the admin variables, sets up two organizations (one with a product
//! and its supported versions), three engineers in three zones with shifts, skills and
//! languages, an organization admin; then a customer's case on an unsupported version is
//! routed follow-the-sun to the one engineer on shift, and the warning is what the wizard
//! reads (`my_products`: the version's support, by `supported_majors`).

mod common;

use app::domain::{ProductLine, VersionSupport};
use common::*;
use jiff::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const EVERY_DAY: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// The three engineers, each covering eight hours of the UTC day (Shanghai 00–08, Paris
/// 08–16, New York 16–24): the hour decides who is on shift, whatever the day.
const TEAM: [(&str, &str, &str, i64, [&str; 2]); 3] = [
    ("mei@newteam.example", "Mei Chen", "Asia/Shanghai", 0, ["zh", "en"]),
    ("lea@newteam.example", "Léa Martin", "Europe/Paris", 8, ["fr", "en"]),
    ("sam@newteam.example", "Sam Carter", "America/New_York", 16, ["en", "es"]),
];

/// The civil "HH:MM" in `zone` of `utc_hour` today (the zone's offset now: a shift is kept
/// in civil times, so summer time moves it; the test computes it at its own run time).
fn civil_hour(zone: &str, utc_hour: i64, now: Timestamp) -> (String, String) {
    let offset = now.to_zoned(jiff::tz::TimeZone::get(zone).unwrap()).offset().seconds() as i64 / 3600;
    let start = (utc_hour + offset).rem_euclid(24);
    assert!(start + 8 <= 24, "{zone}: the shift would cross midnight");
    (format!("{start:02}:00"), format!("{:02}:00", start + 8))
}

/// Who is on shift at `now`: the index in [`TEAM`].
fn on_shift_at(now: Timestamp) -> usize {
    let hour = now.to_zoned(jiff::tz::TimeZone::UTC).hour();
    (hour / 8) as usize
}

/// Waits past an hour that changes who is on shift (00, 08, 16 UTC) when it is under a
/// minute away, so the case is opened well inside one shift.
async fn away_from_a_shift_change() {
    let now = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
    let to_next = (8 - i64::from(now.hour()) % 8) * 3600 - i64::from(now.minute()) * 60 - i64::from(now.second());
    if to_next < 60 {
        tokio::time::sleep(std::time::Duration::from_secs(to_next as u64 + 2)).await;
    }
}

async fn patch(api: &Api, path: &str, body: &Value) -> Answer {
    api.send(api.request(Method::PATCH, path).json(body)).await
}

/// Every `reason` object in the case's timeline (support's view).
fn reasons(value: &Value, found: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "reason" && inner.get("on_shift").is_some() {
                    found.push(inner.clone());
                }
                reasons(inner, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| reasons(item, found)),
        _ => {}
    }
}

#[tokio::test]
async fn a_new_team_sets_up_through_rest_and_a_customers_case_follows_the_sun_with_the_version_warning() {
    let admin = ("lead@newteam.example".to_owned(), "a long first password".to_owned());
    let s = start_with(Some(admin.clone()), |config| config.demo = false).await;
    let lead = s.api().sign_in(&admin.0, &admin.1).await;
    let checklist = lead.get("/api/v1/admin/checklist").await.ok();
    assert_eq!((&checklist["organization"], &checklist["engineer"]), (&json!(false), &json!(false)), "{checklist}");
    assert_eq!(lead.get("/api/v1/organizations").await.ok()["organizations"], json!([]), "no demo data");

    // Two organizations on two plans; Initrode runs Kibana, only its newest major supported.
    for (slug, name, plan) in
        [("initrode", "Initrode", "elastic-cloud-basic"), ("umbrella", "Umbrella", "elastic-cloud-premium")]
    {
        let created = lead.post("/api/v1/organizations", &json!({"slug": slug, "name": name, "plan": plan})).await;
        assert_eq!(created.status, StatusCode::CREATED, "{slug}: {}", created.text());
    }
    let kibana = json!({"name": "Kibana", "versions": ["9.1", "9.0", "8.19"], "supported_majors": 1});
    let product = lead.post("/api/v1/organizations/initrode/products", &kibana).await.expect(StatusCode::CREATED);
    assert_eq!((&product["latest_version"], &product["supported_majors"]), (&json!("9.1"), &json!(1)));
    // The same identifier again is refused, and nothing changes.
    let again = lead
        .post("/api/v1/organizations", &json!({"slug": "initrode", "name": "Other", "plan": "elastic-cloud-basic"}))
        .await;
    assert_eq!(again.field(), "slug", "{}", again.text());
    assert_eq!(lead.get("/api/v1/organizations/initrode").await.ok()["name"], "Initrode");

    // Three engineers in three zones: shifts every day, Kibana, their languages.
    let now = Timestamp::now();
    for (email, name, zone, utc_hour, languages) in TEAM {
        let created = lead
            .post(
                "/api/v1/users",
                &json!({"email": email, "password": "a long passphrase", "name": name, "role": "engineer"}),
            )
            .await
            .expect(StatusCode::CREATED);
        let id = created["id"].as_i64().unwrap();
        let (start, end) = civil_hour(zone, utc_hour, now);
        let profile = json!({"time_zone": zone, "languages": languages, "skills": ["Kibana"],
            "shifts": [{"days": EVERY_DAY, "start": start, "end": end}]});
        let saved = patch(&lead, &format!("/api/v1/users/{id}"), &profile).await.expect(StatusCode::OK);
        for field in ["time_zone", "languages", "skills", "shifts"] {
            assert_eq!(saved[field], profile[field], "{email}: {field}");
        }
    }

    // An organization admin for Initrode, and a customer of Initrode; both with a password.
    let org_admin = json!({"email": "olga@initrode.example", "password": "a long passphrase", "name": "Olga",
        "role": "customer", "organization": "initrode", "org_admin": true});
    let olga = lead.post("/api/v1/users", &org_admin).await.expect(StatusCode::CREATED);
    assert_eq!((&olga["org_admin"], &olga["organization"]), (&json!(true), &json!("initrode")));
    let customer = json!({"email": "carl@initrode.example", "password": "a long passphrase", "name": "Carl",
        "role": "customer", "organization": "initrode"});
    lead.post("/api/v1/users", &customer).await.expect(StatusCode::CREATED);
    let checklist = lead.get("/api/v1/admin/checklist").await.ok();
    assert_eq!((&checklist["organization"], &checklist["engineer"]), (&json!(true), &json!(true)), "{checklist}");

    // The organization admin sees Initrode's contacts; Umbrella's are not found.
    let olga = s.api().sign_in("olga@initrode.example", "a long passphrase").await;
    let contacts = olga.get("/api/v1/organizations/initrode/contacts").await.expect(StatusCode::OK).to_string();
    assert!(contacts.contains("carl@initrode.example"), "{contacts}");
    let other = olga.get("/api/v1/organizations/umbrella/contacts").await;
    assert_eq!((other.status, other.error()), (StatusCode::NOT_FOUND, "not_found"), "{}", other.text());

    // What the wizard reads: the customer's products; 8.19 is no longer supported.
    let carl_browser = Browser::sign_in(&s.base, "carl@initrode.example", "a long passphrase").await;
    let products: Vec<ProductLine> =
        serde_json::from_value(carl_browser.call("my_products", &[("", "")][..0]).await.ok()).unwrap();
    let line = products.iter().find(|p| p.name == "Kibana").expect("Kibana among the customer's products");
    assert_eq!(line.supported_majors, 1);
    assert_eq!(line.support_of("8.19"), VersionSupport::Unsupported { oldest_major: 9, latest: "9.1".into() });
    assert_eq!(line.support_of("9.0"), VersionSupport::Supported);
    // The admin reads the same over REST.
    let listed = lead.get("/api/v1/organizations/initrode/products").await.expect(StatusCode::OK);
    assert_eq!(listed[0]["versions"], json!(["9.1", "9.0", "8.19"]));
    // And the warning itself over REST, for the customer and for support naming the organization.
    let carl_api = s.api().sign_in("carl@initrode.example", "a long passphrase").await;
    let verdict = carl_api.get("/api/v1/products/version-support?product=kibana&version=8.19").await.ok();
    assert_eq!(
        (&verdict["support"], &verdict["oldest_supported_major"], &verdict["latest_version"]),
        (&json!("unsupported"), &json!(9), &json!("9.1")),
        "{verdict}"
    );
    let verdict = lead.get("/api/v1/products/version-support?organization=initrode&product=Kibana&version=9.0").await.ok();
    assert_eq!(verdict["support"], "supported", "{verdict}");
    let elsewhere = carl_api.get("/api/v1/products/version-support?organization=umbrella&product=Kibana&version=9.0").await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let missing = carl_api.get("/api/v1/products/version-support?product=Kibana").await;
    assert_eq!((missing.status, missing.field()), (StatusCode::UNPROCESSABLE_ENTITY, "version"));

    // The customer's case on Kibana 8.19: the engineer on shift now takes it.
    away_from_a_shift_change().await;
    let carl = s.api().sign_in("carl@initrode.example", "a long passphrase").await;
    let mut body = case_body("Dashboards blank after the upgrade");
    body["product"] = json!("Kibana");
    body["details"] = json!({"version": "8.19"});
    let opened_at = Timestamp::now();
    let case = carl.new_case(&body).await;
    let (_, expected, zone, _, _) = TEAM[on_shift_at(opened_at)];
    assert_eq!(case["assignee"], expected, "opened at {opened_at}: {case}");
    assert_eq!(case["details"]["version"], "8.19");
    let number = case["number"].as_i64().unwrap();

    // Support reads why: on shift in their zone, knows Kibana.
    let mut found = Vec::new();
    reasons(&lead.get_case(number).await.ok(), &mut found);
    reasons(&lead.events(number).await.ok(), &mut found);
    let reason = found.first().unwrap_or_else(|| panic!("no assignment reason for case {number}"));
    assert_eq!(
        (&reason["on_shift"], &reason["time_zone"], &reason["skill"]),
        (&json!(true), &json!(zone), &json!("Kibana")),
        "{reason}"
    );
    // The customer sees who works the case, not why.
    let customer_view = format!("{} {}", carl.get_case(number).await.body, carl.events(number).await.body);
    assert!(customer_view.contains(expected) && !customer_view.contains("on_shift"), "{customer_view}");

    // Carl leaves: deactivated, he is no longer among the contacts his organization's admin
    // manages (his case stays under his name).
    let carl_id = carl.me().await.ok()["id"].as_i64().unwrap();
    lead.post(&format!("/api/v1/users/{carl_id}/deactivate"), &json!({})).await.expect(StatusCode::OK);
    let contacts = olga.get("/api/v1/organizations/initrode/contacts").await.expect(StatusCode::OK);
    let shown = contacts["contacts"].to_string();
    assert!(!shown.contains("carl@initrode.example") && shown.contains("olga@initrode.example"), "{contacts}");
    assert_eq!(contacts["seats_taken"], 1, "his seat is free: {contacts}");
    assert_eq!(lead.get_case(number).await.ok()["reporter"], case["reporter"]);
}
