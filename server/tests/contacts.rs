//! Seats: only as many contacts as the plan allows may open cases (Coveo: two); the others
//! read and reply. The organization's admin (or a Caseboard admin) hands the seats out.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn only_contacts_with_a_seat_open_cases_and_seats_stop_at_the_plans_number() {
    let s = start().await;
    let admin = s.demo("admin@caseboard.example").await;
    // Globex is on Coveo: two seats; Bruno holds one.
    for (email, name) in [("carla@globex.example", "Carla Reyes"), ("dan@globex.example", "Dan Wu")] {
        let body =
            json!({"email": email, "password": PASSWORD, "name": name, "role": "customer", "organization": "globex"});
        assert_eq!(admin.post("/api/v1/users", &body).await.status, StatusCode::CREATED);
    }
    let list = admin.get("/api/v1/organizations/globex/contacts").await.body;
    assert_eq!(list["seats"], 2);
    assert_eq!(list["seats_taken"], 2);
    let id_of = |email: &str| {
        list["contacts"].as_array().unwrap().iter().find(|c| c["email"] == email).unwrap()["id"].as_i64().unwrap()
    };
    let (dan_id, carla_id) = (id_of("dan@globex.example"), id_of("carla@globex.example"));
    let seat = async |id: i64, opens: bool| {
        admin.put(&format!("/api/v1/organizations/globex/contacts/{id}"), &json!({"opens_cases": opens})).await
    };

    // Dan has no seat: he cannot open a case, and still replies on his organization's cases.
    let dan = s.demo("dan@globex.example").await;
    let refused = dan.open_case(&case_body("No seat"), None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field(), "reporter");
    let bruno = s.demo("bruno@globex.example").await;
    let case = bruno.new_case(&case_body("Bruno's case")).await;
    assert_eq!(dan.reply(&case["number"], "Seen it too.", false).await.status, StatusCode::CREATED);

    // No third seat; a seat handed back can be given to Dan.
    let full = seat(dan_id, true).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(full.field(), "opens_cases");
    assert_eq!(seat(carla_id, false).await.status, StatusCode::OK);
    assert_eq!(seat(dan_id, true).await.body["seats_taken"], 2);
    assert_eq!(dan.open_case(&case_body("Now with a seat"), None).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn only_the_organizations_admin_manages_its_contacts() {
    let s = start().await;
    let olga = s.demo("olga@acme.example").await;
    let alice = s.demo("alice@acme.example").await;
    let list = olga.get("/api/v1/organizations/acme/contacts").await.body;
    assert_eq!(list["seats"], Value::Null, "Elastic plans let every contact open cases");
    assert_eq!(alice.get("/api/v1/organizations/acme/contacts").await.status, StatusCode::FORBIDDEN);
    assert_eq!(olga.get("/api/v1/organizations/globex/contacts").await.status, StatusCode::NOT_FOUND);
    // Another organization's contact is not found through this one.
    let bruno_id = s.store.user_by_email("bruno@globex.example").await.unwrap().unwrap().id;
    let other =
        olga.put(&format!("/api/v1/organizations/acme/contacts/{bruno_id}"), &json!({"opens_cases": false})).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}
