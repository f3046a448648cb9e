//! The first-run checklist: on an admin's home page until an organization and an engineer
//! exist, and always on the console's overview, with where email goes.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::admin_people::first_run_checklist;
use crate::domain::first_run::FirstRunChecklist;
use crate::ui::i18n::{t, t_args};

/// The checklist. `only_until_done`: nothing once the needed steps are done (the home page).
#[component]
pub fn FirstRunChecklistPanel(#[prop(optional)] only_until_done: bool) -> impl IntoView {
    let checklist = Resource::new(|| (), |_| first_run_checklist());
    view! {
        <Transition fallback=|| ()>
            {move || checklist.get().and_then(Result::ok).filter(|c| !(only_until_done && c.done())).map(|c| view! {
                <Checklist checklist=c/>
            })}
        </Transition>
    }
}

#[component]
fn Checklist(checklist: FirstRunChecklist) -> impl IntoView {
    let step = |done: bool, href: &'static str, todo: &'static str, optional: bool| {
        let state = if done {
            t("first-run-done")
        } else if optional {
            t("first-run-optional")
        } else {
            t("first-run-todo")
        };
        view! {
            <li class=if done { "step done" } else { "step" }>
                <span class="badge" class:ok=done>{state}</span>" "
                <A href=href>{t(todo)}</A>
            </li>
        }
    };
    let mail = checklist.mail.clone();
    let transport = if mail.transport == "smtp" { t("first-run-mail-smtp") } else { t("first-run-mail-files") };
    view! {
        <section class="first-run" aria-labelledby="first-run-title" data-testid="first-run">
            <h2 id="first-run-title">{t("first-run-title")}</h2>
            <ol class="first-run-steps">
                {step(checklist.organization, "/admin/organizations", "first-run-organization", false)}
                {step(checklist.custom_plan, "/admin/plans", "first-run-plan", true)}
                {step(checklist.engineer, "/admin/people", "first-run-engineer", false)}
            </ol>
            <h3>{t("first-run-mail")}</h3>
            <ul class="first-run-mail">
                <li>{transport}</li>
                <li>{t_args("first-run-mail-from", &[("from", mail.from)])}</li>
                <li>{t_args("first-run-mail-links", &[("url", mail.public_url)])}</li>
                <li>{if mail.inbound { t("first-run-mail-inbound-on") } else { t("first-run-mail-inbound-off") }}</li>
            </ul>
        </section>
    }
}
