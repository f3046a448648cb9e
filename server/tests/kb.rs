//! The knowledge base over real HTTP: support writes, everyone searches (accents ignored,
//! hostile query text harmless), Markdown is sanitized, customers also find their
//! organization's resolved cases and never another's.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// `GET /kb/search?q=…`, the query given already encoded.
async fn search(api: &Api, encoded_query: &str) -> Answer {
    api.get(&format!("/api/v1/kb/search?q={encoded_query}")).await
}

#[tokio::test]
async fn support_writes_an_article_customers_find_and_read_it_sanitized() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let body = json!({
        "title": "Dashboard très lent après la mise à jour",
        "body": "Rebuild the index.\n\n<script>alert(1)</script><img src=x onerror=alert(1)>",
        "product": "Kibana",
        "tags": ["performance"],
        "language": "fr"
    });
    assert_eq!(alice.post("/api/v1/kb/articles", &body).await.status, StatusCode::FORBIDDEN);
    let article = sam.post("/api/v1/kb/articles", &body).await.expect(StatusCode::CREATED);
    let html = article["html"].as_str().unwrap();
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");

    // Accents ignored, prefix while typing.
    let hits = search(&alice, "tres%20len").await.body;
    assert_eq!(hits[0]["id"], article["id"], "{hits}");
    assert_eq!(alice.get(&format!("/api/v1/kb/articles/{}", article["id"])).await.status, StatusCode::OK);
}

#[tokio::test]
async fn hostile_or_oversized_searches_are_answered_without_error() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    for q in ["%22%20OR%20*", "NEAR(a%20b)", "'%3B%20DROP%20TABLE%20cases%3B--", ""] {
        assert_eq!(search(&alice, q).await.status, StatusCode::OK, "{q}");
    }
    assert_eq!(search(&alice, &"x".repeat(501)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(alice.get("/api/v1/kb/articles/424242").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_customer_finds_their_organizations_resolved_cases_and_no_one_elses() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let case = alice.new_case(&case_body("Quarterly export truncated")).await;
    let number = case["number"].as_i64().unwrap();
    let version = case["version"].as_i64().unwrap();
    assert_eq!(sam.move_case(number, "resolved", Some("fixed"), version).await.status, StatusCode::OK);

    let mine = search(&alice, "quarterly%20export").await.body;
    assert!(mine.as_array().unwrap().iter().any(|h| h["kind"] == "case" && h["id"] == number), "{mine}");
    let theirs = search(&bruno, "quarterly%20export").await.body;
    assert!(!theirs.to_string().contains("Quarterly"), "{theirs}");
}

#[tokio::test]
async fn a_suggestion_that_solved_the_problem_is_counted_and_opens_no_case() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let article =
        sam.post("/api/v1/kb/articles", &json!({"title": "Rotate the API key", "body": "Settings → Keys."})).await;
    let id = article.body["id"].as_i64().unwrap();
    let cases_before = alice.case_count().await;
    let deflect = async |by: &Api, body: Value| by.post("/api/v1/kb/deflections", &body).await.status;
    assert_eq!(deflect(&alice, json!({"kind": "article", "id": id, "query": "rotate key"})).await, StatusCode::CREATED);
    assert_eq!(deflect(&alice, json!({"kind": "article", "id": 999999})).await, StatusCode::NOT_FOUND);
    assert_eq!(deflect(&alice, json!({"kind": "video", "id": id})).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(deflect(&sam, json!({"kind": "article", "id": id})).await, StatusCode::FORBIDDEN);
    // Another organization's case cannot be claimed as a solution.
    assert_eq!(deflect(&bruno, json!({"kind": "case", "id": 1001})).await, StatusCode::NOT_FOUND);
    let counts = sam.get("/api/v1/kb/deflections").await.body;
    assert_eq!(counts["by_articles"], 1);
    assert_eq!(counts["by_solved_cases"], 0);
    assert_eq!(alice.get("/api/v1/kb/deflections").await.status, StatusCode::FORBIDDEN);
    assert_eq!(alice.case_count().await, cases_before);
}

#[tokio::test]
async fn chinese_articles_and_cases_are_found_by_a_word_of_two_characters() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let chloe = s.demo("chloe@initech.example").await;
    let written = sam
        .post(
            "/api/v1/kb/articles",
            &json!({ "title": "仪表板加载很慢", "body": "重建索引后，仪表板的加载时间恢复正常。", "language": "zh" }),
        )
        .await;
    let article = written.expect(StatusCode::CREATED);
    let find = async |q: &str| {
        let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        search(&chloe, &encoded).await.body
    };
    // "索引" (index) sits inside the body with no spaces around it.
    let hits = find("索引").await;
    assert_eq!(hits[0]["id"], article["id"], "{hits}");
    assert!(hits[0]["excerpt"].as_str().unwrap().contains("索引"), "{hits}");
    // Mixed with a Latin word found nowhere (left out), and a phrase not in the text.
    assert_eq!(find("Kibana 仪表板").await[0]["id"], article["id"]);
    assert_eq!(find("仪表板 很慢").await[0]["id"], article["id"]);
    assert_eq!(find("表仪").await.as_array().unwrap().len(), 0, "characters in order");

    // A resolved case in Chinese, found by its organization only.
    let mut body = case_body("登录页面报错");
    body["description"] = json!("用户无法登录，提示会话过期。");
    body["severity"] = json!(3);
    let case = chloe.new_case(&body).await;
    let number = case["number"].as_i64().unwrap();
    let version = case["version"].as_i64().unwrap();
    assert_eq!(sam.move_case(number, "resolved", Some("fixed"), version).await.status, StatusCode::OK);
    let hits = find("会话").await;
    assert!(hits.as_array().unwrap().iter().any(|h| h["kind"] == "case" && h["id"] == number), "{hits}");
    let alice = s.demo("alice@acme.example").await;
    let theirs = search(&alice, "%E4%BC%9A%E8%AF%9D").await.body;
    assert!(!theirs.to_string().contains("登录"), "{theirs}");
}

#[tokio::test]
async fn a_question_typed_as_a_sentence_finds_the_article_that_answers_it() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    for (title, body) in [
        ("Rotate the ingest API key", "Settings, then Keys, then Rotate."),
        ("Export dashboards to PDF", "Use the share menu."),
    ] {
        let written = sam.post("/api/v1/kb/articles", &json!({ "title": title, "body": body })).await;
        assert_eq!(written.status, StatusCode::CREATED);
    }
    // "How", "to" and "please" are in no article; "key" and "ingest" are.
    let hits = search(&alice, "How%20to%20rotate%20the%20ingest%20key%20please").await.body;
    assert_eq!(hits[0]["title"], "Rotate the ingest API key", "{hits}");
    // Any matching word is enough when not every one is in the same article; the article
    // with more of them comes first.
    let hits = search(&alice, "rotate%20dashboards").await.body;
    assert_eq!(hits.as_array().unwrap().len(), 2, "{hits}");
}

#[tokio::test]
async fn the_articles_list_pages_newest_first_each_article_once_and_refuses_bad_paging() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let mut written = Vec::new();
    for i in 0..5 {
        let body = json!({"title": format!("Paging article {i}"), "body": "Text.", "product": "Kibana"});
        written.push(sam.post("/api/v1/kb/articles", &body).await.expect(StatusCode::CREATED)["id"].as_i64().unwrap());
    }
    // Every article once, newest first, through the cursor (a customer reads the list too).
    let mut seen = Vec::new();
    let mut path = "/api/v1/kb/articles?limit=2".to_string();
    loop {
        let page = alice.get(&path).await.expect(StatusCode::OK);
        let articles = page["articles"].as_array().unwrap();
        assert!(articles.len() <= 2, "{page}");
        seen.extend(articles.iter().map(|a| a["id"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/kb/articles?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(seen, sorted, "newest first, each once");
    assert!(written.iter().all(|id| seen.contains(id)), "{seen:?} holds {written:?}");

    for (query, field) in [("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("cursor=zz", "cursor")] {
        let answer = alice.get(&format!("/api/v1/kb/articles?{query}")).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", answer.text());
        assert_eq!(answer.field(), field, "{query}");
    }
    assert_eq!(s.api().get("/api/v1/kb/articles").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn support_edits_withdraws_and_publishes_an_article_and_customers_follow_its_state() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let alice = s.demo("alice@acme.example").await;
    let body = json!({"title": "Snapshot restore stalls", "body": "Wait for the zebrawood lock.", "product": "Kibana"});
    let article = sam.post("/api/v1/kb/articles", &body).await.expect(StatusCode::CREATED);
    let id = article["id"].as_i64().unwrap();
    let path = format!("/api/v1/kb/articles/{id}");
    assert_eq!(article["published"], true, "{article}");
    let found = |hits: Value| hits.as_array().unwrap().iter().any(|h| h["kind"] == "article" && h["id"] == id);

    // A new text replaces the old one in the search index at once.
    let edited = json!({"title": "Snapshot restore stalls", "body": "Release the quillback lock.", "product": "Kibana"});
    let answer = sam.put(&path, &edited).await.expect(StatusCode::OK);
    assert!(answer["html"].as_str().unwrap().contains("quillback"), "{answer}");
    assert!(found(search(&alice, "quillback").await.ok()));
    assert!(!found(search(&alice, "zebrawood").await.ok()));
    let source = sam.get(&format!("{path}/source")).await.ok();
    assert_eq!(source["draft"]["body"], "Release the quillback lock.", "{source}");

    // Refused edits change nothing: a customer, an empty title, an unknown article.
    let before = sam.get(&format!("{path}/source")).await.ok();
    assert_eq!(alice.put(&path, &json!({"title": "Mine", "body": "Mine"})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(alice.get(&format!("{path}/source")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(alice.post(&format!("{path}/unpublish"), &json!({})).await.status, StatusCode::FORBIDDEN);
    let empty = sam.put(&path, &json!({"title": " ", "body": "x"})).await;
    assert_eq!((empty.status, empty.field()), (StatusCode::UNPROCESSABLE_ENTITY, "title"));
    assert_eq!(sam.put("/api/v1/kb/articles/424242", &edited).await.status, StatusCode::NOT_FOUND);
    assert_eq!(sam.get(&format!("{path}/source")).await.ok(), before);

    // Withdrawn: support still reads it as a draft; customers neither read, list nor find it.
    let draft = sam.post(&format!("{path}/unpublish"), &json!({})).await.expect(StatusCode::OK);
    assert_eq!(draft["published"], false);
    assert_eq!(alice.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(!found(search(&alice, "quillback").await.ok()));
    let listed = |list: Value| list["articles"].as_array().unwrap().iter().any(|a| a["id"] == id);
    assert!(!listed(alice.get("/api/v1/kb/articles").await.ok()));
    let support_list = sam.get("/api/v1/kb/articles").await.ok();
    assert!(listed(support_list.clone()), "{support_list}");
    assert_eq!(sam.get(&path).await.ok()["published"], false);
    let deflection = alice.post("/api/v1/kb/deflections", &json!({"kind": "article", "id": id, "query": "lock"})).await;
    assert_eq!(deflection.status, StatusCode::NOT_FOUND);
    // Editing a draft keeps it a draft, out of the index.
    sam.put(&path, &json!({"title": "Snapshot restore stalls", "body": "Release the marlinspike lock."})).await.ok();
    assert!(!found(search(&alice, "marlinspike").await.ok()));

    // Published again: back for everyone, with its latest text.
    sam.post(&format!("{path}/publish"), &json!({})).await.expect(StatusCode::OK);
    assert_eq!(alice.get(&path).await.status, StatusCode::OK);
    assert!(found(search(&alice, "marlinspike").await.ok()));
    assert!(listed(alice.get("/api/v1/kb/articles").await.ok()));

    // Every change is in the admin log, with the title and not the body.
    let admin = s.demo("admin@caseboard.example").await;
    let log = admin.get("/api/v1/audit?limit=200").await.ok();
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target"] == format!("article:{id}"))
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["article.published", "article.edited", "article.unpublished", "article.edited", "article.created"],
        "{log}"
    );
    assert!(!log.to_string().contains("marlinspike"), "{log}");
}
