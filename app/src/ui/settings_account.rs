//! The person's own settings (`/settings`): their name, the language of their pages and
//! emails, their time zone, their password; below, where they are signed in and their API
//! tokens (`settings_sessions`), a link to the email settings and the export of their data.
//! Each form says what it saved, or names the field it could not.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::error_view::error_view;
use super::i18n::{error_text, move_tr_static, switch_language, t};
use super::session::Session;
use super::settings_sessions::{SessionsSection, TokensSection};
use crate::api::settings::{ChangeOwnPassword, SaveAccountProfile, account_profile};
use crate::domain::profile::UserProfile;
use crate::error::AppError;

/// Time zones offered as the person types (any IANA name is taken, the server checks it).
const COMMON_ZONES: [&str; 24] = [
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Warsaw",
    "Europe/Moscow",
    "Africa/Casablanca",
    "Africa/Johannesburg",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Sao_Paulo",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Australia/Sydney",
];

/// The message of a refusal on `field`, if the last answer was one.
fn refusal_on<T>(answer: Option<Result<T, AppError>>, field: &str) -> Option<String> {
    match answer {
        Some(Err(e)) if matches!(&e, AppError::Invalid { field: f, .. } if f == field) => Some(error_text(&e)),
        _ => None,
    }
}

/// The message of a refusal that names none of `fields` (shown once, above the button).
fn other_refusal<T>(answer: Option<Result<T, AppError>>, fields: &[&str]) -> Option<String> {
    match answer {
        Some(Err(AppError::Invalid { field, .. })) if fields.contains(&field.as_str()) => None,
        Some(Err(e)) => Some(error_text(&e)),
        _ => None,
    }
}

#[component]
pub fn AccountSettingsPage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| account_profile());
    let password = ServerAction::<ChangeOwnPassword>::new();
    let password_changes = Signal::derive(move || password.version().get());
    view! {
        <Title text=move_tr_static("settings-title")/>
        <h1>{t("settings-title")}</h1>
        <p class="lead">{t("settings-lead")}</p>
        <p><A href="/settings/notifications">{t("settings-notifications-link")}</A></p>
        <Transition fallback=|| ()>
            {move || profile.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(profile) => view! {
                    <ProfileForm profile=profile.clone()/>
                    <PasswordForm action=password/>
                    <SessionsSection refresh=password_changes/>
                    <TokensSection refresh=password_changes/>
                    <ExportSection id=profile.id/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// Name, language and time zone, saved together.
#[component]
fn ProfileForm(profile: UserProfile) -> impl IntoView {
    let session = expect_context::<Session>();
    let i18n = expect_context::<leptos_fluent::I18n>();
    let save = ServerAction::<SaveAccountProfile>::new();
    // Saved: the page turns to the new language at once, the header shows the new name.
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            switch_language(i18n, &saved.language);
            session.user.refetch();
        }
    });
    let answer = move || save.value().get();
    let invalid = move |field: &'static str| move || refusal_on(answer(), field).is_some().to_string();
    let language = profile.language.clone();
    view! {
        <section class="card settings-card" aria-labelledby="profile-title">
            <h2 id="profile-title">{t("settings-profile-title")}</h2>
            <ActionForm action=save attr:class="stack" attr:data-testid="profile-form">
                <label for="settings-name">{t("settings-name")}</label>
                <input id="settings-name" name="name" autocomplete="name" required maxlength="200"
                    value=profile.name.clone() aria-invalid=invalid("name") aria-describedby="settings-name-error"/>
                <small id="settings-name-error" class="error">{move || refusal_on(answer(), "name")}</small>

                <label for="settings-language">{t("settings-language")}</label>
                <select id="settings-language" name="language" aria-invalid=invalid("language")
                    aria-describedby="settings-language-error">
                    {["en", "fr", "zh"].into_iter().map(|id| {
                        let label = format!("language-name-{id}");
                        let selected = language == id;
                        view! { <option value=id selected=selected>{move || i18n.tr(&label)}</option> }
                    }).collect_view()}
                </select>
                <small id="settings-language-error" class="error">{move || refusal_on(answer(), "language")}</small>

                <label for="settings-time-zone">{t("settings-time-zone")}</label>
                <input id="settings-time-zone" name="time_zone" list="settings-time-zones" required autocomplete="off"
                    value=profile.time_zone.clone() aria-invalid=invalid("time_zone")
                    aria-describedby="settings-time-zone-hint settings-time-zone-error"/>
                <datalist id="settings-time-zones">
                    {COMMON_ZONES.into_iter().map(|zone| view! { <option value=zone></option> }).collect_view()}
                </datalist>
                <small id="settings-time-zone-hint">{t("settings-time-zone-hint")}</small>
                <small id="settings-time-zone-error" class="error">{move || refusal_on(answer(), "time_zone")}</small>

                <p class="error" role="alert">{move || other_refusal(answer(), &["name", "language", "time_zone"])}</p>
                <p role="status" data-testid="profile-saved">
                    {move || matches!(answer(), Some(Ok(_))).then(|| t("settings-profile-saved")())}
                </p>
                <button type="submit" class="button" disabled=move || save.pending().get()>{t("settings-profile-save")}</button>
            </ActionForm>
        </section>
    }
}

/// The password, changed with the current one: every other session and API token ends.
#[component]
fn PasswordForm(action: ServerAction<ChangeOwnPassword>) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    let answer = move || action.value().get();
    // Changed: the typed passwords leave the page.
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(form)) = (action.value().get(), form.get_untracked()) {
            form.reset();
        }
    });
    let invalid = move |field: &'static str| move || refusal_on(answer(), field).is_some().to_string();
    view! {
        <section class="card settings-card" aria-labelledby="password-title">
            <h2 id="password-title">{t("settings-password-title")}</h2>
            <ActionForm action=action node_ref=form attr:class="stack" attr:data-testid="password-form">
                <label for="settings-current-password">{t("settings-current-password")}</label>
                <input id="settings-current-password" type="password" name="current_password" required
                    autocomplete="current-password" aria-invalid=invalid("current_password")
                    aria-describedby="settings-current-password-error"/>
                <small id="settings-current-password-error" class="error">
                    {move || refusal_on(answer(), "current_password")}
                </small>
                <label for="settings-new-password">{t("settings-new-password")}</label>
                <input id="settings-new-password" type="password" name="new_password" required minlength="10"
                    autocomplete="new-password" aria-invalid=invalid("new_password")
                    aria-describedby="settings-new-password-hint settings-new-password-error"/>
                <small id="settings-new-password-hint">{t("settings-new-password-hint")}</small>
                <small id="settings-new-password-error" class="error">{move || refusal_on(answer(), "new_password")}</small>
                <p class="error" role="alert">{move || other_refusal(answer(), &["current_password", "new_password"])}</p>
                <p role="status" data-testid="password-changed">
                    {move || matches!(answer(), Some(Ok(()))).then(|| t("settings-password-changed")())}
                </p>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {t("settings-password-save")}
                </button>
            </ActionForm>
        </section>
    }
}

/// The download of the person's own data: the whole export, streamed as JSON lines.
#[component]
fn ExportSection(id: i64) -> impl IntoView {
    view! {
        <section class="card settings-card" aria-labelledby="privacy-title">
            <h2 id="privacy-title">{t("settings-privacy-title")}</h2>
            <p>{t("settings-privacy-lead")}</p>
            <p>
                <a class="button secondary" href=format!("/api/v1/users/{id}/export/download")
                    download=format!("caseboard-export-{id}.ndjson")>
                    {t("settings-export-link")}
                </a>
            </p>
        </section>
    }
}
