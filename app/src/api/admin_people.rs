//! The admin console's people, plans and admin log: server functions over the services in
//! `backend::people`, `backend::admin`, `backend::contracts` and `backend::audit`, which
//! refuse anyone but an admin (plans are read by anyone signed in, as over REST).

use leptos::prelude::*;

use crate::domain::audit::AuditPage;
use crate::domain::plan::SupportPlan;
use crate::domain::profile::{UserChange, UserPage, UserProfile};
use crate::error::AppError;

/// A page of people by name, narrowed by the filters (each empty: any), after `cursor`
/// (empty: the first page).
#[server(endpoint = "admin_people")]
pub async fn admin_people(
    #[server(default)] role: String,
    #[server(default)] organization: String,
    #[server(default)] q: String,
    #[server(default)] active: String,
    #[server(default)] cursor: String,
) -> Result<UserPage, AppError> {
    super::request::as_caller(move |state, user| async move {
        let query = crate::backend::people::PeopleQuery {
            role: Some(role.as_str()),
            organization: Some(organization.as_str()),
            q: Some(q.as_str()),
            active: Some(active.as_str()),
            cursor: Some(cursor.as_str()),
            limit: None,
        };
        crate::backend::people::list(&state.store, &user, query).await
    })
    .await
}

/// One person's whole profile.
#[server(endpoint = "admin_person")]
pub async fn admin_person(id: i64) -> Result<UserProfile, AppError> {
    super::request::as_caller(
        move |state, user| async move { crate::backend::people::get(&state.store, &user, id).await },
    )
    .await
}

/// Creates a person (a customer belongs to an organization, by slug) with a first password;
/// answers with their id. A ticked checkbox sends `on`.
#[server(endpoint = "create_person")]
pub async fn create_person(
    email: String,
    name: String,
    password: String,
    role: String,
    #[server(default)] organization: String,
    #[server(default)] org_admin: Option<String>,
) -> Result<i64, AppError> {
    super::request::as_caller(move |state, user| async move {
        use crate::domain::Role;
        use crate::error::InvalidReason;
        let Some(role) = Role::parse(role.trim()) else {
            // The service decides who may create people; whoever may not learns nothing here.
            return Err(if user.role == Role::Admin {
                AppError::invalid("role", InvalidReason::Malformed { detail: "customer, engineer or admin".into() })
            } else {
                AppError::Forbidden
            });
        };
        let organization = Some(organization.trim()).filter(|o| !o.is_empty());
        let request = crate::backend::admin::UserRequest {
            email: &email,
            password: &password,
            name: &name,
            role,
            organization,
            org_admin: super::request::checkbox(org_admin.as_deref()),
        };
        Ok(crate::backend::admin::create_user(&state.store, &user, request).await?.id)
    })
    .await
}

/// Changes any of a person's fields, all or nothing (as `PATCH /api/v1/users/{id}`).
#[server(endpoint = "change_person", input = leptos::server_fn::codec::Json)]
pub async fn change_person(id: i64, change: UserChange) -> Result<UserProfile, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::people::change(&state.store, &user, id, change).await
    })
    .await
}

/// Deactivates a person: signed out everywhere, they sign in no more.
#[server(endpoint = "deactivate_person")]
pub async fn deactivate_person(id: i64) -> Result<UserProfile, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::people::deactivate(&state.store, &user, id).await
    })
    .await
}

/// Lets a deactivated person sign in again.
#[server(endpoint = "reactivate_person")]
pub async fn reactivate_person(id: i64) -> Result<UserProfile, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::people::reactivate(&state.store, &user, id).await
    })
    .await
}

/// Every plan: the presets, then the custom plans (as `GET /api/v1/plans`).
#[server(endpoint = "support_plans")]
pub async fn support_plans() -> Result<Vec<SupportPlan>, AppError> {
    super::request::as_caller(
        move |state, user| async move { crate::backend::contracts::plans_for(&state.store, &user).await },
    )
    .await
}

/// Saves a custom plan whole, new or changed (as `PUT /api/v1/plans/{id}`).
#[server(endpoint = "save_custom_plan", input = leptos::server_fn::codec::Json)]
pub async fn save_custom_plan(plan: SupportPlan) -> Result<SupportPlan, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::contracts::save_custom_plan(&state.store, &user, plan).await
    })
    .await
}

/// A page of the admin log, newest first, after `cursor` (empty: the first page).
#[server(endpoint = "admin_log")]
pub async fn admin_log(#[server(default)] cursor: String) -> Result<AuditPage, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::audit::page(&state.store, &user, Some(cursor.as_str()), None).await
    })
    .await
}

/// The first-run checklist (admins): what a new installation still needs, and where email goes.
#[server(endpoint = "first_run_checklist")]
pub async fn first_run_checklist() -> Result<crate::domain::first_run::FirstRunChecklist, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::first_run::checklist(&state.store, &user, &state.mail).await
    })
    .await
}
