//! Maintenance windows of the platform: a title, the components it affects, a first start
//! as a wall-clock time in an IANA time zone, a duration (elapsed time) and, for a
//! recurring window, an RFC 5545 recurrence rule ("FREQ=MONTHLY;BYDAY=1WE"). The
//! occurrences are computed by `recurrence.rs` (server side).

use serde::{Deserialize, Serialize};

/// The longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 200;
/// The most components one window names.
pub const COMPONENTS_MAX: usize = 50;
/// The longest window: 7 days, in minutes.
pub const DURATION_MAX_MINUTES: i64 = 7 * 24 * 60;
/// The longest recurrence rule, in characters.
pub const RRULE_MAX_CHARS: usize = 300;
/// The widest `[from, to)` one occurrences read may ask for, in days.
pub const OCCURRENCE_SPAN_MAX_DAYS: i64 = 400;
/// The most occurrences one read answers (more: 422 `to`, ask for a narrower span).
pub const OCCURRENCES_MAX: usize = 1000;
/// How many next occurrences the page and the upcoming list show.
pub const UPCOMING_SHOWN: usize = 5;

/// What support submits to plan a maintenance window.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(example = json!({
    "title": "Monthly platform maintenance", "components": [1, 2], "time_zone": "Europe/Paris",
    "start": "2026-01-07T00:00", "duration_minutes": 360, "rrule": "FREQ=MONTHLY;BYDAY=1WE"
})))]
#[serde(deny_unknown_fields)]
pub struct MaintenanceDraft {
    /// One line, at most 200 characters.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 200))]
    pub title: String,
    /// Ids of the affected components (at most 50). Not checked against the components yet.
    #[serde(default)]
    pub components: Vec<i64>,
    /// An IANA time zone name, e.g. `Europe/Paris`.
    pub time_zone: String,
    /// The local wall-clock time of the first occurrence, `YYYY-MM-DDTHH:MM` (years 2000 to 2100).
    #[cfg_attr(feature = "ssr", schema(example = "2026-01-07T00:00"))]
    pub start: String,
    /// Elapsed minutes, 1 to 10080 (7 days): a window across a DST change lasts that many real minutes.
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 10080))]
    pub duration_minutes: i64,
    /// An RFC 5545 recurrence rule (without `RRULE:`), at most daily; none for a one-off window.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(example = "FREQ=MONTHLY;BYDAY=1WE", max_length = 300))]
    pub rrule: Option<String>,
}

/// A planned maintenance window, as kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Maintenance {
    pub id: i64,
    pub title: String,
    pub components: Vec<i64>,
    pub time_zone: String,
    /// Local wall-clock time of the first occurrence, `YYYY-MM-DDTHH:MM`.
    pub start: String,
    pub duration_minutes: i64,
    pub rrule: Option<String>,
}

/// A page of maintenance windows, newest first; `next_cursor` continues it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintenancePage {
    pub maintenances: Vec<Maintenance>,
    pub next_cursor: Option<String>,
}

/// One occurrence of a window: instants in UTC (`…Z`), `end` exclusive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Occurrence {
    #[cfg_attr(feature = "ssr", schema(example = "2026-01-06T23:00:00Z"))]
    pub start: String,
    #[cfg_attr(feature = "ssr", schema(example = "2026-01-07T05:00:00Z"))]
    pub end: String,
}

/// The occurrences of a window that overlap `[from, to)`, sorted by start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Occurrences {
    pub occurrences: Vec<Occurrence>,
}

/// One coming occurrence of some window, for the upcoming list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpcomingMaintenance {
    pub id: i64,
    pub title: String,
    pub start: String,
    pub end: String,
}
