//! Support opens cases for an organization over HTTP: for a contact who phoned (the case is
//! theirs, its log says who opened it for whom) and maintenance tasks (no SLA clock, visible
//! to the whole organization); every refusal changes nothing.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn phoned(summary: &str) -> Value {
    json!({"summary": summary, "description": "Called at 10:05: every dashboard times out.", "kind": "bug",
        "severity": 3, "environment": "production", "product": "Kibana"})
}

async fn id_of(s: &TestServer, email: &str) -> i64 {
    s.store.user_by_email(email).await.unwrap().unwrap().id
}

#[tokio::test]
async fn support_opens_a_case_for_a_contact_who_phoned_and_the_log_says_who_for_whom() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let alice_id = id_of(&s, "alice@acme.example").await;
    let case = sam
        .post("/api/v1/organizations/acme/cases", &json!({"reporter": alice_id, "case": phoned("Dashboards time out")}))
        .await
        .expect(StatusCode::CREATED);
    let number = case["number"].as_i64().unwrap();
    assert_eq!(case["organization"], "acme", "{case}");
    // Alice's case: she reads it, and its first entry says Sam opened it for her.
    let read = alice.get_case(number).await.ok();
    assert_eq!(read["reporter"], case["reporter"]);
    let events = alice.events(number).await.list();
    assert_eq!(events[0]["change"]["type"], "opened", "{events:#?}");
    assert!(events[0]["actor"].as_str().unwrap().starts_with("Sam"), "{events:#?}");
    assert_eq!(events[0]["change"]["on_behalf"], true, "{events:#?}");
    // Her contract's clocks run as for a case she opened herself.
    let clocks = sam.sla(number).await.list();
    assert_eq!(clocks[0]["state"]["state"], "running", "{clocks:#?}");
}

#[tokio::test]
async fn a_maintenance_task_informs_the_organization_and_runs_no_clock() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let olga = s.demo("olga@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let task = json!({"summary": "Database upgrade on Saturday 02:00", "description": "Expect 10 minutes of read-only mode.",
        "kind": "maintenance", "severity": 3, "environment": "production", "visibility": "private"});
    let case = sam.post("/api/v1/organizations/acme/cases", &json!({"case": task})).await.expect(StatusCode::CREATED);
    let number = case["number"].as_i64().unwrap();
    assert_eq!(case["kind"], "maintenance");
    assert_eq!(case["visibility"], "organization", "a maintenance task is for the whole organization");
    // Every clock says there is no commitment, and why.
    for clock in sam.sla(number).await.list() {
        assert_eq!(clock["state"]["state"], "no_commitment", "{clock:#}");
        assert!(clock["explanation"].as_str().unwrap().contains("maintenance task"), "{clock:#}");
    }
    // Another contact of the organization reads it; another organization does not.
    assert_eq!(olga.get_case(number).await.status, StatusCode::OK);
    assert_eq!(bruno.get_case(number).await.status, StatusCode::NOT_FOUND);
    let events = olga.events(number).await.list();
    assert_eq!(events[0]["change"]["no_sla"], true, "{events:#?}");
}

#[tokio::test]
async fn refused_requests_open_nothing_and_name_what_is_wrong() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let admin = s.demo("admin@caseboard.example").await;
    let alice_id = id_of(&s, "alice@acme.example").await;
    let bruno_id = id_of(&s, "bruno@globex.example").await;
    let before = sam.case_count().await;
    let refused = [
        (&alice, "acme", json!({"reporter": alice_id, "case": phoned("Mine")}), StatusCode::FORBIDDEN, ""),
        (&sam, "no-such-org", json!({"reporter": alice_id, "case": phoned("Lost")}), StatusCode::NOT_FOUND, ""),
        // A contact of another organization.
        (&sam, "acme", json!({"reporter": bruno_id, "case": phoned("Elsewhere")}), StatusCode::UNPROCESSABLE_ENTITY, "reporter"),
        // An unknown person.
        (&sam, "acme", json!({"reporter": 424242, "case": phoned("Nobody")}), StatusCode::UNPROCESSABLE_ENTITY, "reporter"),
        // No contact, and not a maintenance task.
        (&sam, "acme", json!({"case": phoned("For whom?")}), StatusCode::UNPROCESSABLE_ENTITY, "reporter"),
        // The draft's own rules.
        (&sam, "acme", json!({"reporter": alice_id, "case": phoned("  ")}), StatusCode::UNPROCESSABLE_ENTITY, "summary"),
    ];
    for (api, slug, body, status, field) in refused {
        let answer = api.post(&format!("/api/v1/organizations/{slug}/cases"), &body).await;
        assert_eq!(answer.status, status, "{slug} {body}: {}", answer.text());
        if !field.is_empty() {
            assert_eq!(answer.field(), field, "{}", answer.text());
        }
    }
    // A deactivated organization takes no case.
    admin.post("/api/v1/organizations/acme/deactivate", &json!({})).await.expect(StatusCode::OK);
    let answer = sam
        .post("/api/v1/organizations/acme/cases", &json!({"reporter": alice_id, "case": phoned("Closed shop")}))
        .await;
    assert_eq!((answer.status, answer.field()), (StatusCode::UNPROCESSABLE_ENTITY, "organization"));
    admin.post("/api/v1/organizations/acme/reactivate", &json!({})).await.expect(StatusCode::OK);
    assert_eq!(sam.case_count().await, before, "a refusal opened a case");
}

#[tokio::test]
async fn every_contact_of_the_organization_is_emailed_a_maintenance_task_and_no_one_elsewhere() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let task = json!({"summary": "Network maintenance tonight", "description": "Two short interruptions.",
        "kind": "maintenance", "environment": "production"});
    let case = sam.post("/api/v1/organizations/acme/cases", &json!({"case": task})).await.expect(StatusCode::CREATED);
    assert!(case["number"].as_i64().is_some());
    let outbox = s.config.data_dir.join("outbox");
    let mut told: Vec<String> = Vec::new();
    for _ in 0..100 {
        told = std::fs::read_dir(&outbox)
            .map(|dir| {
                dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .filter(|mail| mail.contains("Network maintenance tonight"))
                    .filter_map(|mail| {
                        let to = mail.lines().find(|l| l.starts_with("To:"))?;
                        Some(to.rsplit('<').next()?.trim().trim_end_matches('>').to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default();
        if told.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    told.sort();
    assert!(told.contains(&"alice@acme.example".to_owned()) && told.contains(&"olga@acme.example".to_owned()), "{told:?}");
    assert!(told.iter().all(|to| to.ends_with("@acme.example")), "{told:?}");
}
