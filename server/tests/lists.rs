//! Lists a page at a time (#15): `GET /api/v1/cases` by cursor returns every case exactly
//! once while others are being opened, filters, refuses bad parameters in the one error
//! shape, and never shows a customer another organization's case, in lists or counts.

mod common;

use std::collections::HashSet;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;

fn numbers(page: &Answer) -> Vec<i64> {
    page.list().iter().map(|c| c["number"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn cursors_return_every_case_exactly_once_while_cases_are_being_opened() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    for i in 0..23 {
        alice.new_case(&case_body(&format!("Before {i}"))).await;
    }
    let before: HashSet<i64> = sam.all_cases().await.iter().map(|c| c["number"].as_i64().unwrap()).collect();
    // Page through 5 at a time while Alice opens a case between every two pages.
    let mut seen = Vec::new();
    let mut path = "/api/v1/cases?limit=5".to_string();
    let mut opened = 0;
    loop {
        let page = sam.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        assert!(page.list().len() <= 5);
        seen.extend(numbers(&page));
        alice.new_case(&case_body(&format!("During {opened}"))).await;
        opened += 1;
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/cases?limit=5&cursor={cursor}"),
            None => break,
        }
    }
    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no case twice");
    assert_eq!(unique, before, "every case there when paging started, none opened meanwhile");
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first");
}

#[tokio::test]
async fn filters_narrow_the_list_and_a_customer_never_sees_another_organization() {
    let s = start().await;
    let alice = s.demo("alice@acme.example").await;
    let bruno = s.demo("bruno@globex.example").await;
    let sam = s.demo("sam@caseboard.example").await;
    let mine = alice.new_case(&case_body("Acme's own")).await["number"].as_i64().unwrap();
    let theirs = bruno.new_case(&case_body("Globex's own")).await["number"].as_i64().unwrap();

    let acme = sam.get("/api/v1/cases?organization=acme&limit=200").await;
    assert!(numbers(&acme).contains(&mine) && !numbers(&acme).contains(&theirs));
    assert!(acme.list().iter().all(|c| c["organization"] == "acme"));
    // Bruno asking for Acme's cases gets none of them: the filter narrows his own scope.
    for query in ["", "?organization=acme", "?status=new", "?updated_since=2000-01-01T00:00:00Z"] {
        let page = bruno.get(&format!("/api/v1/cases{query}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.list().iter().all(|c| c["organization"] == "globex"), "{query}");
        assert!(!numbers(&page).contains(&mine), "{query}");
    }
    let new = sam.get("/api/v1/cases?status=new,assigned&limit=200").await;
    assert!(new.list().iter().all(|c| c["status"] == "new" || c["status"] == "assigned"));
    let future = sam.get("/api/v1/cases?updated_since=2999-01-01T00:00:00Z").await;
    assert!(future.list().is_empty() && future.body["next_cursor"].is_null());
    let unassigned = sam.get("/api/v1/cases?assignee=none&limit=200").await;
    assert!(unassigned.list().iter().all(|c| c["assignee"].is_null()));
    let urgent = sam.get("/api/v1/cases?severity=1&limit=200").await;
    assert!(urgent.list().iter().all(|c| c["severity"] == 1));
}

#[tokio::test]
async fn bad_parameters_are_refused_naming_the_field_and_change_nothing() {
    let s = start().await;
    let sam = s.demo("sam@caseboard.example").await;
    let before = sam.all_cases().await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=many", "limit"),
        ("status=limbo", "status"),
        ("severity=9", "severity"),
        ("updated_since=yesterday", "updated_since"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=6e3a2d31", "cursor"),
        ("assignee=%3Cscript%3E", "assignee"),
    ] {
        let refused = sam.get(&format!("/api/v1/cases?{query}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", refused.text());
        assert_eq!(refused.body["field"], Value::from(field), "{query}: {}", refused.text());
        assert!(!refused.text().contains("<script>"), "{query}");
    }
    assert_eq!(sam.all_cases().await, before);
}

#[tokio::test]
async fn contacts_page_by_name_with_a_cursor_and_refuse_a_bad_one() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    for i in 0..7 {
        let invited = olga
            .post("/api/v1/organizations/acme/contacts", &serde_json::json!({"name": format!("Page {i}"), "email": format!("page{i}@acme.example")}))
            .await;
        assert!(invited.status.is_success(), "{}", invited.text());
    }
    let everyone = olga.get("/api/v1/organizations/acme/contacts?limit=1000").await;
    let all: Vec<String> = everyone.body["contacts"].as_array().unwrap().iter().map(|c| c["email"].as_str().unwrap().to_string()).collect();
    assert!(everyone.body["next_cursor"].is_null());
    let mut seen = Vec::new();
    let mut path = "/api/v1/organizations/acme/contacts?limit=3".to_string();
    loop {
        let page = olga.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let contacts = page.body["contacts"].as_array().unwrap();
        assert!(contacts.len() <= 3);
        seen.extend(contacts.iter().map(|c| c["email"].as_str().unwrap().to_string()));
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/organizations/acme/contacts?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, all, "every contact once, by name");
    for query in ["limit=0", "limit=1001", "limit=x", "cursor=zz", "cursor=6e3a31"] {
        let refused = olga.get(&format!("/api/v1/organizations/acme/contacts?{query}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", refused.text());
    }
}
