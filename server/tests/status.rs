//! Platform status (#17): support adds components and opens an incident; a customer's case
//! linked to it gets every update as a public support reply (and the customer an email);
//! a resolving update with `resolve_cases` resolves it with the final message and puts the
//! components back. Refusals (a customer writing, an unknown component or case, an update
//! to a resolved incident) change nothing; the public status works signed out and shows
//! nothing internal; the page escapes what support typed. SQLite and PostgreSQL
//! (`CASEBOARD_TEST_POSTGRES`).

mod common;


use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn component(sam: &Api, name: &str, group: Option<&str>) -> Value {
    sam.post("/api/v1/status/components", &json!({"name": name, "group": group})).await.expect(StatusCode::CREATED)
}

async fn incident(sam: &Api, title: &str, component: i64) -> Value {
    sam.post(
        "/api/v1/status/incidents",
        &json!({"title": title, "components": [{"id": component, "status": "major_outage"}],
            "message": "We are investigating."}),
    )
    .await
    .expect(StatusCode::CREATED)
}

fn replies(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["change"]["type"] == "reply" || e["change"]["kind"] == "reply" || e["change"]["body"].is_string())
        .map(|e| e["change"]["body"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn an_incident_reaches_its_linked_cases_and_resolves_them() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let compute = component(&sam, "Compute", Some("Infrastructure")).await;
    for key in ["id", "name", "group", "beta", "status"] {
        assert!(compute.get(key).is_some(), "{key} in {compute}");
    }
    assert_eq!(compute["status"], "operational");
    assert_eq!(compute["beta"], false);
    let compute_id = compute["id"].as_i64().unwrap();
    let number = alice.new_case(&case_body("VMs do not start")).await["number"].as_i64().unwrap();

    let opened = incident(&sam, "Compute: VMs fail to start", compute_id).await;
    for key in ["id", "title", "status", "impact", "components", "updates"] {
        assert!(opened.get(key).is_some(), "{key} in {opened}");
    }
    assert_eq!(opened["status"], "investigating");
    assert_eq!(opened["impact"], "major_outage");
    assert_eq!(opened["updates"].as_array().unwrap().len(), 1);
    let id = opened["id"].as_i64().unwrap();
    let components = sam.get("/api/v1/status/components").await.ok();
    assert_eq!(components[0]["status"], "major_outage", "the component follows the incident");

    let linked = sam.post(&format!("/api/v1/status/incidents/{id}/cases"), &json!({"number": number})).await.ok();
    assert_eq!(linked["cases"], json!([number]));
    let updated = sam
        .post(
            &format!("/api/v1/status/incidents/{id}/updates"),
            &json!({"status": "identified", "message": "A hypervisor firmware bug."}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(updated["status"], "identified");
    assert_eq!(updated["updates"][0]["message"], "A hypervisor firmware bug.", "newest first");

    // The customer reads the update on their case and got it by email.
    let events = alice.events(number).await.list();
    assert!(replies(&events).iter().any(|r| r.contains("A hypervisor firmware bug.")), "{events:?}");
    let mail = s.mails("support_replied", "alice@acme.example", 1).await;
    assert!(mail.iter().any(|m| m.contains("A hypervisor firmware bug.")), "{mail:?}");

    // Resolving with resolve_cases: the case is resolved with the final message.
    let resolved = sam
        .post(
            &format!("/api/v1/status/incidents/{id}/updates"),
            &json!({"status": "resolved", "message": "Fixed: firmware rolled back.", "resolve_cases": true}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(resolved["status"], "resolved");
    assert!(resolved["resolved_at"].is_string());
    let case = alice.get_case(number).await.ok();
    assert_eq!(case["status"], "resolved", "{case}");
    let events = alice.events(number).await.list();
    assert!(replies(&events).iter().any(|r| r.contains("Fixed: firmware rolled back.")), "{events:?}");
    let components = sam.get("/api/v1/status/components").await.ok();
    assert_eq!(components[0]["status"], "operational", "back once resolved");

    // The public status, signed out: the incident and its updates, nothing internal.
    let public = s.api().get("/api/v1/status").await.ok();
    assert_eq!(public["maintenances"], json!([]));
    assert_eq!(public["components"][0]["name"], "Compute");
    assert_eq!(public["incidents"][0]["status"], "resolved");
    assert_eq!(public["incidents"][0]["updates"].as_array().unwrap().len(), 3);
    let text = public.to_string();
    for secret in ["cases", &format!("{number}"), "sam", "Sam", "author", "alice", "beta"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// What a refused request could have changed, as support reads it.
async fn fingerprint(sam: &Api, number: i64) -> String {
    format!(
        "{} {} {} {}",
        sam.get("/api/v1/status/components").await.text(),
        sam.get("/api/v1/status/incidents?limit=100").await.text(),
        sam.events(number).await.text(),
        sam.get_case(number).await.text().split("\"updated_at\"").next().unwrap_or_default(),
    )
}

#[tokio::test]
async fn refusals_change_nothing() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let compute = component(&sam, "Compute", None).await["id"].as_i64().unwrap();
    let number = alice.new_case(&case_body("Slow")).await["number"].as_i64().unwrap();
    let active = incident(&sam, "Slow compute", compute).await["id"].as_i64().unwrap();
    let done = incident(&sam, "Old outage", compute).await["id"].as_i64().unwrap();
    sam.post(&format!("/api/v1/status/incidents/{done}/updates"), &json!({"status": "resolved", "message": "Done."}))
        .await
        .expect(StatusCode::CREATED);
    let before = fingerprint(&sam, number).await;

    // A customer writes nothing.
    let refused = alice.post("/api/v1/status/components", &json!({"name": "Mine"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused =
        alice.post("/api/v1/status/incidents", &json!({"title": "x", "components": [], "message": "y"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = alice
        .post(&format!("/api/v1/status/incidents/{active}/updates"), &json!({"status": "monitoring", "message": "y"}))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = alice.post(&format!("/api/v1/status/incidents/{active}/cases"), &json!({"number": number})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(alice.get("/api/v1/status/incidents").await.status, StatusCode::FORBIDDEN);
    let patch = alice
        .send(
            alice
                .request(Method::PATCH, &format!("/api/v1/status/components/{compute}"))
                .json(&json!({"status": "major_outage"})),
        )
        .await;
    assert_eq!(patch.status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.api().post("/api/v1/status/components", &json!({"name": "Anon"})).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Support's mistakes: each a 422 naming the field, or 404.
    let unknown = sam
        .post(
            "/api/v1/status/incidents",
            &json!({"title": "Ghost", "components": [{"id": compute, "status": "partial_outage"}, {"id": 999_999, "status": "partial_outage"}], "message": "y"}),
        )
        .await;
    assert_eq!(unknown.field(), "components", "{}", unknown.text());
    let unknown = sam
        .post(
            "/api/v1/status/incidents",
            &json!({"title": "Ghost", "components": [{"id": 999_999, "status": "partial_outage"}], "message": "y"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.field(), "components");
    let bad_status = sam
        .post(
            "/api/v1/status/incidents",
            &json!({"title": "Ghost", "components": [{"id": compute, "status": "on_fire"}], "message": "y"}),
        )
        .await;
    assert_eq!(bad_status.field(), "components");
    let after_resolved = sam
        .post(
            &format!("/api/v1/status/incidents/{done}/updates"),
            &json!({"status": "monitoring", "message": "Again?"}),
        )
        .await;
    assert_eq!(after_resolved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(after_resolved.field(), "status");
    let bad_update = sam
        .post(&format!("/api/v1/status/incidents/{active}/updates"), &json!({"status": "fixed", "message": "y"}))
        .await;
    assert_eq!(bad_update.field(), "status");
    let not_resolving = sam
        .post(
            &format!("/api/v1/status/incidents/{active}/updates"),
            &json!({"status": "monitoring", "message": "y", "resolve_cases": true}),
        )
        .await;
    assert_eq!(not_resolving.field(), "resolve_cases");
    let no_case = sam.post(&format!("/api/v1/status/incidents/{active}/cases"), &json!({"number": 999_999})).await;
    assert_eq!(no_case.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_case.field(), "number");
    let no_incident = sam.post("/api/v1/status/incidents/999999/cases", &json!({"number": number})).await;
    assert_eq!(no_incident.status, StatusCode::NOT_FOUND);
    let no_component = sam
        .send(sam.request(Method::PATCH, "/api/v1/status/components/999999").json(&json!({"status": "major_outage"})))
        .await;
    assert_eq!(no_component.status, StatusCode::NOT_FOUND);
    let empty = sam.post("/api/v1/status/components", &json!({"name": " "})).await;
    assert_eq!(empty.field(), "name");
    assert_eq!(sam.get("/api/v1/status/incidents?cursor=zz").await.field(), "cursor");
    assert_eq!(sam.get("/api/v1/status/incidents?limit=0").await.field(), "limit");

    assert_eq!(fingerprint(&sam, number).await, before, "the refusals changed nothing");

    // A component's status set by hand.
    let patched = sam
        .send(
            sam.request(Method::PATCH, &format!("/api/v1/status/components/{compute}"))
                .json(&json!({"status": "degraded_performance"})),
        )
        .await
        .ok();
    assert_eq!(patched["status"], "degraded_performance");
}

#[tokio::test]
async fn incidents_page_active_first() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let compute = component(&sam, "Compute", None).await["id"].as_i64().unwrap();
    let first = incident(&sam, "First", compute).await["id"].as_i64().unwrap();
    let second = incident(&sam, "Second", compute).await["id"].as_i64().unwrap();
    let third = incident(&sam, "Third", compute).await["id"].as_i64().unwrap();
    sam.post(&format!("/api/v1/status/incidents/{third}/updates"), &json!({"status": "resolved", "message": "Done."}))
        .await
        .expect(StatusCode::CREATED);
    let page = sam.get("/api/v1/status/incidents?limit=2").await.ok();
    let ids: Vec<i64> = page["incidents"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![second, first], "active first, newest first");
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = sam.get(&format!("/api/v1/status/incidents?limit=2&cursor={cursor}")).await.ok();
    let ids: Vec<i64> = rest["incidents"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![third]);
    assert!(rest["next_cursor"].is_null());
    // The component stays in outage while an incident naming it is active.
    assert_eq!(sam.get("/api/v1/status/components").await.ok()[0]["status"], "major_outage");
}

#[tokio::test]
async fn the_status_page_is_public_and_escapes_what_support_typed() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let hostile = "<script>alert('x')</script>";
    let id = component(&sam, hostile, Some("<b>Group</b>")).await["id"].as_i64().unwrap();
    incident(&sam, "<img src=x onerror=alert(1)>", id).await;
    let anonymous = Browser::anonymous(&s.base);
    let page = anonymous.page("/status").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(!html.contains(hostile), "unescaped component name");
    assert!(!html.contains("<img src=x"), "unescaped incident title");
    assert!(!html.contains("<b>Group</b>"), "unescaped group");
    assert!(html.contains("&lt;script&gt;") || html.contains("\\u003cscript"), "the name is shown, escaped");
    // The server function answers signed out too.
    let board = anonymous.call("public_status", &[] as &[(&str, &str)]).await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.text());
    // The management page refuses a customer with a sentence.
    let alice = s.browser("alice@acme.example").await;
    assert_eq!(alice.call("status_incidents", &[("cursor", "")]).await.status, StatusCode::FORBIDDEN);
}
