//! Dates, times and weekdays in a reader's language, from the Unicode CLDR data: ICU4X on
//! the server (pages as rendered, emails), the browser's own `Intl` once a page is
//! interactive. No table of month or day names is written here.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::domain::week::DayOfWeek;

/// A Monday (2024-01-01), from which every weekday is found.
const A_MONDAY: (i16, i8, i8) = (2024, 1, 1);

fn date_of(day: DayOfWeek) -> jiff::civil::Date {
    jiff::civil::date(A_MONDAY.0, A_MONDAY.1, A_MONDAY.2 + day.index() as i8)
}

/// How long a name is: "Mon" / "Monday".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    Short,
    Long,
}

/// A weekday's name: "Mon", "lun.", "周一".
pub fn weekday(day: DayOfWeek, language: &str, width: Width) -> String {
    imp::weekday(date_of(day), language, width)
}

/// A weekday and a time of day at `at` in `zone`: "Tue 18:00", "mar. 18:00", "周二 18:00".
pub fn weekday_time(at: Timestamp, zone: &TimeZone, language: &str) -> String {
    let zoned = at.to_zoned(zone.clone());
    format!("{} {}", imp::weekday(zoned.date(), language, Width::Short), imp::time(zoned.datetime(), language))
}

/// A date and a time of day at `at` in `zone`, with the zone's offset (never an ambiguous
/// abbreviation such as "CST"): "Dec 1, 2026, 3:32 PM (UTC+1)".
pub fn date_time(at: Timestamp, zone: &TimeZone, language: &str) -> String {
    let zoned = at.to_zoned(zone.clone());
    format!("{} ({})", imp::date_time(zoned.datetime(), language), offset_words(zoned.offset().seconds()))
}

/// "UTC", "UTC+1", "UTC-3:30", "UTC+5:45": the offset as people read it.
fn offset_words(seconds: i32) -> String {
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let (hours, minutes) = (seconds.unsigned_abs() / 3600, seconds.unsigned_abs() % 3600 / 60);
    if minutes == 0 { format!("UTC{sign}{hours}") } else { format!("UTC{sign}{hours}:{minutes:02}") }
}

/// A time of day ("18:00"; "6:00 PM" where the language reads so).
pub fn time(at: jiff::civil::DateTime, language: &str) -> String {
    imp::time(at, language)
}

#[cfg(feature = "ssr")]
mod imp {
    use icu_datetime::DateTimeFormatter;
    use icu_datetime::fieldsets;
    use icu_datetime::input::{Date, DateTime, Time};
    use icu_locale_core::Locale;

    use super::Width;

    fn locale(language: &str) -> Locale {
        language.parse().unwrap_or(Locale::UNKNOWN)
    }

    fn iso_date(date: jiff::civil::Date) -> Option<Date<icu_calendar::Iso>> {
        Date::try_new_iso(i32::from(date.year()), date.month() as u8, date.day() as u8).ok()
    }

    fn iso_time(t: jiff::civil::Time) -> Option<Time> {
        Time::try_new(t.hour() as u8, t.minute() as u8, 0, 0).ok()
    }

    pub fn weekday(date: jiff::civil::Date, language: &str, width: Width) -> String {
        let set = match width {
            Width::Short => fieldsets::E::short(),
            Width::Long => fieldsets::E::long(),
        };
        let (Ok(formatter), Some(date)) = (DateTimeFormatter::try_new(locale(language).into(), set), iso_date(date))
        else {
            return date.strftime("%a").to_string();
        };
        formatter.format(&date).to_string()
    }

    pub fn time(at: jiff::civil::DateTime, language: &str) -> String {
        let (Ok(formatter), Some(time)) =
            (DateTimeFormatter::try_new(locale(language).into(), fieldsets::T::hm()), iso_time(at.time()))
        else {
            return at.strftime("%H:%M").to_string();
        };
        formatter.format(&time).to_string()
    }

    pub fn date_time(at: jiff::civil::DateTime, language: &str) -> String {
        let formatter = DateTimeFormatter::try_new(locale(language).into(), fieldsets::YMDT::medium().with_time_precision(icu_datetime::options::TimePrecision::Minute));
        let (Ok(formatter), Some(date), Some(time)) = (formatter, iso_date(at.date()), iso_time(at.time())) else {
            return at.strftime("%Y-%m-%d %H:%M").to_string();
        };
        formatter.format(&DateTime { date, time }).to_string()
    }
}

#[cfg(feature = "hydrate")]
mod imp {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    use super::Width;

    fn format(language: &str, options: &[(&str, &str)], at: jiff::civil::DateTime) -> String {
        let locales = Array::of1(&JsValue::from_str(language));
        let object = Object::new();
        for (key, value) in options.iter().chain(&[("timeZone", "UTC")]) {
            let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
        }
        let formatter = Intl::DateTimeFormat::new(&locales, &object);
        let millis = at.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp().as_millisecond()).unwrap_or(0);
        let date = Date::new(&JsValue::from_f64(millis as f64));
        formatter.format().call1(&formatter, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
    }

    pub fn weekday(date: jiff::civil::Date, language: &str, width: Width) -> String {
        let width = if width == Width::Short { "short" } else { "long" };
        format(language, &[("weekday", width)], date.to_datetime(jiff::civil::Time::midnight()))
    }

    pub fn time(at: jiff::civil::DateTime, language: &str) -> String {
        format(language, &[("timeStyle", "short")], at)
    }

    pub fn date_time(at: jiff::civil::DateTime, language: &str) -> String {
        format(language, &[("dateStyle", "medium"), ("timeStyle", "short")], at)
    }
}

/// Neither server nor browser (a plain `cargo check`): English, from jiff.
#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
mod imp {
    use super::Width;

    pub fn weekday(date: jiff::civil::Date, _: &str, width: Width) -> String {
        date.strftime(if width == Width::Short { "%a" } else { "%A" }).to_string()
    }

    pub fn time(at: jiff::civil::DateTime, _: &str) -> String {
        at.strftime("%H:%M").to_string()
    }

    pub fn date_time(at: jiff::civil::DateTime, _: &str) -> String {
        at.strftime("%Y-%m-%d %H:%M").to_string()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn weekdays_are_named_in_the_readers_language() {
        assert_eq!(weekday(DayOfWeek::Tuesday, "en", Width::Short), "Tue");
        assert_eq!(weekday(DayOfWeek::Tuesday, "fr", Width::Short), "mar.");
        assert_eq!(weekday(DayOfWeek::Wednesday, "zh", Width::Short), "周三");
        assert_eq!(weekday(DayOfWeek::Monday, "fr", Width::Long), "lundi");
    }

    #[test]
    fn instants_carry_an_offset_never_an_abbreviation() {
        let at: Timestamp = "2026-12-01T14:32:00Z".parse().unwrap();
        let paris = TimeZone::get("Europe/Paris").unwrap();
        let shanghai = TimeZone::get("Asia/Shanghai").unwrap();
        let fr = date_time(at, &paris, "fr");
        assert!(fr.contains("15:32") && fr.ends_with("(UTC+1)"), "{fr}");
        let zh = date_time(at, &shanghai, "zh");
        assert!(zh.contains("22:32") && zh.contains("2026"), "{zh}");
        assert_eq!(weekday_time(at, &shanghai, "zh"), "周二 22:32");
        assert!(date_time(at, &TimeZone::UTC, "en").ends_with("(UTC)"));
        assert_eq!(offset_words(-(3 * 3600 + 1800)), "UTC-3:30");
        assert_eq!(offset_words(5 * 3600 + 45 * 60), "UTC+5:45");
    }
}
