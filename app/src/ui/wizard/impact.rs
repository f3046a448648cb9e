//! Step 4: the business impact: what is at stake, the deadline, who is affected.

use leptos::prelude::*;

use super::fields::{LineField, TextField};
use super::state::Wizard;
use crate::domain::Stake;
use crate::ui::i18n::{label, t};

#[component]
pub(super) fn ImpactStep(wizard: Wizard) -> impl IntoView {
    let draft = wizard.draft;
    let has_deadline = move || draft.with(|d| d.details.stakes.contains(&Stake::Deadline));
    // Urgent needs the customer's words for the impact: marked required then (the field is
    // drawn again only when that changes, never while typing).
    let urgent = Memo::new(move |_| draft.with(|d| d.severity == crate::domain::Severity::Urgent));
    view! {
        {move || {
            let required = urgent.get();
            view! {
                <TextField wizard field="impact" hint=true rows=5 required get=|d| &d.details.impact
                    set=|d, v| d.details.impact = v/>
            }
        }}
        <fieldset class="stakes" aria-invalid=wizard.invalid("stakes")>
            <legend>{t("field-stakes")}</legend>
            {Stake::ALL.iter().map(|&stake| {
                let id = format!("stake-{}", stake.as_str());
                let for_id = id.clone();
                view! {
                    <label class="check" for=for_id>
                        <input type="checkbox" id=id name="stakes" value=stake.as_str()
                            prop:checked=move || draft.with(|d| d.details.stakes.contains(&stake))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| {
                                    d.details.stakes.retain(|s| *s != stake);
                                    if on { d.details.stakes.push(stake); }
                                });
                            }/>
                        " "{label("stake", stake.as_str())}
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <div class="stack" hidden=move || !has_deadline()>
            <label for="deadline">{t("field-deadline")}</label>
            <input type="date" id="deadline" name="deadline" aria-invalid=wizard.invalid("deadline")
                prop:value=move || draft.with(|d| d.details.deadline.map(|d| d.to_string()).unwrap_or_default())
                on:input=move |ev| {
                    let date = event_target_value(&ev).parse::<jiff::civil::Date>().ok();
                    draft.update(|d| d.details.deadline = date);
                }/>
        </div>
        <LineField wizard field="affected" hint=true get=|d| &d.details.affected set=|d, v| d.details.affected = v/>
    }
}
