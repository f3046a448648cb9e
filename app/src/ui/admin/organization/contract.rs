//! The organization's contract: its plan (a preset or a custom plan) and its calendar (time
//! zone, working days, daily windows), saved together as one dated change; and the dated
//! history of those changes, newest first.

use std::collections::BTreeSet;

use leptos::prelude::*;

use super::OrganizationActions;
use crate::api::admin_organizations::{ContractChange, PlanChoice, SetOrganizationContract};
use crate::domain::{BusinessCalendar, DayOfWeek, WorkingWindow};
use crate::formatting::{self, Width};
use crate::ui::admin::organizations::{field_error, form_error, plan_options, refusal};
use crate::ui::i18n::{language_now, t};
use crate::ui::local_time::LocalTime;

/// Daily windows as the form shows them: `09:00-12:00, 14:00-18:00`.
fn windows_text(windows: &[WorkingWindow]) -> String {
    windows.iter().map(|w| format!("{}-{}", w.start, w.end)).collect::<Vec<_>>().join(", ")
}

/// Working days in the reader's language, Monday first.
fn days_text(days: &BTreeSet<DayOfWeek>) -> String {
    let language = language_now();
    days.iter().map(|d| formatting::weekday(*d, &language, Width::Short)).collect::<Vec<_>>().join(", ")
}

#[component]
pub(super) fn ContractSection(
    plan: String,
    calendar: BusinessCalendar,
    history: Vec<ContractChange>,
    plans: Vec<PlanChoice>,
) -> impl IntoView {
    let actions = expect_context::<OrganizationActions>();
    let contract = actions.contract;
    let chosen_plan = RwSignal::new(plan.clone());
    let zone = RwSignal::new(calendar.time_zone.clone());
    let days = RwSignal::new(calendar.working_days.clone());
    let windows = RwSignal::new(windows_text(&calendar.windows));
    let error = Signal::derive(move || refusal(contract.value().get()));
    let plan_error = field_error(error, "plan");
    let zone_error = field_error(error, "time_zone");
    let days_error = field_error(error, "working_days");
    let windows_error = field_error(error, "windows");
    let other_error = form_error(error, &["plan", "time_zone", "working_days", "windows"]);
    let saved = move || matches!(contract.value().get(), Some(Ok(()))).then(|| t("admin-org-contract-saved")());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        contract.dispatch(SetOrganizationContract {
            slug: actions.slug.get_untracked(),
            plan: chosen_plan.get_untracked(),
            time_zone: zone.get_untracked(),
            working_days: days.with_untracked(|d| d.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(",")),
            windows: windows.get_untracked(),
        });
    };
    view! {
        <section aria-labelledby="contract-title" class="admin-section">
            <h2 id="contract-title">{t("admin-org-contract")}</h2>
            <form class="stack card admin-form" aria-labelledby="contract-title" on:submit=submit>
                <label for="contract-plan">{t("field-plan")}</label>
                <select id="contract-plan" aria-describedby="contract-plan-error"
                    aria-invalid=move || plan_error().is_some().to_string()
                    on:change=move |ev| chosen_plan.set(event_target_value(&ev))>
                    {plan_options(&plans, &plan)}
                </select>
                <p class="error" id="contract-plan-error" role="alert">{plan_error}</p>
                <label for="contract-zone">{t("field-time_zone")}</label>
                <input id="contract-zone" required autocomplete="off" spellcheck="false" prop:value=zone
                    aria-describedby="contract-zone-hint contract-zone-error"
                    aria-invalid=move || zone_error().is_some().to_string()
                    on:input=move |ev| zone.set(event_target_value(&ev))/>
                <small id="contract-zone-hint">{t("admin-org-zone-hint")}</small>
                <p class="error" id="contract-zone-error" role="alert">{zone_error}</p>
                <fieldset class="admin-days" aria-describedby="contract-days-error">
                    <legend>{t("field-working_days")}</legend>
                    <div class="days">
                        {DayOfWeek::ALL.iter().map(|&day| {
                            let id = format!("contract-day-{}", day.as_str());
                            let for_id = id.clone();
                            view! {
                                <label class="check" for=for_id>
                                    <input type="checkbox" id=id value=day.as_str()
                                        prop:checked=move || days.with(|d| d.contains(&day))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            days.update(|d| { if on { d.insert(day); } else { d.remove(&day); } });
                                        }/>
                                    " "{move || formatting::weekday(day, &language_now(), Width::Long)}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <p class="error" id="contract-days-error" role="alert">{days_error}</p>
                <label for="contract-windows">{t("field-windows")}</label>
                <input id="contract-windows" required autocomplete="off" spellcheck="false" prop:value=windows
                    aria-describedby="contract-windows-hint contract-windows-error"
                    aria-invalid=move || windows_error().is_some().to_string()
                    on:input=move |ev| windows.set(event_target_value(&ev))/>
                <small id="contract-windows-hint">{t("admin-org-windows-hint")}</small>
                <p class="error" id="contract-windows-error" role="alert">{windows_error}</p>
                <p class="error" role="alert">{other_error}</p>
                <button type="submit" class="button" disabled=move || contract.pending().get()>{t("admin-org-contract-save")}</button>
                <p role="status" class="saved">{saved}</p>
            </form>
            <ContractHistory history/>
        </section>
    }
    .into_any()
}

/// The dated changes of the contract, newest first: the plan and calendar each put in force.
#[component]
fn ContractHistory(history: Vec<ContractChange>) -> impl IntoView {
    view! {
        <h3 id="history-title">{t("admin-org-history")}</h3>
        {if history.is_empty() {
            view! { <p class="lead">{t("admin-org-history-none")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="contacts admin-history" aria-labelledby="history-title">
                        <thead><tr>
                            <th scope="col">{t("admin-org-history-from")}</th>
                            <th scope="col">{t("field-plan")}</th>
                            <th scope="col">{t("field-time_zone")}</th>
                            <th scope="col">{t("field-working_days")}</th>
                            <th scope="col">{t("field-windows")}</th>
                            <th scope="col">{t("field-holidays")}</th>
                        </tr></thead>
                        <tbody>
                            {history.into_iter().map(|change| {
                                let days = change.calendar.working_days.clone();
                                view! {
                                    <tr>
                                        <td><LocalTime at=change.at/></td>
                                        <td>{change.plan.name.clone()}</td>
                                        <td>{change.calendar.time_zone.clone()}</td>
                                        <td>{move || days_text(&days)}</td>
                                        <td>{windows_text(&change.calendar.windows)}</td>
                                        <td>{change.calendar.holidays.len()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_read_as_the_form_writes_them() {
        let windows = [WorkingWindow::new("09:00", "12:00"), WorkingWindow::new("14:00", "18:00")];
        assert_eq!(windows_text(&windows), "09:00-12:00, 14:00-18:00");
    }
}
