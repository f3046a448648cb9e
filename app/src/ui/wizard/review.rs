//! Step 6: everything on one page, the SLA the case will run under, and its visibility.

use leptos::prelude::*;

use super::fields::EnumSelect;
use super::state::Wizard;
use crate::domain::sla::{Contract, clocks};
use crate::domain::{IntakeStep, Severity, Visibility};
use crate::error::AppError;
use crate::ui::case_details::DetailsList;
use crate::ui::i18n::{label, label_now, t, t_args};
use crate::ui::local_time::reader_zone;
use crate::ui::sla::terms_words;

#[component]
pub(super) fn ReviewStep(wizard: Wizard, severity: RwSignal<Severity>) -> impl IntoView {
    let draft = wizard.draft;
    let change = move |step: IntakeStep| view! {
        <button type="button" class="link-button" on:click=move |_| wizard.go_to(step)>
            {t_args("wizard-change", &[("title", label_now("wizard-step", step.as_str()))])}
        </button>
    };
    view! {
        <section class="review">
            <h3 id="review-request">{label("wizard-step", "request")}</h3>
            <dl>
                <dt>{t("field-kind")}</dt><dd>{move || label_now("kind", draft.with(|d| d.kind.as_str()))}</dd>
                <dt>{t("field-product")}</dt><dd>{move || draft.with(|d| d.product.clone())}</dd>
            </dl>
            {change(IntakeStep::Request)}
        </section>
        <section class="review">
            <h3 id="review-situation">{label("wizard-step", "situation")}</h3>
            <dl>
                <dt>{t("field-summary")}</dt><dd data-testid="review-summary">{move || draft.with(|d| d.summary.clone())}</dd>
                <dt>{t("field-description")}</dt><dd class="pre">{move || draft.with(|d| d.description.clone())}</dd>
                <dt>{t("field-environment")}</dt><dd>{move || label_now("environment", draft.with(|d| d.environment.as_str()))}</dd>
                <dt>{t("field-attachments")}</dt>
                <dd>{move || wizard.files.with(|f| f.iter().map(|f| f.file_name.clone()).collect::<Vec<_>>().join(", "))}</dd>
            </dl>
            {change(IntakeStep::Situation)}
        </section>
        <section class="review">
            <h3 id="review-severity">{label("wizard-step", "severity")}</h3>
            <p>{move || label_now("severity", severity.get().level())}</p>
            {change(IntakeStep::Severity)}
        </section>
        <section class="review">
            <h3 id="review-more">{t("review-more")}</h3>
            {move || view! { <DetailsList details=draft.with(|d| d.details.clone())/> }}
            {change(IntakeStep::Impact)}" "{change(IntakeStep::Contact)}
        </section>
        <SlaPreview contract=wizard.contract severity/>
        <EnumSelect wizard field="visibility" values=Visibility::ALL get=|d| d.visibility set=|d, v| d.visibility = v
            value_of=Visibility::as_str/>
    }
}

/// "First response by 14:32 your time: 30 min, 24x7 on Elastic cloud Premium", computed in
/// the browser by the same `clocks()` the server uses; shown once the page is interactive
/// (the reader's time zone is only known there).
#[component]
fn SlaPreview(contract: Resource<Result<Contract, AppError>>, severity: RwSignal<Severity>) -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let preview = move || {
        if !mounted.get() {
            return None;
        }
        let contract = contract.get()?.ok()?;
        let now = jiff::Timestamp::now();
        let clocks = clocks(&contract, severity.get(), now, &[], now);
        let first = clocks.into_iter().next()?;
        Some(match first.due {
            Some(due) => {
                let local = due.to_zoned(reader_zone()).strftime("%a %H:%M").to_string();
                t_args("sla-preview", &[("time", local), ("explanation", terms_words(&first))])()
            }
            None => t("sla-none")(),
        })
    };
    view! { <p class="sla-preview" data-testid="sla-preview" aria-live="polite">{preview}</p> }
}
