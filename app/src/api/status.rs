//! Platform status: the public board (anyone, signed in or not) and support's components,
//! incidents, updates and linked cases.

use leptos::prelude::*;

use crate::domain::status::{Component, IncidentPage, ManagedIncident, StatusBoard};
use crate::error::AppError;

/// The public status (`/status`): components, active and recent incidents.
#[server(endpoint = "public_status")]
pub async fn public_status() -> Result<StatusBoard, AppError> {
    super::request::anonymous(move |state| async move { crate::backend::status::board(&state.store).await }).await
}

/// Every component, with its beta flag (support's page).
#[server(endpoint = "status_components")]
pub async fn status_components() -> Result<Vec<Component>, AppError> {
    super::request::as_caller(move |state, user| async move {
        if !user.role.is_support() {
            return Err(AppError::Forbidden);
        }
        crate::backend::status::components(&state.store).await
    })
    .await
}

/// Support adds a component.
#[server(endpoint = "create_status_component")]
pub async fn create_status_component(
    name: String,
    #[server(default)] group: String,
    #[server(default)] beta: Option<String>,
) -> Result<Component, AppError> {
    super::request::as_caller(move |state, user| async move {
        let beta = super::request::checkbox(beta.as_deref());
        crate::backend::status::create_component(&state.store, &user, &name, Some(group.as_str()), beta).await
    })
    .await
}

/// Support sets a component's status by hand.
#[server(endpoint = "set_status_component")]
pub async fn set_status_component(id: i64, status: String) -> Result<Component, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::status::set_component_status(&state.store, &user, id, &status).await
    })
    .await
}

/// A page of incidents, active first (support only).
#[server(endpoint = "status_incidents")]
pub async fn status_incidents(#[server(default)] cursor: String) -> Result<IncidentPage, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::status::incidents(&state.store, &user, Some(cursor.as_str()), None).await
    })
    .await
}

/// Support opens an incident on one component (`component`: its id; empty: none) with the
/// status it gives it, and a first message.
#[server(endpoint = "open_status_incident")]
pub async fn open_status_incident(
    title: String,
    #[server(default)] component: String,
    #[server(default)] component_status: String,
    message: String,
) -> Result<ManagedIncident, AppError> {
    use crate::backend::status::Affected;
    use crate::error::InvalidReason;
    super::request::as_caller(move |state, user| async move {
        let mut affected = Vec::new();
        if !component.trim().is_empty() {
            let id = component.trim().parse::<i64>().map_err(|_| {
                AppError::invalid("components", InvalidReason::Malformed { detail: "a component's id".into() })
            })?;
            affected.push(Affected { id, status: component_status.as_str() });
        }
        crate::backend::status::open_incident(&state.store, &user, &title, &affected, &message).await
    })
    .await
}

/// Support posts an update; `resolve_cases` (a checkbox) resolves the linked cases with it.
#[server(endpoint = "post_status_update")]
pub async fn post_status_update(
    id: i64,
    status: String,
    message: String,
    #[server(default)] resolve_cases: Option<String>,
) -> Result<ManagedIncident, AppError> {
    super::request::as_caller(move |state, user| async move {
        let resolve = super::request::checkbox(resolve_cases.as_deref());
        crate::backend::status::post_update(&state.store, &user, id, &status, &message, resolve).await
    })
    .await
}

/// Support links a case, by number, to an incident.
#[server(endpoint = "link_status_case")]
pub async fn link_status_case(id: i64, number: String) -> Result<ManagedIncident, AppError> {
    super::request::as_caller(move |state, user| async move {
        // Not a case number: none (0), refused as `number` once the caller may link.
        let number = crate::domain::CaseNumber::parse(number.trim()).map_or(0, |n| n.0);
        crate::backend::status::link_case(&state.store, &user, id, number).await
    })
    .await
}
