//! Step 2: what happens: summary, description, symptoms, environment, attachments; and
//! the articles and solved cases that may answer it already.

use leptos::prelude::*;

use super::fields::{EnumSelect, LineField, TextField};
use super::state::Wizard;
use crate::domain::case::{DESCRIPTION_MAX_BYTES, SUMMARY_MAX_CHARS};
use crate::domain::{Architecture, Environment};
use crate::ui::attach::DraftFiles;
use crate::ui::deflection::Suggestions;
use crate::ui::i18n::{label, t};

#[component]
pub(super) fn SituationStep(wizard: Wizard, deflected: RwSignal<bool>) -> impl IntoView {
    let summary = Signal::derive(move || wizard.draft.with(|d| d.summary.clone()));
    view! {
        <LineField wizard field="summary" hint=true required=true max=SUMMARY_MAX_CHARS get=|d| &d.summary set=|d, v| d.summary = v/>
        <TextField wizard field="description" hint=true required=true rows=6 max=DESCRIPTION_MAX_BYTES
            get=|d| &d.description set=|d, v| d.description = v/>
        <Suggestions summary deflected/>
        <TextField wizard field="symptoms" get=|d| &d.details.symptoms set=|d, v| d.details.symptoms = v/>
        <TextField wizard field="error_message" rows=3 get=|d| &d.details.error_message set=|d, v| d.details.error_message = v/>
        <TextField wizard field="steps_to_reproduce" hint=true get=|d| &d.details.steps_to_reproduce
            set=|d, v| d.details.steps_to_reproduce = v/>
        <div class="row">
            <div class="stack">
                <EnumSelect wizard field="environment" values=Environment::ALL get=|d| d.environment
                    set=|d, v| d.environment = v value_of=Environment::as_str/>
            </div>
            <div class="stack">
                <LineField wizard field="os" get=|d| &d.details.os set=|d, v| d.details.os = v/>
            </div>
            <div class="stack">
                <label for="architecture">{t("field-architecture")}</label>
                <select id="architecture" name="architecture"
                    prop:value=move || wizard.draft.with(|d| d.details.architecture.map(Architecture::as_str).unwrap_or(""))
                    on:change=move |ev| {
                        let chosen = Architecture::parse(&event_target_value(&ev));
                        wizard.draft.update(|d| d.details.architecture = chosen);
                    }>
                    <option value="">{t("architecture-unknown")}</option>
                    {Architecture::ALL.iter().map(|&a| view! {
                        <option value=a.as_str() selected=move || wizard.draft.with(|d| d.details.architecture == Some(a))>
                            {label("architecture", a.as_str())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
        </div>
        <LineField wizard field="browser" hint=true get=|d| &d.details.browser set=|d, v| d.details.browser = v/>
        <DraftFiles files=wizard.files draft=wizard.draft/>
    }
}
