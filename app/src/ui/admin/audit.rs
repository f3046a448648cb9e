//! `/admin/audit`: the admin log, newest first, a page at a time: when (in the reader's
//! zone), who, what, on what, and the state before and after, as text.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminNav, AdminOnly};
use crate::api::admin_people::{AdminLog, admin_log};
use crate::domain::audit::{AuditEntry, AuditPage};
use crate::ui::error_view::error_view;
use crate::ui::i18n::{error_text, move_tr_static, t};
use crate::ui::local_time::LocalTime;

#[component]
pub fn AuditPage() -> impl IntoView {
    let first = Resource::new(|| (), |_| admin_log(String::new()));
    let more = ServerAction::<AdminLog>::new();
    let extra = RwSignal::new(Vec::<AuditEntry>::new());
    let extra_cursor = RwSignal::new(None::<Option<String>>);
    Effect::new(move |_| {
        if let Some(Ok(page)) = more.value().get() {
            extra.update(|entries| entries.extend(page.entries));
            extra_cursor.set(Some(page.next_cursor));
        }
    });
    view! {
        <Title text=move_tr_static("admin-audit")/>
        <h1>{t("admin-audit")}</h1>
        <AdminOnly>
            <AdminNav/>
            <p class="lead">{t("audit-lead")}</p>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || first.get().map(|result| match result {
                    Err(e) => error_view(e),
                    Ok(page) if page.entries.is_empty() => view! { <p role="status">{t("audit-empty")}</p> }.into_any(),
                    Ok(AuditPage { entries, next_cursor }) => {
                        let first_next = StoredValue::new(next_cursor);
                        let next = move || extra_cursor.get().unwrap_or_else(|| first_next.get_value());
                        let load_more = move |_| {
                            if let Some(cursor) = next() {
                                more.dispatch(AdminLog { cursor });
                            }
                        };
                        view! {
                            <div class="table-scroll">
                                <table class="audit-log">
                                    <caption class="visually-hidden">{t("admin-audit")}</caption>
                                    <thead><tr>
                                        <th scope="col">{t("audit-when")}</th>
                                        <th scope="col">{t("audit-who")}</th>
                                        <th scope="col">{t("audit-action")}</th>
                                        <th scope="col">{t("audit-target")}</th>
                                        <th scope="col">{t("audit-change")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {entries.into_iter().map(|entry| view! { <Entry entry/> }).collect_view()}
                                        {move || extra.get().into_iter().map(|entry| view! { <Entry entry/> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {move || more.value().get().and_then(Result::err).map(|e| {
                                view! { <p class="error" role="alert">{error_text(&e)}</p> }
                            })}
                            {move || next().is_some().then(|| view! {
                                <button type="button" class="button secondary show-more" on:click=load_more
                                    disabled=move || more.pending().get()>{t("audit-more")}</button>
                            })}
                        }.into_any()
                    }
                })}
            </Transition>
        </AdminOnly>
    }
}

/// A state as text: indented JSON, or a dash when there is none (before a creation).
fn state_text(state: &Option<serde_json::Value>) -> String {
    match state {
        None => "—".to_owned(),
        Some(value) => serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()),
    }
}

#[component]
fn Entry(entry: AuditEntry) -> impl IntoView {
    let when = match entry.at.parse::<jiff::Timestamp>() {
        Ok(at) => view! { <LocalTime at/> }.into_any(),
        Err(_) => view! { <span>{entry.at.clone()}</span> }.into_any(),
    };
    let who = match &entry.actor {
        Some(actor) => view! {
            <span class="audit-who">{actor.name.clone()}</span>
            <br/>
            <span class="email">{actor.email.clone()}</span>
        }
        .into_any(),
        None => view! { <span class="audit-who">{t("audit-server")}</span> }.into_any(),
    };
    view! {
        <tr class="audit-entry">
            <td>{when}</td>
            <td>{who}</td>
            <td><code>{entry.action.clone()}</code></td>
            <td><code>{entry.target.clone()}</code></td>
            <td class="audit-states">
                <div class="audit-before">
                    <span class="state-label">{t("audit-before")}</span>
                    <pre tabindex="0">{state_text(&entry.before)}</pre>
                </div>
                <span aria-hidden="true">"→"</span>
                <div class="audit-after">
                    <span class="state-label">{t("audit-after")}</span>
                    <pre tabindex="0">{state_text(&entry.after)}</pre>
                </div>
            </td>
        </tr>
    }
}
