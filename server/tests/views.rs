//! Saved views ("queues", #15): support saves board filters under a name, for themselves or
//! shared with the team; each is listed with a count that equals what its filter keeps;
//! another person's private view does not exist for the reader; refusals name the field and
//! change nothing; customers never reach them.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const OPEN: &str = "new,feedback,confirmed,assigned,resolved";
const NONE: [(&str, &str); 0] = [];

async fn patch(api: &Api, path: &str, body: &Value) -> Answer {
    api.send(api.request(Method::PATCH, path).json(body)).await
}

fn names(list: &Value) -> Vec<String> {
    list["views"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap().to_string()).collect()
}

/// The view named `name` in `api`'s list.
async fn listed(api: &Api, name: &str) -> Option<Value> {
    let list = api.get("/api/v1/views").await.expect(StatusCode::OK);
    list["views"].as_array().unwrap().iter().find(|v| v["name"] == name).cloned()
}

/// How many cases the case list (every page) returns for `query`: the count a view must give.
async fn listed_cases(api: &Api, query: &str) -> u64 {
    let mut n = 0;
    let mut path = format!("/api/v1/cases?limit=200&{query}");
    loop {
        let page = api.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        n += page.list().len() as u64;
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/cases?limit=200&{query}&cursor={cursor}"),
            None => return n,
        }
    }
}

#[tokio::test]
async fn a_view_is_saved_shared_renamed_and_deleted_and_a_private_one_is_invisible_to_others() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let mei = s.demo("mei@caseboard.example").await;
    let admin = s.demo("admin@caseboard.example").await;

    let created = sam
        .post(
            "/api/v1/views",
            &json!({"name": "  Urgent unassigned ", "filter": {"severity": 1, "assignee": "unassigned"}}),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["name"], "Urgent unassigned", "trimmed");
    assert_eq!(created["shared"], false);
    assert_eq!(created["mine"], true);
    assert_eq!(created["board_query"], format!("severity=1&assignee=unassigned&queue={id}"));

    // Private: Mei neither lists it nor reaches it (404, as a missing one).
    assert!(listed(&mei, "Urgent unassigned").await.is_none());
    assert_eq!(
        patch(&mei, &format!("/api/v1/views/{id}"), &json!({"name": "Mine now"})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(mei.delete(&format!("/api/v1/views/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.delete(&format!("/api/v1/views/{id}")).await.status, StatusCode::NOT_FOUND);

    // Shared: Mei sees it, not hers: she may neither change nor delete it.
    let shared = patch(&sam, &format!("/api/v1/views/{id}"), &json!({"shared": true, "name": "Sev 1 unassigned"}))
        .await
        .expect(StatusCode::OK);
    assert_eq!((shared["shared"].clone(), shared["name"].clone()), (json!(true), json!("Sev 1 unassigned")));
    let seen = listed(&mei, "Sev 1 unassigned").await.expect("shared with the team");
    assert_eq!((seen["mine"].clone(), seen["owner"].clone()), (json!(false), json!("Sam Okafor")));
    assert_eq!(
        patch(&mei, &format!("/api/v1/views/{id}"), &json!({"shared": false})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(mei.delete(&format!("/api/v1/views/{id}")).await.status, StatusCode::FORBIDDEN);
    assert!(listed(&mei, "Sev 1 unassigned").await.is_some(), "refusals changed nothing");

    // Unshared again: gone from Mei's list.
    patch(&sam, &format!("/api/v1/views/{id}"), &json!({"shared": false})).await.expect(StatusCode::OK);
    assert!(listed(&mei, "Sev 1 unassigned").await.is_none());

    // A shared view an admin may delete; the owner deletes their own, and its name is free again.
    let team = sam.post("/api/v1/views", &json!({"name": "Team", "shared": true})).await.expect(StatusCode::CREATED);
    admin.delete(&format!("/api/v1/views/{}", team["id"])).await.expect(StatusCode::NO_CONTENT);
    sam.delete(&format!("/api/v1/views/{id}")).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(sam.delete(&format!("/api/v1/views/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(names(&sam.get("/api/v1/views").await.expect(StatusCode::OK)).is_empty());
    sam.post("/api/v1/views", &json!({"name": "Sev 1 unassigned"})).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn a_views_count_is_exactly_the_open_cases_its_filter_keeps_for_its_reader() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let mei = s.demo("mei@caseboard.example").await;
    // Three urgent cases: two nobody's, one Sam's.
    for (i, take) in [false, false, true].into_iter().enumerate() {
        let case = alice.new_case(&case_body(&format!("Urgent {i}"))).await;
        let number = case["number"].as_i64().unwrap();
        let raised = sam
            .post(
                &format!("/api/v1/cases/{number}/severity"),
                &json!({"severity": 1, "expected_version": case["version"]}),
            )
            .await
            .expect(StatusCode::OK);
        // New cases are assigned automatically: Sam takes one and gives the others back.
        let engineer = if take { json!("me") } else { Value::Null };
        sam.post(
            &format!("/api/v1/cases/{number}/assign"),
            &json!({"engineer": engineer, "expected_version": raised["version"]}),
        )
        .await
        .expect(StatusCode::OK);
    }
    let urgent_unassigned = listed_cases(&sam, &format!("severity=1&assignee=none&status={OPEN}")).await;
    assert!(urgent_unassigned >= 2, "{urgent_unassigned}");
    let view = sam
        .post(
            "/api/v1/views",
            &json!({"name": "Urgent unassigned", "shared": true, "filter": {"severity": 1, "assignee": "unassigned"}}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(view["count"], json!({"n": urgent_unassigned, "more": false}));

    // "Mine" counts the reader's cases: Sam's shared view counts Mei's for Mei.
    sam.post(
        "/api/v1/views",
        &json!({"name": "My urgent", "shared": true, "filter": {"severity": 1, "assignee": "mine"}}),
    )
    .await
    .expect(StatusCode::CREATED);
    let sams = listed_cases(&sam, &format!("severity=1&assignee=me&status={OPEN}")).await;
    assert!(sams >= 1);
    assert_eq!(listed(&sam, "My urgent").await.unwrap()["count"]["n"], sams);
    assert_eq!(
        listed(&mei, "My urgent").await.unwrap()["count"]["n"],
        listed_cases(&mei, &format!("severity=1&assignee=me&status={OPEN}")).await
    );

    // A status set and staleness: nothing here waited two days.
    let new_ones = sam
        .post("/api/v1/views", &json!({"name": "New", "filter": {"statuses": ["new"]}}))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(new_ones["count"]["n"], listed_cases(&sam, "status=new").await);
    let waiting = sam
        .post(
            "/api/v1/views",
            &json!({"name": "Waiting on us > 2 days",
            "filter": {"statuses": ["new", "confirmed", "assigned"], "stale_hours": 48}}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(waiting["count"], json!({"n": 0, "more": false}));
    assert_eq!(waiting["board_query"], format!("status=new,confirmed,assigned&stale_hours=48&queue={}", waiting["id"]));
    let all = sam.post("/api/v1/views", &json!({"name": "Everything open"})).await.expect(StatusCode::CREATED);
    assert_eq!(all["count"]["n"], listed_cases(&sam, &format!("status={OPEN}")).await);
}

#[tokio::test]
async fn the_board_honours_a_status_set_and_staleness() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    alice.new_case(&case_body("Fresh")).await;
    let sam = s.browser("sam@caseboard.example").await;
    let count = |columns: &Value, status: &str| {
        columns.as_array().unwrap().iter().find(|c| c["status"] == status).unwrap()["matching"]["n"].as_u64().unwrap()
    };
    let everything = sam.call("board_counts", &[("assignee", "")]).await.expect(StatusCode::OK);
    assert!(count(&everything, "new") >= 1);
    let only_new = sam.call("board_counts", &[("statuses", "new,moon")]).await.expect(StatusCode::OK);
    assert_eq!(count(&only_new, "new"), count(&everything, "new"));
    for status in ["feedback", "confirmed", "assigned", "resolved", "closed"] {
        assert_eq!(count(&only_new, status), 0, "{status} is outside the set: empty");
    }
    let stale = sam.call("board_counts", &[("stale_hours", "48")]).await.expect(StatusCode::OK);
    assert_eq!(
        count(&stale, "new"),
        listed_cases(&s.demo("sam@caseboard.example").await, "status=new").await - fresh_new(&s).await
    );
    let board = sam.call("board_cases", &[("statuses", "new"), ("stale_hours", "48")]).await.expect(StatusCode::OK);
    let cutoff = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(48);
    for card in board["cards"].as_array().unwrap() {
        assert_eq!(card["case"]["status"], "new");
        let updated: jiff::Timestamp = card["case"]["updated_at"].as_str().unwrap().parse().unwrap();
        assert!(updated < cutoff, "only cases not updated for 48 hours");
    }
}

/// The new cases updated within the last 48 hours.
async fn fresh_new(s: &TestServer) -> u64 {
    let sam = s.demo("sam@caseboard.example").await;
    let since = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(48)).to_string();
    listed_cases(&sam, &format!("status=new&updated_since={since}")).await
}

#[tokio::test]
async fn bad_names_and_filters_are_refused_by_field_and_customers_never_reach_views() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    sam.post("/api/v1/views", &json!({"name": "Sev 1"})).await.expect(StatusCode::CREATED);
    let before = sam.get("/api/v1/views").await.expect(StatusCode::OK);
    let field = |answer: Answer| {
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text());
        answer.body["field"].as_str().unwrap().to_string()
    };
    let long = "x".repeat(81);
    for (body, expected) in [
        (json!({"name": "   "}), "name"),
        (json!({"name": long}), "name"),
        (json!({"name": "SEV 1"}), "name"),
        (json!({"name": "A", "filter": {"severity": 7}}), "filter.severity"),
        (json!({"name": "A", "filter": {"assignee": "theirs"}}), "filter.assignee"),
        (json!({"name": "A", "filter": {"statuses": ["limbo"]}}), "filter.statuses"),
        (json!({"name": "A", "filter": {"stale_hours": 0}}), "filter.stale_hours"),
        (json!({"name": "A", "filter": {"organization": "no-such-org"}}), "filter.organization"),
        (json!({"name": "A", "filter": {"plan": "no-such-plan"}}), "filter.plan"),
    ] {
        assert_eq!(field(sam.post("/api/v1/views", &body).await), expected, "{body}");
    }
    let id = before["views"][0]["id"].as_i64().unwrap();
    let other = sam.post("/api/v1/views", &json!({"name": "Other"})).await.expect(StatusCode::CREATED);
    assert_eq!(field(patch(&sam, &format!("/api/v1/views/{}", other["id"]), &json!({"name": "sev 1"})).await), "name");
    sam.delete(&format!("/api/v1/views/{}", other["id"])).await.expect(StatusCode::NO_CONTENT);

    for email in ["alice@acme.example", "olga@acme.example"] {
        let customer = s.demo(email).await;
        assert_eq!(customer.get("/api/v1/views").await.status, StatusCode::FORBIDDEN);
        assert_eq!(customer.post("/api/v1/views", &json!({"name": "Mine"})).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            patch(&customer, &format!("/api/v1/views/{id}"), &json!({"name": "x"})).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(customer.delete(&format!("/api/v1/views/{id}")).await.status, StatusCode::FORBIDDEN);
        let browser = s.browser(email).await;
        assert_eq!(browser.call("board_queues", &NONE).await.status, StatusCode::FORBIDDEN);
        assert_eq!(browser.call("save_queue", &[("name", "Mine")]).await.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(s.api().get("/api/v1/views").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(s.api().post("/api/v1/views", &json!({"name": "Anon"})).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(sam.get("/api/v1/views").await.expect(StatusCode::OK), before, "the refusals changed nothing");
}

#[tokio::test]
async fn the_board_saves_its_filter_as_a_queue_through_its_server_functions() {
    let s = start().await;
    let sam = s.browser("sam@caseboard.example").await;
    let saved = sam
        .call(
            "save_queue",
            &[("name", "Waiting"), ("shared", "true"), ("statuses", "new,assigned"), ("stale_hours", "48")],
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(saved["filter"], json!({"statuses": ["new", "assigned"], "stale_hours": 48}));
    let listed = sam.call("board_queues", &NONE).await.expect(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let again = sam.call("save_queue", &[("name", "waiting")]).await;
    assert_eq!((again.status, again.body["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("name")));
    sam.call("delete_queue", &[("id", saved["id"].to_string())]).await.expect(StatusCode::OK);
    assert!(sam.call("board_queues", &NONE).await.expect(StatusCode::OK).as_array().unwrap().is_empty());
}
