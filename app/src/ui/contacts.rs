//! The organization admin's page: who may open cases, within the plan's seats (Coveo: two).

use leptos::prelude::*;
use leptos_meta::Title;

use super::i18n::{move_tr_static, t, t_args};
use super::portal::error_view;
use crate::api::contacts::{SetCaseOpener, organization_contacts};

#[component]
pub fn ContactsPage() -> impl IntoView {
    let change = ServerAction::<SetCaseOpener>::new();
    let contacts = Resource::new(move || change.version().get(), |_| organization_contacts());
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
    }
}
