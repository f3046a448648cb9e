//! The admin log: every admin action, who made it, on what, and the state before and
//! after. Append-only: entries are added, never changed or removed.

use serde::{Deserialize, Serialize};

/// Who made an admin action (`null` in an entry: the server itself, e.g. at start-up).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditActor {
    pub id: i64,
    pub name: String,
    pub email: String,
}

/// One admin action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// When, RFC 3339.
    #[cfg_attr(feature = "ssr", schema(format = DateTime, example = "2026-12-01T14:05:00Z"))]
    pub at: String,
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub actor: Option<AuditActor>,
    /// What was done, `resource.verb`: `organization.created`, `user.created`,
    /// `user.updated`, `user.deactivated`, `user.reactivated`, `user.erased`, `contract.changed`,
    /// `plan.saved`, `email_intake.set`, `organization.updated`, `organization.deactivated`,
    /// `organization.reactivated`, `product.added`, `product.replaced`, `holidays.imported`,
    /// `registration.approved`, `registration.rejected`, `component.created`,
    /// `component.status_changed`, `incident.opened`, `incident.resolved`.
    #[cfg_attr(feature = "ssr", schema(example = "user.updated"))]
    pub action: String,
    /// What it was done to, `kind:key`: `user:42`, `organization:acme`, `plan:acme-custom`.
    #[cfg_attr(feature = "ssr", schema(example = "user:42"))]
    pub target: String,
    /// The state before (`null`: none, as before a creation).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>, required = true))]
    pub before: Option<serde_json::Value>,
    /// The state after (`null`: none).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>, required = true))]
    pub after: Option<serde_json::Value>,
}

/// A page of the admin log, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Send it back as `cursor` for the next (older) page; `null`: this was the last.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
}
