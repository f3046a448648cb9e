//! `/admin/registrations`: the verified account requests waiting for a decision, oldest
//! first, a page at a time. Each is approved into an organization (its slug) or rejected
//! with a reason, which the person is emailed; the outcome is told above the list.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{AdminNav, AdminOnly};
use crate::api::registration::{ApproveRegistration, RejectRegistration, registrations};
use crate::domain::registration::Registration;
use crate::ui::error_view::error_view;
use crate::ui::i18n::{error_text, move_tr_static, t, t_args};

#[component]
pub fn RegistrationsPage() -> impl IntoView {
    view! {
        <Title text=move_tr_static("admin-registrations")/>
        <h1>{t("admin-registrations")}</h1>
        <AdminOnly>
            <AdminNav/>
            <RegistrationList/>
        </AdminOnly>
    }
}

#[component]
fn RegistrationList() -> impl IntoView {
    let approve = ServerAction::<ApproveRegistration>::new();
    let reject = ServerAction::<RejectRegistration>::new();
    // The page shown: its cursor (empty: the first) and the cursors of the pages before it.
    let cursor = RwSignal::new(String::new());
    let earlier = RwSignal::new(Vec::<String>::new());
    let page = Resource::new(
        move || (cursor.get(), approve.version().get(), reject.version().get()),
        |(cursor, _, _)| registrations(String::new(), cursor),
    );
    let outcome = move || {
        let approved = approve.value().get().map(|r| r.map(|r| t_args("registrations-approved", &[("email", r.email)])()));
        let rejected = reject.value().get().map(|r| r.map(|r| t_args("registrations-rejected", &[("email", r.email)])()));
        // The newest action's answer (the other one's is cleared when an action starts).
        approved.or(rejected)
    };
    Effect::new(move |_| {
        if approve.pending().get() {
            reject.clear();
        }
        if reject.pending().get() {
            approve.clear();
        }
    });
    view! {
        <p role="status">{move || outcome().and_then(|o| o.ok())}</p>
        <p class="error" role="alert">{move || outcome().and_then(|o| o.err()).map(|e| error_text(&e))}</p>
        <Transition fallback=|| view! { <p>{t("loading")}</p> }>
            {move || page.get().map(|answer| match answer {
                Err(e) => error_view(e),
                Ok(list) => {
                    let next = list.next_cursor.clone();
                    let empty = list.registrations.is_empty();
                    view! {
                        {empty.then(|| view! { <p>{t("registrations-none")}</p> })}
                        <ul class="registrations">
                            {list.registrations.into_iter().map(|r| view! {
                                <RegistrationItem registration=r approve=approve reject=reject/>
                            }).collect_view()}
                        </ul>
                        <nav class="pager" aria-label=move_tr_static("registrations-pages")>
                            {move || (!earlier.read().is_empty()).then(|| view! {
                                <button type="button" class="button secondary" on:click=move |_| {
                                    let previous = earlier.write().pop().unwrap_or_default();
                                    cursor.set(previous);
                                }>{t("registrations-previous")}</button>
                            })}
                            {next.map(|next| view! {
                                <button type="button" class="button secondary" on:click=move |_| {
                                    earlier.write().push(cursor.get_untracked());
                                    cursor.set(next.clone());
                                }>{t("registrations-next")}</button>
                            })}
                        </nav>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn RegistrationItem(
    registration: Registration,
    approve: ServerAction<ApproveRegistration>,
    reject: ServerAction<RejectRegistration>,
) -> impl IntoView {
    let id = registration.id;
    let slug_id = format!("registration-{id}-organization");
    let reason_id = format!("registration-{id}-reason");
    view! {
        <li class="card registration">
            <h2>{registration.name.clone()}</h2>
            <dl>
                <dt>{t("registrations-email")}</dt><dd>{registration.email.clone()}</dd>
                <dt>{t("registrations-organization-name")}</dt><dd>{registration.organization_name.clone()}</dd>
                <dt>{t("registrations-message")}</dt><dd class="pre-wrap">{registration.message.clone()}</dd>
                <dt>{t("registrations-requested-at")}</dt><dd>{registration.requested_at.clone()}</dd>
                <dt>{t("registrations-verified-at")}</dt><dd>{registration.verified_at.clone()}</dd>
            </dl>
            <ActionForm action=approve attr:class="stack">
                <input type="hidden" name="id" value=id.to_string()/>
                <label for=slug_id.clone()>{t("registrations-organization")}</label>
                <input id=slug_id type="text" name="organization" required autocomplete="off"/>
                <button type="submit" class="button" disabled=move || approve.pending().get()>
                    {t("registrations-approve")}
                </button>
            </ActionForm>
            <ActionForm action=reject attr:class="stack">
                <input type="hidden" name="id" value=id.to_string()/>
                <label for=reason_id.clone()>{t("registrations-reason")}</label>
                <textarea id=reason_id name="reason" rows="3" maxlength="2000" required></textarea>
                <button type="submit" class="button secondary" disabled=move || reject.pending().get()>
                    {t("registrations-reject")}
                </button>
            </ActionForm>
        </li>
    }
}
