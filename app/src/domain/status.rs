//! Platform status (#17): the platform's components and their current status, incidents
//! (affected components, updates from investigating to resolved), and what the public
//! status page shows. What they look like and the rules of their fields.

use serde::{Deserialize, Serialize};

use super::people::check_name;
use crate::error::{AppError, InvalidReason};

/// The longest incident title, in characters.
pub const TITLE_MAX_CHARS: usize = 200;
/// The longest update message, in characters.
pub const MESSAGE_MAX_CHARS: usize = 10_000;
/// The most components one incident affects.
pub const INCIDENT_COMPONENTS_MAX: usize = 100;
/// The most cases linked to one incident: linking stops there, and an update is posted on
/// (and a resolution resolves) at most that many cases, so every request stays bounded.
pub const LINKED_CASES_MAX: i64 = 500;
/// The most components the installation keeps (every read of them is bounded by it).
pub const COMPONENTS_MAX: i64 = 500;
/// Resolved incidents stay on the status page this many days.
pub const RECENT_DAYS: i64 = 14;

/// A component's current state, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Operational,
    UnderMaintenance,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

impl ComponentStatus {
    pub const ALL: [ComponentStatus; 5] = [
        ComponentStatus::Operational,
        ComponentStatus::DegradedPerformance,
        ComponentStatus::PartialOutage,
        ComponentStatus::MajorOutage,
        ComponentStatus::UnderMaintenance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "operational",
            ComponentStatus::UnderMaintenance => "under_maintenance",
            ComponentStatus::DegradedPerformance => "degraded_performance",
            ComponentStatus::PartialOutage => "partial_outage",
            ComponentStatus::MajorOutage => "major_outage",
        }
    }

    pub fn parse(text: &str) -> Option<ComponentStatus> {
        ComponentStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// Where an incident stands; `Resolved` is final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl IncidentStatus {
    pub const ALL: [IncidentStatus; 4] = [
        IncidentStatus::Investigating,
        IncidentStatus::Identified,
        IncidentStatus::Monitoring,
        IncidentStatus::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Investigating => "investigating",
            IncidentStatus::Identified => "identified",
            IncidentStatus::Monitoring => "monitoring",
            IncidentStatus::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<IncidentStatus> {
        IncidentStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A part of the platform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Component {
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(example = "Compute"))]
    pub name: String,
    /// The group it is shown under (`null`: none).
    #[cfg_attr(feature = "ssr", schema(required = true, example = "Infrastructure"))]
    pub group: Option<String>,
    /// A beta component (the SLA exemption of its cases is not built yet).
    pub beta: bool,
    pub status: ComponentStatus,
}

/// A component an incident affects, with the status the incident gave it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AffectedComponent {
    pub id: i64,
    pub name: String,
    pub status: ComponentStatus,
}

/// One update of an incident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentUpdate {
    pub id: i64,
    pub status: IncidentStatus,
    pub message: String,
    /// RFC 3339.
    #[cfg_attr(feature = "ssr", schema(format = DateTime, example = "2026-12-01T14:05:00Z"))]
    pub at: String,
}

/// An incident as everyone may see it: never who wrote it, never the linked cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(example = "Compute: virtual machines fail to start"))]
    pub title: String,
    pub status: IncidentStatus,
    /// The worst status the incident gave a component (`null`: it names none).
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub impact: Option<ComponentStatus>,
    pub components: Vec<AffectedComponent>,
    /// Newest first.
    pub updates: Vec<IncidentUpdate>,
    #[cfg_attr(feature = "ssr", schema(format = DateTime, example = "2026-12-01T14:00:00Z"))]
    pub created_at: String,
    #[cfg_attr(feature = "ssr", schema(required = true, format = DateTime))]
    pub resolved_at: Option<String>,
}

/// An incident as support sees it: with the numbers of the linked cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ManagedIncident {
    #[serde(flatten)]
    pub incident: Incident,
    /// Linked cases' numbers, in the order they were linked.
    pub cases: Vec<i64>,
}

/// A page of incidents: active first, then resolved, newest first within each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentPage {
    pub incidents: Vec<ManagedIncident>,
    /// Send it back as `cursor` for the next page; `null`: this was the last.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// A component as the public status page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicComponent {
    pub id: i64,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub group: Option<String>,
    pub status: ComponentStatus,
}

/// A maintenance window on the status page, with its next occurrence (in the coming days).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicMaintenance {
    pub id: i64,
    pub title: String,
    pub next: NextWindow,
}

/// One occurrence of a maintenance window, in UTC (RFC 3339).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NextWindow {
    pub start: String,
    pub end: String,
}

/// The public status: every component, the active incidents and those resolved in the
/// last [`RECENT_DAYS`] days (active first), and the maintenance windows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusBoard {
    pub components: Vec<PublicComponent>,
    pub incidents: Vec<Incident>,
    pub maintenances: Vec<PublicMaintenance>,
}

fn check_text(field: &str, text: &str, max: usize, lines: bool) -> Result<(), AppError> {
    if text.trim().is_empty() {
        return Err(AppError::invalid(field, InvalidReason::Required));
    }
    if text.chars().count() > max {
        return Err(AppError::invalid(field, InvalidReason::TooLong { max }));
    }
    if text.chars().any(|c| c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t'))) {
        return Err(AppError::invalid(field, InvalidReason::Malformed { detail: "control characters".into() }));
    }
    Ok(())
}

/// A component's name and group: one line each, 1 to 200 characters (the group may be absent).
pub fn check_component(name: &str, group: Option<&str>) -> Result<(), AppError> {
    check_name("name", name)?;
    if let Some(group) = group {
        check_name("group", group)?;
    }
    Ok(())
}

/// An incident's title: one line, 1 to [`TITLE_MAX_CHARS`] characters.
pub fn check_title(title: &str) -> Result<(), AppError> {
    check_text("title", title, TITLE_MAX_CHARS, false)
}

/// An update's message: 1 to [`MESSAGE_MAX_CHARS`] characters, lines allowed.
pub fn check_message(message: &str) -> Result<(), AppError> {
    check_text("message", message, MESSAGE_MAX_CHARS, true)
}

/// A component status named by a client, refused on `field`.
pub fn component_status(field: &str, text: &str) -> Result<ComponentStatus, AppError> {
    ComponentStatus::parse(text).ok_or_else(|| {
        AppError::invalid(
            field,
            InvalidReason::Malformed {
                detail: "operational, degraded_performance, partial_outage, major_outage or under_maintenance".into(),
            },
        )
    })
}

/// An incident status named by a client, refused on `status`.
pub fn incident_status(text: &str) -> Result<IncidentStatus, AppError> {
    IncidentStatus::parse(text).ok_or_else(|| {
        AppError::invalid(
            "status",
            InvalidReason::Malformed { detail: "investigating, identified, monitoring or resolved".into() },
        )
    })
}

/// The text posted on a linked case for an update: the incident's title, then the message
/// (words the author wrote; no label of ours, which would be in one language only).
pub fn case_reply(title: &str, message: &str) -> String {
    format!("{title}\n\n{}", message.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(result: Result<impl std::fmt::Debug, AppError>) -> String {
        match result {
            Err(AppError::Invalid { field, .. }) => field,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn statuses_read_back_as_written() {
        for status in ComponentStatus::ALL {
            assert_eq!(ComponentStatus::parse(status.as_str()), Some(status));
        }
        for status in IncidentStatus::ALL {
            assert_eq!(IncidentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(field(component_status("status", "down")), "status");
        assert_eq!(field(incident_status("fixed")), "status");
    }

    #[test]
    fn worse_statuses_order_after_better_ones() {
        assert!(ComponentStatus::MajorOutage > ComponentStatus::PartialOutage);
        assert!(ComponentStatus::PartialOutage > ComponentStatus::DegradedPerformance);
        assert!(ComponentStatus::DegradedPerformance > ComponentStatus::Operational);
    }

    #[test]
    fn each_field_is_refused_by_its_name() {
        assert_eq!(field(check_component("", None)), "name");
        assert_eq!(field(check_component("Compute", Some(" "))), "group");
        assert_eq!(field(check_title("a\nb")), "title");
        assert_eq!(field(check_message(&"x".repeat(MESSAGE_MAX_CHARS + 1))), "message");
        assert!(check_message("line one\nline two").is_ok());
    }
}
