//! Business calendars: the working week, daily windows and public holidays of a support
//! contract in its time zone, and the business-time arithmetic the SLA clocks count with.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// The days a working week lists (named here too, beside the calendar that uses them).
pub use super::week::DayOfWeek;

mod words;
use crate::error::{AppError, InvalidReason};

const MINUTES_PER_DAY: u16 = 24 * 60;

/// One stretch of a working day, in civil time of the calendar's zone: `"09:00"` to
/// `"18:00"`. `"24:00"` may end a window (the end of the day). Coveo: "de 6 heures à
/// 18 heures, heure de l'est".
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkingWindow {
    /// `HH:MM`, from `00:00`.
    #[cfg_attr(feature = "ssr", schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$", example = "09:00"))]
    pub start: String,
    /// `HH:MM`, after `start`; `24:00` ends the day.
    #[cfg_attr(feature = "ssr", schema(pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", example = "18:00"))]
    pub end: String,
}

impl WorkingWindow {
    pub fn new(start: &str, end: &str) -> WorkingWindow {
        WorkingWindow { start: start.to_string(), end: end.to_string() }
    }

    /// Start and end as minutes since midnight, when both read as `HH:MM`.
    fn minutes(&self) -> Option<(u16, u16)> {
        Some((parse_clock_time(&self.start)?, parse_clock_time(&self.end)?))
    }
}

/// Reads `HH:MM` (00:00 to 24:00) as minutes since midnight.
fn parse_clock_time(text: &str) -> Option<u16> {
    let bytes = text.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' {
        return None;
    }
    let digit = |i: usize| bytes[i].is_ascii_digit().then(|| u16::from(bytes[i] - b'0'));
    let hours = digit(0)? * 10 + digit(1)?;
    let minutes = digit(3)? * 10 + digit(4)?;
    if minutes > 59 || hours > 24 || (hours == 24 && minutes > 0) {
        return None;
    }
    Some(hours * 60 + minutes)
}

fn clock_time_text(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// When support counts business time for one contract. Elastic: "les heures d'ouverture
/// sont définies par l'emplacement de votre entreprise dans votre contrat d'assistance":
/// a time zone, a working week, daily windows (the same on every working day) and public
/// holidays, all in the civil time of that zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BusinessCalendar {
    /// An IANA time zone name, such as `Europe/Paris`.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, example = "Europe/Paris"))]
    pub time_zone: String,
    #[cfg_attr(feature = "ssr", schema(min_items = 1))]
    pub working_days: BTreeSet<DayOfWeek>,
    #[cfg_attr(feature = "ssr", schema(min_items = 1))]
    pub windows: Vec<WorkingWindow>,
    /// Public holidays: no business time on these dates, whatever the weekday.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(schema_with = holiday_dates))]
    pub holidays: Vec<Date>,
}

/// The schema of a calendar's holidays: `YYYY-MM-DD` dates.
#[cfg(feature = "ssr")]
pub fn holiday_dates() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .description(Some("Public holidays, `YYYY-MM-DD`: no business time on these dates, whatever the weekday."))
        .build()
}

impl BusinessCalendar {
    /// Every day, all day ("24 h/24, 7 j/7"): business time is real time.
    pub fn around_the_clock(time_zone: &str) -> BusinessCalendar {
        BusinessCalendar {
            time_zone: time_zone.to_string(),
            working_days: DayOfWeek::ALL.iter().copied().collect(),
            windows: vec![WorkingWindow::new("00:00", "24:00")],
            holidays: Vec::new(),
        }
    }

    /// Monday to Friday, one window a day, e.g. Coveo's 06:00-18:00 in America/New_York.
    pub fn weekdays(time_zone: &str, start: &str, end: &str) -> BusinessCalendar {
        BusinessCalendar {
            time_zone: time_zone.to_string(),
            working_days: DayOfWeek::WEEKDAYS.iter().copied().collect(),
            windows: vec![WorkingWindow::new(start, end)],
            holidays: Vec::new(),
        }
    }

    /// 09:00-18:00, Monday to Friday: the default working week of the presets.
    pub fn office_hours(time_zone: &str) -> BusinessCalendar {
        BusinessCalendar::weekdays(time_zone, "09:00", "18:00")
    }

    pub fn with_holidays(mut self, holidays: impl IntoIterator<Item = Date>) -> BusinessCalendar {
        self.holidays.extend(holidays);
        self
    }

    /// Refuses an unknown time zone ("time_zone"), a week without a working day
    /// ("working_days"), and malformed, empty, inverted or overlapping windows ("windows").
    pub fn validate(&self) -> Result<(), AppError> {
        self.schedule().map(|_| ())
    }

    /// The calendar made ready for arithmetic: zone resolved, windows read and sorted.
    /// Fails exactly when [`BusinessCalendar::validate`] does.
    pub fn schedule(&self) -> Result<BusinessSchedule, AppError> {
        let name = self.time_zone.trim();
        if name.is_empty() {
            return Err(AppError::invalid("time_zone", InvalidReason::Required));
        }
        // UTC needs no time zone database (the browser build may have none).
        let utc = name.eq_ignore_ascii_case("UTC") || name.eq_ignore_ascii_case("Etc/UTC");
        let time_zone = if utc { Ok(TimeZone::UTC) } else { TimeZone::get(name) }.map_err(|_| {
            AppError::invalid(
                "time_zone",
                InvalidReason::Malformed { detail: format!("{name:?} is not a known IANA time zone") },
            )
        })?;
        if self.working_days.is_empty() {
            return Err(AppError::invalid("working_days", InvalidReason::Required));
        }
        if self.windows.is_empty() {
            return Err(AppError::invalid("windows", InvalidReason::Required));
        }
        let malformed = |detail: &str| AppError::invalid("windows", InvalidReason::Malformed { detail: detail.into() });
        let mut windows = Vec::with_capacity(self.windows.len());
        for window in &self.windows {
            let (start, end) = window.minutes().ok_or_else(|| malformed("times are HH:MM, from 00:00 to 24:00"))?;
            if start >= end {
                return Err(malformed("a window must end after it starts"));
            }
            windows.push((start, end));
        }
        windows.sort_unstable();
        if windows.windows(2).any(|pair| pair[1].0 < pair[0].1) {
            return Err(malformed("windows overlap"));
        }
        let mut days = [false; 7];
        for day in &self.working_days {
            days[day.index()] = true;
        }
        let mut holidays: Vec<i64> = self.holidays.iter().map(|d| unix_day(*d)).collect();
        holidays.sort_unstable();
        holidays.dedup();
        let working_time_per_day = SignedDuration::from_mins(windows.iter().map(|(s, e)| i64::from(e - s)).sum());
        let around_the_clock = days.iter().all(|d| *d) && windows == [(0, MINUTES_PER_DAY)] && holidays.is_empty();
        Ok(BusinessSchedule {
            time_zone,
            working_days: days,
            windows,
            holidays,
            working_time_per_day,
            around_the_clock,
            recent_span: OnceLock::new(),
        })
    }

    /// The nominal length of a working day: the sum of its windows (09:00-18:00 is 9 h).
    /// "N business days" are N times this, counted in business time. Windows that do not
    /// read as `HH:MM` count for nothing (`validate` refuses them).
    pub fn working_time_per_day(&self) -> SignedDuration {
        let minutes =
            self.windows.iter().filter_map(WorkingWindow::minutes).map(|(s, e)| i64::from(e.saturating_sub(s)));
        SignedDuration::from_mins(minutes.sum())
    }

    /// Every day, all day, no holidays.
    pub fn is_around_the_clock(&self) -> bool {
        self.working_days.len() == 7
            && self.holidays.is_empty()
            && self.windows.len() == 1
            && self.windows[0].minutes() == Some((0, MINUTES_PER_DAY))
    }
}

/// A validated [`BusinessCalendar`] ready for arithmetic (zone resolved, windows sorted).
/// Business time is the union of the windows of working, non-holiday days; a window is its
/// civil start and end converted to instants on that date (jiff's compatible
/// disambiguation: a time in a DST gap moves forward, one in a fold takes the first), so a
/// window that spans a spring-forward change is shorter and one that spans a fall-back
/// change longer. Days are walked whole, never minutes stepped; between two offset
/// transitions the conversions are plain arithmetic (see [`SteadySpan`]).
#[derive(Clone, Debug)]
pub struct BusinessSchedule {
    time_zone: TimeZone,
    working_days: [bool; 7],
    /// Sorted, non-overlapping, minutes since midnight; the end may be 24:00.
    windows: Vec<(u16, u16)>,
    /// Sorted and deduplicated, as days since 1970-01-01.
    holidays: Vec<i64>,
    working_time_per_day: SignedDuration,
    around_the_clock: bool,
    /// The first steady span found, reused by later computations that start inside it.
    recent_span: OnceLock<SteadySpan>,
}

const SECONDS_PER_DAY: i64 = 86_400;
/// Days since 1970-01-01 of jiff's first and last dates.
const FIRST_DAY: i64 = -4_371_587;
const LAST_DAY: i64 = 2_932_896;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn unix_day(date: Date) -> i64 {
    let (month, day) = (i64::from(date.month()), i64::from(date.day()));
    let year = i64::from(date.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date `days` after 1970-01-01 (Hinnant's `civil_from_days`), clamped to jiff's range.
fn date_of_unix_day(days: i64) -> Date {
    let days = days.clamp(FIRST_DAY, LAST_DAY) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date::new(year as i16, month as i8, day as i8).unwrap_or(Date::MAX)
}

/// Monday is 0; 1970-01-01 was a Thursday.
fn weekday_of_unix_day(days: i64) -> usize {
    ((days.rem_euclid(7) + 3) % 7) as usize
}

/// The local days between two UTC-offset transitions of a zone, with two days of margin on
/// each side so that no gap or fold reaches them: there, a civil time is an instant by
/// plain arithmetic, equal to what jiff's compatible disambiguation gives, and every
/// working day holds exactly its nominal business time. Found once per computation (two
/// zone lookups) and moved on when a walk passes its end.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SteadySpan {
    first_day: i64,
    last_day: i64,
    /// Seconds east of UTC between the two transitions.
    offset: i64,
    /// The transition that ends the span.
    next: Option<Timestamp>,
}

impl SteadySpan {
    fn has(&self, day: i64) -> bool {
        self.first_day <= day && day <= self.last_day
    }

    fn covers(&self, t: Timestamp) -> bool {
        self.has((t.as_second() + self.offset).div_euclid(SECONDS_PER_DAY))
    }
}

impl BusinessSchedule {
    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// See [`BusinessCalendar::working_time_per_day`].
    pub fn working_time_per_day(&self) -> SignedDuration {
        self.working_time_per_day
    }

    /// Every day, all day, no holidays: business time is real time.
    pub fn is_around_the_clock(&self) -> bool {
        self.around_the_clock
    }

    /// A working day of the week that is not a public holiday.
    pub fn is_working_day(&self, date: Date) -> bool {
        self.works_on(unix_day(date))
    }

    /// The civil date of `t` in the calendar's zone.
    pub fn date_of(&self, t: Timestamp) -> Date {
        self.time_zone.to_datetime(t).date()
    }

    /// The instant `d` of business time after `start`. Counting starts at `start` if it is
    /// business time, else at the next window. The result may be the very end of a window
    /// (18:00), never inside a non-working stretch. A negative `d` counts backwards.
    pub fn add_business_time(&self, start: Timestamp, d: SignedDuration) -> Timestamp {
        if d.is_zero() || self.around_the_clock {
            return self.add_near(&SteadySpan { first_day: 1, last_day: 0, offset: 0, next: None }, start, d);
        }
        self.add_near(&self.span_for(start), start, d)
    }

    /// The business time from `a` to `b`; negative when `b` is before `a`.
    pub fn business_time_between(&self, a: Timestamp, b: Timestamp) -> SignedDuration {
        if self.around_the_clock || a == b {
            return b.duration_since(a);
        }
        self.between_near(&self.span_for(a.min(b)), a, b)
    }

    /// `t` itself if it is business time, else the start of the next window.
    pub fn next_business_instant(&self, t: Timestamp) -> Timestamp {
        if self.around_the_clock {
            return t;
        }
        let mut span = self.span_for(t);
        let mut day = self.day_of(&span, t);
        while day <= LAST_DAY {
            self.keep_up(&mut span, day);
            if self.works_on(day) {
                for &(from, to) in &self.windows {
                    let Some((open, close)) = self.window_at(&span, day, from, to) else { return Timestamp::MAX };
                    if close > t && close > open {
                        return open.max(t);
                    }
                }
            }
            day += 1;
        }
        Timestamp::MAX
    }

    /// Inside a window (its start included, its end excluded) of a working, non-holiday day.
    pub fn is_business_time(&self, t: Timestamp) -> bool {
        if self.around_the_clock {
            return true;
        }
        let span = SteadySpan { first_day: 1, last_day: 0, offset: 0, next: None };
        let day = self.day_of(&span, t);
        self.works_on(day)
            && self.windows.iter().any(|&(from, to)| {
                self.window_at(&span, day, from, to).is_some_and(|(open, close)| open <= t && t < close)
            })
    }

    /// A steady span for computations starting at `t`: the one found first if it covers `t`
    /// (zone lookups cost more than the arithmetic they save on short computations).
    pub(crate) fn span_for(&self, t: Timestamp) -> SteadySpan {
        let recent = self.recent_span.get_or_init(|| self.span_near(t));
        if recent.covers(t) { *recent } else { self.span_near(t) }
    }

    /// The steady span around `t`: two zone lookups.
    pub(crate) fn span_near(&self, t: Timestamp) -> SteadySpan {
        let tz = &self.time_zone;
        let just_after = t.checked_add(SignedDuration::from_nanos(1)).unwrap_or(t);
        let previous = tz.preceding(just_after).next();
        let offset = match &previous {
            Some(transition) => i64::from(transition.offset().seconds()),
            None => i64::from(tz.to_offset(t).seconds()),
        };
        let local_day = |at: Timestamp| (at.as_second() + offset).div_euclid(SECONDS_PER_DAY);
        let next = tz.following(t).next().map(|transition| transition.timestamp());
        SteadySpan {
            first_day: previous.map_or(FIRST_DAY, |p| local_day(p.timestamp()) + 2),
            last_day: next.map_or(LAST_DAY - 1, |n| local_day(n) - 2),
            offset,
            next,
        }
    }

    /// [`BusinessSchedule::add_business_time`] with a span found beforehand.
    pub(crate) fn add_near(&self, span: &SteadySpan, start: Timestamp, d: SignedDuration) -> Timestamp {
        if d.is_zero() {
            start
        } else if self.around_the_clock {
            start.checked_add(d).unwrap_or(if d.is_negative() { Timestamp::MIN } else { Timestamp::MAX })
        } else if d.is_negative() {
            self.subtract(*span, start, d.checked_neg().unwrap_or(SignedDuration::MAX))
        } else {
            self.add(*span, start, d)
        }
    }

    /// [`BusinessSchedule::business_time_between`] with a span found beforehand.
    pub(crate) fn between_near(&self, span: &SteadySpan, a: Timestamp, b: Timestamp) -> SignedDuration {
        if b < a {
            return -self.between_near(span, b, a);
        }
        if self.around_the_clock || a == b {
            return b.duration_since(a);
        }
        let mut span = *span;
        let mut total = SignedDuration::ZERO;
        let mut floor = a;
        let first = self.day_of(&span, a);
        let last = self.day_of(&span, b);
        let mut day = first;
        while day <= last {
            self.keep_up(&mut span, day);
            if day > first && day < last && span.has(day) {
                // Whole days strictly inside: their nominal length, weeks at a time.
                let run_end = span.last_day.min(last - 1);
                let days = self.working_days_in(day, run_end);
                total += SignedDuration::from_secs(self.working_time_per_day.as_secs().saturating_mul(days));
                day = run_end + 1;
                continue;
            }
            if self.works_on(day) {
                for &(from, to) in &self.windows {
                    let Some((open, close)) = self.window_at(&span, day, from, to) else { return total };
                    let (open, close) = (open.max(floor), close.min(b));
                    if close > open {
                        total += close.duration_since(open);
                        floor = close;
                    }
                }
            }
            day += 1;
        }
        total
    }

    fn add(&self, mut span: SteadySpan, start: Timestamp, mut remaining: SignedDuration) -> Timestamp {
        let mut cursor = start;
        let first = self.day_of(&span, start);
        let mut day = first;
        while day <= LAST_DAY {
            self.keep_up(&mut span, day);
            if self.works_on(day) {
                if day > first && span.has(day) && remaining > self.working_time_per_day {
                    remaining -= self.working_time_per_day;
                    day += 1;
                    continue;
                }
                for &(from, to) in &self.windows {
                    let Some((open, close)) = self.window_at(&span, day, from, to) else { return Timestamp::MAX };
                    let open = open.max(cursor);
                    if close <= open {
                        continue;
                    }
                    let length = close.duration_since(open);
                    if remaining <= length {
                        return open.checked_add(remaining).unwrap_or(Timestamp::MAX);
                    }
                    remaining -= length;
                    cursor = close;
                }
            }
            day += 1;
        }
        Timestamp::MAX
    }

    fn subtract(&self, span: SteadySpan, end: Timestamp, mut remaining: SignedDuration) -> Timestamp {
        let mut cursor = end;
        let mut day = self.day_of(&span, end);
        while day >= FIRST_DAY {
            if self.works_on(day) {
                for &(from, to) in self.windows.iter().rev() {
                    let Some((open, close)) = self.window_at(&span, day, from, to) else { return Timestamp::MIN };
                    let close = close.min(cursor);
                    if close <= open {
                        continue;
                    }
                    let length = close.duration_since(open);
                    if remaining <= length {
                        return close.checked_sub(remaining).unwrap_or(Timestamp::MIN);
                    }
                    remaining -= length;
                    cursor = open;
                }
            }
            day -= 1;
        }
        Timestamp::MIN
    }

    /// Moves the span past its transition once a walk has gone beyond it.
    fn keep_up(&self, span: &mut SteadySpan, day: i64) {
        if day > span.last_day {
            if let Some(transition) = span.next {
                *span = self.span_near(transition);
            }
        }
    }

    fn works_on(&self, day: i64) -> bool {
        self.working_days[weekday_of_unix_day(day)] && self.holidays.binary_search(&day).is_err()
    }

    /// Working, non-holiday days from `first` to `last`, both included.
    fn working_days_in(&self, first: i64, last: i64) -> i64 {
        if last < first {
            return 0;
        }
        let days = last - first + 1;
        let per_week = self.working_days.iter().filter(|d| **d).count() as i64;
        let weekday = weekday_of_unix_day(first);
        let rest = (0..(days % 7) as usize).filter(|i| self.working_days[(weekday + i) % 7]).count() as i64;
        let from = self.holidays.partition_point(|h| *h < first);
        let to = self.holidays.partition_point(|h| *h <= last);
        let holidays = self.holidays[from..to].iter().filter(|h| self.working_days[weekday_of_unix_day(**h)]).count();
        (days / 7) * per_week + rest - holidays as i64
    }

    /// The local day of `t`, by arithmetic inside the span.
    fn day_of(&self, span: &SteadySpan, t: Timestamp) -> i64 {
        let seconds = t.as_second() - i64::from(t.subsec_nanosecond() < 0);
        let day = (seconds + span.offset).div_euclid(SECONDS_PER_DAY);
        if span.has(day) { day } else { unix_day(self.date_of(t)) }
    }

    /// A window of a day as instants; `None` only at the ends of jiff's range.
    fn window_at(&self, span: &SteadySpan, day: i64, from: u16, to: u16) -> Option<(Timestamp, Timestamp)> {
        Some((self.instant(span, day, from)?, self.instant(span, day, to)?))
    }

    fn instant(&self, span: &SteadySpan, day: i64, minutes: u16) -> Option<Timestamp> {
        if span.has(day) {
            return Timestamp::from_second(day * SECONDS_PER_DAY + i64::from(minutes) * 60 - span.offset).ok();
        }
        let civil: DateTime = if minutes >= MINUTES_PER_DAY {
            date_of_unix_day(day + 1).at(0, 0, 0, 0)
        } else {
            date_of_unix_day(day).at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0)
        };
        self.time_zone.to_timestamp(civil).ok()
    }
}

#[cfg(test)]
mod tests;
