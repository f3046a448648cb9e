//! The maintenance windows as an iCalendar feed (RFC 5545) calendars subscribe to: one
//! VEVENT per window with its local DTSTART;TZID, its DURATION (elapsed time) and its RRULE,
//! and one VTIMEZONE per zone used, written from the zone's transitions (jiff's tz database).
//! Built with the `icalendar` crate, which escapes the text (titles) as RFC 5545 says.

use icalendar::{Calendar, Component, Event, Property};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::maintenance::{MAINTENANCES_READ_MAX, recurrence_of};
use super::store::Store;
use crate::domain::maintenance::Maintenance;
use crate::error::AppError;

/// The zone's transitions written from this long before the first window on.
const ZONE_LEAD_DAYS: i64 = 366;
/// And this long after now (or the last window's start), in years.
const ZONE_YEARS_AHEAD: i64 = 10;
/// The most transitions written per zone.
const ZONE_TRANSITIONS_MAX: usize = 100;

fn offset_text(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.abs();
    let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if rest == 0 { format!("{sign}{hours:02}{minutes:02}") } else { format!("{sign}{hours:02}{minutes:02}{rest:02}") }
}

fn local_text(at: Timestamp, offset: Offset) -> String {
    offset.to_datetime(at).strftime("%Y%m%dT%H%M%S").to_string()
}

fn observance(kind: &str, local: &str, from: Offset, to: Offset, name: &str) -> String {
    // Abbreviations are letters, digits and signs; anything else is left out.
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-')).collect();
    let name = if name.is_empty() { offset_text(to) } else { name };
    format!(
        "BEGIN:{kind}\r\nDTSTART:{local}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nTZNAME:{name}\r\nEND:{kind}\r\n",
        offset_text(from),
        offset_text(to)
    )
}

/// A VTIMEZONE for `zone` covering `[from, until)`: the observance in effect at `from`, then
/// one per transition. Our own text only (zone names and abbreviations from the tz database).
fn vtimezone(zone_name: &str, zone: &TimeZone, from: Timestamp, until: Timestamp) -> String {
    let first = zone.to_offset_info(from);
    let kind = |dst: bool| if dst { "DAYLIGHT" } else { "STANDARD" };
    let mut text = format!("BEGIN:VTIMEZONE\r\nTZID:{zone_name}\r\n");
    text.push_str(&observance(
        kind(first.dst().is_dst()),
        &local_text(from, first.offset()),
        first.offset(),
        first.offset(),
        first.abbreviation(),
    ));
    let mut before = first.offset();
    for transition in zone.following(from).take_while(|t| t.timestamp() < until).take(ZONE_TRANSITIONS_MAX) {
        // An observance starts at the local time of the offset it replaces.
        text.push_str(&observance(
            kind(transition.dst().is_dst()),
            &local_text(transition.timestamp(), before),
            before,
            transition.offset(),
            transition.abbreviation(),
        ));
        before = transition.offset();
    }
    text.push_str("END:VTIMEZONE\r\n");
    text
}

fn event(window: &Maintenance, stamp: &str, host: &str) -> Event {
    let start = window.start.replace(['-', ':'], "") + "00";
    let mut event = Event::new();
    event
        .uid(&format!("maintenance-{}@{host}", window.id))
        .summary(&window.title)
        .append_property(Property::new("DTSTAMP", stamp))
        .append_property(Property::new("DTSTART", start).add_parameter("TZID", &window.time_zone).done())
        .append_property(Property::new("DURATION", format!("PT{}M", window.duration_minutes)))
        .append_property(Property::new("TRANSP", "OPAQUE"));
    if let Some(rule) = &window.rrule {
        event.append_property(Property::new("RRULE", rule.clone()));
    }
    event.done()
}

/// The feed of `windows` as of `now`; `host` names the instance in the events' UIDs.
pub fn calendar_of(windows: &[Maintenance], now: Timestamp, host: &str) -> Result<String, AppError> {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Caseboard//Maintenance windows//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"));
    calendar.name("Maintenance");
    // Each zone once, from a year before its first window to ten years after the later of
    // now and its last window.
    let mut zones: Vec<(String, TimeZone, Timestamp, Timestamp)> = Vec::new();
    for window in windows {
        let recurrence = recurrence_of(window)?;
        let first = recurrence
            .zone()
            .to_ambiguous_timestamp(recurrence.start())
            .compatible()
            .map_err(|_| AppError::Internal)?;
        let from = first - SignedDuration::from_hours(24 * ZONE_LEAD_DAYS);
        let until = first.max(now) + SignedDuration::from_hours(24 * 366 * ZONE_YEARS_AHEAD);
        match zones.iter_mut().find(|(name, ..)| *name == window.time_zone) {
            Some(zone) => {
                zone.2 = zone.2.min(from);
                zone.3 = zone.3.max(until);
            }
            None => zones.push((window.time_zone.clone(), recurrence.zone().clone(), from, until)),
        }
    }
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    for window in windows {
        calendar.push(event(window, &stamp, host));
    }
    // The crate writes no VTIMEZONE (its parser's copy would carry UID and DTSTAMP, which
    // RFC 5545 does not allow there): ours go before the events, as calendars write them.
    let zones: String = zones.iter().map(|(name, zone, from, until)| vtimezone(name, zone, *from, *until)).collect();
    let mut text = calendar.to_string();
    let at = text.find("BEGIN:VEVENT").or_else(|| text.find("END:VCALENDAR")).ok_or(AppError::Internal)?;
    text.insert_str(at, &zones);
    Ok(text)
}

/// The public feed: every window (at most 500, newest).
pub async fn feed(store: &Store, host: &str) -> Result<String, AppError> {
    let mut windows = store.maintenances_page(None, MAINTENANCES_READ_MAX).await?;
    windows.reverse();
    calendar_of(&windows, Timestamp::now(), host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(id: i64, title: &str, rule: Option<&str>) -> Maintenance {
        Maintenance {
            id,
            title: title.into(),
            components: vec![1],
            time_zone: "Europe/Paris".into(),
            start: "2026-01-07T00:00".into(),
            duration_minutes: 360,
            rrule: rule.map(str::to_owned),
        }
    }

    #[test]
    fn the_feed_has_a_vtimezone_and_one_event_per_window_with_its_rule() {
        let windows = [
            window(1, "First; Wednesday, \\ monthly", Some("FREQ=MONTHLY;BYDAY=-1WE,-2WE,-3WE")),
            window(2, "Once", None),
        ];
        let text = calendar_of(&windows, "2026-12-01T00:00:00Z".parse().unwrap(), "example.test").unwrap();
        assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"), "{text}");
        assert!(text.contains("TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST"), "{text}");
        assert!(text.contains("DTSTART:20260329T020000\r\n"), "{text}");
        assert!(text.contains("DTSTART;TZID=Europe/Paris:20260107T000000\r\n"), "{text}");
        assert!(text.contains("RRULE:FREQ=MONTHLY;BYDAY=-1WE,-2WE,-3WE\r\n"), "{text}");
        assert!(text.contains("SUMMARY:First\\; Wednesday\\, \\\\ monthly\r\n"), "{text}");
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1);
        // Read back by the crate's own parser, the title comes back as written.
        let parsed: Calendar = text.parse().unwrap();
        let titles: Vec<_> = parsed
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .filter_map(|e| e.get_summary().map(str::to_owned))
            .collect();
        assert_eq!(titles, ["First; Wednesday, \\ monthly", "Once"]);
    }
}
