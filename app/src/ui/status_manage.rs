//! `/status/manage` (support only): add components and set their status, open an incident,
//! post its updates (the last may resolve the linked cases), link a case by number.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::status::{
    CreateStatusComponent, LinkStatusCase, OpenStatusIncident, PostStatusUpdate, SetStatusComponent,
    status_components, status_incidents,
};
use crate::domain::status::{ComponentStatus, IncidentStatus, ManagedIncident};
use crate::ui::admin::SupportOnly;
use crate::ui::error_view::error_view;
use crate::ui::i18n::{error_text, label, move_tr_static, t};
use crate::ui::status::{IncidentCard, tone};

#[component]
pub fn StatusManagePage() -> impl IntoView {
    view! {
        <Title text=move_tr_static("status-manage")/>
        <h1>{t("status-manage")}</h1>
        <p><A href="/status">{t("status-public-link")}</A></p>
        <SupportOnly>
            <StatusManager/>
        </SupportOnly>
    }
}

fn refusal<T: 'static>(value: Option<Result<T, crate::error::AppError>>) -> Option<String> {
    value.and_then(|v| v.err()).map(|e| error_text(&e))
}

fn component_status_options() -> impl IntoView {
    ComponentStatus::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str()>{label("component-status", s.as_str())}</option> })
        .collect_view()
}

#[component]
fn StatusManager() -> impl IntoView {
    let create = ServerAction::<CreateStatusComponent>::new();
    let set = ServerAction::<SetStatusComponent>::new();
    let open = ServerAction::<OpenStatusIncident>::new();
    let update = ServerAction::<PostStatusUpdate>::new();
    let link = ServerAction::<LinkStatusCase>::new();
    let components = Resource::new(
        move || (create.version().get(), set.version().get(), open.version().get(), update.version().get()),
        |_| status_components(),
    );
    let incidents = Resource::new(
        move || (open.version().get(), update.version().get(), link.version().get()),
        |_| status_incidents(String::new()),
    );
    let alert = move || {
        refusal(create.value().get())
            .or_else(|| refusal(set.value().get()))
            .or_else(|| refusal(open.value().get()))
            .or_else(|| refusal(update.value().get()))
            .or_else(|| refusal(link.value().get()))
    };
    view! {
        <p class="error" role="alert">{alert}</p>
        <section aria-labelledby="manage-components">
            <h2 id="manage-components">{t("status-components")}</h2>
            <Transition fallback=|| view! { <p>{t("loading")}</p> }>
                {move || components.get().map(|answer| match answer {
                    Err(e) => error_view(e),
                    Ok(list) => view! {
                        <ul class="status-components">
                            {list.into_iter().map(|c| {
                                let select_id = format!("component-{}-status", c.id);
                                view! {
                                    <li>
                                        <span>
                                            <span class="status-component-name">{c.name}</span>
                                            {c.group.map(|g| view! { " ("{g}")" })}
                                            {c.beta.then(|| view! { " "<span class="badge">{t("status-beta")}</span> })}
                                            " "<span class=tone(c.status)>{label("component-status", c.status.as_str())}</span>
                                        </span>
                                        <ActionForm action=set attr:class="inline">
                                            <input type="hidden" name="id" value=c.id.to_string()/>
                                            <label for=select_id.clone() class="visually-hidden">{t("field-status")}</label>
                                            <select id=select_id name="status">{component_status_options()}</select>
                                            <button type="submit" class="button secondary">{t("status-set")}</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
            <h3>{t("status-new-component")}</h3>
            <ActionForm action=create attr:class="stack">
                <label for="component-name">{t("field-name")}</label>
                <input id="component-name" type="text" name="name" required maxlength="200"/>
                <label for="component-group">{t("field-group")}</label>
                <input id="component-group" type="text" name="group" maxlength="200"/>
                <label><input type="checkbox" name="beta" value="true"/>" "{t("status-beta")}</label>
                <button type="submit" class="button">{t("status-add-component")}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="manage-open">
            <h2 id="manage-open">{t("status-open-incident")}</h2>
            <ActionForm action=open attr:class="stack">
                <label for="incident-title">{t("field-title")}</label>
                <input id="incident-title" type="text" name="title" required maxlength="200"/>
                <label for="incident-component">{t("field-components")}</label>
                <select id="incident-component" name="component">
                    <option value="">{t("status-no-component")}</option>
                    <Transition fallback=|| ()>
                        {move || components.get().and_then(|a| a.ok()).map(|list| list.into_iter().map(|c| view! {
                            <option value=c.id.to_string()>{c.name}</option>
                        }).collect_view())}
                    </Transition>
                </select>
                <label for="incident-component-status">{t("status-component-status")}</label>
                <select id="incident-component-status" name="component_status">{component_status_options()}</select>
                <label for="incident-message">{t("field-message")}</label>
                <textarea id="incident-message" name="message" rows="3" required maxlength="10000"></textarea>
                <button type="submit" class="button">{t("status-open")}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="manage-incidents">
            <h2 id="manage-incidents">{t("status-incidents")}</h2>
            <Transition fallback=|| view! { <p>{t("loading")}</p> }>
                {move || incidents.get().map(|answer| match answer {
                    Err(e) => error_view(e),
                    Ok(page) => view! {
                        <ul class="status-incidents">
                            {page.incidents.into_iter().map(|i| view! {
                                <li><ManagedCard incident=i update=update link=link/></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ManagedCard(
    incident: ManagedIncident,
    update: ServerAction<PostStatusUpdate>,
    link: ServerAction<LinkStatusCase>,
) -> impl IntoView {
    let id = incident.incident.id;
    let active = incident.incident.status != IncidentStatus::Resolved;
    let cases = incident.cases.clone();
    let status_id = format!("incident-{id}-status");
    let message_id = format!("incident-{id}-message");
    let number_id = format!("incident-{id}-number");
    view! {
        <IncidentCard incident=incident.incident/>
        <p>
            {t("status-linked-cases")}" "
            {cases.into_iter().map(|n| view! { <A href=format!("/cases/{n}")>{format!("#{n}")}</A>" " }).collect_view()}
        </p>
        {active.then(|| view! {
            <ActionForm action=update attr:class="stack">
                <input type="hidden" name="id" value=id.to_string()/>
                <label for=status_id.clone()>{t("field-status")}</label>
                <select id=status_id name="status">
                    {IncidentStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str()>{label("incident-status", s.as_str())}</option>
                    }).collect_view()}
                </select>
                <label for=message_id.clone()>{t("field-message")}</label>
                <textarea id=message_id name="message" rows="3" required maxlength="10000"></textarea>
                <label><input type="checkbox" name="resolve_cases" value="true"/>" "{t("status-resolve-cases")}</label>
                <button type="submit" class="button">{t("status-post-update")}</button>
            </ActionForm>
            <ActionForm action=link attr:class="inline">
                <input type="hidden" name="id" value=id.to_string()/>
                <label for=number_id.clone()>{t("status-case-number")}</label>
                <input id=number_id type="text" name="number" required inputmode="numeric" autocomplete="off"/>
                <button type="submit" class="button secondary">{t("status-link-case")}</button>
            </ActionForm>
        })}
    }
}
