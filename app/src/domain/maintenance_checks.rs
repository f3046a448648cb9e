//! The checks of a maintenance window's draft (server side: the schedule is checked by the
//! recurrence rules' crate): each wrong field refused as 422 naming it.

use super::maintenance::{COMPONENTS_MAX, Maintenance, MaintenanceDraft, TITLE_MAX_CHARS};
use super::recurrence::Recurrence;
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
        let recurrence = Recurrence::new(self.time_zone.trim(), self.start.trim(), self.duration_minutes, rrule)?;
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
