//! The translation layer (leptos-fluent over Fluent files in `app/locales`): every string
//! a person reads goes through here, and so do error messages and enum labels.

use std::borrow::Cow;
use std::collections::HashMap;

use leptos::prelude::*;
use leptos_fluent::{I18n, leptos_fluent};

use crate::error::{AppError, InvalidReason};

#[component]
pub fn I18nProvider(children: Children) -> impl IntoView {
    leptos_fluent! {
        children: children(),
        locales: "./locales",
        default_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
        sync_html_tag_lang: true,
        cookie_name: "caseboard_lang",
        cookie_attrs: "Path=/; SameSite=Lax; Max-Age=31536000",
        initial_language_from_cookie: true,
        set_language_to_cookie: true,
        url_param: "lang",
        initial_language_from_url_param: true,
        initial_language_from_url_param_to_cookie: true,
        initial_language_from_accept_language_header: true,
    }
}

/// A translated message, re-rendered when the language changes.
pub fn t(id: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let i18n = expect_context::<I18n>();
    move || i18n.tr(id)
}

/// A translated title (for `<Title>`), as a signal.
pub fn move_tr_static(id: &'static str) -> Signal<String> {
    let i18n = expect_context::<I18n>();
    Signal::derive(move || i18n.tr(id))
}

/// The page's language now ("en", "fr", "zh"), for formatting dates and names.
pub fn language_now() -> String {
    expect_context::<I18n>().language.get().id.to_string()
}

/// The translation of `id`, or `None` when no language has it: a message id is never shown
/// to a person as it is ("Unknown localization field-file").
pub fn tr_known(id: &str) -> Option<String> {
    let text = expect_context::<I18n>().tr(id);
    (!text.starts_with("Unknown localization")).then_some(text)
}

/// A translated message with arguments.
pub fn t_args(id: &'static str, args: &[(&'static str, String)]) -> impl Fn() -> String + Send + Sync + use<> {
    let i18n = expect_context::<I18n>();
    let args: Vec<(&'static str, String)> = args.to_vec();
    move || tr_with(&i18n, id, &args)
}

/// A translated message with one number argument, so Fluent can choose the plural form.
pub fn t_count(id: &'static str, name: &'static str, count: u32) -> String {
    let i18n = expect_context::<I18n>();
    let map: HashMap<Cow<'static, str>, fluent_templates::fluent_bundle::FluentValue> =
        [(Cow::Borrowed(name), fluent_templates::fluent_bundle::FluentValue::from(count))].into_iter().collect();
    i18n.tr_with_args(id, &map)
}

fn tr_with(i18n: &I18n, id: &str, args: &[(&'static str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, fluent_templates::fluent_bundle::FluentValue> =
        args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone().into())).collect();
    i18n.tr_with_args(id, &map)
}

/// The label of an enum value: `kind-bug`, `status-feedback`, `severity-1`…
pub fn label(
    prefix: &'static str,
    value: impl std::fmt::Display + Send + Sync + 'static,
) -> impl Fn() -> String + Send + Sync + 'static {
    let i18n = expect_context::<I18n>();
    let id = format!("{prefix}-{value}");
    move || i18n.tr(&id)
}

/// The same, computed now (inside a reactive closure).
pub fn label_now(prefix: &str, value: impl std::fmt::Display) -> String {
    expect_context::<I18n>().tr(&format!("{prefix}-{value}"))
}

/// A status as its reader names it: a customer reads Feedback as "Waiting on you" (it is
/// their move; "Feedback" reads like "give us product feedback"), support keeps Feedback.
pub fn status_label_now(status: crate::domain::Status, customer: bool) -> String {
    if customer && status == crate::domain::Status::Feedback {
        expect_context::<I18n>().tr("status-feedback-customer")
    } else {
        label_now("status", status)
    }
}

/// A person-readable, translated message for an error.
pub fn error_text(error: &AppError) -> String {
    let i18n = expect_context::<I18n>();
    // A field is named by its label in the reader's language, never by its id.
    let field_label = |field: &str| tr_known(&format!("field-{field}")).unwrap_or_else(|| tr_known("field-unknown").unwrap_or_default());
    // A refused file is named, and why is said in the reader's language.
    if let AppError::Invalid { field, reason } = error
        && let Some(name) = field.strip_prefix("file ")
    {
        let id = match reason {
            InvalidReason::TooLong { .. } => "error-file-too-large",
            _ => "error-file-refused",
        };
        return tr_with(&i18n, id, &[("name", name.to_owned())]);
    }
    let english = i18n.language.get().id.to_string() == "en";
    let args: Vec<(&'static str, String)> = match error {
        AppError::RateLimited { retry_after_secs } => vec![("seconds", retry_after_secs.to_string())],
        AppError::Conflict { current_version, changed_by, seconds_ago } => {
            let ago = match seconds_ago {
                Some(s) if *s >= 120 => {
                    let map: HashMap<Cow<'static, str>, fluent_templates::fluent_bundle::FluentValue> =
                        [(Cow::Borrowed("minutes"), fluent_templates::fluent_bundle::FluentValue::from(s / 60))]
                            .into_iter()
                            .collect();
                    i18n.tr_with_args("ago-minutes", &map)
                }
                _ => i18n.tr("ago-moment"),
            };
            vec![
                ("version", current_version.to_string()),
                ("who", changed_by.clone().unwrap_or_default()),
                ("ago", ago),
            ]
        }
        // The server's detail is English: said as it is in English, left out elsewhere.
        AppError::Invalid { field, reason: InvalidReason::Malformed { .. } } if !english => {
            return tr_with(&i18n, "error-field-malformed-plain", &[("field", field_label(field))]);
        }
        AppError::Invalid { field, reason } => {
            let mut args = vec![("field", field_label(field))];
            match reason {
                InvalidReason::TooLong { max } => args.push(("max", max.to_string())),
                InvalidReason::Malformed { detail } => args.push(("detail", detail.clone())),
                InvalidReason::Required
                | InvalidReason::NotAllowed
                | InvalidReason::LastAdmin
                | InvalidReason::AlreadyAccepted
                | InvalidReason::NoExpertise => {}
            }
            args
        }
        AppError::Exists { field } => vec![("field", field_label(field))],
        AppError::Malformed { .. } if !english => return i18n.tr("error-malformed-plain"),
        AppError::Malformed { detail } => vec![("detail", detail.clone())],
        _ => vec![],
    };
    tr_with(&i18n, error.message_id(), &args)
}

/// Switches the page to `id` if it is one of the languages (the cookie follows: the next
/// page the server renders is in it too).
pub fn switch_language(i18n: I18n, id: &str) {
    if let Some(lang) = i18n.languages.iter().find(|l| l.id.to_string() == id)
        && i18n.language.get_untracked().id.to_string() != id
    {
        i18n.language.set(lang);
    }
}

/// Switches the language; kept in a cookie so the server renders the next page in it, and
/// saved as the person's choice when someone is signed in (their emails follow it).
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let session = use_context::<super::session::Session>();
    let choose = ServerAction::<crate::api::accounts::ChooseLanguage>::new();
    // A signed-in person's own choice, made on another device, applies here too.
    if let Some(session) = session {
        Effect::new(move |_| {
            if let Some(Ok(Some(user))) = session.user.get()
                && let Some(language) = user.language
            {
                switch_language(i18n, &language);
            }
        });
    }
    view! {
        <label class="language">
            <span class="visually-hidden">{t("nav-language")}</span>
            <select on:change=move |ev| {
                let id = event_target_value(&ev);
                switch_language(i18n, &id);
                let signed_in = session.is_some_and(|s| matches!(s.user.get_untracked(), Some(Ok(Some(_)))));
                if signed_in {
                    choose.dispatch(crate::api::accounts::ChooseLanguage { language: id });
                }
            }>
                {i18n.languages.iter().map(|lang| {
                    let id = lang.id.to_string();
                    let selected = move || i18n.language.get().id.to_string() == lang.id.to_string();
                    view! { <option value=id selected=selected>{lang.name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    fn keys(ftl: &str) -> std::collections::BTreeSet<&str> {
        ftl.lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim()))
            .collect()
    }

    /// Every message id the code names, and every field an error can name, has its
    /// message: no page ever shows "Unknown localization …" or an id.
    #[test]
    fn no_message_id_is_shown_raw() {
        let english = keys(include_str!("../../locales/en/main.ftl"));
        let mut missing = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut stack = vec![root.join("src"), root.join("../server/src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let quoted_after = |text: &str, marker: &str| -> Vec<String> {
            text.match_indices(marker)
                .filter_map(|(i, _)| {
                    let rest = text[i + marker.len()..].trim_start();
                    let rest = rest.strip_prefix('"')?;
                    let end = rest.find('"')?;
                    Some(rest[..end].to_owned())
                })
                .collect()
        };
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let ui = file.to_string_lossy().contains("/ui/");
            if ui {
                for marker in ["t(", "t_args(", "move_tr_static(", "t_count("] {
                    for id in quoted_after(&text, marker) {
                        let known = english.contains(id.as_str());
                        if !known && id.contains('-') && !id.contains(' ') && !id.contains('{') {
                            missing.push(format!("{}: {id}", file.display()));
                        }
                    }
                }
            }
            for field in quoted_after(&text, "invalid(") {
                if field.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !english.contains(format!("field-{field}").as_str()) {
                    missing.push(format!("{}: field-{field}", file.display()));
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "messages missing from en/main.ftl:\n{}", missing.join("\n"));
    }

    /// French puts a no-break space before `:` (a narrow one before `;`, `!`, `?`); Chinese
    /// uses its own punctuation and one word per term (see docs/glossary.md).
    #[test]
    fn french_and_chinese_typography_holds() {
        for (name, ftl) in [("fr main", include_str!("../../locales/fr/main.ftl")), ("fr mail", include_str!("../../locales/fr/mail.ftl"))] {
            for line in ftl.lines().filter(|l| !l.starts_with('#')) {
                let value = line.split_once(" = ").map_or(line, |(_, v)| v);
                for bad in [" :", " ;", " !", " ?"] {
                    assert!(!value.contains(bad), "{name}: a breaking space before punctuation in {line:?}");
                }
                let glued = value.char_indices().any(|(i, c)| {
                    c == ':'
                        && value[..i].chars().last().is_some_and(char::is_alphabetic)
                        && value[i + 1..].starts_with(' ')
                });
                assert!(!glued, "{name}: no space before a colon in {line:?}");
            }
        }
        for (name, ftl) in [("zh main", include_str!("../../locales/zh/main.ftl")), ("zh mail", include_str!("../../locales/zh/mail.ftl"))] {
            for variant in ["初始响应", "紧急程度", "案例"] {
                assert!(!ftl.contains(variant), "{name}: {variant} (the glossary's word is another)");
            }
        }
    }

    #[test]
    fn every_language_has_every_message() {
        for (name, english, other) in [
            ("fr main", include_str!("../../locales/en/main.ftl"), include_str!("../../locales/fr/main.ftl")),
            ("zh main", include_str!("../../locales/en/main.ftl"), include_str!("../../locales/zh/main.ftl")),
            ("fr mail", include_str!("../../locales/en/mail.ftl"), include_str!("../../locales/fr/mail.ftl")),
            ("zh mail", include_str!("../../locales/en/mail.ftl"), include_str!("../../locales/zh/mail.ftl")),
        ] {
            let (en, other) = (keys(english), keys(other));
            assert_eq!(en.difference(&other).collect::<Vec<_>>(), Vec::<&&str>::new(), "missing in {name}");
            assert_eq!(other.difference(&en).collect::<Vec<_>>(), Vec::<&&str>::new(), "only in {name}");
        }
    }
}
