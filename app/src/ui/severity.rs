//! Severity on a case page: support sets it; a customer asks for a more urgent level and
//! says why (support is told and decides). The server checks the contract either way.

use leptos::prelude::*;

use super::i18n::{error_text, label, t};
use crate::api::cases::{ChangeSeverity, RequestSeverityRaise};
use crate::domain::{Case, Severity, Status};

#[component]
pub fn SeverityForms(case: Case, severities: Vec<Severity>, support: bool) -> impl IntoView {
    if case.status == Status::Closed {
        return ().into_any();
    }
    if support {
        let options: Vec<Severity> = severities.into_iter().filter(|s| *s != case.severity).collect();
        if options.is_empty() {
            return ().into_any();
        }
        let action = ServerAction::<ChangeSeverity>::new();
        let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
        return view! {
            <ActionForm action attr:class="severity-form">
                <input type="hidden" name="number" value=case.number.0.to_string()/>
                <input type="hidden" name="expected_version" value=case.version.to_string()/>
                <label for="severity-to">{t("severity-change-label")}</label>
                <select id="severity-to" name="severity">
                    {options.into_iter().map(|s| view! { <option value=s.level().to_string()>{label("severity", s.level())}</option> }).collect_view()}
                </select>
                <button type="submit">{t("severity-change-submit")}</button>
                <p class="error" role="alert">{error}</p>
            </ActionForm>
        }
        .into_any();
    }
    let options: Vec<Severity> = severities.into_iter().filter(|s| s.level() < case.severity.level()).collect();
    if options.is_empty() {
        return ().into_any();
    }
    let action = ServerAction::<RequestSeverityRaise>::new();
    let error = move || action.value().get().and_then(|r| r.err()).map(|e| error_text(&e));
    let sent = move || matches!(action.value().get(), Some(Ok(_)));
    view! {
        <details class="severity-request">
            <summary>{t("severity-raise-title")}</summary>
            <ActionForm action attr:class="stack">
                <input type="hidden" name="number" value=case.number.0.to_string()/>
                <label for="raise-to">{t("severity-raise-to")}</label>
                <select id="raise-to" name="severity">
                    {options.into_iter().map(|s| view! { <option value=s.level().to_string()>{label("severity", s.level())}</option> }).collect_view()}
                </select>
                <label for="raise-reason">{t("severity-raise-reason")}</label>
                <textarea id="raise-reason" name="reason" rows="3" required maxlength="2000"></textarea>
                <button type="submit">{t("severity-raise-submit")}</button>
                <p role="status">{move || if sent() { t("severity-raise-sent")() } else { String::new() }}</p>
                <p class="error" role="alert">{error}</p>
            </ActionForm>
        </details>
    }
    .into_any()
}
