//! Step 6: everything on one page, the SLA the case will run under, and its visibility.

use leptos::prelude::*;

use super::fields::EnumSelect;
use super::state::Wizard;
use crate::domain::sla::Contract;
use crate::domain::{IntakeStep, Severity, Visibility};
use crate::error::AppError;
use crate::ui::case_details::DetailsList;
use crate::ui::i18n::{label, label_now, t, t_args};
use crate::ui::promises::{PlanPromises, severity_name};

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
            <p>{move || {
                let contract = wizard.contract.get().and_then(Result::ok);
                severity_name(contract.as_ref().map(|c| c.plan_at(jiff::Timestamp::now())), severity.get())
            }}</p>
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

/// What the plan promises for the chosen severity, counted from now: every clock with its
/// due time in the reader's zone (the browser's side computes it with the same `clocks()` the
/// server uses), the hours support counts in, the phone line where the plan says to call.
#[component]
fn SlaPreview(contract: Resource<Result<Contract, AppError>>, severity: RwSignal<Severity>) -> impl IntoView {
    view! {
        <div class="sla-preview" data-testid="sla-preview" aria-live="polite">
            <Transition fallback=|| ()>
                {move || contract.get().and_then(Result::ok).map(|contract| {
                    let severity = severity.get();
                    view! { <PlanPromises contract severity from=jiff::Timestamp::now()/> }
                })}
            </Transition>
        </div>
    }
}
