//! "My cases": a customer's cases on three shelves (open, waiting on them, closed), with
//! a search by number or summary; live, so support's moves show without a reload.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::cases::my_cases;
use crate::domain::{Case, Shelf};
use crate::ui::error_view::error_view;
use crate::ui::i18n::{move_tr_static, status_label_now, t, t_args};
use crate::ui::live::{LiveIndicator, use_live};
use crate::ui::local_time::LocalTime;

#[component]
pub fn MyCasesPage() -> impl IntoView {
    // Live: a reply, a move or an SLA event from support shows without reload.
    let live = use_live(None);
    let refresh = RwSignal::new(0u64);
    Effect::new(move |_| {
        if live.last.get().is_some() {
            refresh.update(|n| *n += 1);
        }
    });
    Effect::new(move |was: Option<bool>| {
        let now = live.connected.get();
        if now && was == Some(false) {
            refresh.update(|n| *n += 1);
        }
        now
    });
    let cases = Resource::new(move || refresh.get(), |_| my_cases());
    // The organization's contract names the severities in the plan's own words.
    let contract = Resource::new(|| (), |_| crate::api::cases::my_contract());
    let query_map = use_query_map();
    let shelf = Memo::new(move |_| {
        query_map.read().get("show").and_then(|wanted| Shelf::parse(&wanted)).unwrap_or_default()
    });
    let (query, set_query) = signal(String::new());
    view! {
        <Title text=move_tr_static("cases-title")/>
        <div class="page-head">
            <h1>{t("cases-title")}</h1>
            <LiveIndicator live/>
            <crate::ui::search::SearchBox/>
            <A href="/cases/new" attr:class="button">{t("nav-new-case")}</A>
        </div>
        <label class="search">
            <span>{t("cases-search")}</span>
            <input type="search" on:input=move |ev| set_query.set(event_target_value(&ev))/>
        </label>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || cases.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(cases) if cases.is_empty() => view! { <p>{t("cases-empty")}</p> }.into_any(),
                Ok(cases) => {
                    let count = |s: Shelf| cases.iter().filter(|c| Shelf::of(c) == s).count();
                    let tabs: Vec<(Shelf, usize)> = Shelf::ALL.iter().map(|&s| (s, count(s))).collect();
                    let current = shelf.get();
                    let on_shelf: Vec<Case> = cases.into_iter().filter(|c| Shelf::of(c) == current).collect();
                    let contract = contract.get().and_then(Result::ok);
                    view! {
                        <nav class="shelves" aria-label=t("shelves-label")>
                            {tabs.into_iter().map(|(s, n)| {
                                let text = t_args(match s {
                                    Shelf::Open => "shelf-open",
                                    Shelf::Waiting => "shelf-waiting",
                                    Shelf::Closed => "shelf-closed",
                                }, &[("count", n.to_string())]);
                                view! {
                                    <A href=format!("/cases?show={}", s.as_str())
                                        attr:class=if s == current { "shelf current" } else { "shelf" }
                                        attr:aria-current=(s == current).then_some("page")>{text}</A>
                                }
                            }).collect_view()}
                        </nav>
                        {if on_shelf.is_empty() {
                            view! { <p>{t("shelf-empty")}</p> }.into_any()
                        } else {
                            view! { <CaseTable cases=on_shelf query contract/> }.into_any()
                        }}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn CaseTable(cases: Vec<Case>, query: ReadSignal<String>, contract: Option<crate::domain::Contract>) -> impl IntoView {
    let rows = move || {
        let typed = query.get();
        cases
            .iter()
            .filter(|c| c.matches(&typed))
            .cloned()
            .map(|case| {
                let href = format!("/cases/{}", case.number);
                let waiting = case.waits_on_customer();
                // Each cell names its column (`data-label`): on a phone the rows are cards and
                // the stylesheet shows the name beside the value; the roles keep the table a
                // table for screen readers once its display changes (Safari drops them).
                view! {
                    <tr role="row" class:waiting=waiting>
                        <td role="cell" data-label=t("col-number")><A href=href.clone()>{case.number.to_string()}</A></td>
                        <td role="cell" class="case-summary" data-label=t("col-summary")>
                            <A href=href>{case.summary.clone()}</A>
                            {waiting.then(|| view! { <span class="your-move">{t("your-move")}</span> })}
                        </td>
                        <td role="cell" data-label=t("col-status")>
                            <span class=format!("status status-{}", case.status)>{status_label_now(case.status, true)}</span>
                        </td>
                        <td role="cell" data-label=t("col-severity")><span>{crate::ui::promises::severity_name(
                            contract.as_ref().map(|c| c.plan_at(case.opened_at)),
                            case.severity,
                        )}</span></td>
                        <td role="cell" data-label=t("col-updated")><LocalTime at=case.updated_at/></td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="cases" role="table">
            <thead role="rowgroup">
                <tr role="row">
                    <th scope="col" role="columnheader">{t("col-number")}</th>
                    <th scope="col" role="columnheader">{t("col-summary")}</th>
                    <th scope="col" role="columnheader">{t("col-status")}</th>
                    <th scope="col" role="columnheader">{t("col-severity")}</th>
                    <th scope="col" role="columnheader">{t("col-updated")}</th>
                </tr>
            </thead>
            <tbody role="rowgroup">{rows}</tbody>
        </table>
    }
}
