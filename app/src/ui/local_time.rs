//! Time as the reader lives it: their time zone (known in the browser only), their today,
//! and instants shown in UTC by the server, then in the reader's zone once interactive.

use leptos::prelude::*;

/// The reader's time zone, as the browser knows it (`Intl`): jiff's own detection falls
/// back to UTC in the browser. UTC on the server, and when the name is unknown.
pub fn reader_zone() -> jiff::tz::TimeZone {
    #[cfg(feature = "hydrate")]
    {
        let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
        if let Some(zone) = js_sys::Reflect::get(&options, &"timeZone".into())
            .ok()
            .and_then(|v| v.as_string())
            .and_then(|name| jiff::tz::TimeZone::get(&name).ok())
        {
            return zone;
        }
    }
    jiff::tz::TimeZone::UTC
}

/// The reader's time zone by name (`Europe/Paris`), for callback windows.
pub fn reader_zone_name() -> String {
    reader_zone().iana_name().unwrap_or("UTC").to_owned()
}

/// Today for the person at the browser.
pub fn reader_today() -> jiff::civil::Date {
    jiff::Timestamp::now().to_zoned(reader_zone()).date()
}

/// An instant as a `<time>`, in the reader's language with the zone's offset (never an
/// ambiguous abbreviation): in UTC as the server renders it, then, once the page is
/// interactive, in the reader's own time zone ("1 déc. 2026, 15:32 (UTC+1)").
#[component]
pub fn LocalTime(at: jiff::Timestamp) -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let text = move || {
        let zone = if mounted.get() { reader_zone() } else { jiff::tz::TimeZone::UTC };
        crate::formatting::date_time(at, &zone, &super::i18n::language_now())
    };
    view! { <time datetime=at.to_string()>{text}</time> }
}
