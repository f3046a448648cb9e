//! Case search latency at scale: fills a database with N cases over 200 organizations (5-19
//! log entries each: the opening, public replies, internal notes, status changes; words
//! drawn from a Zipf-distributed vocabulary of 150,000, so a few words are in most
//! documents and most are rare), builds the index through the store's own rebuild (timed),
//! then times `Store::search_cases` (server time, no HTTP) for three kinds of query, as an
//! engineer and as a customer, with and without a filter: p50 / p95 / max over
//! `CASE_SEARCH_QUERIES` (default 200) each.
//!
//! `CASE_SEARCH_CASES=1000000 cargo bench -p app --features ssr --bench case_search`
//! (SQLite in a temporary directory; `CASE_SEARCH_DATABASE=postgres://…/db` for an empty
//! PostgreSQL database; `CASE_SEARCH_KEEP=path.sqlite` keeps or reuses the SQLite file).

use std::time::{Duration, Instant};

use app::backend::store::{CaseScope, Store};
use app::domain::case_search::CaseSearchQuery;

const ORGANIZATIONS: i64 = 200;
const CONTACTS_PER_ORGANIZATION: i64 = 10;
const ENGINEERS: i64 = 40;
const VOCABULARY: usize = 150_000;
const ROWS_PER_INSERT: usize = 400;

struct Words {
    state: u64,
    vocabulary: Vec<String>,
    /// Cumulative Zipf weights (s = 1.1) over the vocabulary.
    cumulative: Vec<f64>,
}

impl Words {
    fn new() -> Words {
        let syllables = ["ka", "lo", "mi", "dex", "ser", "vin", "ta", "rou", "pel", "quo", "zen", "bar", "fli", "nor", "gu", "spa", "tem", "ox", "wil"];
        let mut vocabulary = Vec::with_capacity(VOCABULARY);
        'outer: for a in syllables {
            for b in syllables {
                for c in syllables {
                    for d in ["", "s", "er", "ing", "a", "on", "ix", "um", "el", "ot", "us", "ed", "ar", "en", "ik", "o", "y", "is", "al", "an", "es", "or"] {
                        vocabulary.push(format!("{a}{b}{c}{d}"));
                        if vocabulary.len() == VOCABULARY {
                            break 'outer;
                        }
                    }
                }
            }
        }
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        // Shuffle so rank does not follow spelling.
        for i in (1..vocabulary.len()).rev() {
            state = xorshift(state);
            vocabulary.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut total = 0.0;
        let cumulative = (1..=vocabulary.len())
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(1.1);
                total
            })
            .collect();
        Words { state, vocabulary, cumulative }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = xorshift(self.state);
        self.state
    }

    fn rank(&mut self) -> usize {
        let total = *self.cumulative.last().unwrap();
        let x = (self.next_u64() as f64 / u64::MAX as f64) * total;
        self.cumulative.partition_point(|c| *c < x).min(self.vocabulary.len() - 1)
    }

    fn text(&mut self, n: usize) -> String {
        let ranks: Vec<usize> = (0..n).map(|_| self.rank()).collect();
        ranks.iter().map(|&r| self.vocabulary[r].as_str()).collect::<Vec<_>>().join(" ")
    }

    /// Between `low` and `high` words of running text.
    fn text_of(&mut self, low: u64, high: u64) -> String {
        let n = self.between(low, high) as usize;
        self.text(n)
    }

    /// The word of a rank drawn evenly between `low` and `high`.
    fn word(&mut self, low: u64, high: u64) -> String {
        let rank = self.between(low, high) as usize;
        self.vocabulary[rank].clone()
    }

    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }
}

fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    runtime.block_on(run());
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

async fn run() {
    let cases = env_number("CASE_SEARCH_CASES", 100_000) as i64;
    let dir = tempfile::tempdir().unwrap();
    let url = match (std::env::var("CASE_SEARCH_DATABASE"), std::env::var("CASE_SEARCH_KEEP")) {
        (Ok(url), _) => url,
        (_, Ok(path)) => format!("sqlite://{path}?mode=rwc"),
        _ => format!("sqlite://{}?mode=rwc", dir.path().join("case_search.sqlite").display()),
    };
    let store = Store::connect(&url).await.unwrap();
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    if !url.starts_with("postgres") {
        // The fill needs no durability: it is thrown away or started again.
        sqlx::raw_sql("PRAGMA synchronous = OFF").execute(&pool).await.unwrap();
    }
    let filled: i64 = sqlx::query_scalar("SELECT count(*) FROM cases").fetch_one(&pool).await.unwrap();
    let mut words = Words::new();
    if filled == 0 {
        let started = Instant::now();
        let events = fill(&pool, &mut words, cases).await;
        println!("filled {cases} cases, {events} log entries in {:.0} s", started.elapsed().as_secs_f64());
        let started = Instant::now();
        store.rebuild_search_index().await.unwrap();
        println!("search index rebuilt in {:.0} s", started.elapsed().as_secs_f64());
        if url.starts_with("postgres") {
            sqlx::query("ANALYZE").execute(&pool).await.unwrap();
        }
    } else {
        println!("reusing {filled} cases");
        // The generator's state after a fill is not needed: queries draw their own words.
    }
    let queries = env_number("CASE_SEARCH_QUERIES", 200);
    let engineer_id: i64 = sqlx::query_scalar("SELECT min(id) FROM users WHERE role = 'engineer'").fetch_one(&pool).await.unwrap();
    let (customer_id, organization_id): (i64, i64) = {
        use sqlx::Row;
        let row = sqlx::query("SELECT id, organization_id FROM users WHERE role = 'customer' ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
        (row.get(0), row.get(1))
    };
    let customer = CaseScope::Customer { organization_id, user_id: customer_id, org_admin: false };
    // Query words by rank: common (top 30), middling (300-3,000), rare (20,000-150,000).
    let kinds: [(&str, fn(&mut Words) -> String); 3] = [
        ("rare words (2)", |w| format!("{} {}", w.word(20_000, 149_999), w.word(20_000, 149_999))),
        ("a common and a middling word", |w| format!("{} {}", w.word(0, 29), w.word(300, 3_000))),
        ("common words only (1-2)", |w| {
            if w.next_u64() % 2 == 0 {
                w.word(0, 29)
            } else {
                format!("{} {}", w.word(0, 29), w.word(0, 29))
            }
        }),
    ];
    let total_cases: i64 = sqlx::query_scalar("SELECT count(*) FROM cases").fetch_one(&pool).await.unwrap();
    println!("engine {}, {total_cases} cases, {queries} queries per line", if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" });
    for (who, scope, id) in [("engineer", CaseScope::Everything, engineer_id), ("customer", customer, customer_id)] {
        for (filter, status) in [("", None), (", status=new,confirmed,assigned,feedback", Some("new,confirmed,assigned,feedback"))] {
            for (kind, make) in &kinds {
                let mut timings: Vec<Duration> = Vec::with_capacity(queries);
                let mut found = 0;
                for _ in 0..queries {
                    let text = make(&mut words);
                    let query = CaseSearchQuery { q: Some(text), status: status.map(str::to_owned), ..Default::default() };
                    let search = query.validated().unwrap();
                    let started = Instant::now();
                    let page = store.search_cases(scope, id, &search).await.unwrap();
                    timings.push(started.elapsed());
                    found += page.results.len();
                }
                timings.sort();
                let at = |p: f64| timings[((timings.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3;
                println!(
                    "{who:<9} {kind:<30}{filter:<40} p50 {:>7.2} ms  p95 {:>7.2} ms  max {:>7.2} ms  ({:.1} results/page)",
                    at(0.5),
                    at(0.95),
                    at(1.0),
                    found as f64 / queries as f64
                );
            }
        }
    }
}

/// Organizations, people, cases and their logs, in multi-row INSERTs inside one
/// transaction per 10,000 cases. Returns the number of log entries written.
async fn fill(pool: &sqlx::AnyPool, words: &mut Words, cases: i64) -> i64 {
    let now = jiff::Timestamp::now();
    let mut tx = pool.begin().await.unwrap();
    for o in 1..=ORGANIZATIONS {
        sqlx::query("INSERT INTO organizations (id, slug, name, plan, created_at) VALUES ($1, $2, $3, 'coveo', $4)")
            .bind(o)
            .bind(format!("org-{o}"))
            .bind(format!("Organization {o}"))
            .bind(now.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        for c in 0..CONTACTS_PER_ORGANIZATION {
            let id = 1000 + o * CONTACTS_PER_ORGANIZATION + c;
            sqlx::query(
                "INSERT INTO users (id, email, name, role, organization_id, password_hash, created_at) \
                 VALUES ($1, $2, $3, 'customer', $4, '!bench', $5)",
            )
            .bind(id)
            .bind(format!("c{id}@org-{o}.example"))
            .bind(format!("Contact {id}"))
            .bind(o)
            .bind(now.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    for e in 1..=ENGINEERS {
        sqlx::query(
            "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES ($1, $2, $3, 'engineer', '!bench', $4)",
        )
        .bind(e)
        .bind(format!("e{e}@caseboard.example"))
        .bind(format!("Engineer {e}"))
        .bind(now.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    let five_years = 5 * 365 * 86_400;
    let mut event_id = 0i64;
    let mut case_rows: Vec<CaseRow> = Vec::new();
    let mut event_rows: Vec<(i64, i64, Option<i64>, String, &str, i64, String)> = Vec::new();
    let mut tx = pool.begin().await.unwrap();
    for id in 1..=cases {
        // Oldest first: five years ago to now, so ids follow time as in real use.
        let opened = now.as_second() - five_years + (five_years * id / cases);
        let organization = 1 + (words.next_u64() % ORGANIZATIONS as u64) as i64;
        let reporter = 1000 + organization * CONTACTS_PER_ORGANIZATION + (words.next_u64() % 10) as i64;
        let engineer = 1 + (words.next_u64() % ENGINEERS as u64) as i64;
        // ~3% open: the newest cases mostly.
        let open = id > cases - cases * 3 / 100;
        let status = if open { ["new", "confirmed", "assigned", "feedback"][(words.next_u64() % 4) as usize] } else { "closed" };
        let entries = words.between(5, 19);
        let at = |s: i64| jiff::Timestamp::from_second(s).unwrap().to_string();
        let severity = words.between(1, 4) as i64;
        case_rows.push((
            id,
            organization,
            reporter,
            words.text(6),
            words.text_of(15, 60),
            severity,
            status,
            at(opened),
            at(opened + entries as i64 * 3_600),
            (status != "new").then_some(engineer),
        ));
        event_id += 1;
        event_rows.push((
            event_id,
            id,
            Some(reporter),
            at(opened),
            "opened",
            0,
            format!(r#"{{"type":"opened","kind":"bug","severity":{severity}}}"#),
        ));
        for k in 1..entries {
            event_id += 1;
            let t = at(opened + k as i64 * 3_600);
            let roll = words.next_u64() % 100;
            let (kind, internal, data, actor) = if roll < 45 {
                let support = k % 2 == 1;
                let body = words.text_of(5, 30);
                let data = serde_json::json!({"type": "reply", "body": body, "internal": false, "from_support": support});
                ("reply", 0, data.to_string(), Some(if support { engineer } else { reporter }))
            } else if roll < 60 {
                let body = words.text_of(5, 20);
                let data = serde_json::json!({"type": "reply", "body": body, "internal": true, "from_support": true});
                ("internal_note", 1, data.to_string(), Some(engineer))
            } else {
                let data = r#"{"type":"status_changed","from":"new","to":"confirmed","resolution":"open"}"#.to_owned();
                ("status_changed", 0, data, Some(engineer))
            };
            event_rows.push((event_id, id, actor, t, kind, internal, data));
        }
        if case_rows.len() >= ROWS_PER_INSERT || id == cases {
            insert_cases(&mut tx, &case_rows).await;
            case_rows.clear();
            for chunk in event_rows.chunks(ROWS_PER_INSERT) {
                insert_events(&mut tx, chunk).await;
            }
            event_rows.clear();
        }
        if id % 10_000 == 0 || id == cases {
            tx.commit().await.unwrap();
            tx = pool.begin().await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    sqlx::query("UPDATE case_number_counter SET next = $1").bind(cases + 1).execute(pool).await.unwrap();
    event_id
}

type CaseRow<'a> = (i64, i64, i64, String, String, i64, &'a str, String, String, Option<i64>);

async fn insert_cases(tx: &mut sqlx::Transaction<'static, sqlx::Any>, rows: &[CaseRow<'_>]) {
    let values: Vec<String> = (0..rows.len())
        .map(|i| {
            let n = |k: usize| format!("${}", i * 10 + k);
            format!(
                "({}, {}, {}, {}, {}, {}, 'bug', {}, 'production', 'organization', 'Kibana', '{{}}', {}, \
                 CASE WHEN {} = 'closed' THEN 'fixed' ELSE 'open' END, 1, {}, {}, {})",
                n(1), n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(7), n(8), n(9), n(10)
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO cases (id, number, organization_id, reporter_id, summary, description, kind, severity, environment, \
         visibility, product, details, status, resolution, version, opened_at, updated_at, assignee_id) VALUES {}",
        values.join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for r in rows {
        query = query
            .bind(r.0)
            .bind(r.1)
            .bind(r.2)
            .bind(r.3.clone())
            .bind(r.4.clone())
            .bind(r.5)
            .bind(r.6)
            .bind(r.7.clone())
            .bind(r.8.clone())
            .bind(r.9);
    }
    query.execute(&mut **tx).await.unwrap();
}

async fn insert_events(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rows: &[(i64, i64, Option<i64>, String, &str, i64, String)],
) {
    let values: Vec<String> = (0..rows.len())
        .map(|i| {
            let n = |k: usize| format!("${}", i * 7 + k);
            format!("({}, {}, {}, {}, {}, {}, {})", n(1), n(2), n(3), n(4), n(5), n(6), n(7))
        })
        .collect();
    let sql = format!("INSERT INTO case_events (id, case_id, actor_id, at, kind, internal, data) VALUES {}", values.join(", "));
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for r in rows {
        query = query.bind(r.0).bind(r.1).bind(r.2).bind(r.3.clone()).bind(r.4).bind(r.5).bind(r.6.clone());
    }
    query.execute(&mut **tx).await.unwrap();
}
