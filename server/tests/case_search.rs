//! Searching cases over real HTTP (SQLite, and PostgreSQL with `CASEBOARD_TEST_POSTGRES`):
//! support finds a case by its summary, description, public replies and internal notes; a
//! customer only their organization's cases they may see, never by an internal note, and
//! their answers (results, cursors) are the same whatever other organizations and notes
//! hold; filters; every result once across pages; refusals change nothing.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// `GET /api/v1/cases/search` with these parameters (encoded here).
async fn search(api: &Api, params: &[(&str, &str)]) -> Answer {
    let url = reqwest::Url::parse_with_params("http://x/api/v1/cases/search", params).unwrap();
    api.get(&format!("/api/v1/cases/search?{}", url.query().unwrap_or(""))).await
}

/// The case numbers of a search that must succeed.
async fn numbers(api: &Api, params: &[(&str, &str)]) -> Vec<i64> {
    let page = search(api, params).await.expect(StatusCode::OK);
    page["results"].as_array().unwrap().iter().map(|r| r["number"].as_i64().unwrap()).collect()
}

fn draft(summary: &str, description: &str) -> Value {
    let mut body = case_body(summary);
    body["description"] = json!(description);
    body
}

#[tokio::test]
async fn support_finds_a_case_by_summary_description_reply_and_internal_note() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let case = alice.new_case(&draft("Quarkly exporter stalls at night", "The flumox pipeline stops after midnight.")).await;
    let number = case["number"].as_i64().unwrap();
    assert_eq!(sam.reply(number, "Try the glimbert flag on the exporter.", false).await.status, StatusCode::CREATED);
    assert_eq!(sam.reply(number, "Customer runs the plinkett build, unsupported.", true).await.status, StatusCode::CREATED);

    for (word, matched) in [("quarkly", "summary"), ("flumox", "description"), ("glimbert", "reply"), ("plinkett", "note")] {
        let page = search(&sam, &[("q", word)]).await.expect(StatusCode::OK);
        let results = page["results"].as_array().unwrap();
        assert_eq!(results.len(), 1, "{word}: {page}");
        assert_eq!(results[0]["number"], number);
        assert_eq!(results[0]["matched_in"], matched, "{word}");
        assert_eq!(results[0]["summary"], "Quarkly exporter stalls at night");
        assert_eq!(page["next_cursor"], Value::Null);
    }
    let note = search(&sam, &[("q", "plinkett")]).await.body;
    assert!(note["results"][0]["snippet"].as_str().unwrap().contains("plinkett build"), "{note}");
    // A prefix while typing, and a case found once although several of its texts match.
    assert_eq!(numbers(&sam, &[("q", "exporter")]).await, [number]);
    assert_eq!(numbers(&sam, &[("q", "glimb")]).await, [number]);

    // The customer finds the reply, never the note.
    assert_eq!(numbers(&alice, &[("q", "glimbert")]).await, [number]);
    let hidden = search(&alice, &[("q", "plinkett")]).await.expect(StatusCode::OK);
    assert_eq!(hidden, json!({"results": [], "next_cursor": null}));
    let mixed = search(&alice, &[("q", "plinkett glimbert")]).await.expect(StatusCode::OK);
    assert_eq!(mixed["results"][0]["matched_in"], "reply", "{mixed}");
    assert!(!mixed.to_string().contains("unsupported"), "{mixed}");
}

#[tokio::test]
async fn chinese_is_found_without_spaces() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let case = alice.new_case(&draft("Kibana仪表板很慢", "打开仪表板需要一分钟。")).await;
    let found = search(&sam, &[("q", "仪表板")]).await.expect(StatusCode::OK);
    assert_eq!(found["results"][0]["number"], case["number"], "{found}");
    assert_eq!(found["results"][0]["matched_in"], "summary");
    assert!(numbers(&sam, &[("q", "仪板表")]).await.is_empty());
}

#[tokio::test]
async fn a_customer_finds_only_their_organizations_cases_they_may_see_and_learns_nothing_else() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let olga = s.demo("olga@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let own = alice.new_case(&draft("Zentrix alerts arrive twice", "Zentrix sends each alert two times.")).await;
    let own = own["number"].as_i64().unwrap();
    let before: Vec<Answer> = vec![
        search(&alice, &[("q", "zentrix")]).await,
        search(&alice, &[("q", "zentrix"), ("limit", "1")]).await,
        search(&alice, &[("q", "zentrix alerts")]).await,
    ];

    // Another organization's case, a colleague's private case, an internal note on her own
    // case, all with the same words.
    let globex = bruno.new_case(&draft("Zentrix alerts missing", "No zentrix alert since Monday.")).await;
    let mut private = draft("Zentrix alerts for the board only", "Zentrix private matter.");
    private["visibility"] = json!("private");
    let private = olga.new_case(&private).await;
    assert_eq!(sam.reply(own, "Zentrix alerts: known issue ZEN-1, do not tell.", true).await.status, StatusCode::CREATED);

    let after = [
        search(&alice, &[("q", "zentrix")]).await,
        search(&alice, &[("q", "zentrix"), ("limit", "1")]).await,
        search(&alice, &[("q", "zentrix alerts")]).await,
    ];
    for (before, after) in before.iter().zip(&after) {
        assert_eq!(before.status, StatusCode::OK);
        assert_eq!(before.body, after.body, "the answer changed with what she may not see");
    }
    assert_eq!(numbers(&alice, &[("q", "zentrix")]).await, [own]);
    assert_eq!(after[1].body["next_cursor"], Value::Null, "a cursor would say more exists");
    // Naming another organization, or her own, changes nothing of that.
    assert!(numbers(&alice, &[("q", "zentrix"), ("organization", "globex")]).await.is_empty());
    assert_eq!(numbers(&alice, &[("q", "zentrix"), ("organization", "acme")]).await, [own]);
    assert!(numbers(&alice, &[("q", "ZEN-1")]).await.is_empty());

    // The organization's admin sees the private case; Bruno his own only; support all.
    let mut olga_sees = numbers(&olga, &[("q", "zentrix")]).await;
    olga_sees.sort();
    let private = private["number"].as_i64().unwrap();
    assert_eq!(olga_sees, [own, private]);
    assert_eq!(numbers(&bruno, &[("q", "zentrix")]).await, [globex["number"].as_i64().unwrap()]);
    assert_eq!(numbers(&sam, &[("q", "zentrix")]).await.len(), 3);
    assert_eq!(numbers(&sam, &[("q", "ZEN-1")]).await, [own]);
}

#[tokio::test]
async fn filters_narrow_the_results() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let mut urgent = draft("Vorpal index corrupt", "Vorpal cluster lost shards.");
    urgent["severity"] = json!(1);
    urgent["details"] = json!({"impact": "Searches fail for everyone."});
    let urgent = alice.new_case(&urgent).await;
    let normal = bruno.new_case(&draft("Vorpal query slow", "A vorpal query takes a minute.")).await;
    let (urgent, normal) = (urgent["number"].as_i64().unwrap(), normal["number"].as_i64().unwrap());
    let mut all = numbers(&sam, &[("q", "vorpal")]).await;
    all.sort();
    assert_eq!(all, [urgent, normal]);

    assert_eq!(numbers(&sam, &[("q", "vorpal"), ("severity", "1")]).await, [urgent]);
    assert_eq!(numbers(&sam, &[("q", "vorpal"), ("organization", "globex")]).await, [normal]);
    assert!(numbers(&sam, &[("q", "vorpal"), ("organization", "no-such-org")]).await.is_empty());

    let version = sam.get_case(normal).await.body["version"].as_i64().unwrap();
    assert_eq!(sam.move_case(normal, "confirmed", None, version).await.status, StatusCode::OK);
    assert_eq!(numbers(&sam, &[("q", "vorpal"), ("status", "confirmed")]).await, [normal]);
    let mut both = numbers(&sam, &[("q", "vorpal"), ("status", "new,confirmed")]).await;
    both.sort();
    assert_eq!(both, [urgent, normal]);
    assert!(numbers(&sam, &[("q", "vorpal"), ("status", "closed")]).await.is_empty());

    assert_eq!(sam.assign(urgent, Some("me"), None).await.status, StatusCode::OK);
    let sam_id = sam.me().await.body["id"].clone();
    let assignees = |page: Value| -> Vec<(i64, Value)> {
        page["results"].as_array().unwrap().iter().map(|r| (r["number"].as_i64().unwrap(), r["assignee_id"].clone())).collect()
    };
    for assignee in ["me", "sam@caseboard.example", "SAM@caseboard.example"] {
        let found = assignees(search(&sam, &[("q", "vorpal"), ("assignee", assignee)]).await.expect(StatusCode::OK));
        assert!(found.iter().any(|(n, _)| *n == urgent), "{assignee}: {found:?}");
        assert!(found.iter().all(|(_, a)| *a == sam_id), "{assignee}: {found:?}");
    }
    assert!(numbers(&sam, &[("q", "vorpal"), ("assignee", "nobody@caseboard.example")]).await.is_empty());
    let unassigned = assignees(search(&sam, &[("q", "vorpal"), ("assignee", "none")]).await.expect(StatusCode::OK));
    assert!(unassigned.iter().all(|(n, a)| *n != urgent && a.is_null()), "{unassigned:?}");

    let today = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let tomorrow = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24)).strftime("%Y-%m-%d").to_string();
    assert_eq!(numbers(&sam, &[("q", "vorpal"), ("opened_after", &today)]).await.len(), 2);
    assert!(numbers(&sam, &[("q", "vorpal"), ("opened_after", &tomorrow)]).await.is_empty());
    assert!(numbers(&sam, &[("q", "vorpal"), ("opened_before", &today)]).await.is_empty());
    assert_eq!(numbers(&sam, &[("q", "vorpal"), ("updated_before", &tomorrow)]).await.len(), 2);
    assert!(numbers(&sam, &[("q", "vorpal"), ("updated_after", &tomorrow)]).await.is_empty());
    assert!(numbers(&sam, &[("q", "vorpal"), ("product", "No such product")]).await.is_empty());
}

#[tokio::test]
async fn pages_by_cursor_give_every_result_once() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let mut opened = Vec::new();
    for i in 0..7 {
        let words = "pagimo ".repeat(i + 1);
        opened.push(alice.new_case(&draft(&format!("Pagimo number {i}"), &words)).await["number"].as_i64().unwrap());
    }
    for api in [&sam, &alice] {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut params = vec![("q", "pagimo".to_owned()), ("limit", "3".to_owned())];
            if let Some(c) = &cursor {
                params.push(("cursor", c.clone()));
            }
            let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page = search(api, &params).await.expect(StatusCode::OK);
            let results = page["results"].as_array().unwrap();
            assert!(results.len() <= 3);
            seen.extend(results.iter().map(|r| r["number"].as_i64().unwrap()));
            pages += 1;
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
            // A case opened between pages does not make any result come twice.
            if pages == 1 {
                alice.new_case(&draft("Pagimo latecomer", "pagimo")).await;
            }
        }
        assert_eq!(pages, 3);
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), seen.len(), "a result came twice: {seen:?}");
        assert!(opened.iter().all(|n| seen.contains(n)), "{seen:?}");
    }
    // A cursor belongs to its search.
    let first = search(&sam, &[("q", "pagimo"), ("limit", "3")]).await.body;
    let cursor = first["next_cursor"].as_str().unwrap();
    let other = search(&sam, &[("q", "pagimo"), ("limit", "3"), ("status", "new"), ("cursor", cursor)]).await;
    assert_eq!((other.status, other.field()), (StatusCode::UNPROCESSABLE_ENTITY, "cursor"));
}

#[tokio::test]
async fn bad_searches_are_refused_by_field_and_change_nothing() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    alice.new_case(&draft("Refusal canary case", "Nothing to see.")).await;
    let before = search(&sam, &[("q", "canary")]).await.expect(StatusCode::OK);
    let long = "x".repeat(201);
    for (params, field) in [
        (vec![("q", "")], "q"),
        (vec![("status", "new")], "q"),
        (vec![("q", "  ;-- ")], "q"),
        (vec![("q", long.as_str())], "q"),
        (vec![("q", "canary"), ("status", "lost")], "status"),
        (vec![("q", "canary"), ("status", "new,<script>")], "status"),
        (vec![("q", "canary"), ("limit", "0")], "limit"),
        (vec![("q", "canary"), ("limit", "101")], "limit"),
        (vec![("q", "canary"), ("limit", "ten")], "limit"),
        (vec![("q", "canary"), ("severity", "9")], "severity"),
        (vec![("q", "canary"), ("assignee", "sam")], "assignee"),
        (vec![("q", "canary"), ("opened_after", "2024-13-01")], "opened_after"),
        (vec![("q", "canary"), ("updated_before", "last week")], "updated_before"),
        (vec![("q", "canary"), ("cursor", "not-a-cursor")], "cursor"),
        (vec![("q", "canary"), ("cursor", "76312e302e302e3130303030302e30")], "cursor"),
    ] {
        let answer = search(&sam, &params).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{params:?}: {}", answer.text());
        assert_eq!(answer.body["error"], "invalid");
        assert_eq!(answer.field(), field, "{params:?}");
        assert!(answer.body["message"].is_string());
        assert!(!answer.text().contains("<script>"), "the refusal repeats what was typed");
    }
    assert_eq!(search(&s.api(), &[("q", "canary")]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(search(&s.api().with_token("forged"), &[("q", "canary")]).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(search(&sam, &[("q", "canary")]).await.expect(StatusCode::OK), before);
    // The number route still reads numbers, and only numbers.
    assert_eq!(sam.get("/api/v1/cases/searching").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_search_page_function_answers_as_the_api_does() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let case = alice.new_case(&draft("Frobulator keeps restarting", "Every hour.")).await;
    let browser = s.browser("sam@caseboard.example").await;
    let answer = browser.call("search_cases", &[("q", "frobulator"), ("status", "new")]).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.body["results"][0]["number"], case["number"]);
    let refused = browser.call("search_cases", &[("q", "frobulator"), ("limit", "0")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(Browser::anonymous(&s.base).call("search_cases", &[("q", "x")]).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_rebuilt_index_finds_what_the_incremental_one_found() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let case = alice.new_case(&draft("Wibblet sync fails", "The wobblet step times out.")).await;
    let number = case["number"].as_i64().unwrap();
    sam.reply(number, "Raise the wubblet timeout.", false).await;
    sam.reply(number, "Wabblet cluster is ours to fix.", true).await;
    let queries = ["wibblet", "wobblet", "wubblet", "wabblet", "sync"];
    let mut before = Vec::new();
    for q in queries {
        before.push(search(&sam, &[("q", q)]).await.expect(StatusCode::OK));
    }
    s.store.rebuild_search_index().await.unwrap();
    for (q, before) in queries.iter().zip(before) {
        assert_eq!(search(&sam, &[("q", q)]).await.expect(StatusCode::OK), before, "{q}");
    }
    assert!(numbers(&alice, &[("q", "wabblet")]).await.is_empty());
}
