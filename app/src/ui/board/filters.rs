//! The board's filters and swimlanes, kept in the URL: the bar that sets them, and the lanes
//! present with their titles.

use leptos::prelude::*;
use leptos_router::components::Form;

use crate::api::cases::BoardCard;
use crate::domain::sla::Contract;
use crate::domain::{AssigneeFilter, BoardFilter, BoardLane, Severity, Status};

/// The staleness a board offers to filter by, in hours (a URL may name another).
const STALE_CHOICES: [u32; 5] = [4, 24, 48, 72, 168];
use crate::ui::i18n::{label, label_now, t, t_args};

/// The lanes present on the board, in order, with their titles (`None` without lanes).
pub(super) fn lane_titles(lane: BoardLane, cards: &[BoardCard]) -> Vec<(String, Option<String>)> {
    lane.lanes(cards.iter().map(|c| &c.case))
        .into_iter()
        .map(|(key, case)| {
            let title = case.map(|case| match lane {
                BoardLane::Severity => label_now("severity", case.severity.level()),
                BoardLane::Organization => case.organization_name.clone(),
                BoardLane::Assignee => case.assignee.clone().unwrap_or_else(|| t("assign-nobody")()),
                BoardLane::None => String::new(),
            });
            (key, title)
        })
        .collect()
}

#[component]
pub(super) fn FilterBar(
    organizations: Vec<(String, String)>,
    contracts: RwSignal<Vec<(String, Contract)>>,
    filter: Memo<BoardFilter>,
) -> impl IntoView {
    let organizations = StoredValue::new(organizations);
    let plans = move || {
        let mut plans: Vec<(String, String)> = contracts.with(|contracts| {
            contracts
                .iter()
                .map(|(_, c)| {
                    let plan = c.plan_at(jiff::Timestamp::now());
                    (plan.id.clone(), plan.name.clone())
                })
                .collect()
        });
        plans.sort();
        plans.dedup();
        plans
    };
    let choice = move |value: String, text: String, field: fn(&BoardFilter) -> Option<String>| {
        let selected = field(&filter.get_untracked()).as_ref() == Some(&value);
        view! { <option value=value selected=selected>{text}</option> }
    };
    let current = filter.get_untracked();
    view! {
        <Form method="GET" action="/board" attr:class="filters">
            <label for="filter-assignee">{t("filter-assignee")}</label>
            <select id="filter-assignee" name="assignee">
                <option value="">{t("filter-all")}</option>
                <option value="mine" selected=current.assignee == Some(AssigneeFilter::Mine)>{t("filter-mine")}</option>
                <option value="unassigned" selected=current.assignee == Some(AssigneeFilter::Unassigned)>{t("filter-unassigned")}</option>
            </select>
            <label for="filter-severity">{t("col-severity")}</label>
            <select id="filter-severity" name="severity">
                <option value="">{t("filter-all")}</option>
                {Severity::ALL.iter().map(|s| {
                    let selected = current.severity == Some(s.level());
                    view! { <option value=s.level().to_string() selected=selected>{label("severity", s.level())}</option> }
                }).collect_view()}
            </select>
            <label for="filter-organization">{t("col-organization")}</label>
            <select id="filter-organization" name="organization">
                <option value="">{t("filter-all")}</option>
                {move || organizations.get_value().into_iter().map(|(slug, name)| choice(slug, name, |f| f.organization.clone())).collect_view()}
            </select>
            <label for="filter-plan">{t("filter-plan")}</label>
            <select id="filter-plan" name="plan">
                <option value="">{t("filter-all")}</option>
                {move || plans().into_iter().map(|(id, name)| choice(id, name, |f| f.plan.clone())).collect_view()}
            </select>
            <fieldset class="filter-statuses">
                <legend>{t("filter-statuses")}</legend>
                {Status::ALL.iter().map(|&status| {
                    let id = format!("filter-status-{status}");
                    view! {
                        <input type="checkbox" id=id.clone() name="status" value=status.as_str()
                            checked=current.statuses.contains(&status)/>
                        <label for=id>{label("status", status)}</label>
                    }
                }).collect_view()}
            </fieldset>
            <label for="filter-stale">{t("filter-stale")}</label>
            <select id="filter-stale" name="stale_hours">
                <option value="">{t("filter-stale-any")}</option>
                {let mut choices = STALE_CHOICES.to_vec();
                if let Some(h) = current.stale_hours.filter(|h| !choices.contains(h)) {
                    choices.push(h);
                    choices.sort_unstable();
                }
                choices.into_iter().map(|hours| view! {
                    <option value=hours.to_string() selected=current.stale_hours == Some(hours)>
                        {t_args("filter-stale-hours", &[("hours", hours.to_string())])}
                    </option>
                }).collect_view()}
            </select>
            <label for="filter-lane">{t("filter-lane")}</label>
            <select id="filter-lane" name="lane">
                {BoardLane::ALL.iter().map(|&lane| view! {
                    <option value=lane.as_str() selected=current.lane == lane>{label("lane", lane.as_str())}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button small">{t("filter-apply")}</button>
        </Form>
    }
}
