//! The two surfaces answer alike: every case route of the REST API (`/api/v1/cases/{n}/…`,
//! attachments included) and the server function doing the same work (`/api/read_case`, …)
//! refuse the same requests with the same status, error kind and field.
//!
//! The contract, for every route and surface:
//! - a case number that cannot be read (`abc` in a path, or as a server function's number
//!   argument) → 400 `{"error": "malformed"}`;
//! - a number that cannot be read in a body field naming another case (`other` / `case`,
//!   `duplicate_of`) → 422 `{"error": "invalid", "field": <that field>}`;
//! - an unknown number and another organization's case → 404 `{"error": "not_found"}`, the
//!   same bytes for both (support-only routes: the same bytes for both, whatever a customer
//!   is told, and 404 for support asking for an unknown number);
//! - a stale `expected_version` → 409 `{"error": "conflict", "current_version": <now>}`;
//! - a non-ASCII idempotency key → 422 field `idempotency_key`, and nothing created;
//! - `duplicate_of` with a resolution other than Duplicate → 422 field `duplicate_of`;
//! and a refusal changes nothing. The table of every row is printed; failing rows fail the test.

mod common;

use common::{Answer, Api, Browser, TestServer, case_body};
use serde_json::Value;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const UNKNOWN: &str = "999999";

#[derive(Clone, Copy, Debug)]
enum Route {
    Read,
    Events,
    Sla,
    Move,
    Reply,
    Assign,
    Link,
    SeverityRequest,
    Severity,
    Presence,
    BoardCard,
    Upload,
    Download,
}

const ROUTES: [Route; 13] = [
    Route::Read,
    Route::Events,
    Route::Sla,
    Route::Move,
    Route::Reply,
    Route::Assign,
    Route::Link,
    Route::SeverityRequest,
    Route::Severity,
    Route::Presence,
    Route::BoardCard,
    Route::Upload,
    Route::Download,
];

impl Route {
    /// "REST route | server function".
    fn name(self) -> &'static str {
        match self {
            Route::Read => "GET {n} | read_case",
            Route::Events => "GET {n}/events | -",
            Route::Sla => "GET {n}/sla | -",
            Route::Move => "POST {n}/status | move_case",
            Route::Reply => "POST {n}/replies | reply_to_case",
            Route::Assign => "POST {n}/assign | assign_case",
            Route::Link => "POST {n}/links | link_case",
            Route::SeverityRequest => "POST {n}/severity-requests | request_severity_raise",
            Route::Severity => "POST {n}/severity | change_severity",
            Route::Presence => "- | case_presence",
            Route::BoardCard => "- | board_card",
            Route::Upload => "POST {n}/attachments | -",
            Route::Download => "GET {n}/attachments/{id} | -",
        }
    }

    fn support_only(self) -> bool {
        matches!(self, Route::Move | Route::Assign | Route::Link | Route::Severity | Route::Presence | Route::BoardCard)
    }
}

/// Who calls, and the cases the probes use.
struct World {
    _server: TestServer,
    alice: Api,
    sam: Api,
    alice_browser: Browser,
    sam_browser: Browser,
    /// Acme's case the stale and duplicate probes aim at.
    acme: i64,
    /// Another Acme case (linked to, named as duplicated).
    acme_other: i64,
    /// Globex's case, with one attachment.
    globex: i64,
    globex_attachment: i64,
}

async fn world() -> World {
    let s = common::start_with(None, |config| config.mail.max_attachment_bytes = 64 * 1024).await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let alice_browser = s.browser("alice@acme.example").await;
    let sam_browser = s.browser("sam@caseboard.example").await;
    let acme = alice.new_case(&case_body("Acme's case")).await["number"].as_i64().unwrap();
    let acme_other = alice.new_case(&case_body("Acme's other case")).await["number"].as_i64().unwrap();
    let mut globex_case = case_body("Globex's secret case");
    globex_case["severity"] = 3.into();
    let globex = bruno.new_case(&globex_case).await["number"].as_i64().unwrap();
    bruno.upload(globex, &[("globex.png", PNG.to_vec())], None).await.ok();
    let globex_attachment = bruno.attachments(globex).await[0]["change"]["attachment_id"].as_i64().unwrap();
    // Acme's case moves once: version 2, so version 1 is stale.
    sam.move_now(acme, "confirmed", None).await;
    World { _server: s, alice, sam, alice_browser, sam_browser, acme, acme_other, globex, globex_attachment }
}

impl World {
    /// The route called with `number` as written, by support or by Alice: (REST, server fn).
    async fn call(&self, route: Route, support: bool, number: &str) -> (Option<Answer>, Option<Answer>) {
        let (api, browser) = if support { (&self.sam, &self.sam_browser) } else { (&self.alice, &self.alice_browser) };
        let other = self.acme_other.to_string();
        match route {
            Route::Read => (Some(api.get_case(number).await), Some(browser.read_case(number).await)),
            Route::Events => (Some(api.events(number).await), None),
            Route::Sla => (Some(api.sla(number).await), None),
            Route::Move => (
                Some(api.move_case(number, "confirmed", None, 1).await),
                Some(browser.move_case(number, "confirmed", "", 1, "").await),
            ),
            Route::Reply => {
                (Some(api.reply(number, "probe", false).await), Some(browser.reply_to_case(number, "probe").await))
            }
            Route::Assign => {
                (Some(api.assign(number, Some("me"), None).await), Some(browser.assign_case(number, "me", None).await))
            }
            Route::Link => {
                (Some(api.link(number, self.acme_other, None).await), Some(browser.link_case(number, &other).await))
            }
            Route::SeverityRequest => (
                Some(api.request_severity_raise(number, 1, "probe").await),
                Some(browser.request_severity_raise(number, 1, "probe").await),
            ),
            Route::Severity => {
                (Some(api.change_severity(number, 1, 1).await), Some(browser.change_severity(number, 1, 1).await))
            }
            Route::Presence => (None, Some(browser.case_presence(number, "viewing").await)),
            Route::BoardCard => (None, Some(browser.board_card(number).await)),
            Route::Upload => (Some(api.upload(number, &[("probe.png", PNG.to_vec())], None).await), None),
            Route::Download => (Some(api.download(number, self.globex_attachment).await), None),
        }
    }

    /// What may not change on a refusal: the case as support reads it and its timeline.
    async fn snapshot(&self, number: i64) -> (Value, usize) {
        let case = self.sam.get_case(number).await.ok();
        (case, self.sam.events(number).await.list().len())
    }
}

/// What a row expects of each surface.
#[derive(Clone)]
enum Expect {
    Malformed,
    /// 422 naming the field (as REST names it, as the server function names it).
    Invalid(&'static str, &'static str),
    NotFound,
    Conflict(i64),
    /// The same bytes as the answer to the same caller about an unknown number, and a refusal.
    SameAs(Option<Vec<u8>>, Option<Vec<u8>>),
}

struct Row {
    route: String,
    probe: &'static str,
    rest: Option<Answer>,
    function: Option<Answer>,
    problems: Vec<String>,
}

fn check(surface: &str, answer: &Answer, expect: &Expect, problems: &mut Vec<String>) {
    let mut want = |status: u16, error: &str| {
        if answer.status.as_u16() != status || answer.error() != error {
            problems.push(format!("{surface}: want {status} {error}"));
        }
    };
    match expect {
        Expect::Malformed => want(400, "malformed"),
        Expect::NotFound => want(404, "not_found"),
        Expect::Invalid(rest_field, function_field) => {
            want(422, "invalid");
            let field = if surface == "REST" { rest_field } else { function_field };
            if answer.field() != *field {
                problems.push(format!("{surface}: want field {field}"));
            }
        }
        Expect::Conflict(current) => {
            want(409, "conflict");
            if answer.body["current_version"] != *current {
                problems.push(format!("{surface}: want current_version {current}"));
            }
        }
        Expect::SameAs(rest, function) => {
            let reference = if surface == "REST" { rest } else { function };
            if reference.as_deref() != Some(answer.bytes.as_slice()) {
                problems.push(format!("{surface}: bytes differ from the unknown number's"));
            }
            if answer.status.is_success() {
                problems.push(format!("{surface}: not refused"));
            }
        }
    }
}

/// Checks both answers against the contract and against each other.
fn row(route: String, probe: &'static str, (rest, function): (Option<Answer>, Option<Answer>), expect: Expect) -> Row {
    let mut problems = Vec::new();
    if let Some(answer) = &rest {
        check("REST", answer, &expect, &mut problems);
    }
    if let Some(answer) = &function {
        check("fn", answer, &expect, &mut problems);
    }
    if let (Some(r), Some(f)) = (&rest, &function) {
        // The field is compared as each surface names it (REST `case` is the function's `other`).
        let field = |a: &Answer| if a.field() == "case" { "other".to_owned() } else { a.field().to_owned() };
        if r.status != f.status || r.error() != f.error() || field(r) != field(f) {
            problems.push("REST and fn differ".into());
        }
    }
    Row { route, probe, rest, function, problems }
}

fn summary(answer: &Option<Answer>) -> String {
    match answer {
        None => "-".into(),
        Some(a) => format!("{} {} {}", a.status.as_u16(), a.error(), a.field()).trim_end().to_owned(),
    }
}

#[tokio::test]
async fn both_surfaces_refuse_alike_and_a_refusal_changes_nothing() {
    let w = world().await;
    let mut rows = Vec::new();
    let globex_before = w.snapshot(w.globex).await;
    let globex_text = w.globex.to_string();

    for route in ROUTES {
        let support = route.support_only();
        rows.push(row(route.name().into(), "(a) number abc", w.call(route, support, "abc").await, Expect::Malformed));
        rows.push(row(
            route.name().into(),
            "(b) unknown number",
            w.call(route, support, UNKNOWN).await,
            Expect::NotFound,
        ));
        // Alice about Globex's case, byte for byte what she is told about an unknown number.
        let (rest, function) = w.call(route, false, UNKNOWN).await;
        let reference = Expect::SameAs(rest.map(|a| a.bytes), function.map(|a| a.bytes));
        let other_tenant = w.call(route, false, &globex_text).await;
        let mut other = row(route.name().into(), "(c) other tenant's", other_tenant, reference);
        if !support {
            for (surface, answer) in [("REST", &other.rest), ("fn", &other.function)] {
                if let Some(answer) = answer {
                    check(surface, answer, &Expect::NotFound, &mut other.problems);
                }
            }
        }
        rows.push(other);
    }
    if w.snapshot(w.globex).await != globex_before {
        rows.push(Row {
            route: "Globex's case".into(),
            probe: "(c) unchanged",
            rest: None,
            function: None,
            problems: vec!["another organization changed it".into()],
        });
    }

    // The probes on Acme's case (version 2 now): each refused, each changing nothing.
    let (acme, other) = (w.acme, w.acme_other);
    let (sam, alice, sam_fn, alice_fn) = (&w.sam, &w.alice, &w.sam_browser, &w.alice_browser);
    let mut before = w.snapshot(acme).await;
    let current = before.0["version"].as_i64().unwrap();
    let stale = Expect::Conflict(current);
    let mut probe =
        async |route: Route, probe: &'static str, answers: (Option<Answer>, Option<Answer>), expect: Expect| {
            let mut checked = row(route.name().into(), probe, answers, expect);
            let after = w.snapshot(acme).await;
            if after != before {
                checked
                    .problems
                    .push(format!("the case changed (version {} → {})", before.0["version"], after.0["version"]));
                before = after;
            }
            rows.push(checked);
        };
    let answers = (
        Some(sam.move_case(acme, "assigned", None, 1).await),
        Some(sam_fn.move_case(acme, "assigned", "", 1, "").await),
    );
    probe(Route::Move, "(d) stale version", answers, stale.clone()).await;
    let answers =
        (Some(sam.assign(acme, Some("me"), Some(1)).await), Some(sam_fn.assign_case(acme, "me", Some(1)).await));
    probe(Route::Assign, "(d) stale version", answers, stale.clone()).await;
    let answers = (Some(sam.change_severity(acme, 1, 1).await), Some(sam_fn.change_severity(acme, 1, 1).await));
    probe(Route::Severity, "(d) stale version", answers, stale.clone()).await;
    let answers = (Some(alice.reply_seen(acme, "probe", 1).await), Some(alice_fn.reply_seen(acme, "probe", 1).await));
    probe(Route::Reply, "(d) stale seen_version", answers, stale).await;
    let answers = (Some(alice.upload(acme, &[("probe.png", PNG.to_vec())], Some("clé-1")).await), None);
    probe(Route::Upload, "(e) non-ASCII key", answers, Expect::Invalid("idempotency_key", "idempotency_key")).await;
    // The version as it is now (a row above that was not refused moved it on).
    let current = sam.get_case(acme).await.version();
    let answers = (
        Some(sam.move_case_duplicate_of(acme, "resolved", Some("duplicate"), current, "abc").await),
        Some(sam_fn.move_case(acme, "resolved", "duplicate", current, "abc").await),
    );
    probe(Route::Move, "(g) duplicate_of abc", answers, Expect::Invalid("duplicate_of", "duplicate_of")).await;
    let answers = (Some(sam.link(acme, "abc", None).await), Some(sam_fn.link_case(acme, "abc").await));
    probe(Route::Link, "(g) other case abc", answers, Expect::Invalid("case", "other")).await;
    // Last: where it is not refused, the case is resolved.
    let current = sam.get_case(acme).await.version();
    let answers = (
        Some(sam.move_case_duplicate_of(acme, "resolved", Some("fixed"), current, other).await),
        Some(sam_fn.move_case(acme, "resolved", "fixed", current, &other.to_string()).await),
    );
    probe(Route::Move, "(f) duplicate_of, fixed", answers, Expect::Invalid("duplicate_of", "duplicate_of")).await;

    // A non-ASCII idempotency key opens nothing, by either surface.
    let count = alice.case_count().await;
    let rest = alice.open_case(&case_body("Keyed"), Some("clé-2")).await;
    let rest_count = alice.case_count().await;
    let function = alice_fn.open_case(&case_body("Keyed"), Some("clé-3")).await;
    let invalid_key = Expect::Invalid("idempotency_key", "idempotency_key");
    let mut keyed =
        row("POST /cases | open_case".into(), "(e) non-ASCII key", (Some(rest), Some(function)), invalid_key);
    for (surface, opened) in [("REST", rest_count - count), ("fn", alice.case_count().await - rest_count)] {
        if opened != 0 {
            keyed.problems.push(format!("{surface}: {opened} case opened"));
        }
    }
    rows.push(keyed);

    println!("\n{:<52} {:<24} {:<28} {:<28} verdict", "route (REST | server fn)", "probe", "REST", "server fn");
    for r in &rows {
        let verdict = if r.problems.is_empty() { "ok".to_owned() } else { format!("FAIL: {}", r.problems.join("; ")) };
        println!("{:<52} {:<24} {:<28} {:<28} {verdict}", r.route, r.probe, summary(&r.rest), summary(&r.function));
    }
    let failing = rows.iter().filter(|r| !r.problems.is_empty()).count();
    assert_eq!(failing, 0, "{failing} of {} rows break the contract (table above)", rows.len());
}
