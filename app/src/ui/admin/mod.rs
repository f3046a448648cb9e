//! The admin console: one page per thing a support team sets up (organizations and their
//! contracts, plans, people, the knowledge base, account requests) and the admin log. Every page
//! reads and writes through server functions that check the admin role again on the server;
//! the pages only hide what the person may not use.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::i18n::{move_tr_static, t};
use super::session::Session;
use crate::domain::Role;

pub mod audit;
pub(crate) mod field_error;
pub mod first_run;
pub mod kb;
pub mod people;
pub mod person;
pub mod plans;
mod shifts;
pub mod organization;
pub mod organizations;
pub mod registrations;

/// The console's sections, in the order a new team sets Caseboard up: (path, title, summary).
const SECTIONS: [(&str, &str, &str); 6] = [
    ("/admin/organizations", "admin-organizations", "admin-organizations-lead"),
    ("/admin/people", "admin-people", "admin-people-lead"),
    ("/admin/plans", "admin-plans", "admin-plans-lead"),
    ("/admin/kb", "admin-kb", "admin-kb-lead"),
    ("/admin/registrations", "admin-registrations", "admin-registrations-lead"),
    ("/admin/audit", "admin-audit", "admin-audit-lead"),
];

/// The links between the console's pages, above each of them.
#[component]
pub fn AdminNav() -> impl IntoView {
    view! {
        <nav class="admin-nav" aria-label=move_tr_static("admin-nav")>
            <ul>
                <li><A href="/admin">{t("admin-home")}</A></li>
                {SECTIONS.iter().map(|(href, title, _)| view! { <li><A href=*href>{t(title)}</A></li> }).collect_view()}
            </ul>
        </nav>
    }
}

/// What a page of the console shows a person who is not an admin (the server refuses them
/// anyway): a sentence, not an empty form.
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    view! { <RoleGate allow=|role| role == Role::Admin refused="admin-only">{children()}</RoleGate> }
}

/// The same for pages support engineers use too (the knowledge base's editor).
#[component]
pub fn SupportOnly(children: ChildrenFn) -> impl IntoView {
    view! { <RoleGate allow=Role::is_support refused="admin-support-only">{children()}</RoleGate> }
}

#[component]
fn RoleGate(allow: fn(Role) -> bool, refused: &'static str, children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let children = children.clone();
                session.user.get().map(move |user| match user {
                    Ok(Some(user)) if allow(user.role) => children().into_any(),
                    Ok(Some(_)) => view! { <p class="notice" role="alert">{t(refused)}</p> }.into_any(),
                    _ => view! {
                        <p class="notice" role="alert">
                            {t("admin-sign-in")}" "<A href="/sign-in">{t("nav-sign-in")}</A>
                        </p>
                    }.into_any(),
                })
            }}
        </Transition>
    }
}

/// The console's links, for an admin only (an engineer editing articles has no use of them).
#[component]
pub fn AdminNavForAdmins() -> impl IntoView {
    let session = expect_context::<Session>();
    move || {
        session.user.get().and_then(Result::ok).flatten().filter(|u| u.role == Role::Admin).map(|_| view! { <AdminNav/> })
    }
}

/// `/admin`: the sections of the console.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    view! {
        <Title text=move_tr_static("admin-title")/>
        <h1>{t("admin-title")}</h1>
        <AdminOnly>
            <AdminNav/>
            <first_run::FirstRunChecklistPanel/>
            <ul class="admin-sections">
                {SECTIONS.iter().map(|(href, title, lead)| view! {
                    <li>
                        <h2><A href=*href>{t(title)}</A></h2>
                        <p>{t(lead)}</p>
                    </li>
                }).collect_view()}
            </ul>
        </AdminOnly>
    }
}
