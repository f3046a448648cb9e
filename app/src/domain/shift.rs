//! An engineer's working week: one or more weekly shifts (these days, from this time to
//! that, in their time zone), e.g. Monday to Friday 09:00-13:00 and 14:00-18:00, and
//! Saturday 10:00-14:00. Each shift is kept as a one-window business calendar, so "on
//! shift now" and "when does the next shift start" are the calendars' own arithmetic.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::calendar::{BusinessCalendar, WorkingWindow};
use super::week::DayOfWeek;
use crate::error::{AppError, InvalidReason};

/// One weekly shift as people give it: `{"days": ["monday", …], "start": "09:00", "end": "18:00"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Shift {
    #[cfg_attr(feature = "ssr", schema(min_items = 1))]
    pub days: Vec<DayOfWeek>,
    /// `HH:MM`, from `00:00`.
    #[cfg_attr(feature = "ssr", schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$", example = "09:00"))]
    pub start: String,
    /// `HH:MM`, after `start`; `24:00` ends the day.
    #[cfg_attr(feature = "ssr", schema(pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", example = "18:00"))]
    pub end: String,
}

/// The most shifts one engineer's week holds.
pub const SHIFTS_MAX: usize = 21;

/// An engineer's working week, in their time zone. Stored as a JSON list of calendars (one
/// per shift); a single calendar (as stored before shifts) reads as a week of one shift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct WorkingWeek(Vec<BusinessCalendar>);

impl<'de> Deserialize<'de> for WorkingWeek {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Shifts(Vec<BusinessCalendar>),
            One(BusinessCalendar),
        }
        Ok(match Stored::deserialize(deserializer)? {
            Stored::Shifts(calendars) => WorkingWeek(calendars),
            Stored::One(calendar) => WorkingWeek(vec![calendar]),
        })
    }
}

impl From<BusinessCalendar> for WorkingWeek {
    fn from(calendar: BusinessCalendar) -> WorkingWeek {
        WorkingWeek(vec![calendar])
    }
}

fn refused(detail: &str) -> AppError {
    AppError::invalid("shifts", InvalidReason::Malformed { detail: detail.into() })
}

impl WorkingWeek {
    /// 09:00-18:00, Monday to Friday, in `time_zone`.
    pub fn office_hours(time_zone: &str) -> WorkingWeek {
        BusinessCalendar::office_hours(time_zone).into()
    }

    /// The week of these shifts in `time_zone`. Refuses an unknown zone (`time_zone`), and
    /// on `shifts`: none, too many, a shift without days, times that are not `HH:MM` or
    /// that end before they start, and two shifts that overlap on a day they share.
    pub fn of_shifts(time_zone: &str, shifts: &[Shift]) -> Result<WorkingWeek, AppError> {
        if shifts.is_empty() {
            return Err(AppError::invalid("shifts", InvalidReason::Required));
        }
        if shifts.len() > SHIFTS_MAX {
            return Err(AppError::invalid("shifts", InvalidReason::TooLong { max: SHIFTS_MAX }));
        }
        let mut calendars = Vec::with_capacity(shifts.len());
        for shift in shifts {
            if shift.days.is_empty() {
                return Err(refused("a shift needs at least one day"));
            }
            let calendar = BusinessCalendar {
                time_zone: time_zone.trim().to_owned(),
                working_days: shift.days.iter().copied().collect::<BTreeSet<_>>(),
                windows: vec![WorkingWindow::new(shift.start.trim(), shift.end.trim())],
                holidays: Vec::new(),
            };
            calendar.validate().map_err(|e| {
                if matches!(&e, AppError::Invalid { field, .. } if field == "time_zone") {
                    e
                } else {
                    refused("times are HH:MM, from 00:00 to 24:00, and a shift ends after it starts")
                }
            })?;
            calendars.push(calendar);
        }
        for (i, a) in calendars.iter().enumerate() {
            for b in &calendars[i + 1..] {
                let shared_day = a.working_days.intersection(&b.working_days).next().is_some();
                let (wa, wb) = (&a.windows[0], &b.windows[0]);
                // `HH:MM` strings of one width compare as times do.
                if shared_day && wa.start < wb.end && wb.start < wa.end {
                    return Err(refused("two shifts overlap"));
                }
            }
        }
        Ok(WorkingWeek(calendars))
    }

    /// The shifts as people give them.
    pub fn shifts(&self) -> Vec<Shift> {
        self.0
            .iter()
            .flat_map(|calendar| {
                calendar.windows.iter().map(|window| Shift {
                    days: calendar.working_days.iter().copied().collect(),
                    start: window.start.clone(),
                    end: window.end.clone(),
                })
            })
            .collect()
    }

    /// The time zone the week is kept in (UTC when it has no shift).
    pub fn time_zone(&self) -> &str {
        self.0.first().map_or("UTC", |c| c.time_zone.as_str())
    }

    /// The same shifts, in another time zone (the engineer moved): the same civil times.
    pub fn in_zone(&self, time_zone: &str) -> Result<WorkingWeek, AppError> {
        WorkingWeek::of_shifts(time_zone, &self.shifts())
    }

    /// On a shift at `now`. A shift whose calendar does not build counts for nothing.
    pub fn on_shift(&self, now: Timestamp) -> bool {
        self.0.iter().filter_map(|c| c.schedule().ok()).any(|s| s.is_business_time(now))
    }

    /// When the next shift starts after `now` (`now` itself when on shift); `None` when no
    /// shift's calendar builds.
    pub fn next_start(&self, now: Timestamp) -> Option<Timestamp> {
        self.0.iter().filter_map(|c| c.schedule().ok()).map(|s| s.next_business_instant(now)).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(days: &[DayOfWeek], start: &str, end: &str) -> Shift {
        Shift { days: days.to_vec(), start: start.into(), end: end.into() }
    }

    #[test]
    fn a_week_of_several_shifts_is_on_in_each_and_off_between() {
        use DayOfWeek::*;
        let week = WorkingWeek::of_shifts(
            "Europe/Paris",
            &[
                shift(&DayOfWeek::WEEKDAYS, "09:00", "13:00"),
                shift(&DayOfWeek::WEEKDAYS, "14:00", "18:00"),
                shift(&[Saturday], "10:00", "14:00"),
            ],
        )
        .unwrap();
        // Tuesday 2026-11-24: 10:00, 13:30 and 15:00 in Paris (UTC+1).
        assert!(week.on_shift("2026-11-24T09:00:00Z".parse().unwrap()));
        assert!(!week.on_shift("2026-11-24T12:30:00Z".parse().unwrap()));
        assert_eq!(
            week.next_start("2026-11-24T12:30:00Z".parse().unwrap()),
            Some("2026-11-24T13:00:00Z".parse().unwrap())
        );
        // Saturday 2026-11-28 11:00 in Paris.
        assert!(week.on_shift("2026-11-28T10:00:00Z".parse().unwrap()));
        assert_eq!(week.shifts().len(), 3);
        let text = serde_json::to_string(&week).unwrap();
        assert_eq!(serde_json::from_str::<WorkingWeek>(&text).unwrap(), week);
    }

    #[test]
    fn a_single_stored_calendar_reads_as_one_shift() {
        let text = serde_json::to_string(&BusinessCalendar::office_hours("Asia/Shanghai")).unwrap();
        let week: WorkingWeek = serde_json::from_str(&text).unwrap();
        assert_eq!(week.time_zone(), "Asia/Shanghai");
        assert_eq!(week.shifts(), vec![shift(&DayOfWeek::WEEKDAYS, "09:00", "18:00")]);
    }

    #[test]
    fn overlapping_empty_or_inverted_shifts_and_unknown_zones_are_refused_by_field() {
        use DayOfWeek::*;
        let field = |r: Result<WorkingWeek, AppError>| match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let overlapping = [shift(&[Monday, Tuesday], "09:00", "13:00"), shift(&[Tuesday], "12:00", "18:00")];
        assert_eq!(field(WorkingWeek::of_shifts("UTC", &overlapping)), "shifts");
        assert_eq!(field(WorkingWeek::of_shifts("UTC", &[])), "shifts");
        assert_eq!(field(WorkingWeek::of_shifts("UTC", &[shift(&[], "09:00", "18:00")])), "shifts");
        assert_eq!(field(WorkingWeek::of_shifts("UTC", &[shift(&[Monday], "18:00", "09:00")])), "shifts");
        assert_eq!(field(WorkingWeek::of_shifts("Mars/Olympus", &[shift(&[Monday], "09:00", "18:00")])), "time_zone");
        // Touching is not overlapping; the same hours on other days neither.
        let fine = [
            shift(&[Monday], "09:00", "13:00"),
            shift(&[Monday], "13:00", "18:00"),
            shift(&[Sunday], "09:00", "18:00"),
        ];
        assert!(WorkingWeek::of_shifts("UTC", &fine).is_ok());
    }
}
