//! `/status`: the platform's weather, public without signing in. Each component's current
//! state (by group), the active incidents with their updates (newest first), and the
//! incidents resolved in the last 14 days. Support finds the way to `/status/manage` here.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::status::public_status;
use crate::domain::status::{ComponentStatus, Incident, IncidentStatus, PublicComponent};
use crate::ui::error_view::error_view;
use crate::ui::i18n::{label, move_tr_static, t};
use crate::ui::local_time::LocalTime;
use crate::ui::session::Session;

/// The CSS class of a status badge: good, warning or bad.
pub(crate) fn tone(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::Operational => "badge tone-good",
        ComponentStatus::UnderMaintenance | ComponentStatus::DegradedPerformance => "badge tone-warning",
        ComponentStatus::PartialOutage | ComponentStatus::MajorOutage => "badge tone-bad",
    }
}

/// An instant as the reader's local time (the stored text when it is not one).
pub(crate) fn when(at: &str) -> AnyView {
    match at.parse::<jiff::Timestamp>() {
        Ok(at) => view! { <LocalTime at=at/> }.into_any(),
        Err(_) => view! { <span>{at.to_owned()}</span> }.into_any(),
    }
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let board = Resource::new(|| (), |_| public_status());
    let session = expect_context::<Session>();
    view! {
        <Title text=move_tr_static("status-title")/>
        <h1>{t("status-title")}</h1>
        <Transition fallback=|| ()>
            {move || session.user.get().map(|user| match user {
                Ok(Some(user)) if user.role.is_support() => view! {
                    <p><A href="/status/manage">{t("status-manage-link")}</A></p>
                }.into_any(),
                _ => ().into_any(),
            })}
        </Transition>
        <Transition fallback=|| view! { <p>{t("loading")}</p> }>
            {move || board.get().map(|answer| match answer {
                Err(e) => error_view(e),
                Ok(board) => {
                    let (active, resolved): (Vec<Incident>, Vec<Incident>) =
                        board.incidents.into_iter().partition(|i| i.status != IncidentStatus::Resolved);
                    view! {
                        <section aria-labelledby="status-components">
                            <h2 id="status-components">{t("status-components")}</h2>
                            <ComponentGroups components=board.components/>
                        </section>
                        <section aria-labelledby="status-active">
                            <h2 id="status-active">{t("status-active")}</h2>
                            {active.is_empty().then(|| view! { <p>{t("status-no-active")}</p> })}
                            <IncidentList incidents=active/>
                        </section>
                        <section aria-labelledby="status-recent">
                            <h2 id="status-recent">{t("status-recent")}</h2>
                            {resolved.is_empty().then(|| view! { <p>{t("status-no-recent")}</p> })}
                            <IncidentList incidents=resolved/>
                        </section>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn ComponentGroups(components: Vec<PublicComponent>) -> impl IntoView {
    // Components arrive by group then name: consecutive runs are the groups.
    let mut groups: Vec<(Option<String>, Vec<PublicComponent>)> = Vec::new();
    for component in components {
        match groups.last_mut() {
            Some((group, list)) if *group == component.group => list.push(component),
            _ => groups.push((component.group.clone(), vec![component])),
        }
    }
    let empty = groups.is_empty();
    view! {
        {empty.then(|| view! { <p>{t("status-no-components")}</p> })}
        {groups.into_iter().map(|(group, list)| view! {
            <div class="card status-group">
                {group.map(|g| view! { <h3>{g}</h3> })}
                <ul class="status-components">
                    {list.into_iter().map(|c| view! {
                        <li>
                            <span class="status-component-name">{c.name}</span>" "
                            <span class=tone(c.status)>{label("component-status", c.status.as_str())}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </div>
        }).collect_view()}
    }
}

#[component]
pub(crate) fn IncidentList(incidents: Vec<Incident>) -> impl IntoView {
    view! {
        <ul class="status-incidents">
            {incidents.into_iter().map(|incident| view! { <li><IncidentCard incident=incident/></li> }).collect_view()}
        </ul>
    }
}

#[component]
pub(crate) fn IncidentCard(incident: Incident) -> impl IntoView {
    view! {
        <article class="card status-incident">
            <h3>{incident.title}</h3>
            <p>
                <span class="badge">{label("incident-status", incident.status.as_str())}</span>
                {incident.impact.map(|impact| view! {
                    " "<span class=tone(impact)>{label("component-status", impact.as_str())}</span>
                })}
            </p>
            {(!incident.components.is_empty()).then(|| view! {
                <p>
                    {t("status-affects")}" "
                    {incident.components.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ")}
                </p>
            })}
            <ol class="status-updates">
                {incident.updates.into_iter().map(|u| view! {
                    <li>
                        <strong>{label("incident-status", u.status.as_str())}</strong>" — "{when(&u.at)}
                        <p class="pre-wrap">{u.message}</p>
                    </li>
                }).collect_view()}
            </ol>
        </article>
    }
}
