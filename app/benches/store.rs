//! Case creation through the store with durable commits (WAL, synchronous=FULL), next to
//! the machine's raw fsync rate for comparison. Run: `scripts/bench` or
//! `cargo bench -p app --features ssr --bench store`.

use std::io::Write;

use app::backend::cases;
use app::backend::store::{NewUser, Store};
use app::domain::{CaseDraft, CaseKind, Environment, Role, Severity, Visibility};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn case_creation(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, reporter) = runtime.block_on(async {
        let store = Store::open_sqlite(&dir.path().join("bench.sqlite")).await.unwrap();
        let org = store.create_organization("acme", "Acme", "elastic-cloud-basic").await.unwrap();
        let reporter = store
            .create_user(NewUser {
                email: "bench@acme.test",
                name: "Bench",
                role: Role::Customer,
                organization_id: Some(org.id),
                org_admin: false,
                password_hash: "x",
                time_zone: None,
                language: None,
            })
            .await
            .unwrap();
        (store, reporter)
    });
    let draft = CaseDraft {
        summary: "Exports fail with HTTP 500".into(),
        description: "Every CSV export since this morning ends with HTTP 500. ".repeat(20),
        kind: CaseKind::Bug,
        severity: Severity::High,
        environment: Environment::Production,
        visibility: Visibility::Organization,
        product: String::new(),
        details: Default::default(),
        attachments: Vec::new(),
    };
    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(1));
    group.bench_function("open_case_durable_commit", |b| {
        b.to_async(&runtime).iter(|| async { cases::open_case(&store, &reporter, draft.clone(), None).await.unwrap() })
    });
    group.bench_function("open_case_idempotent_replay", |b| {
        runtime.block_on(cases::open_case(&store, &reporter, draft.clone(), Some("bench-key"))).unwrap();
        b.to_async(&runtime)
            .iter(|| async { cases::open_case(&store, &reporter, draft.clone(), Some("bench-key")).await.unwrap() })
    });
    group.finish();

    // The ceiling a durable commit cannot beat: one 4 KiB write + fdatasync on the same disk.
    let mut file = std::fs::File::create(dir.path().join("fsync.bin")).unwrap();
    let page = [7u8; 4096];
    let mut group = c.benchmark_group("disk");
    group.throughput(Throughput::Elements(1));
    group.bench_function("write_4k_fdatasync", |b| {
        b.iter(|| {
            file.write_all(&page).unwrap();
            file.sync_data().unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, case_creation);
criterion_main!(benches);
