//! Store tests, each on a fresh temporary SQLite file.

use super::accounts::{start_session, user_by_session};
use super::cases;
use super::store::{CaseScope, NewUser, Store, UserRecord};
use crate::domain::{
    CaseDraft, CaseKind, CaseNumber, Environment, Resolution, Role, Severity, Status, Transition, Visibility,
};
use crate::error::{AppError, InvalidReason};

/// The store for a test: a SQLite file at `path`, or, when `CASEBOARD_TEST_POSTGRES` names a
/// PostgreSQL server (`postgres://postgres@127.0.0.1:5432`), a database of its own there,
/// named after `path` (reopening the same path reopens the same database).
async fn open_store(path: &std::path::Path) -> Store {
    let Ok(server) = std::env::var("CASEBOARD_TEST_POSTGRES") else {
        return Store::open_sqlite(path).await.unwrap();
    };
    use sqlx::Connection;
    let name = format!("caseboard_test_{}", &super::store::fingerprint(path.to_string_lossy().as_bytes())[..20]);
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres")).await.unwrap();
    let exists: Option<i64> = sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut admin)
        .await
        .unwrap();
    if exists.is_none() {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.unwrap();
    }
    Store::connect(&format!("{server}/{name}")).await.unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    alice: UserRecord,
    olga: UserRecord,
    amir: UserRecord,
    bruno: UserRecord,
    sam: UserRecord,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(&dir.path().join("test.sqlite")).await;
    let acme = store.create_organization("acme", "Acme", "elastic-cloud-premium").await.unwrap();
    let globex = store.create_organization("globex", "Globex", "coveo").await.unwrap();
    let user = |email: &'static str, role, org: Option<i64>, org_admin| NewUser {
        email,
        name: email,
        role,
        organization_id: org,
        org_admin,
        password_hash: "not-a-real-hash",
        time_zone: None,
        language: None,
    };
    let alice = store.create_user(user("alice@acme.test", Role::Customer, Some(acme.id), false)).await.unwrap();
    let olga = store.create_user(user("olga@acme.test", Role::Customer, Some(acme.id), true)).await.unwrap();
    let amir = store.create_user(user("amir@acme.test", Role::Customer, Some(acme.id), false)).await.unwrap();
    let bruno = store.create_user(user("bruno@globex.test", Role::Customer, Some(globex.id), false)).await.unwrap();
    let sam = store.create_user(user("sam@support.test", Role::Engineer, None, false)).await.unwrap();
    Fixture { _dir: dir, store, alice, olga, amir, bruno, sam }
}

fn draft(summary: &str) -> CaseDraft {
    CaseDraft {
        summary: summary.into(),
        description: "Steps: open the dashboard.".into(),
        kind: CaseKind::Bug,
        severity: Severity::Normal,
        environment: Environment::Production,
        visibility: Visibility::Organization,
        product: String::new(),
        details: Default::default(),
        attachments: Vec::new(),
    }
}

#[tokio::test]
async fn database_runs_in_wal_mode_with_full_synchronous_commits() {
    let f = fixture().await;
    if f.store.backend() != super::store::Backend::Sqlite {
        return; // PostgreSQL's durability is the server's configuration (README, "Scaling out")
    }
    let (mode, sync) = f.store.durability_settings().await.unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
}

#[tokio::test]
async fn case_numbers_start_at_1001_and_grow() {
    let f = fixture().await;
    let a = cases::open_case(&f.store, &f.alice, draft("first"), None).await.unwrap();
    let b = cases::open_case(&f.store, &f.bruno, draft("second"), None).await.unwrap();
    assert_eq!(a.case.number, CaseNumber(1001));
    assert_eq!(b.case.number, CaseNumber(1002));
    assert_eq!(a.case.version, 1);
    assert_eq!(a.case.status, Status::New);
    assert_eq!(a.case.resolution, Resolution::Open);
}

#[tokio::test]
async fn a_refused_case_does_not_consume_a_number() {
    let f = fixture().await;
    let too_long = draft(&"x".repeat(201));
    assert!(cases::open_case(&f.store, &f.alice, too_long, None).await.is_err());
    let ok = cases::open_case(&f.store, &f.alice, draft("fine"), None).await.unwrap();
    assert_eq!(ok.case.number, CaseNumber(1001));
}

#[tokio::test]
async fn opening_a_case_appends_an_opened_event_in_the_same_transaction() {
    let f = fixture().await;
    let opened = cases::open_case(&f.store, &f.alice, draft("log me"), None).await.unwrap();
    let events = f.store.case_events(opened.case.number, true).await.unwrap();
    // Opened by Alice, then (same transaction) given to the only engineer by the rule.
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].change.kind(), "opened");
    assert_eq!(events[0].actor.as_deref(), Some("alice@acme.test"));
    assert_eq!(events[1].change.kind(), "assigned");
    assert_eq!(events[1].actor, None);
    assert_eq!(opened.case.assignee_id, Some(f.sam.id));
    // Customers never read the rule's reasons.
    assert_eq!(f.store.case_events(opened.case.number, false).await.unwrap().len(), 1);
}

#[tokio::test]
async fn idempotent_retry_returns_the_first_case_and_creates_nothing() {
    let f = fixture().await;
    let first = cases::open_case(&f.store, &f.alice, draft("once"), Some("key-1")).await.unwrap();
    let retry = cases::open_case(&f.store, &f.alice, draft("once"), Some("key-1")).await.unwrap();
    assert!(first.created);
    assert!(!retry.created);
    assert_eq!(first.case.number, retry.case.number);
    assert_eq!(f.store.list_cases(CaseScope::Everything).await.unwrap().len(), 1);
    assert_eq!(f.store.case_events(first.case.number, false).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_same_key_with_another_draft_is_refused() {
    let f = fixture().await;
    cases::open_case(&f.store, &f.alice, draft("once"), Some("key-1")).await.unwrap();
    let other = cases::open_case(&f.store, &f.alice, draft("something else"), Some("key-1")).await;
    assert_eq!(other.unwrap_err(), AppError::invalid("idempotency_key", InvalidReason::NotAllowed));
}

#[tokio::test]
async fn idempotency_keys_are_per_user() {
    let f = fixture().await;
    let a = cases::open_case(&f.store, &f.alice, draft("same"), Some("shared")).await.unwrap();
    let b = cases::open_case(&f.store, &f.amir, draft("same"), Some("shared")).await.unwrap();
    assert_ne!(a.case.number, b.case.number);
}

#[tokio::test]
async fn support_cannot_open_a_case_as_a_customer_yet() {
    let f = fixture().await;
    assert_eq!(cases::open_case(&f.store, &f.sam, draft("x"), None).await.unwrap_err(), AppError::Forbidden);
}

#[tokio::test]
async fn customer_cannot_read_other_organizations_case() {
    let f = fixture().await;
    let acme_case = cases::open_case(&f.store, &f.alice, draft("acme only"), None).await.unwrap().case;
    assert_eq!(cases::case_for(&f.store, &f.bruno, acme_case.number).await.unwrap_err(), AppError::NotFound);
    assert!(cases::list_cases(&f.store, &f.bruno).await.unwrap().is_empty());
    assert_eq!(cases::case_for(&f.store, &f.sam, acme_case.number).await.unwrap().summary, "acme only");
    assert_eq!(cases::case_for(&f.store, &f.amir, acme_case.number).await.unwrap().summary, "acme only");
}

#[tokio::test]
async fn a_private_case_is_seen_by_its_reporter_the_org_admin_and_support_only() {
    let f = fixture().await;
    let private = CaseDraft { visibility: Visibility::Private, ..draft("private") };
    let case = cases::open_case(&f.store, &f.alice, private, None).await.unwrap().case;
    for (who, sees) in [(&f.alice, true), (&f.olga, true), (&f.sam, true), (&f.amir, false), (&f.bruno, false)] {
        assert_eq!(cases::case_for(&f.store, who, case.number).await.is_ok(), sees, "{}", who.email);
        assert_eq!(cases::list_cases(&f.store, who).await.unwrap().len(), usize::from(sees), "{}", who.email);
    }
}

#[tokio::test]
async fn an_engineer_moves_a_case_and_the_log_records_it() {
    let f = fixture().await;
    let case = cases::open_case(&f.store, &f.alice, draft("move me"), None).await.unwrap().case;
    let moved = cases::change_status(&f.store, &f.sam, case.number, Status::Confirmed, None, 1, None).await.unwrap();
    assert_eq!(moved.status, Status::Confirmed);
    assert_eq!(moved.version, 2);
    let events = f.store.case_events(case.number, false).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].change.kind(), "status_changed");
}

#[tokio::test]
async fn a_stale_version_is_refused_with_the_current_one_and_changes_nothing() {
    let f = fixture().await;
    let case = cases::open_case(&f.store, &f.alice, draft("race"), None).await.unwrap().case;
    cases::change_status(&f.store, &f.sam, case.number, Status::Confirmed, None, 1, None).await.unwrap();
    let stale = cases::change_status(&f.store, &f.sam, case.number, Status::Assigned, None, 1, None).await;
    // The refusal says who changed the case, and that it was a moment ago.
    match stale.unwrap_err() {
        AppError::Conflict { current_version: 2, changed_by, seconds_ago } => {
            assert_eq!(changed_by.as_deref(), Some("sam@support.test"));
            assert!(seconds_ago.is_some_and(|s| s < 60));
        }
        other => panic!("{other:?}"),
    }
    let now = cases::case_for(&f.store, &f.sam, case.number).await.unwrap();
    assert_eq!((now.status, now.version), (Status::Confirmed, 2));
    assert_eq!(f.store.case_events(case.number, false).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_refused_transition_changes_nothing() {
    let f = fixture().await;
    let case = cases::open_case(&f.store, &f.alice, draft("no"), None).await.unwrap().case;
    let by_customer = cases::change_status(&f.store, &f.alice, case.number, Status::Confirmed, None, 1, None).await;
    assert_eq!(by_customer.unwrap_err(), AppError::Forbidden);
    let unresolved = cases::change_status(&f.store, &f.sam, case.number, Status::Resolved, None, 1, None).await;
    assert!(matches!(unresolved, Err(AppError::Invalid { field, .. }) if field == "resolution"));
    let now = cases::case_for(&f.store, &f.sam, case.number).await.unwrap();
    assert_eq!((now.status, now.version), (Status::New, 1));
}

#[tokio::test]
async fn customer_cannot_move_another_organizations_case() {
    let f = fixture().await;
    let case = cases::open_case(&f.store, &f.alice, draft("mine"), None).await.unwrap().case;
    let change = f
        .store
        .change_status(case.number, f.bruno.case_scope(), f.bruno.id, 1, None, |_| {
            Ok(Transition { to: Status::Closed, resolution: Resolution::Fixed })
        })
        .await;
    assert_eq!(change.unwrap_err(), AppError::NotFound);
}

#[tokio::test]
async fn the_event_log_is_append_only() {
    let f = fixture().await;
    cases::open_case(&f.store, &f.alice, draft("history"), None).await.unwrap();
    assert!(f.store.raw_execute("UPDATE case_events SET kind = 'forged'").await.is_err());
    assert!(f.store.raw_execute("DELETE FROM case_events").await.is_err());
}

#[tokio::test]
async fn a_session_finds_its_user_until_it_is_ended() {
    let f = fixture().await;
    let secret = start_session(&f.store, &f.alice).await.unwrap();
    assert_eq!(user_by_session(&f.store, &secret).await.unwrap().unwrap().id, f.alice.id);
    assert!(user_by_session(&f.store, "forged").await.unwrap().is_none());
    super::accounts::end_session(&f.store, &secret).await.unwrap();
    assert!(user_by_session(&f.store, &secret).await.unwrap().is_none());
}

#[tokio::test]
async fn an_email_is_unique_whatever_its_case() {
    let f = fixture().await;
    let again = f
        .store
        .create_user(NewUser {
            email: "ALICE@acme.test",
            name: "Alice again",
            role: Role::Engineer,
            organization_id: None,
            org_admin: false,
            password_hash: "x",
            time_zone: None,
            language: None,
        })
        .await;
    assert_eq!(again.unwrap_err(), AppError::invalid("email", InvalidReason::NotAllowed));
}

#[tokio::test]
async fn a_file_reopened_keeps_its_cases_and_numbering() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reopen.sqlite");
    {
        let f = fixture_at(&path, "elastic-cloud-basic").await;
        cases::open_case(&f.0, &f.1, draft("before restart"), None).await.unwrap();
        f.0.close().await;
    }
    let store = open_store(&path).await;
    let alice = store.user_by_email("alice@acme.test").await.unwrap().unwrap();
    let next = cases::open_case(&store, &alice, draft("after restart"), None).await.unwrap();
    assert_eq!(next.case.number, CaseNumber(1002));
    assert_eq!(store.list_cases(CaseScope::Everything).await.unwrap().len(), 2);
}

async fn fixture_at(path: &std::path::Path, plan: &str) -> (Store, UserRecord) {
    let store = open_store(path).await;
    let org = store.create_organization("acme", "Acme", plan).await.unwrap();
    let alice = store
        .create_user(NewUser {
            email: "alice@acme.test",
            name: "Alice",
            role: Role::Customer,
            organization_id: Some(org.id),
            org_admin: false,
            password_hash: "x",
            time_zone: None,
            language: None,
        })
        .await
        .unwrap();
    (store, alice)
}

#[tokio::test]
async fn the_sweeper_warns_at_80_percent_and_records_a_breach_once_even_after_a_restart() {
    use super::sweeper::sweep;
    use jiff::SignedDuration;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sweep.sqlite");
    // Premium: an Urgent case is due 30 minutes later, 24x7.
    let (store, alice) = fixture_at(&path, "elastic-cloud-premium").await;
    let mut urgent = CaseDraft { severity: Severity::Urgent, ..draft("down") };
    urgent.details.impact = "Every order is lost while it is down.".into();
    let case = cases::open_case(&store, &alice, urgent, None).await.unwrap().case;
    let at = |mins: i64| case.opened_at + SignedDuration::from_mins(mins);

    assert_eq!(sweep(&store, at(10)).await.unwrap().warnings, 0);
    let report = sweep(&store, at(25)).await.unwrap();
    assert_eq!((report.warnings, report.breaches), (1, 0));
    assert_eq!(sweep(&store, at(26)).await.unwrap().warnings, 0, "a warning is written once");
    let report = sweep(&store, at(31)).await.unwrap();
    assert_eq!((report.warnings, report.breaches), (0, 1));
    store.close().await;

    let restarted = open_store(&path).await;
    let report = sweep(&restarted, at(45)).await.unwrap();
    assert_eq!((report.warnings, report.breaches), (0, 0), "nothing twice across a restart");
    let kinds: Vec<&str> =
        restarted.case_events(case.number, true).await.unwrap().iter().map(|e| e.change.kind()).collect();
    assert_eq!(kinds, ["opened", "sla_warning", "sla_breached"]);
}

#[tokio::test]
async fn two_instances_sweeping_the_same_database_at_once_record_each_sla_event_once() {
    use super::sweeper::sweep;
    use jiff::SignedDuration;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.sqlite");
    let (first, alice) = fixture_at(&path, "elastic-cloud-premium").await;
    // A second instance on the same database (the same file, or the same PostgreSQL database).
    let second = open_store(&path).await;
    let mut urgent = CaseDraft { severity: Severity::Urgent, ..draft("down") };
    urgent.details.impact = "Every order is lost while it is down.".into();
    let case = cases::open_case(&first, &alice, urgent, None).await.unwrap().case;
    let at = case.opened_at + SignedDuration::from_mins(31);
    for _ in 0..3 {
        let (a, b) = tokio::join!(sweep(&first, at), sweep(&second, at));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a.breaches + b.breaches <= 1);
    }
    let kinds: Vec<&str> = second.case_events(case.number, true).await.unwrap().iter().map(|e| e.change.kind()).collect();
    assert_eq!(kinds, ["opened", "sla_warning", "sla_breached"], "each once, whoever swept first");
}

#[tokio::test]
async fn the_live_feed_filters_in_memory_exactly_as_the_store_scopes_in_sql() {
    let f = fixture().await;
    let mut feed = f.store.subscribe();
    let public = cases::open_case(&f.store, &f.alice, draft("public"), None).await.unwrap().case;
    let private = CaseDraft { visibility: Visibility::Private, ..draft("private") };
    let private = cases::open_case(&f.store, &f.alice, private, None).await.unwrap().case;
    let other = cases::open_case(&f.store, &f.bruno, draft("globex"), None).await.unwrap().case;
    cases::reply(&f.store, &f.sam, public.number, "internal hypothesis", true, None, false).await.unwrap();
    cases::reply(&f.store, &f.sam, private.number, "public answer", false, None, false).await.unwrap();

    let mut items = Vec::new();
    // Three cases opened and assigned, two replies.
    while items.len() < 8 {
        let item = tokio::time::timeout(std::time::Duration::from_secs(5), feed.recv()).await.unwrap().unwrap();
        items.push(item);
    }
    let ids: Vec<i64> = items.iter().map(|i| i.event.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "the feed is in log order: {ids:?}");
    assert!(items.iter().any(|i| i.event.case == other.number));

    for user in [&f.alice, &f.olga, &f.amir, &f.bruno, &f.sam] {
        let internal = user.role.is_support();
        let by_sql: Vec<i64> =
            f.store.events_after(0, i64::MAX, user.case_scope(), internal, 100).await.unwrap().iter().map(|e| e.id).collect();
        let in_memory: Vec<i64> =
            items.iter().filter(|i| i.visible_to(user.case_scope(), internal)).map(|i| i.event.id).collect();
        assert_eq!(by_sql, in_memory, "{}", user.email);
    }
    // Amir (same organization, not the reporter, not admin) sees neither the private case nor the note.
    let amir: Vec<i64> = items.iter().filter(|i| i.visible_to(f.amir.case_scope(), false)).map(|i| i.event.id).collect();
    assert_eq!(amir, vec![items[0].event.id]);
}

#[tokio::test]
async fn a_public_reply_to_a_case_that_changed_since_the_draft_began_waits_for_confirmation() {
    let f = fixture().await;
    let case = cases::open_case(&f.store, &f.alice, draft("collide"), None).await.unwrap().case;
    let seen = case.version;
    cases::change_status(&f.store, &f.sam, case.number, Status::Feedback, None, seen, None).await.unwrap();

    let refused = cases::reply(&f.store, &f.sam, case.number, "answer", false, Some(seen), false).await;
    assert!(matches!(refused, Err(AppError::Conflict { changed_by: Some(_), .. })), "{refused:?}");
    let log = f.store.case_events(case.number, true).await.unwrap();
    assert!(!log.iter().any(|e| e.change.kind() == "reply"), "nothing was sent");

    // Internal notes are not held back; a confirmed reply goes through.
    cases::reply(&f.store, &f.sam, case.number, "note", true, Some(seen), false).await.unwrap();
    cases::reply(&f.store, &f.sam, case.number, "answer", false, Some(seen), true).await.unwrap();
    let now = cases::case_for(&f.store, &f.sam, case.number).await.unwrap();
    cases::reply(&f.store, &f.alice, case.number, "thanks", false, Some(now.version), false).await.unwrap();
}

#[tokio::test]
async fn a_duplicate_names_the_case_it_duplicates_and_both_list_the_link() {
    let f = fixture().await;
    let first = cases::open_case(&f.store, &f.alice, draft("original"), None).await.unwrap().case;
    let second = cases::open_case(&f.store, &f.alice, draft("again"), None).await.unwrap().case;
    let v = second.version;
    let missing = cases::change_status(&f.store, &f.sam, second.number, Status::Resolved, Some(Resolution::Duplicate), v, None).await;
    assert_eq!(missing.unwrap_err(), AppError::invalid("duplicate_of", InvalidReason::Required));
    let itself = cases::change_status(
        &f.store, &f.sam, second.number, Status::Resolved, Some(Resolution::Duplicate), v, Some(second.number),
    )
    .await;
    assert!(itself.is_err());
    let unchanged = cases::case_for(&f.store, &f.sam, second.number).await.unwrap();
    assert_eq!((unchanged.status, unchanged.version), (Status::New, v), "a refused duplicate changes nothing");

    cases::change_status(&f.store, &f.sam, second.number, Status::Resolved, Some(Resolution::Duplicate), v, Some(first.number))
        .await
        .unwrap();
    let from_second = f.store.case_links(second.number).await.unwrap();
    assert_eq!(from_second.len(), 1);
    assert_eq!((from_second[0].kind, from_second[0].other, from_second[0].incoming), (crate::domain::LinkKind::DuplicateOf, first.number, false));
    let from_first = f.store.case_links(first.number).await.unwrap();
    assert!(from_first[0].incoming);

    // Related links, support only; a customer cannot link, nor name a duplicate.
    let third = cases::open_case(&f.store, &f.bruno, draft("globex"), None).await.unwrap().case;
    cases::link(&f.store, &f.sam, first.number, third.number, crate::domain::LinkKind::Related).await.unwrap();
    assert_eq!(f.store.case_links(third.number).await.unwrap().len(), 1);
    assert_eq!(
        cases::link(&f.store, &f.alice, first.number, third.number, crate::domain::LinkKind::Related).await.unwrap_err(),
        AppError::Forbidden
    );
    // Links are internal: Alice's timeline of the first case does not show them.
    assert!(!f.store.case_events(first.number, false).await.unwrap().iter().any(|e| e.change.kind() == "linked"));
}

#[tokio::test]
async fn the_search_index_is_built_again_when_it_is_from_an_older_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upgrade.sqlite");
    let (store, alice) = fixture_at(&path, "elastic-cloud-premium").await;
    let draft = crate::domain::kb::ArticleDraft {
        title: "Rotate the ingest key".into(),
        body: "From the settings page.".into(),
        product: String::new(),
        tags: vec![],
        language: "en".into(),
    };
    store.create_article(&draft, alice.id).await.unwrap();
    // As an older version left it: the full-text tables empty, no version recorded.
    sqlx::query("DELETE FROM kb_search").execute(store.pool()).await.unwrap();
    sqlx::query("DELETE FROM settings WHERE key = 'search_index'").execute(store.pool()).await.unwrap();
    let query = crate::domain::kb::search_terms("ingest").unwrap();
    assert!(store.search_articles(&query, "ingest", 10).await.unwrap().is_empty());
    drop(store);
    let store = open_store(&path).await;
    let hits = store.search_articles(&query, "ingest", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].excerpt, "From the settings page.");
}

#[tokio::test]
async fn an_expired_invitation_sets_no_password() {
    let f = fixture().await;
    let now = jiff::Timestamp::now();
    let week = jiff::SignedDuration::from_hours(7 * 24);
    f.store.create_invitation(f.amir.id, "expired-hash", f.olga.id, now - week - week, now - week).await.unwrap();
    f.store.create_invitation(f.amir.id, "fresh-hash", f.olga.id, now, now + week).await.unwrap();
    assert!(f.store.accept_invitation("expired-hash", "new-hash", now).await.unwrap().is_none());
    assert_eq!(f.store.user_by_id(f.amir.id).await.unwrap().unwrap().password_hash, "not-a-real-hash");
    let accepted = f.store.accept_invitation("fresh-hash", "new-hash", now).await.unwrap().unwrap();
    assert_eq!(accepted.password_hash, "new-hash");
    assert!(f.store.accept_invitation("fresh-hash", "other-hash", now).await.unwrap().is_none(), "once");
}
