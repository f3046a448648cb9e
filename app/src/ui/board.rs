//! The support board: one column per status, a card per case, a "Move to…" form on each.
//! Live updates and drag and drop come with the live-board issue.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};

use super::i18n::{error_text, label, move_tr_static, t, t_args};
use super::portal::{MoveForm, error_view};
use super::sla::SlaCountdown;
use crate::api::cases::{Board, BoardCard, MoveCase, board_cases};
use crate::domain::lifecycle::allowed_targets;
use crate::domain::sla::Contract;
use crate::domain::{Resolution, Role, Severity, Status};

#[component]
pub fn BoardPage() -> impl IntoView {
    let move_action = ServerAction::<MoveCase>::new();
    let live = super::live::use_live();
    let query = leptos_router::hooks::use_query_map();
    let filter = move || BoardFilter::from_query(&query.read());
    let cases = Resource::new(move || (move_action.version().get(), live.version.get()), |_| board_cases());
    let outcome = move || {
        move_action.value().get().map(|result| match result {
            Ok(case) => view! {
                <p class="notice" role="status">
                    {t_args("move-done", &[("number", case.number.to_string()), ("status", super::i18n::label_now("status", case.status))])}
                </p>
            }
            .into_any(),
            Err(e) => view! { <p class="error" role="alert">{error_text(&e)}</p> }.into_any(),
        })
    };
    view! {
        <Title text=move_tr_static("board-title")/>
        <div class="page-head">
            <h1>{t("board-title")}</h1>
            <super::live::LiveIndicator live/>
        </div>
        <div aria-live="polite">{outcome}</div>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || cases.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(board) => {
                    let filter = filter();
                    view! {
                        <FilterBar board=board.clone() filter=filter.clone()/>
                        <Columns board=filter.apply(board) move_action/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// The board's filters, kept in the URL (`?severity=1&organization=acme&plan=coveo`) so a
/// filtered board can be bookmarked and shared.
#[derive(Clone, Debug, Default, PartialEq)]
struct BoardFilter {
    severity: Option<u8>,
    organization: Option<String>,
    plan: Option<String>,
}

impl BoardFilter {
    fn from_query(query: &leptos_router::params::ParamsMap) -> BoardFilter {
        let text = |key: &str| query.get(key).filter(|v| !v.is_empty());
        BoardFilter {
            severity: text("severity").and_then(|v| v.parse().ok()),
            organization: text("organization"),
            plan: text("plan"),
        }
    }

    fn apply(&self, mut board: Board) -> Board {
        let plan_of = |org: &str| board.contract(org).map(|c| c.plan_at(jiff::Timestamp::now()).id.clone());
        let keep: Vec<bool> = board
            .cards
            .iter()
            .map(|c| {
                self.severity.is_none_or(|s| c.case.severity.level() == s)
                    && self.organization.as_ref().is_none_or(|o| &c.case.organization == o)
                    && self.plan.as_ref().is_none_or(|p| plan_of(&c.case.organization).as_ref() == Some(p))
            })
            .collect();
        let mut keep = keep.into_iter();
        board.cards.retain(|_| keep.next().unwrap_or(false));
        board
    }
}

#[component]
fn FilterBar(board: Board, filter: BoardFilter) -> impl IntoView {
    let mut organizations: Vec<(String, String)> =
        board.cards.iter().map(|c| (c.case.organization.clone(), c.case.organization_name.clone())).collect();
    organizations.sort();
    organizations.dedup();
    let mut plans: Vec<(String, String)> = board
        .contracts
        .iter()
        .map(|(_, c)| {
            let plan = c.plan_at(jiff::Timestamp::now());
            (plan.id.clone(), plan.name.clone())
        })
        .collect();
    plans.sort();
    plans.dedup();
    let choice = |value: String, text: String, current: &Option<String>| {
        let selected = current.as_ref() == Some(&value);
        view! { <option value=value selected=selected>{text}</option> }
    };
    view! {
        <Form method="GET" action="/board" attr:class="filters">
            <label for="filter-severity">{t("col-severity")}</label>
            <select id="filter-severity" name="severity">
                <option value="">{t("filter-all")}</option>
                {Severity::ALL.iter().map(|s| {
                    let selected = filter.severity == Some(s.level());
                    view! { <option value=s.level().to_string() selected=selected>{label("severity", s.level())}</option> }
                }).collect_view()}
            </select>
            <label for="filter-organization">{t("col-organization")}</label>
            <select id="filter-organization" name="organization">
                <option value="">{t("filter-all")}</option>
                {organizations.into_iter().map(|(slug, name)| choice(slug, name, &filter.organization)).collect_view()}
            </select>
            <label for="filter-plan">{t("filter-plan")}</label>
            <select id="filter-plan" name="plan">
                <option value="">{t("filter-all")}</option>
                {plans.into_iter().map(|(id, name)| choice(id, name, &filter.plan)).collect_view()}
            </select>
            <button type="submit" class="button small">{t("filter-apply")}</button>
        </Form>
    }
}

#[component]
fn Columns(board: Board, move_action: ServerAction<MoveCase>) -> impl IntoView {
    // What a drop needs to know about each card: the version it was seen at, and where it is.
    let seen: std::sync::Arc<Vec<(i64, i64, Status, Resolution)>> = std::sync::Arc::new(
        board.cards.iter().map(|c| (c.case.number.0, c.case.version, c.case.status, c.case.resolution)).collect(),
    );
    let columns = Status::ALL
        .iter()
        .map(|&status| {
            let today = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
            let in_column: Vec<(BoardCard, Option<Contract>)> = board
                .cards
                .iter()
                .filter(|c| c.case.status == status)
                // The Closed column shows what was closed today (UTC); older cases leave the board.
                .filter(|c| status != Status::Closed || c.case.updated_at.to_zoned(jiff::tz::TimeZone::UTC).date() == today)
                .map(|c| (c.clone(), board.contract(&c.case.organization).cloned()))
                .collect();
            let count = in_column.len();
            let heading_id = format!("column-{status}");
            let labelled_by = heading_id.clone();
            let seen = seen.clone();
            let on_drop = move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                #[cfg(feature = "hydrate")]
                {
                    let number = ev.data_transfer().and_then(|d| d.get_data("text/plain").ok()).and_then(|n| n.parse::<i64>().ok());
                    if let Some(&(number, version, from, resolution)) = number.and_then(|n| seen.iter().find(|c| c.0 == n)) {
                        // Only moves the rules allow; resolving asks for a resolution in the card's form.
                        if allowed_targets(Role::Engineer, from, resolution).contains(&status) {
                            move_action.dispatch(MoveCase { number, status, resolution: String::new(), expected_version: version });
                        }
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = &seen;
            };
            view! {
                <section class="column" aria-labelledby=labelled_by data-status=status.as_str()
                    on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
                    on:drop=on_drop>
                    <h2 id=heading_id>
                        {move || if status == Status::Closed { t("board-closed-today")() } else { super::i18n::label_now("status", status) }}
                        " "
                        <span class="count">{t_args("board-column-count", &[("count", count.to_string())])}</span>
                    </h2>
                    {if in_column.is_empty() {
                        view! { <p class="empty">{t("board-empty-column")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="cards">
                                {in_column.into_iter().map(|(card, contract)| view! { <Card card contract move_action/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        })
        .collect_view();
    view! { <div class="board">{columns}</div> }
}

#[component]
fn Card(card: BoardCard, contract: Option<Contract>, move_action: ServerAction<MoveCase>) -> impl IntoView {
    let BoardCard { case, sla_events } = card;
    let number = case.number.0;
    let targets = allowed_targets(Role::Engineer, case.status, case.resolution);
    let href = format!("/cases/{}", case.number);
    view! {
        <li class=format!("card severity-{}", case.severity.level()) data-case=case.number.to_string()
            draggable="true"
            on:dragstart=move |ev: leptos::ev::DragEvent| {
                #[cfg(feature = "hydrate")]
                if let Some(data) = ev.data_transfer() {
                    let _ = data.set_data("text/plain", &number.to_string());
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = (ev, number);
            }>
            <div class="card-head">
                <A href=href attr:class="number">{format!("#{}", case.number)}</A>
                <span class="severity">{label("severity", case.severity.level())}</span>
            </div>
            <p class="summary">{case.summary.clone()}</p>
            <p class="org">{case.organization_name.clone()}</p>
            {contract.map(|contract| view! {
                <p class="card-sla"><SlaCountdown contract severity=case.severity opened_at=case.opened_at events=sla_events/></p>
            })}
            <MoveForm case=case.clone() targets action=move_action inline_error=false/>
        </li>
    }
}
