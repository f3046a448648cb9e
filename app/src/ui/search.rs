//! Searching cases: the box on the board (and on My cases), and the results page it leads
//! to, with its filters in the URL and "More results" by cursor. The server decides what
//! the searcher may see; the page only shows it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use crate::api::search::{SearchCases, search as run_search};
use crate::domain::case_search::{CASE_SEARCH_MAX_CHARS, CaseSearchHit, CaseSearchPage, CaseSearchQuery, MatchedIn};
use crate::domain::{Severity, Status};
use crate::ui::error_view::error_view;
use crate::ui::i18n::{error_text, label, label_now, move_tr_static, status_label_now, t};
use crate::ui::local_time::LocalTime;
use crate::ui::session::Session;

/// A search field that leads to the results page (a plain GET form: it works before the
/// page's script has loaded).
#[component]
pub fn SearchBox() -> impl IntoView {
    view! {
        <Form method="GET" action="/search" attr:class="case-search" attr:role="search">
            <label for="case-search-q" class="visually-hidden">{t("search-label")}</label>
            <input id="case-search-q" type="search" name="q" required maxlength=CASE_SEARCH_MAX_CHARS.to_string()
                placeholder=move_tr_static("search-placeholder")/>
            <button type="submit" class="button small">{t("search-submit")}</button>
        </Form>
    }
}

/// The search the URL describes (the filters' names are the API's).
fn query_from_url(get: impl Fn(&str) -> Option<String>) -> CaseSearchQuery {
    let get = |key: &str| get(key).filter(|v| !v.trim().is_empty());
    CaseSearchQuery {
        q: get("q"),
        status: get("status"),
        organization: get("organization"),
        severity: get("severity"),
        assignee: get("assignee"),
        product: get("product"),
        opened_after: get("opened_after"),
        opened_before: get("opened_before"),
        updated_after: get("updated_after"),
        updated_before: get("updated_before"),
        limit: get("limit"),
        cursor: None,
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let support = Memo::new(move |_| {
        session.user.get().and_then(|u| u.ok().flatten()).is_some_and(|u| u.role.is_support())
    });
    let url = use_query_map();
    let search = Memo::new(move |_| query_from_url(|key| url.read().get(key)));
    let first = Resource::new(move || search.get(), |query| async move {
        if query.q.is_none() { Ok(None) } else { run_search(query).await.map(Some) }
    });
    // Further pages, appended below the first; a new search starts over.
    let more = ServerAction::<SearchCases>::new();
    let extra = RwSignal::new(Vec::<CaseSearchHit>::new());
    let extra_cursor = RwSignal::new(None::<Option<String>>);
    Effect::new(move |_| {
        search.track();
        extra.set(Vec::new());
        extra_cursor.set(None);
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = more.value().get() {
            extra.update(|hits| hits.extend(page.results));
            extra_cursor.set(Some(page.next_cursor));
        }
    });
    view! {
        <Title text=move_tr_static("search-title")/>
        <h1>{t("search-title")}</h1>
        <Filters search support/>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || first.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(None) => ().into_any(),
                Ok(Some(page)) if page.results.is_empty() => {
                    view! { <p role="status">{t("search-nothing")}</p> }.into_any()
                }
                Ok(Some(CaseSearchPage { results, next_cursor })) => {
                    let first_next = StoredValue::new(next_cursor);
                    let next = move || extra_cursor.get().unwrap_or_else(|| first_next.get_value());
                    let load_more = move |_| {
                        if let Some(cursor) = next() {
                            let query = CaseSearchQuery { cursor: Some(cursor), ..search.get_untracked() };
                            more.dispatch(SearchCases::from(query));
                        }
                    };
                    view! {
                        <ResultTable first=results extra support/>
                        {move || more.value().get().and_then(Result::err).map(|e| {
                            view! { <p class="error" role="alert">{error_text(&e)}</p> }
                        })}
                        {move || next().is_some().then(|| view! {
                            <button type="button" class="button" on:click=load_more
                                disabled=move || more.pending().get()>{t("search-more")}</button>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// The search field and the filters, as a GET form: the URL holds the search.
#[component]
fn Filters(search: Memo<CaseSearchQuery>, support: Memo<bool>) -> impl IntoView {
    let current = search.get_untracked();
    let value = move |field: fn(&CaseSearchQuery) -> &Option<String>| field(&search.get_untracked()).clone().unwrap_or_default();
    let open: Vec<&str> = Status::ALL.iter().filter(|s| s.is_active()).map(|s| s.as_str()).collect();
    let open = open.join(",");
    let status_now = current.status.clone().unwrap_or_default();
    let date = move |id: &'static str, name: &'static str, text: &'static str, field: fn(&CaseSearchQuery) -> &Option<String>| {
        view! {
            <label for=id>{t(text)}</label>
            <input id=id type="date" name=name value=value(field)/>
        }
    };
    view! {
        <Form method="GET" action="/search" attr:class="filters search-filters" attr:role="search">
            <label for="search-q">{t("search-label")}</label>
            <input id="search-q" type="search" name="q" required maxlength=CASE_SEARCH_MAX_CHARS.to_string()
                value=value(|q| &q.q)/>
            <label for="search-status">{t("col-status")}</label>
            <select id="search-status" name="status">
                <option value="">{t("filter-all")}</option>
                <option value=open.clone() selected=status_now == open>{t("search-status-open")}</option>
                {Status::ALL.iter().map(|s| {
                    let selected = status_now == s.as_str();
                    view! { <option value=s.as_str() selected=selected>{label("status", s.as_str())}</option> }
                }).collect_view()}
            </select>
            <label for="search-severity">{t("col-severity")}</label>
            <select id="search-severity" name="severity">
                <option value="">{t("filter-all")}</option>
                {Severity::ALL.iter().map(|s| {
                    let selected = current.severity.as_deref() == Some(s.level().to_string().as_str());
                    view! { <option value=s.level().to_string() selected=selected>{label("severity", s.level())}</option> }
                }).collect_view()}
            </select>
            {move || support.get().then(|| {
                let assignee = value(|q| &q.assignee);
                view! {
                    <label for="search-assignee">{t("filter-assignee")}</label>
                    <select id="search-assignee" name="assignee">
                        <option value="">{t("filter-all")}</option>
                        <option value="me" selected=assignee == "me">{t("filter-mine")}</option>
                        <option value="none" selected=assignee == "none">{t("filter-unassigned")}</option>
                    </select>
                    <label for="search-organization">{t("col-organization")}</label>
                    <input id="search-organization" type="text" name="organization" size="12"
                        value=value(|q| &q.organization)/>
                }
            })}
            <label for="search-product">{t("field-product")}</label>
            <input id="search-product" type="text" name="product" size="12" value=value(|q| &q.product)/>
            {date("search-opened-after", "opened_after", "search-opened-after", |q| &q.opened_after)}
            {date("search-opened-before", "opened_before", "search-opened-before", |q| &q.opened_before)}
            {date("search-updated-after", "updated_after", "search-updated-after", |q| &q.updated_after)}
            {date("search-updated-before", "updated_before", "search-updated-before", |q| &q.updated_before)}
            <button type="submit" class="button small">{t("search-submit")}</button>
        </Form>
    }
}

fn matched_label(matched: MatchedIn) -> String {
    label_now("search-matched", matched.as_str())
}

#[component]
fn ResultTable(first: Vec<CaseSearchHit>, extra: RwSignal<Vec<CaseSearchHit>>, support: Memo<bool>) -> impl IntoView {
    let row = move |hit: CaseSearchHit| {
        let case = hit.case;
        let href = format!("/cases/{}", case.number);
        view! {
            <tr role="row">
                <td role="cell" data-label=t("col-number")><A href=href.clone()>{case.number.to_string()}</A></td>
                <td role="cell" class="case-summary" data-label=t("col-summary")>
                    <A href=href>{case.summary.clone()}</A>
                    {hit.snippet.map(|s| view! { <p class="excerpt">{s}</p> })}
                </td>
                <td role="cell" data-label=t("col-organization")>{case.organization_name.clone()}</td>
                <td role="cell" data-label=t("col-status")>
                    <span class=format!("status status-{}", case.status)>
                        {move || status_label_now(case.status, !support.get())}
                    </span>
                </td>
                <td role="cell" data-label=t("col-severity")>{label("severity", case.severity.level())}</td>
                <td role="cell" data-label=t("col-updated")><LocalTime at=case.updated_at/></td>
                <td role="cell" data-label=t("search-col-matched")>{matched_label(hit.matched_in)}</td>
            </tr>
        }
    };
    view! {
        <table class="cases search-results" role="table" data-testid="search-results">
            <caption class="visually-hidden">{t("search-results")}</caption>
            <thead role="rowgroup">
                <tr role="row">
                    <th scope="col" role="columnheader">{t("col-number")}</th>
                    <th scope="col" role="columnheader">{t("col-summary")}</th>
                    <th scope="col" role="columnheader">{t("col-organization")}</th>
                    <th scope="col" role="columnheader">{t("col-status")}</th>
                    <th scope="col" role="columnheader">{t("col-severity")}</th>
                    <th scope="col" role="columnheader">{t("col-updated")}</th>
                    <th scope="col" role="columnheader">{t("search-col-matched")}</th>
                </tr>
            </thead>
            <tbody role="rowgroup">
                {first.into_iter().map(row).collect_view()}
                {move || extra.get().into_iter().map(row).collect_view()}
            </tbody>
        </table>
    }
}
