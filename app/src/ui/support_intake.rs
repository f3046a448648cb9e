//! `/support/new-case`: support opens a case for an organization — for a contact who phoned
//! (the case is theirs: their contract, their seat, their emails), or a maintenance task that
//! informs the whole organization and runs no SLA clock. Every rule is the server's; the form
//! shows the field the server names.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::admin::SupportOnly;
use super::debounce::debounced;
use super::i18n::{error_text, label, move_tr_static, t};
use crate::api::support_intake::{OpenCaseFor, intake_contacts, intake_organizations};
use crate::domain::{CaseDetails, CaseDraft, CaseKind, Environment, Severity, Visibility};
use crate::error::AppError;

/// The fields the form shows errors beside; any other error is shown above the button.
const FIELDS: [&str; 8] = ["organization", "reporter", "summary", "description", "kind", "severity", "environment", "product"];

#[component]
pub fn SupportNewCasePage() -> impl IntoView {
    view! {
        <Title text=move_tr_static("intake-title")/>
        <h1>{t("intake-title")}</h1>
        <p class="lead">{t("intake-lead")}</p>
        <SupportOnly>
            <IntakeForm/>
        </SupportOnly>
    }
}

#[component]
fn IntakeForm() -> impl IntoView {
    let organization_text = RwSignal::new(String::new());
    let organization_query = debounced(organization_text.into());
    let organizations = Resource::new(move || organization_query.get(), intake_organizations);
    // The organization chosen: the typed text once it is one of the offered slugs.
    let slug = Memo::new(move |_| {
        let typed = organization_text.get();
        organizations
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|o| o.slug == typed.trim()).map(|o| o.slug))
    });
    let contacts = Resource::new(move || slug.get(), |slug| async move {
        match slug {
            Some(slug) => intake_contacts(slug, String::new()).await,
            None => Ok(Vec::new()),
        }
    });
    let reporter = RwSignal::new(String::new());
    let kind = RwSignal::new(CaseKind::Question);
    let severity = RwSignal::new(Severity::Normal);
    let environment = RwSignal::new(Environment::Production);
    let product = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let open = ServerAction::<OpenCaseFor>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(case)) = open.value().get() {
            navigate(&format!("/cases/{}", case.number), Default::default());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = CaseDraft {
            summary: summary.get_untracked(),
            description: description.get_untracked(),
            kind: kind.get_untracked(),
            severity: severity.get_untracked(),
            environment: environment.get_untracked(),
            visibility: Visibility::Organization,
            product: product.get_untracked(),
            details: CaseDetails::default(),
            attachments: Vec::new(),
        };
        let chosen = slug.get_untracked().unwrap_or_else(|| organization_text.get_untracked().trim().to_owned());
        open.dispatch(OpenCaseFor {
            slug: chosen,
            reporter: reporter.get_untracked().parse::<i64>().ok(),
            draft,
            idempotency_key: None,
        });
    };
    let error_for = move |field: &'static str| {
        move || match open.value().get() {
            Some(Err(e)) if e.field() == Some(field) => Some(error_text(&e)),
            // An organization not found is the organization field's error.
            Some(Err(AppError::NotFound)) if field == "organization" => Some(t("intake-organization-unknown")()),
            _ => None,
        }
    };
    let other_error = move || match open.value().get() {
        Some(Err(AppError::NotFound)) => None,
        Some(Err(e)) if !e.field().is_some_and(|f| FIELDS.contains(&f)) => Some(error_text(&e)),
        _ => None,
    };
    let maintenance = move || kind.get() == CaseKind::Maintenance && reporter.get().is_empty();
    view! {
        <form class="stack intake-form" on:submit=on_submit>
            <label for="intake-organization">{t("field-organization")}</label>
            <input id="intake-organization" list="intake-organizations" autocomplete="off" required
                aria-describedby="intake-organization-hint intake-organization-error"
                prop:value=organization_text on:input=move |ev| organization_text.set(event_target_value(&ev))/>
            <small id="intake-organization-hint">{t("intake-organization-hint")}</small>
            <datalist id="intake-organizations">
                <Transition fallback=|| ()>
                    {move || organizations.get().and_then(Result::ok).map(|list| {
                        list.into_iter().map(|o| view! { <option value=o.slug>{o.name}</option> }).collect_view()
                    })}
                </Transition>
            </datalist>
            <p id="intake-organization-error" class="error" role="alert">{error_for("organization")}</p>

            <label for="intake-reporter">{t("intake-contact")}</label>
            <select id="intake-reporter" aria-describedby="intake-reporter-error"
                on:change=move |ev| reporter.set(event_target_value(&ev))>
                <option value="" selected=move || reporter.get().is_empty()>{t("intake-no-contact")}</option>
                <Transition fallback=|| ()>
                    {move || contacts.get().and_then(Result::ok).map(|list| {
                        list.into_iter().map(|c| {
                            let value = c.id.to_string();
                            view! { <option value=value>{format!("{} <{}>", c.name, c.email)}</option> }
                        }).collect_view()
                    })}
                </Transition>
            </select>
            <p id="intake-reporter-error" class="error" role="alert">{error_for("reporter")}</p>

            <label for="intake-kind">{t("field-kind")}</label>
            <select id="intake-kind" on:change=move |ev| {
                if let Some(k) = CaseKind::parse(&event_target_value(&ev)) { kind.set(k) }
            }>
                {CaseKind::ALL.iter().map(|k| view! {
                    <option value=k.as_str() selected=move || kind.get() == *k>{label("kind", *k)}</option>
                }).collect_view()}
            </select>
            <p class="notice" role="status">{move || maintenance().then(|| t("intake-maintenance-note")())}</p>

            <label for="intake-severity">{t("field-severity")}</label>
            <select id="intake-severity" aria-describedby="intake-severity-error" on:change=move |ev| {
                let level = event_target_value(&ev).parse::<u8>().ok();
                if let Some(s) = Severity::ALL.iter().copied().find(|s| Some(s.level()) == level) { severity.set(s) }
            }>
                {Severity::ALL.iter().map(|s| view! {
                    <option value=s.level().to_string() selected=move || severity.get() == *s>{label("severity", s.level())}</option>
                }).collect_view()}
            </select>
            <p id="intake-severity-error" class="error" role="alert">{error_for("severity")}</p>

            <label for="intake-environment">{t("field-environment")}</label>
            <select id="intake-environment" on:change=move |ev| {
                if let Some(e) = Environment::parse(&event_target_value(&ev)) { environment.set(e) }
            }>
                {Environment::ALL.iter().map(|e| view! {
                    <option value=e.as_str() selected=move || environment.get() == *e>{label("environment", *e)}</option>
                }).collect_view()}
            </select>

            <label for="intake-product">{t("field-product")}</label>
            <input id="intake-product" maxlength="100" prop:value=product
                on:input=move |ev| product.set(event_target_value(&ev))/>
            <p class="error" role="alert">{error_for("product")}</p>

            <label for="intake-summary">{t("field-summary")}</label>
            <input id="intake-summary" required maxlength="200" aria-describedby="intake-summary-error"
                prop:value=summary on:input=move |ev| summary.set(event_target_value(&ev))/>
            <p id="intake-summary-error" class="error" role="alert">{error_for("summary")}</p>

            <label for="intake-description">{t("field-description")}</label>
            <textarea id="intake-description" rows="8" required aria-describedby="intake-description-error"
                prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            <p id="intake-description-error" class="error" role="alert">{error_for("description")}</p>

            <p class="error" role="alert">{other_error}</p>
            <p class="actions">
                <button type="submit" class="button" disabled=move || open.pending().get()>
                    {move || if maintenance() { t("intake-submit-maintenance")() } else { t("intake-submit")() }}
                </button>
            </p>
        </form>
    }
}
