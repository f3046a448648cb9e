//! Maintenance windows of the platform: a title, the components it affects, a first start
//! as a wall-clock time in an IANA time zone, a duration (elapsed time) and, for a
//! recurring window, an RFC 5545 recurrence rule ("FREQ=MONTHLY;BYDAY=1WE"). The
//! occurrences are computed by [`super::recurrence`] (server side).

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

#[cfg(feature = "ssr")]
pub use checked::ValidMaintenance;

#[cfg(feature = "ssr")]
mod checked {
    use super::*;
    use crate::domain::recurrence::Recurrence;
    use crate::error::{AppError, InvalidReason};

    /// A draft that passed every check, normalized, with its recurrence.
    #[derive(Clone, Debug)]
    pub struct ValidMaintenance {
        pub title: String,
        pub components: Vec<i64>,
        pub recurrence: Recurrence,
    }

    impl MaintenanceDraft {
        /// Checks every field, in the order of the form; the first wrong one is refused as
        /// 422 naming it.
        pub fn validated(self) -> Result<ValidMaintenance, AppError> {
            let title = self.title.trim().to_owned();
            if title.is_empty() {
                return Err(AppError::invalid("title", InvalidReason::Required));
            }
            if title.chars().count() > TITLE_MAX_CHARS {
                return Err(AppError::invalid("title", InvalidReason::TooLong { max: TITLE_MAX_CHARS }));
            }
            if title.chars().any(char::is_control) {
                return Err(AppError::invalid("title", InvalidReason::Malformed { detail: "one line of text".into() }));
            }
            if self.components.len() > COMPONENTS_MAX {
                return Err(AppError::invalid("components", InvalidReason::TooLong { max: COMPONENTS_MAX }));
            }
            if self.components.iter().any(|id| *id <= 0) {
                return Err(AppError::invalid(
                    "components",
                    InvalidReason::Malformed { detail: "component ids are positive numbers".into() },
                ));
            }
            let mut components = self.components;
            components.sort_unstable();
            components.dedup();
            let rrule = self.rrule.as_deref().map(str::trim).filter(|r| !r.is_empty());
            let recurrence =
                Recurrence::new(self.time_zone.trim(), self.start.trim(), self.duration_minutes, rrule)?;
            Ok(ValidMaintenance { title, components, recurrence })
        }
    }

    impl ValidMaintenance {
        /// The window as answered, once kept under `id`.
        pub fn kept(&self, id: i64) -> Maintenance {
            Maintenance {
                id,
                title: self.title.clone(),
                components: self.components.clone(),
                time_zone: self.recurrence.time_zone().to_owned(),
                start: self.recurrence.start_text(),
                duration_minutes: self.recurrence.duration_minutes(),
                rrule: self.recurrence.rrule().map(str::to_owned),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn draft() -> MaintenanceDraft {
            MaintenanceDraft {
                title: " Monthly ".into(),
                components: vec![3, 1, 3],
                time_zone: "Europe/Paris".into(),
                start: "2026-01-07T00:00".into(),
                duration_minutes: 360,
                rrule: Some("FREQ=MONTHLY;BYDAY=1WE".into()),
            }
        }

        fn field(draft: MaintenanceDraft) -> String {
            draft.validated().unwrap_err().field().unwrap_or_default().to_owned()
        }

        #[test]
        fn a_good_draft_is_normalized() {
            let valid = draft().validated().unwrap();
            let kept = valid.kept(7);
            assert_eq!(kept.title, "Monthly");
            assert_eq!(kept.components, [1, 3]);
            assert_eq!(kept.start, "2026-01-07T00:00");
            assert_eq!(kept.rrule.as_deref(), Some("FREQ=MONTHLY;BYDAY=1WE"));
        }

        #[test]
        fn each_bad_field_is_named() {
            assert_eq!(field(MaintenanceDraft { title: "  ".into(), ..draft() }), "title");
            assert_eq!(field(MaintenanceDraft { title: "a\nb".into(), ..draft() }), "title");
            assert_eq!(field(MaintenanceDraft { components: vec![0], ..draft() }), "components");
            assert_eq!(field(MaintenanceDraft { components: (1..=51).collect(), ..draft() }), "components");
            assert_eq!(field(MaintenanceDraft { time_zone: "Mars/Olympus".into(), ..draft() }), "time_zone");
            assert_eq!(field(MaintenanceDraft { start: "2026-13-07T00:00".into(), ..draft() }), "start");
            assert_eq!(field(MaintenanceDraft { duration_minutes: 0, ..draft() }), "duration_minutes");
            assert_eq!(field(MaintenanceDraft { duration_minutes: 10081, ..draft() }), "duration_minutes");
            assert_eq!(field(MaintenanceDraft { rrule: Some("FREQ=SOMETIMES".into()), ..draft() }), "rrule");
        }
    }
}
