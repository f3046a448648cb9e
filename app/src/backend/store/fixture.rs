//! What the store and service tests share: a fresh database with two organizations and
//! their people, and a draft case.
#![allow(dead_code, unused_imports)]

pub use crate::backend::accounts::{start_session, user_by_session};
pub use crate::backend::cases;
pub use crate::backend::store::{Backend, CaseScope, ContactChange, NewUser, Store, UserRecord};
pub use crate::domain::{
    CaseDraft, CaseKind, CaseNumber, Environment, Resolution, Role, Severity, Status, Transition, Visibility,
};
pub use crate::error::{AppError, InvalidReason};

/// The store for a test: a SQLite file in `path`'s directory or, with `CASEBOARD_TEST_POSTGRES`,
/// a fresh PostgreSQL database (`caseboard_test_<random>`); opening the same directory again
/// reopens the same database (a restart, a second instance).
pub(crate) async fn open_store(path: &std::path::Path) -> Store {
    let dir = path.parent().expect("a file in the test's own directory");
    Store::connect(&crate::backend::test_database::url(dir).await.unwrap()).await.unwrap()
}

pub(crate) struct Fixture {
    pub(crate) _dir: tempfile::TempDir,
    pub(crate) store: Store,
    pub(crate) alice: UserRecord,
    pub(crate) olga: UserRecord,
    pub(crate) amir: UserRecord,
    pub(crate) bruno: UserRecord,
    pub(crate) sam: UserRecord,
}

pub(crate) async fn fixture() -> Fixture {
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

pub(crate) fn draft(summary: &str) -> CaseDraft {
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

pub(crate) async fn fixture_at(path: &std::path::Path, plan: &str) -> (Store, UserRecord) {
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
