//! `/admin/organizations/:slug`: one organization. Its name and slug (a new slug moves the
//! page to its new address), deactivation and reactivation (each confirmed first), its
//! contract (`contract`), its products (`products`) and its holidays (`holidays`).
//! The page is read again after each change that was saved, not after a refused one, so
//! what was typed stays beside the refusal.

mod contract;
mod holidays;
mod products;

use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::organizations::{activity_badge, field_error, form_error, refusal, seats_text};
use super::{AdminNav, AdminOnly};
use crate::api::admin_organizations::{
    ImportOrganizationHolidays, OrganizationPage, RenameOrganization, SaveOrganizationProduct, SetOrganizationActive,
    SetOrganizationContract, SetOrganizationEmailIntake, admin_organization,
};
use crate::domain::OrganizationSummary;
use crate::ui::error_view::error_view;
use crate::ui::i18n::{move_tr_static, t, t_args};

/// The page's actions, shared by its sections; `saved` counts the changes saved, and the
/// organization is read again each time it grows.
#[derive(Clone, Copy)]
struct OrganizationActions {
    slug: Memo<String>,
    saved: RwSignal<u32>,
    rename: ServerAction<RenameOrganization>,
    activity: ServerAction<SetOrganizationActive>,
    intake: ServerAction<SetOrganizationEmailIntake>,
    contract: ServerAction<SetOrganizationContract>,
    product: ServerAction<SaveOrganizationProduct>,
    holidays: ServerAction<ImportOrganizationHolidays>,
}

/// Counts a change as saved when its action answers with success.
fn count_saved<T: Clone + Send + Sync + 'static>(
    value: MappedSignal<Option<Result<T, crate::error::AppError>>>,
    saved: RwSignal<u32>,
) {
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            saved.update(|n| *n += 1);
        }
    });
}

#[component]
pub fn AdminOrganizationPage() -> impl IntoView {
    view! {
        <Title text=move_tr_static("admin-org-title")/>
        <AdminOnly>
            <AdminNav/>
            <OrganizationSections/>
        </AdminOnly>
    }
    .into_any()
}

#[component]
fn OrganizationSections() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let actions = OrganizationActions {
        slug,
        saved: RwSignal::new(0),
        rename: ServerAction::new(),
        activity: ServerAction::new(),
        intake: ServerAction::new(),
        contract: ServerAction::new(),
        product: ServerAction::new(),
        holidays: ServerAction::new(),
    };
    count_saved(actions.activity.value(), actions.saved);
    count_saved(actions.intake.value(), actions.saved);
    count_saved(actions.contract.value(), actions.saved);
    count_saved(actions.product.value(), actions.saved);
    count_saved(actions.holidays.value(), actions.saved);
    // A new slug is a new address: the page moves there (and reads the organization again).
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(after)) = actions.rename.value().get() {
            if after.slug != slug.get_untracked() {
                navigate(&format!("/admin/organizations/{}", after.slug), Default::default());
            } else {
                actions.saved.update(|n| *n += 1);
            }
        }
    });
    provide_context(actions);
    let organization = Resource::new(move || (slug.get(), actions.saved.get()), |(slug, _)| admin_organization(slug));
    view! {
        <p><A href="/admin/organizations">{t("admin-org-back")}</A></p>
        <Transition fallback=|| ()>
            {move || organization.get().map(|result| match result {
                Ok(data) => view! { <OrganizationView data/> }.into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn OrganizationView(data: OrganizationPage) -> impl IntoView {
    let OrganizationPage { organization, calendar, history, products, plans } = data;
    let seats = seats_text(&organization);
    let plan_name =
        plans.iter().find(|p| p.id == organization.plan).map_or_else(|| organization.plan.clone(), |p| p.name.clone());
    view! {
        <h1 data-testid="organization-name">{organization.name.clone()}</h1>
        <dl class="case-details admin-facts">
            <dt>{t("field-slug")}</dt><dd><code>{organization.slug.clone()}</code></dd>
            <dt>{t("admin-orgs-status")}</dt><dd>{activity_badge(organization.active)}</dd>
            <dt>{t("field-plan")}</dt><dd>{plan_name}</dd>
            <dt>{t("admin-orgs-seats")}</dt><dd>{seats}</dd>
        </dl>
        <RenameForm organization=organization.clone()/>
        <Activity organization=organization.clone()/>
        <EmailIntake organization=organization.clone()/>
        <contract::ContractSection plan=organization.plan.clone() calendar=calendar.clone() history plans/>
        <products::ProductsSection products/>
        <holidays::HolidaysSection holidays=calendar.holidays/>
    }
    .into_any()
}

/// The organization's name and slug, changed together.
#[component]
fn RenameForm(organization: OrganizationSummary) -> impl IntoView {
    let actions = expect_context::<OrganizationActions>();
    let rename = actions.rename;
    let error = Signal::derive(move || refusal(rename.value().get()));
    let name_error = field_error(error, "name");
    let slug_error = field_error(error, "slug");
    let other_error = form_error(error, &["name", "slug"]);
    let saved = move || matches!(rename.value().get(), Some(Ok(_))).then(|| t("admin-org-renamed")());
    view! {
        <section aria-labelledby="rename-title" class="admin-section">
            <h2 id="rename-title">{t("admin-org-rename")}</h2>
            <ActionForm action=rename attr:class="stack card admin-form">
                <input type="hidden" name="slug" value=organization.slug.clone()/>
                <label for="org-name">{t("field-name")}</label>
                <input id="org-name" name="name" required maxlength="200" autocomplete="off" value=organization.name.clone()
                    aria-describedby="org-name-error" aria-invalid=move || name_error().is_some().to_string()/>
                <p class="error" id="org-name-error" role="alert">{name_error}</p>
                <label for="org-slug">{t("field-slug")}</label>
                <input id="org-slug" name="new_slug" required maxlength="63" autocomplete="off" spellcheck="false"
                    value=organization.slug.clone()
                    aria-describedby="org-slug-hint org-slug-error" aria-invalid=move || slug_error().is_some().to_string()/>
                <small id="org-slug-hint">{t("admin-org-slug-hint")}</small>
                <p class="error" id="org-slug-error" role="alert">{slug_error}</p>
                <p class="error" role="alert">{other_error}</p>
                <button type="submit" class="button" disabled=move || rename.pending().get()>{t("admin-org-save")}</button>
                <p role="status" class="saved">{saved}</p>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// Deactivating (its contacts can no longer sign in; its cases stay) or reactivating the
/// organization, each after a confirmation.
#[component]
fn Activity(organization: OrganizationSummary) -> impl IntoView {
    let actions = expect_context::<OrganizationActions>();
    let activity = actions.activity;
    let confirming = RwSignal::new(false);
    let cancel_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = cancel_button.get() {
            let _ = button.focus();
        }
    });
    let active = organization.active;
    let name = organization.name.clone();
    let slug = organization.slug.clone();
    let (ask, question, consequences, confirm_key) = if active {
        (
            "admin-org-deactivate",
            "admin-org-deactivate-question",
            "admin-org-deactivate-consequences",
            "admin-org-deactivate-confirm",
        )
    } else {
        (
            "admin-org-reactivate",
            "admin-org-reactivate-question",
            "admin-org-reactivate-consequences",
            "admin-org-reactivate-confirm",
        )
    };
    let confirm = move |_| {
        confirming.set(false);
        activity.dispatch(SetOrganizationActive { slug: slug.clone(), active: !active });
    };
    let error = move || refusal(activity.value().get()).map(|e| crate::ui::i18n::error_text(&e));
    let done = move || {
        activity
            .value()
            .get()
            .and_then(Result::ok)
            .map(|o| if o.active { t("admin-org-reactivated")() } else { t("admin-org-deactivated")() })
    };
    view! {
        <section aria-labelledby="activity-title" class="admin-section">
            <h2 id="activity-title">{t("admin-org-activity")}</h2>
            <p role="status" class="saved">{done}</p>
            <p class="error" role="alert">{error}</p>
            <Show when=move || !confirming.get()>
                <button type="button" class=if active { "button danger" } else { "button secondary" }
                    on:click=move |_| confirming.set(true)>
                    {t(ask)}
                </button>
            </Show>
            <Show when=move || confirming.get()>
                <div role="group" aria-labelledby="activity-question" class="confirm-removal card">
                    <p id="activity-question">{t_args(question, &[("name", name.clone())])}</p>
                    <p class="lead">{t(consequences)}</p>
                    <div class="buttons">
                        <button type="button" class=if active { "button danger" } else { "button" }
                            disabled=move || activity.pending().get() on:click=confirm.clone()>
                            {t(confirm_key)}
                        </button>
                        <button type="button" class="button secondary" node_ref=cancel_button
                            on:click=move |_| confirming.set(false)>
                            {t("admin-org-cancel")}
                        </button>
                    </div>
                </div>
            </Show>
        </section>
    }
    .into_any()
}

/// Whether the organization's known contacts may open cases by email; one button changes it.
#[component]
fn EmailIntake(organization: OrganizationSummary) -> impl IntoView {
    let actions = expect_context::<OrganizationActions>();
    let intake = actions.intake;
    let allowed = organization.email_intake;
    let slug = organization.slug.clone();
    let (now, change) = if allowed {
        ("admin-org-intake-on", "admin-org-intake-stop")
    } else {
        ("admin-org-intake-off", "admin-org-intake-allow")
    };
    let error = move || refusal(intake.value().get()).map(|e| crate::ui::i18n::error_text(&e));
    let done = move || intake.value().get().and_then(Result::ok).map(|_| t("admin-org-intake-saved")());
    view! {
        <section aria-labelledby="intake-title" class="admin-section">
            <h2 id="intake-title">{t("admin-org-intake")}</h2>
            <p data-testid="email-intake">{t(now)}</p>
            <button type="button" class="button secondary" disabled=move || intake.pending().get()
                on:click=move |_| {
                    intake.dispatch(SetOrganizationEmailIntake { slug: slug.clone(), allowed: !allowed });
                }>
                {t(change)}
            </button>
            <p role="status" class="saved">{done}</p>
            <p class="error" role="alert">{error}</p>
        </section>
    }
    .into_any()
}
