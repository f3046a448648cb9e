//! Which language a page is in, one rule on the server render and after hydration: the
//! person's chosen language, else the browser's (the language cookie, which the picker and
//! this rule keep, else `Accept-Language`), else English. The server settles it before the
//! page renders and leaves it in the cookie, where the browser's side reads it.

use unic_langid::LanguageIdentifier;

/// The languages Caseboard is written in.
pub const LANGUAGES: [&str; 3] = ["en", "fr", "zh"];
/// The cookie the pages' i18n layer reads (see `ui::i18n`).
pub const LANGUAGE_COOKIE: &str = "caseboard_lang";

/// One of [`LANGUAGES`] for a language tag (`fr-CA` → `fr`), if Caseboard has it.
pub fn supported(tag: &str) -> Option<&'static str> {
    let id: LanguageIdentifier = tag.trim().parse().ok()?;
    let primary = id.language.as_str();
    LANGUAGES.into_iter().find(|l| *l == primary)
}

/// The best of [`LANGUAGES`] for an `Accept-Language` header, by its qualities.
pub fn from_accept_language(header: &str) -> Option<&'static str> {
    accept_language::parse(header).iter().find_map(|tag| supported(tag))
}

/// The page's language: `chosen` (a signed-in person's own choice), else the cookie's,
/// else the header's, else English. Values that are not Caseboard's languages are skipped.
pub fn page_language(chosen: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>) -> &'static str {
    chosen
        .and_then(supported)
        .or_else(|| cookie.and_then(supported))
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or("en")
}

/// The `Set-Cookie` value that keeps a page language for the browser's side: readable by
/// the page's script (not `HttpOnly`: it is no secret), a year long.
pub fn language_cookie(language: &'static str, secure: bool) -> String {
    use axum_extra::extract::cookie::{Cookie, SameSite};
    Cookie::build((LANGUAGE_COOKIE, language))
        .secure(secure)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(cookie::time::Duration::days(365))
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_language_wins_then_the_cookie_then_the_header() {
        assert_eq!(page_language(Some("zh"), Some("fr"), Some("en-US")), "zh");
        assert_eq!(page_language(None, Some("fr"), Some("zh-CN")), "fr");
        assert_eq!(page_language(None, None, Some("zh-CN,zh;q=0.9,en;q=0.8")), "zh");
        assert_eq!(page_language(None, None, None), "en");
    }

    #[test]
    fn the_header_is_read_by_quality_and_unknown_values_are_skipped() {
        assert_eq!(from_accept_language("de-DE,fr;q=0.7,en;q=0.5"), Some("fr"));
        assert_eq!(from_accept_language("en;q=0.2, fr-FR;q=0.9"), Some("fr"));
        assert_eq!(from_accept_language("de, ja"), None);
        assert_eq!(from_accept_language("\u{0}garbage;;q=x"), None);
        assert_eq!(page_language(Some("klingon"), Some("<script>"), Some("fr-FR")), "fr");
        assert_eq!(supported("fr-CA"), Some("fr"));
        assert_eq!(supported("zh-Hans-CN"), Some("zh"));
    }
}
