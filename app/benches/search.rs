//! Knowledge-base search latency over 5,000 articles and 100,000 cases (the full-text part
//! of the wizard's deflection): p50 and p95 of `backend::kb::search` as a customer, which
//! queries articles and their organization's resolved cases. Server time, no HTTP.
//! `cargo bench -p app --features ssr --bench search` (or `scripts/bench search`).

use std::time::{Duration, Instant};

use app::backend::accounts::hash_password;
use app::backend::store::{NewUser, Store};
use app::domain::Role;
use sqlx::sqlite::SqliteConnectOptions;

const ARTICLES: usize = 5_000;
const CASES: usize = 100_000;

/// A deterministic word list and picker (xorshift), so every run searches the same corpus.
struct Words {
    state: u64,
    vocabulary: Vec<String>,
}

impl Words {
    fn new() -> Words {
        let syllables = ["ka", "lo", "mi", "dex", "ser", "vin", "ta", "rou", "pel", "quo", "zen", "bar", "fli", "nor"];
        let mut vocabulary = Vec::new();
        for a in syllables {
            for b in syllables {
                for c in ["", "s", "er", "ing"] {
                    vocabulary.push(format!("{a}{b}{c}"));
                }
            }
        }
        Words { state: 0x9E37_79B9_7F4A_7C15, vocabulary }
    }

    fn next(&mut self) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        (self.state % self.vocabulary.len() as u64) as usize
    }

    fn text(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| {
                let i = self.next();
                self.vocabulary[i].clone()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    runtime.block_on(run());
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.sqlite");
    let store = Store::open_sqlite(&path).await.unwrap();
    let acme = store.create_organization("acme", "Acme", "elastic-cloud-premium").await.unwrap();
    let other = store.create_organization("globex", "Globex", "coveo").await.unwrap();
    let hash = hash_password("bench-password").await.unwrap();
    let alice = store
        .create_user(NewUser {
            email: "alice@acme.test",
            name: "Alice",
            role: Role::Customer,
            organization_id: Some(acme.id),
            org_admin: false,
            password_hash: &hash,
            time_zone: None,
            language: None,
        })
        .await
        .unwrap();

    // Bulk load in one transaction on a second connection (the store commits one by one).
    let started = Instant::now();
    let pool = sqlx::SqlitePool::connect_with(SqliteConnectOptions::new().filename(&path)).await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    let mut words = Words::new();
    let now = jiff::Timestamp::now().to_string();
    for _ in 0..ARTICLES {
        sqlx::query("INSERT INTO kb_articles (title, body, product, tags, language, created_at, updated_at) VALUES (?, ?, 'Kibana', '', 'en', ?, ?)")
            .bind(words.text(6))
            .bind(words.text(150))
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    for i in 0..CASES {
        let organization = if i % 2 == 0 { acme.id } else { other.id };
        let status = if i % 3 == 0 { "resolved" } else { "new" };
        sqlx::query(
            "INSERT INTO cases (number, organization_id, reporter_id, summary, description, kind, severity, environment, \
             visibility, status, resolution, version, opened_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, 'bug', 3, 'production', 'organization', ?, 'open', 1, ?, ?)",
        )
        .bind(10_000 + i as i64)
        .bind(organization)
        .bind(alice.id)
        .bind(words.text(6))
        .bind(words.text(40))
        .bind(status)
        .bind(&now)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    println!("loaded {ARTICLES} articles and {CASES} cases in {:.1} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    store.rebuild_search_index().await.unwrap();
    println!("indexed them in {:.1} s", started.elapsed().as_secs_f64());

    // What a customer types: two to five words, the last one cut short (search as you type).
    let queries: usize = std::env::var("SEARCH_QUERIES").ok().and_then(|n| n.parse().ok()).unwrap_or(100);
    let mut timings: Vec<Duration> = Vec::new();
    let mut found = 0;
    for i in 0..queries {
        let mut text = words.text(2 + i % 4);
        text.truncate(text.len().saturating_sub(2));
        let started = Instant::now();
        let hits = app::backend::kb::search(&store, &alice, &text).await.unwrap();
        timings.push(started.elapsed());
        found += hits.len();
    }
    timings.sort();
    let at = |p: f64| timings[((timings.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e3;
    println!(
        "search over {ARTICLES} articles + {CASES} cases, {queries} queries as a customer: p50 {:.2} ms, p95 {:.2} ms, \
         p99 {:.2} ms ({:.1} hits per query)",
        at(0.5),
        at(0.95),
        at(0.99),
        found as f64 / queries as f64
    );
}
