//! When a maintenance window happens: its first start as a wall-clock time in an IANA time
//! zone, repeated by an RFC 5545 recurrence rule. The rule is expanded by the `rrule` crate
//! (a port of python-dateutil's rrule) in the window's own zone, so "the first Wednesday at
//! 00:00" stays at 00:00 local time across DST changes; each occurrence lasts its duration in
//! elapsed time (a window across a DST change is that many real minutes long).

use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::maintenance::{DURATION_MAX_MINUTES, OCCURRENCE_SPAN_MAX_DAYS, OCCURRENCES_MAX, RRULE_MAX_CHARS};
use crate::error::{AppError, InvalidReason};

/// The first and last years a window may start in, and occurrences may be asked about.
const FIRST_YEAR: i16 = 2000;
const LAST_YEAR: i16 = 2100;
/// The most rule dates walked through for one read (a daily rule over a century fits).
const DATES_WALKED_MAX: usize = 50_000;
/// The rule's frequencies a window may have: at most one start a day keeps each read small.
const FREQUENCIES: [&str; 4] = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"];

fn malformed(field: &str, detail: &str) -> AppError {
    AppError::invalid(field, InvalidReason::Malformed { detail: detail.into() })
}

/// A window's schedule, checked.
#[derive(Clone, Debug)]
pub struct Recurrence {
    zone: TimeZone,
    zone_name: String,
    start: DateTime,
    duration: SignedDuration,
    rrule: Option<String>,
    rule_set: Option<rrule::RRuleSet>,
}

impl Recurrence {
    /// Checks a schedule: unknown zone 422 `time_zone`; a start that is not
    /// `YYYY-MM-DDTHH:MM` (years 2000 to 2100) or that the zone's clocks skip 422 `start`;
    /// a duration outside 1 minute to 7 days 422 `duration_minutes`; a rule the crate
    /// cannot read, or more often than daily, 422 `rrule`.
    pub fn new(
        zone_name: &str,
        start: &str,
        duration_minutes: i64,
        rrule: Option<&str>,
    ) -> Result<Recurrence, AppError> {
        let zone = jiff::tz::db()
            .get(zone_name)
            .ok()
            .filter(|_| !zone_name.is_empty() && zone_name.len() <= 64)
            .ok_or_else(|| malformed("time_zone", "an IANA time zone name, e.g. Europe/Paris"))?;
        let zone_name = zone.iana_name().unwrap_or(zone_name).to_owned();
        let start = parse_start(start)?;
        if matches!(zone.to_ambiguous_timestamp(start).offset(), AmbiguousOffset::Gap { .. }) {
            return Err(malformed("start", "this time does not exist in the time zone (clocks skip it)"));
        }
        if !(1..=DURATION_MAX_MINUTES).contains(&duration_minutes) {
            return Err(malformed("duration_minutes", "from 1 minute to 7 days (10080 minutes)"));
        }
        let duration = SignedDuration::from_mins(duration_minutes);
        let dtstart = format!("DTSTART;TZID={zone_name}:{}", start.strftime("%Y%m%dT%H%M%S"));
        // The zone must be known to the rule's zone database too.
        format!("{dtstart}\nRRULE:FREQ=DAILY;COUNT=1")
            .parse::<rrule::RRuleSet>()
            .map_err(|_| malformed("time_zone", "an IANA time zone name, e.g. Europe/Paris"))?;
        let (rrule, rule_set) = match rrule {
            None => (None, None),
            Some(text) => {
                let text = checked_rule(text)?;
                let set = format!("{dtstart}\nRRULE:{text}").parse::<rrule::RRuleSet>().map_err(|e| {
                    tracing::info!(error_chars = e.to_string().len(), "recurrence rule refused by the parser");
                    malformed("rrule", "not an RFC 5545 recurrence rule (e.g. FREQ=MONTHLY;BYDAY=1WE)")
                })?;
                (Some(text), Some(set))
            }
        };
        Ok(Recurrence { zone, zone_name, start, duration, rrule, rule_set })
    }

    pub fn time_zone(&self) -> &str {
        &self.zone_name
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    pub fn start(&self) -> DateTime {
        self.start
    }

    /// The first start as given back: `YYYY-MM-DDTHH:MM`.
    pub fn start_text(&self) -> String {
        self.start.strftime("%Y-%m-%dT%H:%M").to_string()
    }

    pub fn duration_minutes(&self) -> i64 {
        self.duration.as_mins()
    }

    pub fn rrule(&self) -> Option<&str> {
        self.rrule.as_deref()
    }

    /// The occurrences overlapping `[from, to)` (one in progress at `from` included), by
    /// start. `to` must follow `from` by at most 400 days and the answer hold at most 1000
    /// occurrences, else 422 `to`; `from` before 2000 is refused 422 `from`.
    pub fn occurrences(&self, from: Timestamp, to: Timestamp) -> Result<Vec<(Timestamp, Timestamp)>, AppError> {
        if from < year_start(FIRST_YEAR) {
            return Err(malformed("from", "from the year 2000 on"));
        }
        if to <= from {
            return Err(malformed("to", "after from"));
        }
        if to.duration_since(from) > SignedDuration::from_hours(24 * OCCURRENCE_SPAN_MAX_DAYS) {
            return Err(malformed("to", "at most 400 days after from"));
        }
        let too_many = || malformed("to", "more than 1000 occurrences: ask for a shorter span");
        let mut found = Vec::new();
        let mut keep = |start: Timestamp| -> Result<bool, AppError> {
            let end = start + self.duration;
            if start >= to {
                return Ok(false);
            }
            if end > from {
                if found.len() == OCCURRENCES_MAX {
                    return Err(too_many());
                }
                found.push((start, end));
            }
            Ok(true)
        };
        match &self.rule_set {
            None => {
                let start =
                    self.zone.to_ambiguous_timestamp(self.start).compatible().map_err(|_| AppError::Internal)?;
                keep(start)?;
            }
            Some(set) => {
                for (walked, date) in set.into_iter().enumerate() {
                    if walked >= DATES_WALKED_MAX {
                        return Err(malformed("from", "too far from the window's first start"));
                    }
                    let start = Timestamp::from_second(date.timestamp()).map_err(|_| AppError::Internal)?;
                    if !keep(start)? {
                        break;
                    }
                }
            }
        }
        Ok(found)
    }
}

fn year_start(year: i16) -> Timestamp {
    jiff::civil::date(year, 1, 1)
        .at(0, 0, 0, 0)
        .to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MIN)
}

fn parse_start(text: &str) -> Result<DateTime, AppError> {
    let bad = || malformed("start", "a local date and time, YYYY-MM-DDTHH:MM");
    // Exactly the shape asked for: no offset, no zone, no seconds.
    let shaped = text.len() == 16
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 => b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(bad());
    }
    let start: DateTime = text.parse().map_err(|_| bad())?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&start.year()) {
        return Err(malformed("start", "a year from 2000 to 2100"));
    }
    Ok(start)
}

/// The rule's text as kept: one line of RFC 5545 RRULE parts, no `RRULE:` name, at most
/// daily, without DTSTART (the window's start is its own field).
fn checked_rule(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    let text = match text.get(..6) {
        Some(name) if name.eq_ignore_ascii_case("RRULE:") => &text[6..],
        _ => text,
    };
    if text.chars().count() > RRULE_MAX_CHARS {
        return Err(AppError::invalid("rrule", InvalidReason::TooLong { max: RRULE_MAX_CHARS }));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '=' | ';' | ',' | '-' | '+');
    if text.is_empty() || !text.chars().all(allowed) {
        return Err(malformed("rrule", "one line of NAME=VALUE parts separated by ';' (e.g. FREQ=MONTHLY;BYDAY=1WE)"));
    }
    let text = text.to_ascii_uppercase();
    let frequency = text.split(';').find_map(|part| part.strip_prefix("FREQ="));
    match frequency {
        Some(frequency) if FREQUENCIES.contains(&frequency) => Ok(text),
        Some(_) => Err(malformed("rrule", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")),
        None => Err(malformed("rrule", "FREQ is required (e.g. FREQ=MONTHLY;BYDAY=1WE)")),
    }
}

#[cfg(test)]
#[path = "recurrence_tests.rs"]
mod tests;
