//! Reports over HTTP: figures read from the rollups equal a computation from each case's
//! events one by one; an organization admin sees only their organization; other customers
//! are refused; bad parameters are 422 naming the field.

mod common;

use std::collections::BTreeMap;

use app::domain::metrics::{Histogram, case_metrics};
use app::domain::{BusinessCalendar, CaseEvent, Contract, Severity, SlaEvent, SupportPlan};
use common::*;
use reqwest::StatusCode;
use serde_json::Value;

/// Acme's and Globex's cases: answered, resolved, reopened, left open.
async fn seed(s: &TestServer) {
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    for i in 0..4 {
        let n = alice.new_case(&case_body(&format!("acme {i}"))).await["number"].as_i64().unwrap();
        if i >= 1 {
            sam.reply(n, "Looking into it.", false).await.expect(StatusCode::CREATED);
        }
        if i >= 2 {
            sam.move_now(n, "resolved", Some("fixed")).await;
        }
        if i == 3 {
            sam.move_now(n, "confirmed", None).await;
            sam.reply(n, "Again.", false).await.expect(StatusCode::CREATED);
            sam.move_now(n, "resolved", Some("fixed")).await;
        }
    }
    let n = bruno.new_case(&case_body("globex 0")).await["number"].as_i64().unwrap();
    sam.reply(n, "Hello.", false).await.expect(StatusCode::CREATED);
    sam.move_now(n, "resolved", Some("fixed")).await;
}

/// What each organization's cases add up to, computed case by case from their logs
/// (calendar figures and counts: those need no contract).
#[derive(Default, Debug)]
struct Expected {
    opened: i64,
    first: Histogram,
    resolution: Histogram,
    resolved: i64,
    ever_resolved: i64,
    reopened: i64,
    one_touch: i64,
    open: i64,
}

async fn expected(sam: &Api) -> BTreeMap<String, Expected> {
    let plan = SupportPlan::preset("elastic-cloud-premium").unwrap();
    let contract = Contract::new(plan, BusinessCalendar::around_the_clock("UTC")).unwrap();
    let mut by_organization: BTreeMap<String, Expected> = BTreeMap::new();
    for case in sam.all_cases().await {
        let number = case["number"].as_i64().unwrap();
        let events: Vec<CaseEvent> = serde_json::from_value(sam.events(number).await.ok()).unwrap();
        let opened_at: jiff::Timestamp = case["opened_at"].as_str().unwrap().parse().unwrap();
        let facts: Vec<SlaEvent> = events.iter().filter_map(|e| SlaEvent::from_change(e.at, &e.change)).collect();
        let now = events.last().unwrap().at;
        let m = case_metrics(&contract, Severity::Normal, opened_at, &facts, now);
        let e = by_organization.entry(case["organization"].as_str().unwrap().to_owned()).or_default();
        e.opened += 1;
        if let Some(first) = m.first_response {
            e.first.add(first.calendar_seconds);
        }
        if let Some(resolution) = m.resolution {
            e.resolution.add(resolution.calendar_seconds);
            e.resolved += 1;
        }
        e.ever_resolved += i64::from(m.ever_resolved);
        e.reopened += i64::from(m.reopened);
        e.one_touch += i64::from(m.one_touch);
        e.open += i64::from(m.resolved_at.is_none());
    }
    by_organization
}

fn period() -> String {
    let now = jiff::Timestamp::now();
    let from = now - jiff::SignedDuration::from_hours(24 * 365 * 2);
    let to = now + jiff::SignedDuration::from_hours(24);
    format!("from={}&to={}", from.round(jiff::Unit::Second).unwrap(), to.round(jiff::Unit::Second).unwrap())
}

async fn groups(api: &Api, metric: &str, extra: &str) -> BTreeMap<String, Value> {
    let body = api.get(&format!("/api/v1/reports/{metric}?{}{extra}", period())).await.ok();
    assert_eq!(body["metric"], metric);
    assert!(!body["definition"].as_str().unwrap().is_empty());
    body["groups"].as_array().unwrap().iter().map(|g| (g["key"].as_str().unwrap().to_owned(), g.clone())).collect()
}

fn rate(part: i64, whole: i64) -> Value {
    if whole == 0 { Value::Null } else { serde_json::json!(part as f64 / whole as f64) }
}

#[tokio::test]
async fn report_figures_equal_a_computation_from_each_cases_events() {
    let s = start().await;
    seed(&s).await;
    let sam = s.demo("sam@caseboard.example").await;
    let expected = expected(&sam).await;
    assert!(expected.len() >= 2, "{expected:?}");
    let first = groups(&sam, "first_response", "").await;
    let resolution = groups(&sam, "resolution", "").await;
    let one_touch = groups(&sam, "one_touch", "").await;
    let reopen = groups(&sam, "reopen_rate", "").await;
    let backlog = groups(&sam, "backlog", "").await;
    let sla = groups(&sam, "sla_achievement", "").await;
    for (organization, e) in &expected {
        let get = |map: &BTreeMap<String, Value>, field: &str| {
            map.get(organization).map_or(Value::Null, |g| g[field].clone())
        };
        let count = |map: &BTreeMap<String, Value>| map.get(organization).map_or(0, |g| g["count"].as_i64().unwrap());
        assert_eq!(count(&first), e.first.count(), "{organization}");
        assert_eq!(get(&first, "median_seconds"), serde_json::json!(e.first.quantile(0.5)), "{organization}");
        assert_eq!(get(&first, "p90_seconds"), serde_json::json!(e.first.quantile(0.9)), "{organization}");
        assert_eq!(count(&resolution), e.resolved, "{organization}");
        assert_eq!(get(&resolution, "median_seconds"), serde_json::json!(e.resolution.quantile(0.5)));
        assert_eq!(count(&one_touch), e.resolved, "{organization}");
        assert_eq!(get(&one_touch, "value"), rate(e.one_touch, e.resolved), "{organization}");
        assert_eq!(count(&reopen), e.ever_resolved, "{organization}");
        assert_eq!(get(&reopen, "value"), rate(e.reopened, e.ever_resolved), "{organization}");
        assert_eq!(count(&backlog), e.open, "{organization}");
        if let Some(g) = sla.get(organization) {
            let parts = ["achieved", "breached", "running"].map(|f| g[f].as_i64().unwrap());
            assert_eq!(parts.iter().sum::<i64>(), g["count"].as_i64().unwrap());
            assert!(g["count"].as_i64().unwrap() <= e.opened);
        }
    }
    assert_eq!(expected["acme"].reopened, 1);
    assert!(expected["acme"].one_touch >= 1);
    // Weeks add up to the same counts.
    let weeks = groups(&sam, "first_response", "&group_by=week").await;
    let total: i64 = weeks.values().map(|g| g["count"].as_i64().unwrap()).sum();
    assert_eq!(total, expected.values().map(|e| e.first.count()).sum::<i64>());
}

#[tokio::test]
async fn an_organization_admin_sees_only_their_organization_and_other_customers_are_refused() {
    let s = start().await;
    seed(&s).await;
    let olga = s.demo("olga@acme.example").await;
    for extra in ["", "&organization=globex"] {
        let keys: Vec<String> = groups(&olga, "backlog", extra).await.into_keys().collect();
        assert!(keys.iter().all(|k| k == "acme"), "{keys:?}");
    }
    let engineers = groups(&olga, "first_response", "&group_by=severity").await;
    let sam = s.demo("sam@caseboard.example").await;
    let acme_only = groups(&sam, "first_response", "&group_by=severity&organization=acme").await;
    assert_eq!(engineers, acme_only);
    let alice = s.demo("alice@acme.example").await;
    let refused = alice.get(&format!("/api/v1/reports/backlog?{}", period())).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bad_report_parameters_are_refused_naming_the_field() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let cases = [
        ("/api/v1/reports/velocity?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", "metric"),
        ("/api/v1/reports/backlog?to=2026-02-01T00:00:00Z", "from"),
        ("/api/v1/reports/backlog?from=2026-01-01T00:00:00Z&to=soon", "to"),
        ("/api/v1/reports/backlog?from=2020-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", "to"),
        ("/api/v1/reports/resolution?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&group_by=team", "group_by"),
        ("/api/v1/reports/resolution?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&severity=7", "severity"),
        (
            "/api/v1/reports/resolution?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&organization=nope",
            "organization",
        ),
    ];
    for (path, field) in cases {
        let answer = sam.get(path).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(answer.field(), field, "{path}");
    }
}
