//! The organization's public holidays, and their import from an iCalendar file (`.ics`):
//! the file is read as text in the browser and sent to the server, which adds its events'
//! dates to the calendar as one dated contract change.

use leptos::prelude::*;

use super::OrganizationActions;
use crate::ui::admin::organizations::refusal;
use crate::ui::i18n::{error_text, t, t_count};

/// The most holidays listed on the page (the newest, a calendar holds years of them).
const HOLIDAYS_SHOWN: usize = 60;

#[component]
pub(super) fn HolidaysSection(holidays: Vec<jiff::civil::Date>) -> impl IntoView {
    let actions = expect_context::<OrganizationActions>();
    let import = actions.holidays;
    // Reading the file (in the browser) failed, or no file was chosen.
    let unreadable = RwSignal::new(false);
    let outcome = move || match import.value().get() {
        Some(Ok(done)) if done.added.is_empty() => Some(t("admin-org-holidays-none-added")()),
        Some(Ok(done)) => Some(t_count("admin-org-holidays-added", "count", done.added.len() as u32)),
        _ => None,
    };
    let error = move || {
        if unreadable.get() {
            Some(t("admin-org-holidays-unreadable")())
        } else {
            refusal(import.value().get()).map(|e| error_text(&e))
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        unreadable.set(false);
        #[cfg(feature = "hydrate")]
        read_and_import(ev, actions.slug.get_untracked(), import, unreadable);
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let total = holidays.len();
    let shown: Vec<String> = holidays.iter().rev().take(HOLIDAYS_SHOWN).rev().map(ToString::to_string).collect();
    view! {
        <section aria-labelledby="holidays-title" class="admin-section">
            <h2 id="holidays-title">{t("admin-org-holidays")}</h2>
            {if total == 0 {
                view! { <p class="lead">{t("admin-org-holidays-empty")}</p> }.into_any()
            } else {
                view! {
                    <p data-testid="holiday-count">{t_count("admin-org-holidays-count", "count", total as u32)}</p>
                    <ul class="admin-holidays">
                        {shown.into_iter().map(|d| view! { <li><time datetime=d.clone()>{d.clone()}</time></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <div class="stack card admin-form">
                <label for="holidays-file">{t("admin-org-holidays-import")}</label>
                <input id="holidays-file" type="file" accept=".ics,text/calendar" aria-describedby="holidays-hint"
                    disabled=move || import.pending().get() on:change=on_change/>
                <small id="holidays-hint">{t("admin-org-holidays-hint")}</small>
                <p role="status" class="saved" data-testid="holidays-outcome">{outcome}</p>
                <p class="error" role="alert">{error}</p>
            </div>
        </section>
    }
    .into_any()
}

/// Reads the chosen file as text and sends it to the server.
#[cfg(feature = "hydrate")]
fn read_and_import(
    ev: leptos::ev::Event,
    slug: String,
    import: ServerAction<crate::api::admin_organizations::ImportOrganizationHolidays>,
    unreadable: RwSignal<bool>,
) {
    use leptos::wasm_bindgen::{JsCast, JsValue, closure::Closure};
    let Some(file) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
    else {
        return;
    };
    let read = Closure::once(move |text: JsValue| match text.as_string() {
        Some(calendar) => {
            import.dispatch(crate::api::admin_organizations::ImportOrganizationHolidays { slug, calendar });
        }
        None => unreadable.set(true),
    });
    let failed = Closure::once(move |_: JsValue| unreadable.set(true));
    let _ = file.text().then2(&read, &failed);
    read.forget();
    failed.forget();
}
