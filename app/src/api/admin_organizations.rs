//! The admin console's organizations: the list, creating one, renaming, deactivating and
//! reactivating it, its contract (plan and calendar), its products and its holidays. Every
//! function is thin: the services in `backend` check the admin role and every field.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{BusinessCalendar, OrganizationSummary, Organizations, ProductLine};
use crate::error::AppError;

/// A plan an organization can be put on, as the plan select lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChoice {
    pub id: String,
    pub name: String,
    /// A preset plan (not one of this install's custom plans).
    pub preset: bool,
}

/// One dated change of an organization's contract: the plan and calendar in force from then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractChange {
    pub at: jiff::Timestamp,
    pub plan: PlanChoice,
    pub calendar: BusinessCalendar,
}

/// What the organization page shows: the organization, its calendar now, the dated history
/// of its contract (newest first), its products, and the plans it can be put on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationPage {
    pub organization: OrganizationSummary,
    pub calendar: BusinessCalendar,
    pub history: Vec<ContractChange>,
    pub products: Vec<ProductLine>,
    pub plans: Vec<PlanChoice>,
}

/// What a holiday import added: the dates that were not holidays yet, and how many there are now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayImport {
    pub added: Vec<jiff::civil::Date>,
    pub holidays: usize,
}

#[cfg(feature = "ssr")]
fn plan_choice(plan: &crate::domain::SupportPlan) -> PlanChoice {
    PlanChoice { id: plan.id.clone(), name: plan.name.clone(), preset: crate::domain::plan::is_preset_plan(&plan.id) }
}

/// A page of organizations by name after `cursor` (empty: the first), only those whose name
/// or slug contains `q` when it is not empty.
#[server(endpoint = "admin_organizations")]
pub async fn admin_organizations(
    #[server(default)] q: String,
    #[server(default)] cursor: String,
) -> Result<Organizations, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::organizations::list(&state.store, &user, Some(q.as_str()), Some(cursor.as_str()), None).await
    })
    .await
}

/// Every plan an organization can be put on: the presets, then the custom plans.
#[server(endpoint = "admin_plan_choices")]
pub async fn admin_plan_choices() -> Result<Vec<PlanChoice>, AppError> {
    super::request::as_caller(move |state, user| async move {
        let plans = crate::backend::contracts::plans_for_admin(&state.store, &user).await?;
        Ok(plans.iter().map(plan_choice).collect())
    })
    .await
}

/// Creates an organization on a plan (its first contract starts now).
#[server(endpoint = "create_admin_organization")]
pub async fn create_admin_organization(
    slug: String,
    name: String,
    plan: String,
) -> Result<OrganizationSummary, AppError> {
    super::request::as_caller(move |state, user| async move {
        let slug = slug.trim().to_owned();
        let created =
            crate::backend::admin::create_organization(&state.store, &user, &slug, &name, plan.trim()).await?;
        crate::backend::organizations::get(&state.store, &user, &created.slug).await
    })
    .await
}

/// One organization with its contract, history, products and the plans it can be put on.
#[server(endpoint = "admin_organization")]
pub async fn admin_organization(slug: String) -> Result<OrganizationPage, AppError> {
    super::request::as_caller(move |state, user| async move {
        use crate::backend::{contracts, organizations};
        let store = &state.store;
        // First: refuses whoever is not an admin, before anything else is read.
        let organization = organizations::get(store, &user, &slug).await?;
        let contract = contracts::contract_for(store, &user, Some(&slug)).await?;
        let history = contracts::history(store, &user, &slug)
            .await?
            .into_iter()
            .map(|(at, plan, calendar)| ContractChange { at, plan: plan_choice(&plan), calendar })
            .collect();
        let products = organizations::products(store, &user, &slug).await?;
        let plans = contracts::plans_for_admin(store, &user).await?.iter().map(plan_choice).collect();
        Ok(OrganizationPage { organization, calendar: contract.calendar().clone(), history, products, plans })
    })
    .await
}

/// Renames an organization: its name and its slug, all or nothing.
#[server(endpoint = "rename_organization")]
pub async fn rename_organization(
    slug: String,
    name: String,
    new_slug: String,
) -> Result<OrganizationSummary, AppError> {
    super::request::as_caller(move |state, user| async move {
        let new_slug = new_slug.trim().to_owned();
        let edit = crate::backend::organizations::OrganizationEdit {
            name: Some(name),
            slug: (new_slug != slug).then_some(new_slug),
        };
        let (_, after) = crate::backend::organizations::edit(&state.store, &user, &slug, edit).await?;
        Ok(after)
    })
    .await
}

/// Deactivates (`active: false`: its contacts can no longer sign in; its cases stay) or
/// reactivates an organization.
#[server(endpoint = "set_organization_active")]
pub async fn set_organization_active(slug: String, active: bool) -> Result<OrganizationSummary, AppError> {
    super::request::as_caller(move |state, user| async move {
        let (_, after) = crate::backend::organizations::set_active(&state.store, &user, &slug, active).await?;
        Ok(after)
    })
    .await
}

/// Lets the organization's known contacts open cases by email (`allowed: true`), or stops it.
#[server(endpoint = "set_organization_email_intake")]
pub async fn set_organization_email_intake(slug: String, allowed: bool) -> Result<OrganizationSummary, AppError> {
    super::request::as_caller(move |state, user| async move {
        crate::backend::admin::set_email_intake(&state.store, &user, &slug, allowed).await?;
        crate::backend::organizations::get(&state.store, &user, &slug).await
    })
    .await
}

/// Sets the organization's plan and calendar: `working_days` as day names separated by
/// commas (`monday,tuesday`), `windows` as `HH:MM-HH:MM` separated by commas or spaces.
/// The holidays stay as they are.
#[server(endpoint = "set_organization_contract")]
pub async fn set_organization_contract(
    slug: String,
    plan: String,
    time_zone: String,
    #[server(default)] working_days: String,
    #[server(default)] windows: String,
) -> Result<(), AppError> {
    super::request::as_caller(move |state, user| async move {
        use crate::backend::{contracts, organizations};
        let store = &state.store;
        organizations::get(store, &user, &slug).await?;
        let holidays = contracts::contract_for(store, &user, Some(&slug)).await?.calendar().holidays.clone();
        let request = contracts::ContractRequest {
            plan: plan.trim().to_owned(),
            time_zone: time_zone.trim().to_owned(),
            working_days: day_list(&working_days)?,
            windows: window_list(&windows)?,
            holidays: holidays.iter().map(ToString::to_string).collect(),
        };
        contracts::set_contract(store, &user, &slug, request).await.map(|_| ())
    })
    .await
}

/// Days as the contract form sends them: `monday,friday`.
#[cfg(feature = "ssr")]
fn day_list(text: &str) -> Result<Vec<crate::domain::DayOfWeek>, AppError> {
    use crate::error::InvalidReason;
    let days = text
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| crate::domain::DayOfWeek::parse(&d.to_ascii_lowercase()))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| {
            AppError::invalid("working_days", InvalidReason::Malformed { detail: "day names, such as monday".into() })
        })?;
    if days.is_empty() {
        return Err(AppError::invalid("working_days", InvalidReason::Required));
    }
    Ok(days)
}

/// Daily windows as a person types them: `09:00-12:00, 14:00-18:00`.
#[cfg(feature = "ssr")]
fn window_list(text: &str) -> Result<Vec<crate::domain::WorkingWindow>, AppError> {
    use crate::error::InvalidReason;
    let windows = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.split_once('-').map(|(start, end)| crate::domain::WorkingWindow::new(start.trim(), end.trim())))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| {
            AppError::invalid("windows", InvalidReason::Malformed { detail: "HH:MM-HH:MM, such as 09:00-18:00".into() })
        })?;
    if windows.is_empty() {
        return Err(AppError::invalid("windows", InvalidReason::Required));
    }
    Ok(windows)
}

/// Adds a product (`replace` empty; one of the same name is refused: 409 on `name`) or
/// saves it whatever was there (`replace` ticked). `versions` separated by commas or
/// spaces, newest first.
#[server(endpoint = "save_organization_product")]
pub async fn save_organization_product(
    slug: String,
    name: String,
    #[server(default)] versions: String,
    supported_majors: String,
    #[server(default)] replace: Option<String>,
) -> Result<ProductLine, AppError> {
    super::request::as_caller(move |state, user| async move {
        let supported_majors = supported_majors.trim().parse::<u32>().map_err(|_| {
            AppError::invalid(
                "supported_majors",
                crate::error::InvalidReason::Malformed { detail: "a number from 1 to 100".into() },
            )
        })?;
        let versions = versions
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        let request = crate::backend::organizations::ProductRequest { name, versions, supported_majors };
        let replace = super::request::checkbox(replace.as_deref());
        let (_, product) =
            crate::backend::organizations::save_product(&state.store, &user, &slug, request, replace).await?;
        Ok(product)
    })
    .await
}

/// Adds the dates of an iCalendar file's events (read as text in the browser) to the
/// organization's public holidays.
#[server(endpoint = "import_organization_holidays")]
pub async fn import_organization_holidays(slug: String, calendar: String) -> Result<HolidayImport, AppError> {
    super::request::as_caller(move |state, user| async move {
        let (_, after, added) =
            crate::backend::holidays::import(&state.store, &user, &slug, calendar.as_bytes()).await?;
        Ok(HolidayImport { added, holidays: after.holidays.len() })
    })
    .await
}
