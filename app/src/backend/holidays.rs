//! Public holidays from an iCalendar file (`.ics`, RFC 5545), as calendar applications and
//! public holiday feeds export them: each event's date, or each day of an all-day event
//! spanning several, becomes a holiday of the organization's contract calendar.

use icalendar::{Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime};
use jiff::civil::Date;

use super::store::{Store, UserRecord};
use crate::error::{AppError, InvalidReason};

/// The largest calendar file taken, in bytes.
pub const CALENDAR_MAX_BYTES: usize = 256 * 1024;
/// The most holiday dates one file may carry.
pub const HOLIDAYS_PER_FILE_MAX: usize = 1000;
/// The longest all-day event read as holidays, in days.
const EVENT_MAX_DAYS: i32 = 31;

fn malformed(detail: &str) -> AppError {
    AppError::invalid("calendar", InvalidReason::Malformed { detail: detail.into() })
}

fn date_of(value: &DatePerhapsTime) -> Result<Date, AppError> {
    let text = match value {
        DatePerhapsTime::Date(date) => date.to_string(),
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(at)) => at.date_naive().to_string(),
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(at)) => at.date().to_string(),
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, .. }) => date_time.date().to_string(),
    };
    text.parse().map_err(|_| malformed("an event's date is out of range"))
}

/// The holiday dates in an iCalendar file, in order, each once. Anything that is not an
/// iCalendar file with at least one event, each with a start date, is refused (422
/// `calendar`).
pub fn holiday_dates(bytes: &[u8]) -> Result<Vec<Date>, AppError> {
    if bytes.len() > CALENDAR_MAX_BYTES {
        return Err(AppError::invalid("calendar", InvalidReason::TooLong { max: CALENDAR_MAX_BYTES }));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| malformed("not UTF-8 text"))?;
    let text = text.trim_start_matches('\u{feff}');
    if !text.trim_start().to_ascii_uppercase().starts_with("BEGIN:VCALENDAR") {
        return Err(malformed("not an iCalendar file (BEGIN:VCALENDAR)"));
    }
    let calendar: Calendar = text.parse().map_err(|e: String| {
        tracing::info!(error_chars = e.len(), "iCalendar file refused by the parser");
        malformed("not a readable iCalendar file")
    })?;
    let mut dates = Vec::new();
    let mut events = 0;
    for component in &calendar.components {
        let CalendarComponent::Event(event) = component else { continue };
        events += 1;
        let start = event.get_start().ok_or_else(|| malformed("an event has no start date (DTSTART)"))?;
        let first = date_of(&start)?;
        // An all-day event ends the day after its last (DTEND is exclusive).
        let last = match (&start, event.get_end()) {
            (DatePerhapsTime::Date(_), Some(end @ DatePerhapsTime::Date(_))) => {
                let end = date_of(&end)?;
                if end <= first {
                    first
                } else {
                    end.yesterday().map_err(|_| malformed("an event's date is out of range"))?
                }
            }
            _ => first,
        };
        if (last - first).get_days() >= EVENT_MAX_DAYS {
            return Err(malformed("an event lasts more than 31 days"));
        }
        let mut day = first;
        loop {
            dates.push(day);
            if dates.len() > HOLIDAYS_PER_FILE_MAX * 2 {
                return Err(AppError::invalid("calendar", InvalidReason::TooLong { max: HOLIDAYS_PER_FILE_MAX }));
            }
            if day >= last {
                break;
            }
            day = day.tomorrow().map_err(|_| malformed("an event's date is out of range"))?;
        }
    }
    if events == 0 {
        return Err(malformed("no event (VEVENT) in the file"));
    }
    dates.sort_unstable();
    dates.dedup();
    if dates.len() > HOLIDAYS_PER_FILE_MAX {
        return Err(AppError::invalid("calendar", InvalidReason::TooLong { max: HOLIDAYS_PER_FILE_MAX }));
    }
    Ok(dates)
}

/// An admin imports an iCalendar file's dates as the organization's holidays: one dated
/// contract change. Answers with the calendar before and after, and the dates added.
pub async fn import(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    bytes: &[u8],
) -> Result<(crate::domain::BusinessCalendar, crate::domain::BusinessCalendar, Vec<Date>), AppError> {
    super::organizations::require_admin(actor)?;
    store.organization_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    let dates = holiday_dates(bytes)?;
    super::contracts::add_holidays(store, actor, slug, &dates).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(error: AppError) -> String {
        match error {
            AppError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn all_day_and_timed_events_give_their_dates() {
        let file = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
            BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261227\r\nSUMMARY:Christmas\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:2\r\nDTSTART:20270101T000000Z\r\nSUMMARY:New year\r\nEND:VEVENT\r\n\
            BEGIN:VEVENT\r\nUID:3\r\nDTSTART;VALUE=DATE:20261225\r\nSUMMARY:Twice\r\nEND:VEVENT\r\n\
            END:VCALENDAR\r\n";
        let dates: Vec<String> = holiday_dates(file.as_bytes()).unwrap().iter().map(|d| d.to_string()).collect();
        assert_eq!(dates, ["2026-12-25", "2026-12-26", "2027-01-01"]);
    }

    #[test]
    fn anything_else_is_refused_naming_the_calendar() {
        for bad in [
            "hello",
            "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:no date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20270101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ] {
            assert_eq!(field_of(holiday_dates(bad.as_bytes()).unwrap_err()), "calendar", "{bad}");
        }
        assert_eq!(field_of(holiday_dates(&[0xff, 0xfe]).unwrap_err()), "calendar");
        assert_eq!(field_of(holiday_dates(&vec![b'a'; CALENDAR_MAX_BYTES + 1]).unwrap_err()), "calendar");
    }
}
