//! What the customer's plan promises for a severity, stated whole wherever a promise is
//! stated (the wizard's review, the case page): every clock the plan has for the severity,
//! the plan's own name for the severity, the hours support counts in, and the phone line
//! where the plan tells the customer to call.

use jiff::Timestamp;
use leptos::prelude::*;

use crate::domain::calendar::BusinessCalendar;
use crate::domain::sla::{Contract, SlaClockKind, clocks};
use crate::domain::week::DayOfWeek;
use crate::domain::{Severity, SupportPlan};
use crate::formatting::{self, Width};
use crate::ui::i18n::{label_now, language_now, t, t_args, t_count, tr_known};
use crate::ui::local_time::reader_zone;
use crate::ui::sla::kind_id;

/// A severity as the plan names it ("Critical" on Coveo, "P1" on Cloud Avenue), else the
/// generic "1 – Urgent".
pub fn severity_name(plan: Option<&SupportPlan>, severity: Severity) -> String {
    match plan.and_then(|p| p.own_label(severity)) {
        Some(word) => {
            let id = format!("plan-severity-{}", word.to_lowercase());
            tr_known(&id).unwrap_or_else(|| word.to_owned())
        }
        None => label_now("severity", severity.level()),
    }
}

/// "Mon–Fri 06:00–18:00, America/New_York time", in the reader's language; "around the
/// clock" for a 24x7 calendar.
pub fn coverage_words(calendar: &BusinessCalendar) -> String {
    if calendar.is_around_the_clock() {
        return t("coverage-24x7")();
    }
    let language = language_now();
    let day = |d: DayOfWeek| formatting::weekday(d, &language, Width::Short);
    let runs = calendar.day_runs();
    let separator = t("list-separator")();
    let days: Vec<String> = runs
        .iter()
        .map(|&(a, b)| if a == b { day(a) } else { format!("{}–{}", day(a), day(b)) })
        .collect();
    let windows: Vec<String> = calendar.windows.iter().map(|w| format!("{}–{}", w.start, w.end)).collect();
    let mut words = t_args(
        "coverage-hours",
        &[("days", days.join(&separator)), ("hours", windows.join(&separator)), ("zone", calendar.time_zone.clone())],
    )();
    if !calendar.holidays.is_empty() {
        words.push_str(&t_count("coverage-holidays", "count", calendar.holidays.len() as u32));
    }
    words
}

/// The plan's promises for `severity`. With `from` (the case's opening, or now in the
/// wizard), each clock's due time too, in the reader's zone once the page is interactive.
#[component]
pub fn PlanPromises(contract: Contract, severity: Severity, #[prop(optional)] from: Option<Timestamp>) -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let now = Timestamp::now();
    let plan = contract.plan_at(from.unwrap_or(now)).clone();
    let name = severity_name(Some(&plan), severity);
    let computed = from.map(|from| clocks(&contract, severity, from, &[], from)).unwrap_or_default();
    let promises: Vec<(SlaClockKind, String, Option<Timestamp>)> = [
        (SlaClockKind::InitialResponse, plan.initial_response_target(severity)),
        (SlaClockKind::Restore, plan.restore_target(severity)),
    ]
    .into_iter()
    .filter_map(|(kind, target)| {
        let target = target?;
        let words = crate::ui::sla::target_words(target);
        let due = computed.iter().find(|c| c.kind == kind).and_then(|c| c.due);
        Some((kind, words, due))
    })
    .collect();
    let none = promises.is_empty();
    let coverage = coverage_words(contract.calendar());
    let phone = plan.phone_line.clone().filter(|_| severity == Severity::Urgent);
    view! {
        <section class="promises" data-testid="plan-promises">
            <p class="promises-plan">{t_args("promises-plan", &[("plan", plan.name.clone()), ("severity", name.clone())])}</p>
            <ul>
                {promises.into_iter().map(|(kind, words, due)| {
                    let due_text = move || {
                        let due = due?;
                        mounted.get().then(|| t_args(
                            "promises-due",
                            &[("time", formatting::weekday_time(due, &reader_zone(), &language_now()))],
                        )())
                    };
                    view! {
                        <li data-clock=kind_id(kind)>
                            <strong>{label_now("sla", kind_id(kind))}</strong>{t("label-separator")}{words}
                            <span class="due">{due_text}</span>
                        </li>
                    }
                }).collect_view()}
                {none.then(|| view! { <li>{t_args("promises-none", &[("severity", name.clone())])}</li> })}
            </ul>
            <p class="coverage">{coverage}</p>
            {phone.map(|phone| view! {
                <p class="phone-line">{t("promises-call")}" "<a href=format!("tel:{phone}")>{phone.clone()}</a></p>
            })}
        </section>
    }
}
