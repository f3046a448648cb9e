//! A new installation: `caseboard serve` on an empty database with only the admin variables.
//! The admin's checklist follows what exists; nobody else may read it.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_first_run_checklist_follows_a_new_installation_and_is_the_admins_alone() {
    let admin = ("lead@newteam.example".to_owned(), "a long first password".to_owned());
    let s = start_with(Some(admin.clone()), |config| config.demo = false).await;
    let lead = s.api().sign_in(&admin.0, &admin.1).await;
    let checklist = lead.get("/api/v1/admin/checklist").await.ok();
    assert_eq!(
        (&checklist["organization"], &checklist["custom_plan"], &checklist["engineer"]),
        (&json!(false), &json!(false), &json!(false)),
        "{checklist}"
    );
    assert_eq!(checklist["mail"]["transport"], "files", "{checklist}");
    // The home page shows it while the steps are not done.
    let home = lead.get("/").await.text();
    assert!(home.contains("Setting up Caseboard"), "{home}");

    let organization = json!({"slug": "northwind", "name": "Northwind", "plan": "elastic-cloud-basic"});
    lead.post("/api/v1/organizations", &organization).await.expect(StatusCode::CREATED);
    let engineer = json!({"email": "ana@newteam.example", "password": "a long password", "name": "Ana", "role": "engineer"});
    let engineer = lead.post("/api/v1/users", &engineer).await.expect(StatusCode::CREATED);
    let checklist = lead.get("/api/v1/admin/checklist").await.ok();
    assert_eq!((&checklist["organization"], &checklist["engineer"]), (&json!(true), &json!(true)), "{checklist}");
    assert!(!lead.get("/").await.text().contains("Setting up Caseboard"));

    // An engineer and anyone signed out are refused.
    let ana = s.api().sign_in("ana@newteam.example", "a long password").await;
    assert_eq!(ana.get("/api/v1/admin/checklist").await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.api().get("/api/v1/admin/checklist").await.status, StatusCode::UNAUTHORIZED);
    // A deactivated engineer no longer counts.
    let id = engineer["id"].as_i64().unwrap();
    lead.post(&format!("/api/v1/users/{id}/deactivate"), &json!({})).await.expect(StatusCode::OK);
    assert_eq!(lead.get("/api/v1/admin/checklist").await.ok()["engineer"], false);
}
