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
    let query_map = use_query_map();
    let shelf = Memo::new(move |_| {
        query_map.read().get("show").and_then(|wanted| Shelf::parse(&wanted)).unwrap_or_default()
    });
    // The shelf's first page from the server (newest first), with every shelf's count;
    // "Show more" adds the next pages.
    let cases = Resource::new(move || (refresh.get(), shelf.get()), |(_, shelf)| my_cases(shelf.as_str().to_string(), String::new()));
    let more: RwSignal<Vec<Case>> = RwSignal::new(Vec::new());
    let next: RwSignal<Option<Option<String>>> = RwSignal::new(None);
    let loading = RwSignal::new(false);
    Effect::new(move |_| {
        cases.track();
        more.set(Vec::new());
        next.set(None);
    });
    // The organization's contract names the severities in the plan's own words.
    let contract = Resource::new(|| (), |_| crate::api::cases::my_contract());
    let (query, set_query) = signal(String::new());
    let show_more = move |cursor: String| {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Ok(page) = my_cases(shelf.get_untracked().as_str().to_string(), cursor).await {
                more.update(|more| more.extend(page.cases));
                next.set(Some(page.next_cursor));
            }
            loading.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = cursor;
    };
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
                Ok(page) if page.counts.iter().all(|(_, c)| c.n == 0) => view! { <p>{t("cases-empty")}</p> }.into_any(),
                Ok(page) => {
                    let current = shelf.get();
                    let first_next = page.next_cursor.clone();
                    let next_cursor = move || next.get().unwrap_or_else(|| first_next.clone());
                    let first = page.cases;
                    let on_shelf = Signal::derive(move || {
                        let mut all = first.clone();
                        all.extend(more.get());
                        all
                    });
                    let contract = contract.get().and_then(Result::ok);
                    view! {
                        <nav class="shelves" aria-label=t("shelves-label")>
                            {page.counts.into_iter().map(|(s, n)| {
                                let text = t_args(match s {
                                    Shelf::Open => "shelf-open",
                                    Shelf::Waiting => "shelf-waiting",
                                    Shelf::Closed => "shelf-closed",
                                }, &[("count", if n.more { format!("{}+", n.n) } else { n.n.to_string() })]);
                                view! {
                                    <A href=format!("/cases?show={}", s.as_str())
                                        attr:class=if s == current { "shelf current" } else { "shelf" }
                                        attr:aria-current=(s == current).then_some("page")>{text}</A>
                                }
                            }).collect_view()}
                        </nav>
                        {move || if on_shelf.with(|c| c.is_empty()) {
                            view! { <p>{t("shelf-empty")}</p> }.into_any()
                        } else {
                            view! { <CaseTable cases=on_shelf.get() query contract=contract.clone()/> }.into_any()
                        }}
                        {move || next_cursor().map(|cursor| view! {
                            <button type="button" class="button secondary show-more" disabled=move || loading.get()
                                on:click=move |_| show_more(cursor.clone())>{t("cases-show-more")}</button>
                        })}
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
