//! The knowledge base over real HTTP: support writes, everyone searches (accents ignored,
//! hostile query text harmless), Markdown is sanitized, customers also find their
//! organization's resolved cases and never another's.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn support_writes_an_article_customers_find_and_read_it_sanitized() {
    let s = start().await;
    let sam = s.token("sam@caseboard.example").await;
    let alice = s.token("alice@acme.example").await;
    let body = json!({
        "title": "Dashboard très lent après la mise à jour",
        "body": "Rebuild the index.\n\n<script>alert(1)</script><img src=x onerror=alert(1)>",
        "product": "Kibana",
        "tags": ["performance"],
        "language": "fr"
    });
    let by_customer = post_json(&s, &alice, "/api/v1/kb/articles", body.clone()).await;
    assert_eq!(by_customer.status(), StatusCode::FORBIDDEN);
    let written = post_json(&s, &sam, "/api/v1/kb/articles", body).await;
    assert_eq!(written.status(), StatusCode::CREATED);
    let article: Value = written.json().await.unwrap();
    let html = article["html"].as_str().unwrap();
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");

    // Accents ignored, prefix while typing.
    let hits: Value = s.get(&alice, "/api/v1/kb/search?q=tres%20len").await.json().await.unwrap();
    assert_eq!(hits[0]["id"], article["id"], "{hits}");
    let read = s.get(&alice, &format!("/api/v1/kb/articles/{}", article["id"])).await;
    assert_eq!(read.status(), StatusCode::OK);
}

#[tokio::test]
async fn hostile_or_oversized_searches_are_answered_without_error() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    for q in ["%22%20OR%20*", "NEAR(a%20b)", "'%3B%20DROP%20TABLE%20cases%3B--", ""] {
        let response = s.get(&alice, &format!("/api/v1/kb/search?q={q}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{q}");
    }
    let long = "x".repeat(501);
    let response = s.get(&alice, &format!("/api/v1/kb/search?q={long}")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let missing = s.get(&alice, "/api/v1/kb/articles/424242").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_customer_finds_their_organizations_resolved_cases_and_no_one_elses() {
    let s = start().await;
    let alice = s.token("alice@acme.example").await;
    let bruno = s.token("bruno@globex.example").await;
    let sam = s.token("sam@caseboard.example").await;
    let case: Value = s.open_case(&alice, case_body("Quarterly export truncated"), None).await.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();
    let resolved = post_json(
        &s,
        &sam,
        &format!("/api/v1/cases/{number}/status"),
        json!({"status": "resolved", "resolution": "fixed", "expected_version": case["version"]}),
    )
    .await;
    assert_eq!(resolved.status(), StatusCode::OK);

    let mine: Value = s.get(&alice, "/api/v1/kb/search?q=quarterly%20export").await.json().await.unwrap();
    assert!(mine.as_array().unwrap().iter().any(|h| h["kind"] == "case" && h["id"] == number), "{mine}");
    let theirs: Value = s.get(&bruno, "/api/v1/kb/search?q=quarterly%20export").await.json().await.unwrap();
    assert!(!theirs.to_string().contains("Quarterly"), "{theirs}");
}

#[tokio::test]
async fn a_suggestion_that_solved_the_problem_is_counted_and_opens_no_case() {
    let s = start().await;
    let sam = s.token("sam@caseboard.example").await;
    let alice = s.token("alice@acme.example").await;
    let bruno = s.token("bruno@globex.example").await;
    let article: Value = post_json(&s, &sam, "/api/v1/kb/articles", json!({"title": "Rotate the API key", "body": "Settings → Keys."}))
        .await
        .json()
        .await
        .unwrap();
    let id = article["id"].as_i64().unwrap();
    let cases_before: Vec<Value> = s.get(&alice, "/api/v1/cases").await.json().await.unwrap();
    let deflect = |token: String, body: Value| {
        let url = s.url("/api/v1/kb/deflections");
        async move { reqwest::Client::new().post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    assert_eq!(deflect(alice.clone(), json!({"kind": "article", "id": id, "query": "rotate key"})).await.status(), StatusCode::CREATED);
    assert_eq!(deflect(alice.clone(), json!({"kind": "article", "id": 999999})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(deflect(alice.clone(), json!({"kind": "video", "id": id})).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(deflect(sam.clone(), json!({"kind": "article", "id": id})).await.status(), StatusCode::FORBIDDEN);
    // Another organization's case cannot be claimed as a solution.
    assert_eq!(deflect(bruno.clone(), json!({"kind": "case", "id": 1001})).await.status(), StatusCode::NOT_FOUND);
    let counts: Value = s.get(&sam, "/api/v1/kb/deflections").await.json().await.unwrap();
    assert_eq!(counts["by_articles"], 1);
    assert_eq!(counts["by_solved_cases"], 0);
    assert_eq!(s.get(&alice, "/api/v1/kb/deflections").await.status(), StatusCode::FORBIDDEN);
    let cases_after: Vec<Value> = s.get(&alice, "/api/v1/cases").await.json().await.unwrap();
    assert_eq!(cases_after.len(), cases_before.len());
}

#[tokio::test]
async fn chinese_articles_and_cases_are_found_by_a_word_of_two_characters() {
    let s = start().await;
    let sam = s.token("sam@caseboard.example").await;
    let chloe = s.token("chloe@initech.example").await;
    let written = post_json(
        &s,
        &sam,
        "/api/v1/kb/articles",
        json!({ "title": "仪表板加载很慢", "body": "重建索引后，仪表板的加载时间恢复正常。", "language": "zh" }),
    )
    .await;
    assert_eq!(written.status(), StatusCode::CREATED);
    let article: Value = written.json().await.unwrap();
    let search = |q: &str| {
        let url = format!("/api/v1/kb/search?q={}", q.bytes().map(|b| format!("%{b:02X}")).collect::<String>());
        let (s, chloe) = (&s, &chloe);
        async move { s.get(chloe, &url).await.json::<Value>().await.unwrap() }
    };
    // "索引" (index) sits inside the body with no spaces around it.
    let hits = search("索引").await;
    assert_eq!(hits[0]["id"], article["id"], "{hits}");
    assert!(hits[0]["excerpt"].as_str().unwrap().contains("索引"), "{hits}");
    // Mixed with a Latin word found nowhere (left out), and a phrase not in the text.
    assert_eq!(search("Kibana 仪表板").await[0]["id"], article["id"]);
    assert_eq!(search("仪表板 很慢").await[0]["id"], article["id"]);
    assert_eq!(search("表仪").await.as_array().unwrap().len(), 0, "characters in order");

    // A resolved case in Chinese, found by its organization only.
    let mut body = case_body("登录页面报错");
    body["description"] = json!("用户无法登录，提示会话过期。");
    body["severity"] = json!(3);
    let case: Value = s.open_case(&chloe, body, None).await.json().await.unwrap();
    let number = case["number"].as_i64().unwrap();
    let resolved = post_json(
        &s,
        &sam,
        &format!("/api/v1/cases/{number}/status"),
        json!({"status": "resolved", "resolution": "fixed", "expected_version": case["version"]}),
    )
    .await;
    assert_eq!(resolved.status(), StatusCode::OK);
    let hits = search("会话").await;
    assert!(hits.as_array().unwrap().iter().any(|h| h["kind"] == "case" && h["id"] == number), "{hits}");
    let alice = s.token("alice@acme.example").await;
    let theirs: Value = s.get(&alice, "/api/v1/kb/search?q=%E4%BC%9A%E8%AF%9D").await.json().await.unwrap();
    assert!(!theirs.to_string().contains("登录"), "{theirs}");
}

#[tokio::test]
async fn a_question_typed_as_a_sentence_finds_the_article_that_answers_it() {
    let s = start().await;
    let sam = s.token("sam@caseboard.example").await;
    let alice = s.token("alice@acme.example").await;
    for (title, body) in [
        ("Rotate the ingest API key", "Settings, then Keys, then Rotate."),
        ("Export dashboards to PDF", "Use the share menu."),
    ] {
        let written = post_json(&s, &sam, "/api/v1/kb/articles", json!({ "title": title, "body": body })).await;
        assert_eq!(written.status(), StatusCode::CREATED);
    }
    // "How", "to" and "please" are in no article; "key" and "ingest" are.
    let hits: Value = s.get(&alice, "/api/v1/kb/search?q=How%20to%20rotate%20the%20ingest%20key%20please").await.json().await.unwrap();
    assert_eq!(hits[0]["title"], "Rotate the ingest API key", "{hits}");
    // Any matching word is enough when not every one is in the same article; the article
    // with more of them comes first.
    let hits: Value = s.get(&alice, "/api/v1/kb/search?q=rotate%20dashboards").await.json().await.unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 2, "{hits}");
}
