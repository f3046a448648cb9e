//! `/admin/people`: everyone with an account, by name, narrowed by role, organization,
//! active or deactivated, and a part of the name or email (the filters live in the URL),
//! a page at a time ("Show more"); and the form that creates a person.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_navigate, use_query_map};

use super::field_error::{FieldError, FormError, invalid};
use super::{AdminNav, AdminOnly};
use crate::api::admin_people::{AdminPeople, CreatePerson, admin_people};
use crate::domain::Role;
use crate::domain::profile::{UserPage, UserProfile};
use crate::ui::error_view::error_view;
use crate::ui::i18n::{error_text, label, move_tr_static, t};

/// The list's filters as the URL holds them (the names are the API's).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct PeopleFilters {
    role: String,
    organization: String,
    q: String,
    active: String,
}

impl PeopleFilters {
    fn page(&self, cursor: String) -> AdminPeople {
        AdminPeople {
            role: self.role.clone(),
            organization: self.organization.clone(),
            q: self.q.clone(),
            active: self.active.clone(),
            cursor,
        }
    }
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    view! {
        <Title text=move_tr_static("admin-people")/>
        <h1>{t("admin-people")}</h1>
        <AdminOnly>
            <AdminNav/>
            <PeopleList/>
            <NewPersonForm/>
        </AdminOnly>
    }
}

#[component]
fn PeopleList() -> impl IntoView {
    let url = use_query_map();
    let filters = Memo::new(move |_| {
        let get = |key: &str| url.read().get(key).unwrap_or_default();
        PeopleFilters { role: get("role"), organization: get("organization"), q: get("q"), active: get("active") }
    });
    let first = Resource::new(
        move || filters.get(),
        |f| {
            let AdminPeople { role, organization, q, active, cursor } = f.page(String::new());
            admin_people(role, organization, q, active, cursor)
        },
    );
    // Further pages, appended below the first; other filters start over.
    let more = ServerAction::<AdminPeople>::new();
    let extra = RwSignal::new(Vec::<UserProfile>::new());
    let extra_cursor = RwSignal::new(None::<Option<String>>);
    Effect::new(move |_| {
        filters.track();
        extra.set(Vec::new());
        extra_cursor.set(None);
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = more.value().get() {
            extra.update(|people| people.extend(page.users));
            extra_cursor.set(Some(page.next_cursor));
        }
    });
    view! {
        <section aria-labelledby="people-list-title">
            <h2 id="people-list-title">{t("people-list-title")}</h2>
            <Filters filters/>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || first.get().map(|result| match result {
                    Err(e) => error_view(e),
                    Ok(page) if page.users.is_empty() => view! { <p role="status">{t("people-none")}</p> }.into_any(),
                    Ok(UserPage { users, next_cursor }) => {
                        let first_next = StoredValue::new(next_cursor);
                        let next = move || extra_cursor.get().unwrap_or_else(|| first_next.get_value());
                        let load_more = move |_| {
                            if let Some(cursor) = next() {
                                more.dispatch(filters.get_untracked().page(cursor));
                            }
                        };
                        view! {
                            <PeopleTable first=users extra/>
                            {move || more.value().get().and_then(Result::err).map(|e| {
                                view! { <p class="error" role="alert">{error_text(&e)}</p> }
                            })}
                            {move || next().is_some().then(|| view! {
                                <button type="button" class="button secondary show-more" on:click=load_more
                                    disabled=move || more.pending().get()>{t("people-show-more")}</button>
                            })}
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

/// The filters, as a GET form: the URL holds them, so a filtered list can be shared.
#[component]
fn Filters(filters: Memo<PeopleFilters>) -> impl IntoView {
    let current = filters.get_untracked();
    let role_now = current.role.clone();
    let active_now = current.active.clone();
    view! {
        <Form method="GET" action="/admin/people" attr:class="filters people-filters" attr:role="search">
            <label for="people-q">{t("people-search")}</label>
            <input id="people-q" type="search" name="q" maxlength="200" value=current.q.clone()/>
            <label for="people-role">{t("field-role")}</label>
            <select id="people-role" name="role">
                <option value="">{t("people-any")}</option>
                {Role::ALL.iter().map(|r| {
                    let selected = role_now == r.as_str();
                    view! { <option value=r.as_str() selected=selected>{label("people-role", r.as_str())}</option> }
                }).collect_view()}
            </select>
            <label for="people-organization">{t("people-organization-slug")}</label>
            <input id="people-organization" name="organization" maxlength="63" autocomplete="off"
                value=current.organization.clone()/>
            <label for="people-active">{t("people-status")}</label>
            <select id="people-active" name="active">
                <option value="">{t("people-any")}</option>
                <option value="true" selected=active_now == "true">{t("people-active")}</option>
                <option value="false" selected=active_now == "false">{t("people-deactivated")}</option>
            </select>
            <button type="submit" class="button small">{t("people-filter")}</button>
        </Form>
    }
}

#[component]
fn PeopleTable(first: Vec<UserProfile>, extra: RwSignal<Vec<UserProfile>>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="people">
                <caption class="visually-hidden">{t("people-list-title")}</caption>
                <thead><tr>
                    <th scope="col">{t("field-name")}</th>
                    <th scope="col">{t("field-email")}</th>
                    <th scope="col">{t("field-role")}</th>
                    <th scope="col">{t("field-organization")}</th>
                    <th scope="col">{t("people-status")}</th>
                </tr></thead>
                <tbody>
                    {first.into_iter().map(|person| view! { <PersonRow person/> }).collect_view()}
                    {move || extra.get().into_iter().map(|person| view! { <PersonRow person/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn PersonRow(person: UserProfile) -> impl IntoView {
    let href = format!("/admin/people/{}", person.id);
    let organization = person.organization.clone().map(|slug| {
        view! {
            <span>{slug}</span>
            {person.org_admin.then(|| view! { " " <span class="badge">{t("people-org-admin")}</span> })}
        }
    });
    view! {
        <tr data-person=person.id>
            <th scope="row"><A href=href>{person.name.clone()}</A></th>
            <td class="email">{person.email.clone()}</td>
            <td>{label("people-role", person.role.as_str())}</td>
            <td>{organization}</td>
            <td>{if person.active { t("people-active")() } else { t("people-deactivated")() }}</td>
        </tr>
    }
}

/// Fields of the creation form, by the server's names.
const NEW_FIELDS: &[&str] = &["email", "name", "password", "role", "organization", "org_admin"];

/// Creates a person; once created, their page opens (to set their zone, shifts…).
#[component]
fn NewPersonForm() -> impl IntoView {
    let create = ServerAction::<CreatePerson>::new();
    let role = RwSignal::new(Role::Engineer.as_str().to_owned());
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/admin/people/{id}"), Default::default());
        }
    });
    let customer = move || role.get() == Role::Customer.as_str();
    view! {
        <section aria-labelledby="new-person-title">
            <h2 id="new-person-title">{t("people-new")}</h2>
            <ActionForm action=create attr:class="stack card new-person" attr:aria-labelledby="new-person-title">
                <label for="new-person-email">{t("field-email")}</label>
                <input id="new-person-email" name="email" type="email" required autocomplete="off"
                    aria-describedby="new-person-email-error" aria-invalid=invalid(error, "email")/>
                <FieldError id="new-person-email-error" field="email" error/>
                <label for="new-person-name">{t("field-name")}</label>
                <input id="new-person-name" name="name" required maxlength="200" autocomplete="off"
                    aria-describedby="new-person-name-error" aria-invalid=invalid(error, "name")/>
                <FieldError id="new-person-name-error" field="name" error/>
                <label for="new-person-password">{t("people-first-password")}</label>
                <input id="new-person-password" name="password" type="password" required autocomplete="new-password"
                    aria-describedby="new-person-password-hint new-person-password-error"
                    aria-invalid=invalid(error, "password")/>
                <small id="new-person-password-hint">{t("people-first-password-hint")}</small>
                <FieldError id="new-person-password-error" field="password" error/>
                <label for="new-person-role">{t("field-role")}</label>
                <select id="new-person-role" name="role" aria-describedby="new-person-role-error"
                    on:change=move |ev| role.set(event_target_value(&ev))>
                    {Role::ALL.iter().map(|r| {
                        let value = r.as_str();
                        view! {
                            <option value=value selected=move || role.get() == value>{label("people-role", value)}</option>
                        }
                    }).collect_view()}
                </select>
                <FieldError id="new-person-role-error" field="role" error/>
                <Show when=customer>
                    <label for="new-person-organization">{t("people-organization-slug")}</label>
                    <input id="new-person-organization" name="organization" required maxlength="63" autocomplete="off"
                        aria-describedby="new-person-organization-error" aria-invalid=invalid(error, "organization")/>
                    <FieldError id="new-person-organization-error" field="organization" error/>
                    <label class="check" for="new-person-org-admin">
                        <input id="new-person-org-admin" type="checkbox" name="org_admin" value="on"/>
                        " "{t("field-org_admin")}
                    </label>
                    <FieldError id="new-person-org-admin-error" field="org_admin" error/>
                </Show>
                <FormError error shown=NEW_FIELDS/>
                <button type="submit" class="button" disabled=move || create.pending().get()>{t("people-create")}</button>
            </ActionForm>
        </section>
    }
}
