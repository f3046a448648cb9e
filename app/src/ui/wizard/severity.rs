//! Step 3: the severity, among those the contract allows, with the plan's definitions and
//! three questions that suggest one.

use leptos::prelude::*;

use crate::domain::sla::Contract;
use crate::domain::{Severity, SeverityAnswers};
use crate::error::AppError;
use crate::ui::i18n::{label, label_now, t, t_args};
use crate::ui::promises::severity_name;

/// The plan's own words for each severity it offers (Elastic's four, Coveo's three).
#[component]
pub(super) fn SeverityDefinitions(contract: Resource<Result<Contract, AppError>>) -> impl IntoView {
    let definitions = move || {
        let contract = contract.get()?.ok()?;
        let plan = contract.plan_at(jiff::Timestamp::now()).clone();
        let family = if plan.id == "coveo" {
            "coveo"
        } else if plan.id.starts_with("cloud-avenue") {
            "cloud-avenue"
        } else {
            "elastic"
        };
        Some(
            plan.allowed_severities()
                .into_iter()
                .map(|s| {
                    // The line to call, where the plan says to call for its most urgent severity.
                    let phone = plan.phone_line.clone().filter(|_| s == Severity::Urgent);
                    view! {
                        <dt>{severity_name(Some(&plan), s)}</dt>
                        <dd>
                            {label_now(&format!("severity-definition-{family}"), s.level())}
                            {phone.map(|phone| view! {
                                " "<span class="phone-line">{t("promises-call")}" "<a href=format!("tel:{phone}")>{phone.clone()}</a></span>
                            })}
                        </dd>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <Transition fallback=|| ()>
            <dl class="severity-definitions" data-testid="severity-definitions">{definitions}</dl>
        </Transition>
    }
}

/// "Not sure?": three questions suggest a level among those the contract allows; the
/// customer takes the suggestion or keeps their own choice.
#[component]
pub(super) fn SeverityQuestions(contract: Resource<Result<Contract, AppError>>, severity: RwSignal<Severity>) -> impl IntoView {
    let answers = RwSignal::new(SeverityAnswers::default());
    let suggestion = move || {
        let allowed = contract.get()?.ok()?.plan_at(jiff::Timestamp::now()).allowed_severities();
        Severity::suggested(answers.get(), &allowed)
    };
    let question = move |id: &'static str, set: fn(&mut SeverityAnswers, bool)| view! {
        <label class="check">
            <input type="checkbox" name=id on:change=move |ev| {
                let yes = event_target_checked(&ev);
                answers.update(|a| set(a, yes));
            }/>
            " "{t(id)}
        </label>
    };
    view! {
        <fieldset class="severity-questions">
            <legend>{t("severity-questions")}</legend>
            {question("severity-q-down", |a, yes| a.production_down = yes)}
            {question("severity-q-workaround", |a, yes| a.workaround = yes)}
            {question("severity-q-deadline", |a, yes| a.deadline_at_risk = yes)}
            <Transition fallback=|| ()>
                {move || suggestion().map(|s| view! {
                    <p class="suggested" data-testid="severity-suggestion">
                        <span>{t_args("severity-suggested", &[("severity", label_now("severity", s.level()))])}</span>" "
                        <button type="button" class="link-button" disabled=move || severity.get() == s
                            on:click=move |_| severity.set(s)>{t("severity-use-suggestion")}</button>
                    </p>
                })}
            </Transition>
        </fieldset>
    }
}

/// The severities the contract allows, with the plan's own word where it has one
/// (Coveo: Critical, Major, Minor). The server checks again.
#[component]
pub(super) fn SeveritySelect(contract: Resource<Result<Contract, AppError>>, severity: RwSignal<Severity>) -> impl IntoView {
    let allowed = move || {
        contract.get().and_then(|c| c.ok()).map(|c| {
            let plan = c.plan_at(jiff::Timestamp::now()).clone();
            plan.allowed_severities().into_iter().map(|s| (s, plan.label(s).map(str::to_owned))).collect::<Vec<_>>()
        })
    };
    view! {
        <Transition fallback=move || view! { <select id="severity" name="severity" disabled=true></select> }>
            {move || allowed().map(|allowed| {
                // A restored choice the contract allows stays; otherwise Normal, or the
                // first level offered.
                let current = severity.get_untracked();
                if !allowed.iter().any(|(s, _)| *s == current) {
                    let default = if allowed.iter().any(|(s, _)| *s == Severity::Normal) {
                        Severity::Normal
                    } else {
                        allowed.first().map(|(s, _)| *s).unwrap_or_default()
                    };
                    severity.set(default);
                }
                view! {
                    <select id="severity" name="severity" prop:value=move || severity.get().level().to_string() on:change=move |ev| {
                        if let Some(s) = event_target_value(&ev).parse::<u8>().ok().and_then(|n| Severity::try_from(n).ok()) {
                            severity.set(s);
                        }
                    }>
                        {allowed.into_iter().map(|(s, vendor)| {
                            let generic = label("severity", s.level());
                            let text = move || match &vendor {
                                Some(word) if !generic().ends_with(word.as_str()) => format!("{} ({word})", generic()),
                                _ => generic(),
                            };
                            view! { <option value=s.level().to_string() selected=move || severity.get() == s>{text}</option> }
                        }).collect_view()}
                    </select>
                }
            })}
        </Transition>
    }
}
