//! `/admin/organizations`: the organizations by name (searched by name or slug, a page at a
//! time), each with its plan, whether it is active and its seats; and the form that creates
//! one. A refused field is told beside that field.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::{AdminNav, AdminOnly};
use crate::api::admin_organizations::{CreateAdminOrganization, PlanChoice, admin_organizations, admin_plan_choices};
use crate::domain::{OrganizationSummary, Organizations};
use crate::error::AppError;
use crate::ui::error_view::error_view;
use crate::ui::i18n::{error_text, move_tr_static, t, t_args};

/// The field a refusal names, if it names one.
fn named_field(error: &AppError) -> Option<&str> {
    match error {
        AppError::Invalid { field, .. } | AppError::Exists { field } => Some(field.as_str()),
        _ => None,
    }
}

/// The latest refusal of an action, if its latest answer was one.
pub(super) fn refusal<T>(value: Option<Result<T, AppError>>) -> Option<AppError> {
    value.and_then(Result::err)
}

/// What to say beside `field`: the refusal, when it names that field.
pub(super) fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error.get().filter(|e| named_field(e) == Some(field)).map(|e| error_text(&e))
}

/// What to say below a form: a refusal that names none of its `fields`.
pub(super) fn form_error(
    error: Signal<Option<AppError>>,
    fields: &'static [&'static str],
) -> impl Fn() -> Option<String> + Copy {
    move || error.get().filter(|e| !named_field(e).is_some_and(|f| fields.contains(&f))).map(|e| error_text(&e))
}

/// A plan select's options: the presets, then the custom plans, each group labelled.
pub(super) fn plan_options(plans: &[PlanChoice], selected: &str) -> impl IntoView + use<> {
    let group = |preset: bool| {
        plans
            .iter()
            .filter(|p| p.preset == preset)
            .map(|p| {
                let chosen = p.id == selected;
                view! { <option value=p.id.clone() selected=chosen>{p.name.clone()}</option> }
            })
            .collect_view()
    };
    let custom = plans.iter().any(|p| !p.preset);
    view! {
        <optgroup label=move_tr_static("admin-orgs-plans-preset")>{group(true)}</optgroup>
        {custom.then(|| view! { <optgroup label=move_tr_static("admin-orgs-plans-custom")>{group(false)}</optgroup> })}
    }
    .into_any()
}

#[component]
pub fn AdminOrganizationsPage() -> impl IntoView {
    view! {
        <Title text=move_tr_static("admin-orgs-title")/>
        <h1>{t("admin-orgs-title")}</h1>
        <AdminOnly>
            <AdminNav/>
            <OrganizationDirectory/>
        </AdminOnly>
    }
    .into_any()
}

#[component]
fn OrganizationDirectory() -> impl IntoView {
    let create = ServerAction::<CreateAdminOrganization>::new();
    let query = use_query_map();
    let searched = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let page =
        Resource::new(move || (searched.get(), create.version().get()), |(q, _)| admin_organizations(q, String::new()));
    let typed = RwSignal::new(searched.get_untracked());
    let navigate = use_navigate();
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = typed.get_untracked().trim().to_owned();
        let href = if q.is_empty() {
            "/admin/organizations".to_owned()
        } else {
            format!("/admin/organizations?q={}", encode_query(&q))
        };
        navigate(&href, Default::default());
    };
    view! {
        <form class="search admin-search" role="search" method="get" action="/admin/organizations" on:submit=search>
            <label for="org-search">{t("admin-orgs-search")}</label>
            <input id="org-search" type="search" name="q" maxlength="100" autocomplete="off"
                prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev))/>
            <button type="submit" class="button secondary">{t("admin-orgs-search-submit")}</button>
        </form>
        <Transition fallback=|| ()>
            {move || page.get().map(|result| match result {
                Ok(first) => view! { <OrganizationTable first searched=searched.get_untracked()/> }.into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
        <NewOrganizationForm create/>
    }
    .into_any()
}

/// A search text in a URL's query (`?q=`): everything but letters, digits and `-._~` escaped.
fn encode_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The first page of organizations, and the next ones as "Show more" brings them.
#[component]
fn OrganizationTable(first: Organizations, searched: String) -> impl IntoView {
    let more: RwSignal<Vec<OrganizationSummary>> = RwSignal::new(Vec::new());
    let next = RwSignal::new(first.next_cursor.clone());
    let loading = RwSignal::new(false);
    let show_more = move |_| {
        let Some(cursor) = next.get_untracked() else { return };
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        #[cfg(feature = "hydrate")]
        {
            let searched = searched.clone();
            leptos::task::spawn_local(async move {
                if let Ok(page) = admin_organizations(searched, cursor).await {
                    more.update(|more| more.extend(page.organizations));
                    next.set(page.next_cursor);
                }
                loading.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (cursor, &searched);
    };
    if first.organizations.is_empty() {
        return view! { <p class="lead" data-testid="no-organizations">{t("admin-orgs-none")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="contacts admin-organizations">
                <caption class="visually-hidden">{t("admin-orgs-caption")}</caption>
                <thead><tr>
                    <th scope="col">{t("field-name")}</th>
                    <th scope="col">{t("field-slug")}</th>
                    <th scope="col">{t("field-plan")}</th>
                    <th scope="col">{t("admin-orgs-status")}</th>
                    <th scope="col">{t("admin-orgs-seats")}</th>
                </tr></thead>
                <tbody>
                    {first.organizations.into_iter().map(|organization| view! { <OrganizationRow organization/> }).collect_view()}
                    {move || more.get().into_iter().map(|organization| view! { <OrganizationRow organization/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Show when=move || next.with(Option::is_some)>
            <button type="button" class="button secondary show-more" on:click=show_more.clone() disabled=move || loading.get()>
                {t("admin-orgs-show-more")}
            </button>
        </Show>
    }
    .into_any()
}

/// Whether an organization is active, as a badge.
pub(super) fn activity_badge(active: bool) -> impl IntoView {
    let (class, key) = if active { ("active", "admin-orgs-active") } else { ("inactive", "admin-orgs-inactive") };
    view! { <span class=format!("contact-status org-{class}")>{t(key)}</span> }
}

/// Seats taken out of the plan's seats ("2 of 5", or "2, no limit").
pub(super) fn seats_text(organization: &OrganizationSummary) -> impl Fn() -> String + Send + Sync + use<> {
    let taken = organization.seats_taken.to_string();
    let seats = organization.seats;
    let limited =
        t_args("admin-orgs-seats-of", &[("taken", taken.clone()), ("seats", seats.unwrap_or_default().to_string())]);
    let unlimited = t_args("admin-orgs-seats-unlimited", &[("taken", taken)]);
    move || if seats.is_some() { limited() } else { unlimited() }
}

#[component]
fn OrganizationRow(organization: OrganizationSummary) -> impl IntoView {
    let href = format!("/admin/organizations/{}", organization.slug);
    let seats = seats_text(&organization);
    view! {
        <tr data-organization=organization.slug.clone()>
            <th scope="row"><A href=href>{organization.name.clone()}</A></th>
            <td><code>{organization.slug.clone()}</code></td>
            <td>{organization.plan.clone()}</td>
            <td>{activity_badge(organization.active)}</td>
            <td>{seats}</td>
        </tr>
    }
    .into_any()
}

/// Creates an organization: its slug, name and plan. A refused field is told beside it.
#[component]
fn NewOrganizationForm(create: ServerAction<CreateAdminOrganization>) -> impl IntoView {
    let plans = Resource::new(|| (), |_| admin_plan_choices());
    let error = Signal::derive(move || refusal(create.value().get()));
    let slug_error = field_error(error, "slug");
    let name_error = field_error(error, "name");
    let plan_error = field_error(error, "plan");
    let other_error = form_error(error, &["slug", "name", "plan"]);
    let created = move || create.value().get().and_then(Result::ok);
    view! {
        <h2 id="new-org-title">{t("admin-orgs-new")}</h2>
        <ActionForm action=create attr:class="stack card admin-form" attr:aria-labelledby="new-org-title">
            <label for="new-org-slug">{t("field-slug")}</label>
            <input id="new-org-slug" name="slug" required maxlength="63" autocomplete="off" spellcheck="false"
                aria-describedby="new-org-slug-hint new-org-slug-error"
                aria-invalid=move || slug_error().is_some().to_string()/>
            <small id="new-org-slug-hint">{t("admin-orgs-slug-hint")}</small>
            <p class="error" id="new-org-slug-error">{slug_error}</p>
            <label for="new-org-name">{t("field-name")}</label>
            <input id="new-org-name" name="name" required maxlength="200" autocomplete="off"
                aria-describedby="new-org-name-error" aria-invalid=move || name_error().is_some().to_string()/>
            <p class="error" id="new-org-name-error">{name_error}</p>
            <label for="new-org-plan">{t("field-plan")}</label>
            <Transition fallback=|| view! { <select id="new-org-plan" name="plan" disabled=true></select> }>
                {move || plans.get().map(|result| match result {
                    Ok(plans) => view! {
                        <select id="new-org-plan" name="plan" required aria-describedby="new-org-plan-error"
                            aria-invalid=move || plan_error().is_some().to_string()>
                            {plan_options(&plans, "")}
                        </select>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <p class="error" id="new-org-plan-error">{plan_error}</p>
            <p class="error" role="alert">{other_error}</p>
            <button type="submit" class="button" disabled=move || create.pending().get()>{t("admin-orgs-create")}</button>
            <p role="status" class="saved">
                {move || created().map(|o| {
                    let href = format!("/admin/organizations/{}", o.slug);
                    view! { {t_args("admin-orgs-created", &[("name", o.name.clone())])}" "<A href=href>{t("admin-orgs-open")}</A> }
                })}
            </p>
        </ActionForm>
    }
    .into_any()
}
