//! Time logged on cases and the expertise-hour bank (#18) over real HTTP (SQLite, and
//! PostgreSQL with `CASEBOARD_TEST_POSTGRES`): Initech is on Cloud Avenue Gold (4 h a month),
//! Acme on Elastic Cloud Premium (no expertise).

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const HOURS: &str = "/api/v1/organizations/initech/hours";

/// Initech's admin (a contact the Caseboard admin makes one), and a case of Initech's.
async fn initech(s: &TestServer) -> (Api, i64) {
    let admin = s.demo("admin@caseboard.example").await;
    let body = json!({"email": "ingrid@initech.example", "password": PASSWORD, "name": "Ingrid Berg",
        "role": "customer", "organization": "initech"});
    admin.post("/api/v1/users", &body).await.expect(StatusCode::CREATED);
    let contacts = admin.get("/api/v1/organizations/initech/contacts").await.ok();
    let id = contacts["contacts"].as_array().unwrap().iter().find(|c| c["email"] == "ingrid@initech.example").unwrap()
        ["id"]
        .as_i64()
        .unwrap();
    admin.put(&format!("/api/v1/organizations/initech/contacts/{id}"), &json!({"org_admin": true})).await.ok();
    let chloe = s.demo("chloe@initech.example").await;
    let case = chloe.new_case(&case_body("Cluster sizing advice")).await["number"].as_i64().unwrap();
    (s.demo("ingrid@initech.example").await, case)
}

fn time(minutes: Value, activity: &str, billable: bool) -> Value {
    json!({"minutes": minutes, "activity": activity, "billable": billable, "note": "Sizing the cluster"})
}

/// What a refusal must leave as it was: the bank (as support reads it) and the case's log.
async fn state(sam: &Api, bank: &str, case: i64) -> (String, String) {
    (sam.get(bank).await.ok().to_string(), sam.events(case).await.ok().to_string())
}

#[tokio::test]
async fn an_engineer_logs_ninety_minutes_of_expertise_on_a_gold_case_and_the_balance_drops_to_two_and_a_half_hours() {
    let s = start().await;
    let (ingrid, case) = initech(&s).await;
    let sam = s.demo("sam@caseboard.example").await;

    let before = ingrid.get(HOURS).await.ok();
    assert_eq!(before["balance_minutes"], 240, "{before}");
    assert_eq!(before["month_grant_minutes"], 240);
    assert_eq!(before["entries"][0]["kind"], "grant");
    assert_eq!(before["entries"][0]["minutes"], 240);

    let logged = sam.post(&format!("/api/v1/cases/{case}/time"), &time(json!(90), "expertise", true)).await;
    let logged = logged.expect(StatusCode::CREATED);
    assert!(logged["id"].as_i64().is_some(), "{logged}");
    assert_eq!((logged["drawn_minutes"].as_i64(), logged["overage_minutes"].as_i64()), (Some(90), Some(0)));
    assert_eq!(logged["balance_minutes"], 150);

    let after = ingrid.get(HOURS).await.ok();
    assert_eq!(after["balance_minutes"], 150, "{after}");
    let usage = &after["entries"][0];
    assert_eq!((usage["kind"].as_str(), usage["minutes"].as_i64()), (Some("usage"), Some(90)));
    assert_eq!(usage["case"], case);
    assert_eq!(usage["case_summary"], "Cluster sizing advice");
    assert_eq!(usage["note"], "Sizing the cluster");
    assert_eq!(usage["by"], "Sam Okafor");
    let month = &after["burn_down"][0];
    assert_eq!((month["granted"].as_i64(), month["used"].as_i64()), (Some(240), Some(90)), "{after}");

    // The case's history says it, to support only.
    let events = sam.events(case).await.ok();
    let entry = events.as_array().unwrap().iter().find(|e| e["change"]["type"] == "time_logged").expect("logged");
    assert_eq!(entry["change"]["minutes"], 90);
    assert_eq!(entry["change"]["activity"], "expertise");
    let chloe = s.demo("chloe@initech.example").await;
    assert!(!chloe.events(case).await.ok().to_string().contains("time_logged"));

    // Support reads any bank; a contact who is not the organization's admin may not; another
    // organization's customers are not told it exists.
    assert_eq!(sam.get(HOURS).await.status, StatusCode::OK);
    assert_eq!(chloe.get(HOURS).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.demo("olga@acme.example").await.get(HOURS).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.demo("bruno@globex.example").await.get(HOURS).await.status, StatusCode::NOT_FOUND);
    assert_eq!(s.api().get(HOURS).await.status, StatusCode::UNAUTHORIZED);
    // The list is bounded: a page of one, then the next by its cursor.
    let first = ingrid.get(&format!("{HOURS}?limit=1")).await.ok();
    assert_eq!(first["entries"].as_array().unwrap().len(), 1);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let next = ingrid.get(&format!("{HOURS}?limit=1&cursor={cursor}")).await.ok();
    assert_eq!(next["entries"][0]["kind"], "grant");
    assert_eq!(next["next_cursor"], Value::Null);
    assert_eq!(ingrid.get(&format!("{HOURS}?limit=0")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ingrid.get(&format!("{HOURS}?cursor=nonsense")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn bad_time_entries_are_refused_with_the_error_shape_and_change_nothing() {
    let s = start().await;
    let (_, case) = initech(&s).await;
    let sam = s.demo("sam@caseboard.example").await;
    let path = format!("/api/v1/cases/{case}/time");
    let before = state(&sam, HOURS, case).await;

    for (body, field) in [
        (time(json!(0), "expertise", true), "minutes"),
        (time(json!(-30), "expertise", true), "minutes"),
        (time(json!(24 * 60 + 1), "expertise", true), "minutes"),
        (time(json!(30), "golf", true), "activity"),
        (json!({"minutes": 30, "activity": "call", "note": "x".repeat(2001)}), "note"),
    ] {
        let refused = sam.post(&path, &body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", refused.text());
        assert_eq!((refused.error(), refused.field()), ("invalid", field), "{}", refused.text());
    }
    // Not the right type, or an unknown field: malformed (400).
    for body in [time(json!("ninety"), "expertise", true), json!({"minutes": 30, "activity": "call", "rate": 3})] {
        assert_eq!(sam.post(&path, &body).await.status, StatusCode::BAD_REQUEST, "{body}");
    }
    // A customer logs no time, not even on their own organization's case.
    let chloe = s.demo("chloe@initech.example").await;
    let refused = chloe.post(&path, &time(json!(30), "expertise", true)).await;
    assert_eq!((refused.status, refused.error()), (StatusCode::FORBIDDEN, "forbidden"));
    assert_eq!(state(&sam, HOURS, case).await, before, "refusals changed nothing");

    // Acme's plan (Elastic Cloud Premium) includes no expertise: billable expertise is refused
    // saying why; the same time not billable is recorded, the bank untouched.
    let alice = s.demo("alice@acme.example").await;
    let acme_case = alice.new_case(&case_body("Dashboards are slow")).await["number"].as_i64().unwrap();
    let acme = "/api/v1/organizations/acme/hours";
    let acme_before = state(&sam, acme, acme_case).await;
    let refused = sam.post(&format!("/api/v1/cases/{acme_case}/time"), &time(json!(60), "expertise", true)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text());
    assert_eq!(refused.field(), "activity");
    assert_eq!(refused.body["reason"]["code"], "no_expertise", "{}", refused.text());
    assert!(refused.body["message"].as_str().unwrap().contains("no expertise hours"));
    assert_eq!(state(&sam, acme, acme_case).await, acme_before, "the refusal changed nothing");
    let recorded = sam.post(&format!("/api/v1/cases/{acme_case}/time"), &time(json!(60), "expertise", false)).await;
    assert_eq!(recorded.expect(StatusCode::CREATED)["drawn_minutes"], 0);
    assert_eq!(sam.get(acme).await.ok()["balance_minutes"], 0);
    // Another organization's case is not found for a customer, as ever.
    assert_eq!(
        s.demo("bruno@globex.example").await.post(&path, &time(json!(5), "call", false)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        sam.post("/api/v1/cases/999999/time", &time(json!(5), "call", false)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn overage_records_what_the_bank_cannot_cover_and_a_pack_raises_the_balance() {
    let s = start().await;
    let (ingrid, case) = initech(&s).await;
    let sam = s.demo("sam@caseboard.example").await;
    let path = format!("/api/v1/cases/{case}/time");

    // 200 of 240 minutes: past 80 %; then 100 more: 40 drawn, 60 overage, the balance at zero.
    assert_eq!(
        sam.post(&path, &time(json!(200), "expertise", true)).await.expect(StatusCode::CREATED)["balance_minutes"],
        40
    );
    let over = sam.post(&path, &time(json!(100), "expertise", true)).await.expect(StatusCode::CREATED);
    assert_eq!((over["drawn_minutes"].as_i64(), over["overage_minutes"].as_i64()), (Some(40), Some(60)), "{over}");
    assert_eq!(over["balance_minutes"], 0);
    let bank = ingrid.get(HOURS).await.ok();
    assert_eq!(bank["balance_minutes"], 0);
    let kinds: Vec<(String, i64)> = bank["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap().to_owned(), e["minutes"].as_i64().unwrap()))
        .collect();
    let expected = [("overage", 60), ("usage", 40), ("usage", 200), ("grant", 240)];
    assert_eq!(kinds, expected.map(|(k, m)| (k.to_owned(), m)).to_vec());
    assert_eq!(bank["entries"][0]["case"], case);
    assert_eq!(bank["burn_down"][0]["overage"], 60);
    // The organization's admin was told at 80 % and at 100 %, once each.
    let mails = s.mails("hours_warning", "ingrid@initech.example", 2).await;
    assert!(mails[0].contains("used 80%"), "{}", mails[0]);
    assert!(mails[1].contains("used all"), "{}", mails[1]);
    // More overage: no more mail.
    sam.post(&path, &time(json!(10), "expertise", true)).await.expect(StatusCode::CREATED);

    // Packs are the Caseboard admin's to record; refusals change nothing.
    let packs = "/api/v1/organizations/initech/hours/packs";
    let pack = json!({"minutes": 600, "valid_until": "2099-12-31T23:00:00Z", "note": "Order 4512"});
    let before = sam.get(HOURS).await.ok().to_string();
    assert_eq!(sam.post(packs, &pack).await.status, StatusCode::FORBIDDEN);
    assert_eq!(ingrid.post(packs, &pack).await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.demo("bruno@globex.example").await.post(packs, &pack).await.status, StatusCode::NOT_FOUND);
    let admin = s.demo("admin@caseboard.example").await;
    for (body, field) in [
        (json!({"minutes": 600, "valid_until": "2020-01-01T00:00:00Z"}), "valid_until"),
        (json!({"minutes": 600, "valid_until": "next year"}), "valid_until"),
        (json!({"minutes": 0, "valid_until": "2099-12-31T23:00:00Z"}), "minutes"),
        (json!({"minutes": 60001, "valid_until": "2099-12-31T23:00:00Z"}), "minutes"),
    ] {
        let refused = admin.post(packs, &body).await;
        assert_eq!((refused.status, refused.field()), (StatusCode::UNPROCESSABLE_ENTITY, field), "{body}");
    }
    assert_eq!(sam.get(HOURS).await.ok().to_string(), before, "refusals changed nothing");
    let added = admin.post(packs, &pack).await.expect(StatusCode::CREATED);
    assert_eq!(added["balance_minutes"], 600);
    let logged = sam.post(&path, &time(json!(30), "expertise", true)).await.expect(StatusCode::CREATED);
    assert_eq!((logged["drawn_minutes"].as_i64(), logged["balance_minutes"].as_i64()), (Some(30), Some(570)));
    let bank = ingrid.get(HOURS).await.ok();
    assert_eq!(bank["balance_minutes"], 570);
    assert_eq!(bank["entries"][1]["kind"], "pack");
    assert_eq!(bank["entries"][1]["note"], "Order 4512");
}

#[tokio::test]
async fn a_plan_without_expertise_hours_bills_expertise_from_a_pack_only() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    let body = json!({"slug": "umbrella", "name": "Umbrella", "plan": "cloud-avenue-standard"});
    admin.post("/api/v1/organizations", &body).await.expect(StatusCode::CREATED);
    let body = json!({"email": "una@umbrella.example", "password": PASSWORD, "name": "Una Reyes",
        "role": "customer", "organization": "umbrella"});
    admin.post("/api/v1/users", &body).await.expect(StatusCode::CREATED);
    let una = s.demo("una@umbrella.example").await;
    let case = una.new_case(&case_body("Architecture review")).await["number"].as_i64().unwrap();
    let sam = s.demo("sam@caseboard.example").await;
    let path = format!("/api/v1/cases/{case}/time");
    let refused = sam.post(&path, &time(json!(45), "expertise", true)).await;
    assert_eq!((refused.status, refused.field()), (StatusCode::UNPROCESSABLE_ENTITY, "activity"), "{}", refused.text());
    let pack = json!({"minutes": 120, "valid_until": "2099-01-01T00:00:00Z"});
    admin.post("/api/v1/organizations/umbrella/hours/packs", &pack).await.expect(StatusCode::CREATED);
    let logged = sam.post(&path, &time(json!(45), "expertise", true)).await.expect(StatusCode::CREATED);
    assert_eq!(logged["balance_minutes"], 75);
    let bank = sam.get("/api/v1/organizations/umbrella/hours").await.ok();
    assert_eq!(bank["month_grant_minutes"], 0);
    assert_eq!(bank["balance_minutes"], 75);
}
