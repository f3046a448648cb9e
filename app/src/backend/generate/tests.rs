//! The generator's promises: counts, ~3% open, log entries exactly as the write path
//! writes them, statuses the lifecycle allows, SLA entries where the clocks say so (the
//! sweeper finds nothing to add), the same data for the same seed, and no mixing into a
//! database that holds real data.

use std::collections::HashMap;

use jiff::Timestamp;
use sqlx::Row;

use super::{GenerateError, GenerateOptions, generate};
use crate::backend::contracts::{contract_of, sla_events};
use crate::backend::store::fixture::open_store;
use crate::backend::store::{NewUser, Store};
use crate::domain::lifecycle::{check_transition, status_after_feedback};
use crate::domain::sla::{SlaClockState, clocks};
use crate::domain::{CaseChange, CaseEvent, CaseNumber, Resolution, Role, Severity, Status};

fn options(cases: u64, seed: u64) -> GenerateOptions {
    GenerateOptions { cases, seed, into_nonempty: false, until: "2026-03-02T10:00:00Z".parse().unwrap() }
}

async fn fresh_store(dir: &tempfile::TempDir) -> Store {
    open_store(&dir.path().join("generated.sqlite")).await
}

async fn run(store: &Store, options: &GenerateOptions) -> Result<super::GenerateReport, GenerateError> {
    generate(store, options, &mut |_| {}).await
}

async fn count(store: &Store, table: &'static str) -> i64 {
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
    sqlx::query_scalar(sql).fetch_one(store.pool()).await.unwrap()
}

/// Every case's row and log, as text, in number and id order.
async fn dump(store: &Store) -> Vec<String> {
    let cases = sqlx::query(
        "SELECT number, organization_id, reporter_id, summary, description, severity, status, resolution, version, \
         opened_at, updated_at, assignee_id, details FROM cases ORDER BY number",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let events = sqlx::query("SELECT id, case_id, actor_id, at, kind, internal, data FROM case_events ORDER BY id")
        .fetch_all(store.pool())
        .await
        .unwrap();
    let mut lines = Vec::new();
    for row in cases.iter().chain(events.iter()) {
        let mut line = String::new();
        for i in 0..row.len() {
            let cell = row
                .try_get::<String, _>(i)
                .or_else(|_| row.try_get::<i64, _>(i).map(|v| v.to_string()))
                .or_else(|_| row.try_get::<Option<i64>, _>(i).map(|v| format!("{v:?}")))
                .unwrap();
            line.push_str(&cell);
            line.push('|');
        }
        lines.push(line);
    }
    lines
}

#[tokio::test]
async fn a_generated_history_follows_the_rules_of_the_write_path_the_lifecycle_and_the_clocks() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_store(&dir).await;
    let options = options(300, 7);
    let report = run(&store, &options).await.unwrap();
    assert_eq!(report.cases, 300);
    assert_eq!(count(&store, "cases").await, 300);
    assert_eq!(count(&store, "case_events").await as u64, report.events);
    assert_eq!(count(&store, "organizations").await, 200);
    assert_eq!(count(&store, "engineer_profiles").await, 40);
    assert!((1_500..2_500).contains(&(report.contacts as i64)), "{} contacts", report.contacts);
    assert_eq!(count(&store, "mail_outbox").await, 0, "a generated history sends no mail");
    let open = count(&store, "cases WHERE status <> 'closed'").await;
    assert_eq!(open as u64, report.open_cases);
    assert!((3..=24).contains(&open), "{open} of 300 open (~3% expected)");
    let next: i64 = sqlx::query_scalar("SELECT next FROM case_number_counter").fetch_one(store.pool()).await.unwrap();
    assert_eq!(next, 1301);

    let roles: HashMap<i64, String> = sqlx::query("SELECT id, role FROM users")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get::<i64, _>("id"), r.get::<String, _>("role")))
        .collect();
    let rows = sqlx::query(
        "SELECT c.id AS case_id, c.number, c.status, c.resolution, c.severity, c.assignee_id, c.version, c.opened_at, \
         c.updated_at, o.slug, e.actor_id, e.at, e.kind, e.internal, e.data \
         FROM case_events e JOIN cases c ON c.id = e.case_id JOIN organizations o ON o.id = c.organization_id \
         ORDER BY c.number, e.id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let mut by_case: Vec<Vec<&sqlx::any::AnyRow>> = Vec::new();
    for row in &rows {
        match by_case.last_mut() {
            Some(last) if last[0].get::<i64, _>("case_id") == row.get::<i64, _>("case_id") => last.push(row),
            _ => by_case.push(vec![row]),
        }
    }
    assert_eq!(by_case.len(), 300);
    let (mut sla_entries, mut french, mut chinese) = (0, 0, 0);
    for case in &by_case {
        let first = case[0];
        let number = first.get::<i64, _>("number");
        let stored_status = Status::parse(&first.get::<String, _>("status")).unwrap();
        let stored_resolution = Resolution::parse(&first.get::<String, _>("resolution")).unwrap();
        if stored_status == Status::Closed {
            assert!((5..=30).contains(&case.len()), "case {number} has {} entries", case.len());
        } else {
            assert!((1..=30).contains(&case.len()), "case {number} has {} entries", case.len());
        }
        let opened_at: Timestamp = first.get::<String, _>("opened_at").parse().unwrap();
        let mut log = Vec::new();
        let (mut status, mut resolution, mut before_feedback) = (Status::New, Resolution::Open, None);
        let (mut severity, mut assignee, mut last_visible) = (None, None, opened_at);
        for row in case {
            let data: String = row.get("data");
            let change: CaseChange = serde_json::from_str(&data).expect("every entry parses as a CaseChange");
            assert_eq!(serde_json::to_string(&change).unwrap(), data, "exactly what the write path writes");
            assert_eq!(row.get::<String, _>("kind"), change.kind());
            assert_eq!(row.get::<i64, _>("internal"), i64::from(change.is_internal()));
            let at: Timestamp = row.get::<String, _>("at").parse().unwrap();
            assert!(log.last().is_none_or(|e: &CaseEvent| e.at <= at), "case {number}: entries in time order");
            let actor: Option<i64> = row.get("actor_id");
            match &change {
                CaseChange::Opened { severity: s, .. } => {
                    assert!(log.is_empty(), "case {number}: opened first");
                    severity = Some(*s);
                }
                CaseChange::StatusChanged { from, to, resolution: r } => {
                    assert_eq!(*from, status, "case {number}: a move from where the case was");
                    match actor {
                        // The store's own move: a customer's answer ends Feedback.
                        None => {
                            assert_eq!(*from, Status::Feedback);
                            assert_eq!(*to, status_after_feedback(before_feedback));
                            assert_eq!(*r, resolution);
                        }
                        Some(id) => {
                            let role = Role::parse(&roles[&id]).unwrap();
                            let requested = (!to.is_active()).then_some(*r);
                            let t = check_transition(role, status, resolution, *to, requested)
                                .unwrap_or_else(|e| panic!("case {number}: {from} -> {to} by {role:?}: {e}"));
                            assert_eq!((t.to, t.resolution), (*to, *r));
                        }
                    }
                    if *to == Status::Feedback {
                        before_feedback = Some(*from);
                    }
                    status = *to;
                    resolution = *r;
                }
                CaseChange::SeverityChanged { from, to } => {
                    assert_eq!(Some(*from), severity);
                    severity = Some(*to);
                }
                CaseChange::Assigned { engineer_id, .. } => assignee = *engineer_id,
                CaseChange::SlaWarning { .. } | CaseChange::SlaBreached { .. } => {
                    assert_eq!(actor, None);
                    sla_entries += 1;
                }
                CaseChange::Reply { body, .. } => {
                    french += usize::from(body.contains('é'));
                    chinese += usize::from(body.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
                }
                _ => {}
            }
            let sla = matches!(change, CaseChange::SlaWarning { .. } | CaseChange::SlaBreached { .. });
            if !sla && !matches!(change, CaseChange::Reply { internal: true, .. }) {
                last_visible = at;
            }
            log.push(CaseEvent { id: 0, case: CaseNumber(number), at, actor: None, change });
        }
        assert_eq!((status, resolution), (stored_status, stored_resolution), "case {number}: replayed status");
        assert_eq!(severity.map(|s| i64::from(s.level())), Some(first.get::<i64, _>("severity")));
        assert_eq!(assignee, first.get::<Option<i64>, _>("assignee_id"));
        assert_eq!(first.get::<String, _>("updated_at").parse::<Timestamp>().unwrap(), last_visible);
        assert!(first.get::<i64, _>("version") >= 1);

        // Each SLA entry stands where the clocks say so at its instant.
        let organization = store.organization_by_slug(&first.get::<String, _>("slug")).await.unwrap().unwrap();
        let contract = contract_of(&store, &organization).await.unwrap();
        let severity = Severity::try_from(first.get::<i64, _>("severity") as u8).unwrap();
        let events = sla_events(&log);
        for entry in &log {
            let (clock, breach) = match entry.change {
                CaseChange::SlaWarning { clock } => (clock, false),
                CaseChange::SlaBreached { clock } => (clock, true),
                _ => continue,
            };
            let now = clocks(&contract, severity, opened_at, &events, entry.at);
            let c = now.iter().find(|c| c.kind == clock).unwrap();
            if breach {
                assert_eq!(c.state, SlaClockState::Breached, "case {number}: breached at {}", entry.at);
            } else {
                assert!(matches!(c.state, SlaClockState::Running | SlaClockState::Breached), "case {number}");
                assert!(c.warning_at.is_some_and(|w| w <= entry.at), "case {number}: warned at {}", entry.at);
            }
        }
    }
    assert!(sla_entries > 0, "some clocks were warned or breached");
    assert!(french > 0 && chinese > 0, "French and Chinese replies ({french}, {chinese})");

    // What the sweeper would write now is there already.
    let swept = crate::backend::sweeper::sweep(&store, options.until).await.unwrap();
    assert_eq!((swept.warnings, swept.breaches), (0, 0), "the sweeper finds nothing to add");
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data_and_another_seed_other_data() {
    let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (first, second, other) = (fresh_store(&a).await, fresh_store(&b).await, fresh_store(&c).await);
    run(&first, &options(120, 11)).await.unwrap();
    run(&second, &options(120, 11)).await.unwrap();
    run(&other, &options(120, 12)).await.unwrap();
    let dumped = dump(&first).await;
    assert_eq!(dumped, dump(&second).await);
    assert_ne!(dumped, dump(&other).await);
}

#[tokio::test]
async fn a_database_holding_real_data_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh_store(&dir).await;
    run(&store, &options(40, 3)).await.unwrap();
    let before = dump(&store).await;
    let users = count(&store, "users").await;
    assert!(matches!(run(&store, &options(40, 3)).await, Err(GenerateError::Refused)));
    assert_eq!(dump(&store).await, before);
    assert_eq!(count(&store, "users").await, users);

    // People other than the demo's, and no case, are real data too.
    let other = tempfile::tempdir().unwrap();
    let people = fresh_store(&other).await;
    let hash = crate::backend::accounts::hash_password("a long passphrase").await.unwrap();
    people
        .create_user(NewUser {
            email: "ops@example.com",
            name: "Ops",
            role: Role::Engineer,
            organization_id: None,
            org_admin: false,
            password_hash: &hash,
            time_zone: None,
            language: None,
        })
        .await
        .unwrap();
    assert!(matches!(run(&people, &options(10, 3)).await, Err(GenerateError::Refused)));
    assert_eq!((count(&people, "users").await, count(&people, "organizations").await), (1, 0));

    // Told to, it adds a second history after the first: numbers and ids go on.
    let more = GenerateOptions { into_nonempty: true, ..options(40, 4) };
    let report = run(&store, &more).await.unwrap();
    assert_eq!(report.first_number, 1041);
    assert_eq!(count(&store, "cases").await, 80);
    let next: i64 = sqlx::query_scalar("SELECT next FROM case_number_counter").fetch_one(store.pool()).await.unwrap();
    assert_eq!(next, 1081);
}
