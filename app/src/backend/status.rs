//! Platform status (#17): support keeps the components and the incidents; an incident's
//! updates reach the cases linked to it (a public support reply on each, mailed by the
//! usual rules) and, when it is resolved, may resolve them. Everyone, signed in or not,
//! reads the public status (never who wrote an update, never the linked cases).

use jiff::{SignedDuration, Timestamp};

use super::cursor;
use super::store::status::Posted;
use super::store::{Store, UserRecord};
use crate::domain::status::{
    Component, ComponentStatus, INCIDENT_COMPONENTS_MAX, IncidentPage, IncidentStatus, ManagedIncident, RECENT_DAYS,
    StatusBoard, check_component, check_message, check_title, component_status, incident_status,
};
use crate::error::{AppError, InvalidReason};

/// A page of incidents when the caller names no limit.
pub const INCIDENT_PAGE: i64 = 20;
/// The most incidents one page reads.
pub const INCIDENT_PAGE_MAX: i64 = 100;
/// The most incidents the public status shows.
pub const PUBLIC_INCIDENTS_MAX: i64 = 50;

/// The list kind in the incidents' cursors.
const CURSOR_KIND: char = 'i';

fn support_only(actor: &UserRecord, what: &str) -> Result<(), AppError> {
    if actor.role.is_support() {
        Ok(())
    } else {
        tracing::info!(user = actor.id, what, "status change refused: not support");
        Err(AppError::Forbidden)
    }
}

/// An affected component as a client names it: its id and the status the incident gives it.
#[derive(Clone, Debug)]
pub struct Affected<'a> {
    pub id: i64,
    pub status: &'a str,
}

/// Support adds a component (operational).
pub async fn create_component(
    store: &Store,
    actor: &UserRecord,
    name: &str,
    group: Option<&str>,
    beta: bool,
) -> Result<Component, AppError> {
    support_only(actor, "component")?;
    let group = group.map(str::trim).filter(|g| !g.is_empty());
    check_component(name, group)?;
    let component = store.create_component(actor, name.trim(), group, beta).await?;
    tracing::info!(component = component.id, user = actor.id, "component created");
    Ok(component)
}

/// Every component (support sees the beta flag; so may anyone signed in).
pub async fn components(store: &Store) -> Result<Vec<Component>, AppError> {
    store.components().await
}

/// Support sets a component's status by hand.
pub async fn set_component_status(
    store: &Store,
    actor: &UserRecord,
    id: i64,
    status: &str,
) -> Result<Component, AppError> {
    support_only(actor, "component")?;
    let status = component_status("status", status)?;
    let component = store.set_component_status(actor, id, status).await?;
    tracing::info!(component = id, status = status.as_str(), user = actor.id, "component status set");
    Ok(component)
}

/// Support opens an incident on components (each with the status it gives it) with its
/// first message; the incident starts `investigating`.
pub async fn open_incident(
    store: &Store,
    actor: &UserRecord,
    title: &str,
    components: &[Affected<'_>],
    message: &str,
) -> Result<ManagedIncident, AppError> {
    support_only(actor, "incident")?;
    check_title(title)?;
    if components.len() > INCIDENT_COMPONENTS_MAX {
        return Err(AppError::invalid("components", InvalidReason::TooLong { max: INCIDENT_COMPONENTS_MAX }));
    }
    let affected = components
        .iter()
        .map(|c| Ok((c.id, component_status("components", c.status)?)))
        .collect::<Result<Vec<(i64, ComponentStatus)>, AppError>>()?;
    check_message(message)?;
    let id = store.open_incident(actor, title.trim(), &affected, message).await?;
    tracing::info!(incident = id, user = actor.id, components = affected.len(), "incident opened");
    store.incident(id).await?.ok_or(AppError::Internal)
}

/// An incident, as support sees it.
pub async fn incident(store: &Store, actor: &UserRecord, id: i64) -> Result<ManagedIncident, AppError> {
    support_only(actor, "incident")?;
    store.incident(id).await?.ok_or(AppError::NotFound)
}

/// Incidents, active first, newest first within each, a page at a time (support only).
pub async fn incidents(
    store: &Store,
    actor: &UserRecord,
    cursor_text: Option<&str>,
    limit: Option<i64>,
) -> Result<IncidentPage, AppError> {
    support_only(actor, "incidents")?;
    let limit = limit.unwrap_or(INCIDENT_PAGE).clamp(1, INCIDENT_PAGE_MAX);
    let after = match cursor_text.filter(|c| !c.is_empty()) {
        Some(text) => {
            let (phase, id) = cursor::parse_name(CURSOR_KIND, text)?;
            let phase = match phase.as_str() {
                "0" => 0,
                "1" => 1,
                _ => {
                    return Err(AppError::invalid(
                        "cursor",
                        InvalidReason::Malformed { detail: "not a cursor this list gave".into() },
                    ));
                }
            };
            Some((phase, id))
        }
        None => None,
    };
    let mut incidents = store.incidents_after(after, limit + 1).await?;
    let next_cursor = if incidents.len() as i64 > limit {
        incidents.truncate(limit as usize);
        incidents.last().map(|last| {
            let phase = if last.incident.status == IncidentStatus::Resolved { "1" } else { "0" };
            cursor::name_after(CURSOR_KIND, phase, last.incident.id)
        })
    } else {
        None
    };
    Ok(IncidentPage { incidents, next_cursor })
}

/// Support posts an update on an incident; with `resolve_cases` (only when it resolves the
/// incident) the linked cases are resolved with its message.
pub async fn post_update(
    store: &Store,
    actor: &UserRecord,
    id: i64,
    status: &str,
    message: &str,
    resolve_cases: bool,
) -> Result<ManagedIncident, AppError> {
    support_only(actor, "incident")?;
    let status = incident_status(status)?;
    check_message(message)?;
    let posted: Result<Posted, AppError> = store.post_incident_update(actor, id, status, message, resolve_cases).await;
    match &posted {
        Ok(p) => tracing::info!(
            incident = id,
            status = status.as_str(),
            posted = p.posted,
            resolved = p.resolved,
            user = actor.id,
            "incident updated"
        ),
        Err(e) => tracing::info!(incident = id, error = %e, user = actor.id, "incident update refused"),
    }
    posted?;
    store.incident(id).await?.ok_or(AppError::Internal)
}

/// Support links a case (by number) to an incident.
pub async fn link_case(store: &Store, actor: &UserRecord, id: i64, number: i64) -> Result<ManagedIncident, AppError> {
    support_only(actor, "incident")?;
    if number < 1 {
        return Err(AppError::invalid("number", InvalidReason::NotAllowed));
    }
    store.link_incident_case(actor, id, number).await?;
    tracing::info!(incident = id, number, user = actor.id, "case linked to incident");
    store.incident(id).await?.ok_or(AppError::Internal)
}

/// The public status: every component, active incidents and those resolved in the last
/// [`RECENT_DAYS`] days, and the maintenance windows with their next occurrence (soonest
/// first). Anyone, signed in or not.
pub async fn board(store: &Store) -> Result<StatusBoard, AppError> {
    let now = Timestamp::now();
    let since = now - SignedDuration::from_hours(24 * RECENT_DAYS);
    let mut maintenances: Vec<crate::domain::status::PublicMaintenance> = Vec::new();
    for window in super::maintenance::upcoming(store, None, now, 50).await? {
        if !maintenances.iter().any(|m| m.id == window.id) {
            maintenances.push(crate::domain::status::PublicMaintenance {
                id: window.id,
                title: window.title,
                next: crate::domain::status::NextWindow { start: window.start, end: window.end },
            });
        }
    }
    Ok(StatusBoard {
        components: store.public_components().await?,
        incidents: store.public_incidents(since, PUBLIC_INCIDENTS_MAX).await?,
        maintenances,
    })
}
