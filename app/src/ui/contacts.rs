//! The organization admin's page: who may open cases, within the plan's seats (Coveo: two).

use leptos::prelude::*;
use leptos_meta::Title;

use super::i18n::{move_tr_static, t, t_args};
use super::error_view::error_view;
use crate::api::contacts::{InviteContact, SetCaseOpener, organization_contacts};

#[component]
pub fn ContactsPage() -> impl IntoView {
    let change = ServerAction::<SetCaseOpener>::new();
    let invite = ServerAction::<InviteContact>::new();
    let contacts = Resource::new(move || (change.version().get(), invite.version().get()), |_| organization_contacts());
    view! {
        <Title text=move_tr_static("contacts-title")/>
        <h1>{t("contacts-title")}</h1>
        <Transition fallback=|| ()>
            {move || contacts.get().map(|result| match result {
                Err(e) => error_view(e),
                Ok(list) => {
                    let seats = match list.seats {
                        Some(seats) => t_args("contacts-seats", &[("taken", list.seats_taken.to_string()), ("seats", seats.to_string())])(),
                        None => t("contacts-seats-unlimited")(),
                    };
                    let free = list.seat_free();
                    view! {
                        <p data-testid="seats">{seats}</p>
                        <table class="contacts">
                            <thead><tr>
                                <th scope="col">{t("contacts-name")}</th>
                                <th scope="col">{t("sign-in-email")}</th>
                                <th scope="col">{t("contacts-opens-cases")}</th>
                            </tr></thead>
                            <tbody>
                                {list.contacts.into_iter().map(|c| {
                                    let id = c.id;
                                    let label_id = format!("opens-{id}");
                                    let name = c.name.clone();
                                    view! {
                                        <tr>
                                            <td id=label_id.clone()>{c.name}{c.org_admin.then(|| view! { " " <small>{t("contacts-admin")}</small> })}</td>
                                            <td>{c.email}</td>
                                            <td>
                                                <input type="checkbox" aria-labelledby=label_id aria-label=name prop:checked=c.opens_cases
                                                    disabled=!c.opens_cases && !free
                                                    on:change=move |ev| { change.dispatch(SetCaseOpener { user_id: id, opens: event_target_checked(&ev) }); }/>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            })}
        </Transition>
        {move || change.value().get().and_then(Result::err).map(error_view)}
        <p>{t("contacts-others")}</p>
        <InviteForm invite/>
    }
}

/// Invites a new contact: they are emailed a link to choose their password.
#[component]
fn InviteForm(invite: ServerAction<InviteContact>) -> impl IntoView {
    let sent_to = RwSignal::new(None::<String>);
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    Effect::new(move |_| {
        if matches!(invite.value().get(), Some(Ok(_))) {
            sent_to.set(Some(email.get_untracked()));
            email.set(String::new());
            name.set(String::new());
        }
    });
    let error = move || invite.value().get().and_then(Result::err).map(|e| super::i18n::error_text(&e));
    view! {
        <h2 id="invite-title">{t("invite-title")}</h2>
        <ActionForm action=invite attr:class="stack card" attr:aria-labelledby="invite-title">
            <label for="invite-name">{t("contacts-name")}</label>
            <input id="invite-name" name="name" required autocomplete="off" prop:value=name
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="invite-email">{t("sign-in-email")}</label>
            <input id="invite-email" name="email" type="email" required autocomplete="off" prop:value=email
                on:input=move |ev| email.set(event_target_value(&ev))/>
            <label class="check" for="invite-opens">
                <input id="invite-opens" type="checkbox" name="opens_cases" value="on"/>" "{t("invite-opens-cases")}
            </label>
            <p class="error" role="alert">{error}</p>
            <button type="submit" class="button" disabled=move || invite.pending().get()>{t("invite-submit")}</button>
            <p role="status">{move || sent_to.get().map(|to| t_args("invite-sent", &[("email", to)])())}</p>
        </ActionForm>
    }
}
