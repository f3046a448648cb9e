//! An organization as the admin console lists it: its name and slug, plan, whether its
//! contacts may sign in, its seats and whether its contacts may open cases by email.

use serde::{Deserialize, Serialize};

/// One organization in the admin's list, or alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrganizationSummary {
    #[cfg_attr(feature = "ssr", schema(example = "acme"))]
    pub slug: String,
    #[cfg_attr(feature = "ssr", schema(example = "Acme Analytics"))]
    pub name: String,
    /// The plan now in force (`GET /api/v1/plans`).
    #[cfg_attr(feature = "ssr", schema(example = "elastic-cloud-premium"))]
    pub plan: String,
    /// `false`: deactivated; its contacts cannot sign in (its cases are kept).
    pub active: bool,
    /// How many contacts may open cases under the plan; `null`: every contact.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub seats: Option<u32>,
    /// How many contacts hold a seat.
    pub seats_taken: u32,
    /// Whether its known contacts may open cases by email.
    pub email_intake: bool,
}

/// A page of organizations by name; `next_cursor` (`null` on the last page) fetches the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Organizations {
    pub organizations: Vec<OrganizationSummary>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
}
