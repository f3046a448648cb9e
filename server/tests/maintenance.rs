//! Maintenance windows over real HTTP (SQLite, or PostgreSQL with `CASEBOARD_TEST_POSTGRES`):
//! support plans them, customers may not, every bad field is refused naming it and changes
//! nothing, occurrences come back in UTC and every read is bounded; the public iCalendar feed
//! is read back by a third-party parser (Python's `icalendar` package).

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn first_wednesday() -> Value {
    json!({
        "title": "Monthly platform maintenance",
        "components": [2, 1],
        "time_zone": "Europe/Paris",
        "start": "2026-01-07T00:00",
        "duration_minutes": 360,
        "rrule": "FREQ=MONTHLY;BYDAY=1WE"
    })
}

async fn listed(api: &Api) -> Value {
    api.get("/api/v1/status/maintenances?limit=200").await.expect(StatusCode::OK)
}

#[tokio::test]
async fn support_plans_a_window_and_everyone_signed_in_reads_its_occurrences_in_utc() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let window = sam.post("/api/v1/status/maintenances", &first_wednesday()).await.expect(StatusCode::CREATED);
    assert_eq!(window["title"], "Monthly platform maintenance");
    assert_eq!(window["components"], json!([1, 2]));
    assert_eq!(window["time_zone"], "Europe/Paris");
    assert_eq!(window["start"], "2026-01-07T00:00");
    assert_eq!(window["duration_minutes"], 360);
    assert_eq!(window["rrule"], "FREQ=MONTHLY;BYDAY=1WE");
    let id = window["id"].as_i64().unwrap();

    // Around the spring change: 00:00 local is 23:00Z in March, 22:00Z in April.
    let path =
        format!("/api/v1/status/maintenances/{id}/occurrences?from=2026-03-01T00:00:00Z&to=2026-05-01T00:00:00Z");
    let answer = alice.get(&path).await.expect(StatusCode::OK);
    assert_eq!(
        answer,
        json!({"occurrences": [
            {"start": "2026-03-03T23:00:00Z", "end": "2026-03-04T05:00:00Z"},
            {"start": "2026-03-31T22:00:00Z", "end": "2026-04-01T04:00:00Z"}
        ]})
    );
    assert_eq!(listed(&alice).await["maintenances"][0], window);
}

#[tokio::test]
async fn customers_are_refused_and_bad_fields_are_named_and_change_nothing() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let olga = s.demo("olga@acme.example").await;
    sam.post("/api/v1/status/maintenances", &first_wednesday()).await.expect(StatusCode::CREATED);
    let before = listed(&sam).await;

    for customer in [&alice, &olga] {
        assert_eq!(
            customer.post("/api/v1/status/maintenances", &first_wednesday()).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(s.api().post("/api/v1/status/maintenances", &first_wednesday()).await.status, StatusCode::UNAUTHORIZED);
    let cases: [(&str, Value); 11] = [
        ("title", json!("")),
        ("components", json!([0])),
        ("time_zone", json!("Europe/Atlantis")),
        ("start", json!("2026-01-07")),
        ("start", json!("2026-03-29T02:30")),
        ("duration_minutes", json!(0)),
        ("duration_minutes", json!(-60)),
        ("duration_minutes", json!(10081)),
        ("rrule", json!("FREQ=MONTHLY;BYDAY=9WE")),
        ("rrule", json!("FREQ=MINUTELY")),
        ("rrule", json!("FREQ=MONTHLY\nDTSTART:20200101T000000Z")),
    ];
    for (field, value) in cases {
        let mut body = first_wednesday();
        body[field] = value.clone();
        let refused = sam.post("/api/v1/status/maintenances", &body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}: {}", refused.text());
        assert_eq!(refused.body["field"], field, "{field}={value}: {}", refused.text());
    }
    assert_eq!(listed(&sam).await, before);
    assert_eq!(s.store.maintenance_count().await.unwrap(), 1);
}

#[tokio::test]
async fn occurrence_reads_are_bounded_and_the_list_pages_by_cursor() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let mut daily = first_wednesday();
    daily["rrule"] = json!("FREQ=DAILY");
    daily["duration_minutes"] = json!(60);
    let id = sam.post("/api/v1/status/maintenances", &daily).await.expect(StatusCode::CREATED)["id"].as_i64().unwrap();
    let read = |query: &str| format!("/api/v1/status/maintenances/{id}/occurrences?{query}");
    let year = sam.get(&read("from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z")).await.expect(StatusCode::OK);
    // From 2026-01-07 00:00 Paris (23:00Z the day before) to 2027-01-01 00:00 Paris
    // (2026-12-31T23:00Z, before `to`): 360 days.
    assert_eq!(year["occurrences"].as_array().unwrap().len(), 360);
    for (query, field) in [
        ("from=2026-01-01T00:00:00Z&to=2027-02-05T00:00:01Z", "to"),
        ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
        ("from=2026-01-01T00:00:00Z", "to"),
        ("to=2026-01-01T00:00:00Z", "from"),
        ("from=2026-01-01T00:00:00%2B01:00&to=2026-02-01T00:00:00Z", "from"),
        ("from=yesterday&to=2026-02-01T00:00:00Z", "from"),
    ] {
        let refused = sam.get(&read(query)).await;
        let text: String = refused.text().chars().take(200).collect();
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {text}");
        assert_eq!(refused.body["field"], field, "{query}: {text}");
    }
    // More than 1000 occurrences in the span: refused naming `to`.
    daily["rrule"] = json!("FREQ=DAILY;BYHOUR=0,6,12,18");
    let busy =
        sam.post("/api/v1/status/maintenances", &daily).await.expect(StatusCode::CREATED)["id"].as_i64().unwrap();
    let refused = sam
        .get(&format!(
            "/api/v1/status/maintenances/{busy}/occurrences?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z"
        ))
        .await;
    assert_eq!(refused.body["field"], "to", "{}", refused.text());
    assert_eq!(
        sam.get("/api/v1/status/maintenances/424242/occurrences?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let first = sam.get("/api/v1/status/maintenances?limit=1").await.expect(StatusCode::OK);
    assert_eq!(first["maintenances"][0]["id"], busy);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = sam.get(&format!("/api/v1/status/maintenances?limit=1&cursor={cursor}")).await.expect(StatusCode::OK);
    assert_eq!(second["maintenances"][0]["id"], id);
    assert_eq!(second["next_cursor"], Value::Null);
    assert_eq!(sam.get("/api/v1/status/maintenances?cursor=zz").await.body["field"], "cursor");
    assert_eq!(sam.get("/api/v1/status/maintenances?limit=0").await.body["field"], "limit");
}

/// The feed, parsed by Python's `icalendar` package (a third-party parser, installed by
/// `scripts/setup test`): a VTIMEZONE for Europe/Paris, one VEVENT per window with its
/// RRULE, DTSTART in its zone and the title as written (RFC 5545 escaping undone).
#[tokio::test]
async fn the_public_ics_feed_is_read_back_by_a_third_party_parser() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let mut last = first_wednesday();
    last["title"] = json!("Last three; Wednesdays, \\ <b>night</b>");
    last["start"] = json!("2026-01-14T00:00");
    last["rrule"] = json!("FREQ=MONTHLY;BYDAY=-1WE,-2WE,-3WE");
    sam.post("/api/v1/status/maintenances", &first_wednesday()).await.expect(StatusCode::CREATED);
    sam.post("/api/v1/status/maintenances", &last).await.expect(StatusCode::CREATED);

    // Public: no sign-in.
    let feed = reqwest::get(s.url("/status/maintenance.ics")).await.unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(feed.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let text = feed.text().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("maintenance.ics");
    std::fs::write(&file, &text).unwrap();
    let check = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
zones = [str(z['TZID']) for z in cal.walk('VTIMEZONE')]
events = []
for e in cal.walk('VEVENT'):
    start = e.decoded('DTSTART')
    events.append({
        'summary': str(e['SUMMARY']),
        'rrule': e['RRULE'].to_ical().decode(),
        'start': start.isoformat(),
        'zone': str(e['DTSTART'].params.get('TZID')),
        'duration': int(e.decoded('DURATION').total_seconds() // 60),
    })
print(json.dumps({'zones': zones, 'events': events}))
"#;
    let out = std::process::Command::new("python3").arg("-c").arg(check).arg(&file).output().expect("python3");
    assert!(out.status.success(), "{}\n{text}", String::from_utf8_lossy(&out.stderr));
    let parsed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["zones"], json!(["Europe/Paris"]), "{text}");
    assert_eq!(
        parsed["events"],
        json!([
            {"summary": "Monthly platform maintenance", "rrule": "FREQ=MONTHLY;BYDAY=1WE",
             "start": "2026-01-07T00:00:00+01:00", "zone": "Europe/Paris", "duration": 360},
            {"summary": "Last three; Wednesdays, \\ <b>night</b>", "rrule": "FREQ=MONTHLY;BYDAY=-1WE,-2WE,-3WE",
             "start": "2026-01-14T00:00:00+01:00", "zone": "Europe/Paris", "duration": 360}
        ]),
        "{text}"
    );
}

#[tokio::test]
async fn the_public_status_lists_each_window_with_its_next_occurrence() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    // Every day at 03:00 in Paris: always one within the coming days.
    let daily = json!({"title": "Nightly <b>backup</b>", "components": [], "time_zone": "Europe/Paris",
        "start": "2026-01-01T03:00", "duration_minutes": 30, "rrule": "FREQ=DAILY"});
    let window = sam.post("/api/v1/status/maintenances", &daily).await.expect(StatusCode::CREATED);
    let status = s.api().get("/api/v1/status").await.ok();
    let listed = &status["maintenances"];
    assert_eq!(listed.as_array().unwrap().len(), 1, "{status}");
    assert_eq!((&listed[0]["id"], &listed[0]["title"]), (&window["id"], &window["title"]));
    let start: jiff::Timestamp = listed[0]["next"]["start"].as_str().unwrap().parse().unwrap();
    let end: jiff::Timestamp = listed[0]["next"]["end"].as_str().unwrap().parse().unwrap();
    assert_eq!(end.duration_since(start), jiff::SignedDuration::from_mins(30));
    assert!(end > jiff::Timestamp::now(), "the next window, not a past one");
}
