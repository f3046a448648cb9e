//! Seats: only as many contacts as the plan allows may open cases (Coveo: two); the others
//! read and reply. The organization's admin (or a Caseboard admin) hands the seats out.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn put(s: &TestServer, token: &str, path: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new().put(s.url(path)).bearer_auth(token).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn only_contacts_with_a_seat_open_cases_and_seats_stop_at_the_plans_number() {
    let s = start().await;
    let admin = s.token("admin@caseboard.example").await;
    // Globex is on Coveo: two seats; Bruno holds one.
    for (email, name) in [("carla@globex.example", "Carla Reyes"), ("dan@globex.example", "Dan Wu")] {
        let body = json!({"email": email, "password": PASSWORD, "name": name, "role": "customer", "organization": "globex"});
        assert_eq!(post_json(&s, &admin, "/api/v1/users", body).await.status(), StatusCode::CREATED);
    }
    let list: Value = s.get(&admin, "/api/v1/organizations/globex/contacts").await.json().await.unwrap();
    assert_eq!(list["seats"], 2);
    assert_eq!(list["seats_taken"], 2);
    let dan_id = list["contacts"].as_array().unwrap().iter().find(|c| c["email"] == "dan@globex.example").unwrap()["id"].as_i64().unwrap();
    let carla_id = list["contacts"].as_array().unwrap().iter().find(|c| c["email"] == "carla@globex.example").unwrap()["id"].as_i64().unwrap();

    // Dan has no seat: he cannot open a case, and still replies on his organization's cases.
    let dan = s.token("dan@globex.example").await;
    let refused = s.open_case(&dan, case_body("No seat"), None).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "reporter");
    let bruno = s.token("bruno@globex.example").await;
    let case: Value = s.open_case(&bruno, case_body("Bruno's case"), None).await.json().await.unwrap();
    let reply = post_json(&s, &dan, &format!("/api/v1/cases/{}/replies", case["number"]), json!({"body": "Seen it too."})).await;
    assert_eq!(reply.status(), StatusCode::CREATED);

    // No third seat; a seat handed back can be given to Dan.
    let full = put(&s, &admin, &format!("/api/v1/organizations/globex/contacts/{dan_id}"), json!({"opens_cases": true})).await;
    assert_eq!(full.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(full.json::<Value>().await.unwrap()["field"], "opens_cases");
    let freed = put(&s, &admin, &format!("/api/v1/organizations/globex/contacts/{carla_id}"), json!({"opens_cases": false})).await;
    assert_eq!(freed.status(), StatusCode::OK);
    let given = put(&s, &admin, &format!("/api/v1/organizations/globex/contacts/{dan_id}"), json!({"opens_cases": true})).await;
    assert_eq!(given.json::<Value>().await.unwrap()["seats_taken"], 2);
    assert_eq!(s.open_case(&dan, case_body("Now with a seat"), None).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn only_the_organizations_admin_manages_its_contacts() {
    let s = start().await;
    let olga = s.token("olga@acme.example").await;
    let alice = s.token("alice@acme.example").await;
    let list: Value = s.get(&olga, "/api/v1/organizations/acme/contacts").await.json().await.unwrap();
    assert_eq!(list["seats"], Value::Null, "Elastic plans let every contact open cases");
    assert_eq!(s.get(&alice, "/api/v1/organizations/acme/contacts").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(s.get(&olga, "/api/v1/organizations/globex/contacts").await.status(), StatusCode::NOT_FOUND);
    // Another organization's contact is not found through this one.
    let bruno_id = s.store.user_by_email("bruno@globex.example").await.unwrap().unwrap().id;
    let other = put(&s, &olga, &format!("/api/v1/organizations/acme/contacts/{bruno_id}"), json!({"opens_cases": false})).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}
