//! Support contracts on the server: which plan and calendar an organization has (and had),
//! custom plans, entitlement checks, and the SLA clocks of cases computed from the event log.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::store::{Organization, Store, UserRecord};
use crate::domain::calendar::{BusinessCalendar, DayOfWeek, WorkingWindow};
use crate::domain::plan::{SupportPlan, is_preset_plan};
use crate::domain::sla::{Contract, SlaClockKind, SlaClockState, SlaEvent, clocks};
use crate::domain::{CaseEvent, Role, Severity};
use crate::error::{AppError, InvalidReason};

fn to_json<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|_| AppError::Internal)
}

fn from_json<T: for<'de> Deserialize<'de>>(what: &str, text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|e| {
        tracing::error!(what, error = %e, "unreadable contract data in the database");
        AppError::Internal
    })
}

/// A preset or a custom plan, by id.
pub async fn plan_by_id(store: &Store, id: &str) -> Result<Option<SupportPlan>, AppError> {
    if let Some(plan) = SupportPlan::preset(id) {
        return Ok(Some(plan));
    }
    store.custom_plan(id).await?.map(|text| from_json("custom plan", &text)).transpose()
}

/// Every plan an organization can be on: the presets, then the custom plans.
pub async fn all_plans(store: &Store) -> Result<Vec<SupportPlan>, AppError> {
    let mut plans = SupportPlan::presets();
    for text in store.custom_plans().await? {
        plans.push(from_json("custom plan", &text)?);
    }
    Ok(plans)
}

/// The plans `user` may read: support, every plan; a customer, the presets and their own
/// organization's plan (a custom plan is often named after the customer it was made for).
pub async fn plans_for(store: &Store, user: &UserRecord) -> Result<Vec<SupportPlan>, AppError> {
    if user.role.is_support() {
        return all_plans(store).await;
    }
    let mut plans = SupportPlan::presets();
    if let Some(organization_id) = user.organization_id
        && let Some(organization) = store.organization_by_id(organization_id).await?
        && !is_preset_plan(&organization.plan)
        && let Some(own) = plan_by_id(store, &organization.plan).await?
    {
        plans.push(own);
    }
    Ok(plans)
}

/// An admin defines (or redefines) a custom plan; preset ids are reserved.
pub async fn save_custom_plan(store: &Store, actor: &UserRecord, plan: SupportPlan) -> Result<SupportPlan, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    if is_preset_plan(&plan.id) {
        return Err(AppError::invalid("id", InvalidReason::NotAllowed));
    }
    crate::domain::slug::check_slug(&plan.id).map_err(|_| {
        AppError::invalid("id", InvalidReason::Malformed { detail: "lowercase letters, digits and dashes".into() })
    })?;
    plan.validate()?;
    let mut plan = plan;
    if let Some(line) = &plan.phone_line {
        plan.phone_line = Some(super::phone::e164("phone_line", line)?);
    }
    let before = plan_by_id(store, &plan.id).await?;
    store.save_custom_plan(&plan.id, &to_json(&plan)?).await?;
    tracing::info!(plan = %plan.id, actor = actor.id, "custom plan saved");
    let target = format!("plan:{}", plan.id);
    super::audit::record(store, actor, "plan.saved", &target, to_value(&before)?, to_value(&Some(&plan))?).await?;
    Ok(plan)
}

/// Records the first contract of a new organization: its plan and that plan's calendar.
pub async fn start_contract(store: &Store, organization: &Organization) -> Result<(), AppError> {
    let plan = plan_by_id(store, &organization.plan)
        .await?
        .ok_or_else(|| AppError::invalid("plan", InvalidReason::Malformed { detail: "unknown plan id".into() }))?;
    start_contract_on(store, organization, plan).await
}

/// The same, on a plan given whole (the demo's Coveo, with a support phone line).
pub async fn start_contract_on(store: &Store, organization: &Organization, plan: SupportPlan) -> Result<(), AppError> {
    let calendar = plan.calendar.clone();
    store.add_contract_change(organization.id, &plan.id, &to_json(&plan)?, &to_json(&calendar)?, None).await
}

/// The organization's contract: the first plan, every later plan change at its date, and
/// the newest calendar.
pub async fn contract_of(store: &Store, organization: &Organization) -> Result<Contract, AppError> {
    let changes = store.contract_changes(organization.id).await?;
    contract_from_changes(store, organization, &changes).await
}

/// The contract its dated changes (oldest first) make.
async fn contract_from_changes(
    store: &Store,
    organization: &Organization,
    changes: &[(jiff::Timestamp, String, String)],
) -> Result<Contract, AppError> {
    let Some(((_, first_plan, _), rest)) = changes.split_first() else {
        // An organization from before contracts were recorded: its preset, as it is today.
        let plan = plan_by_id(store, &organization.plan).await?.ok_or(AppError::Internal)?;
        let calendar = plan.calendar.clone();
        return Contract::new(plan, calendar);
    };
    let calendar: BusinessCalendar = from_json("calendar", &changes[changes.len() - 1].2)?;
    let mut plan: SupportPlan = from_json("plan", first_plan)?;
    let mut contract = Contract::new(plan.clone(), calendar)?;
    for (at, plan_json, _) in rest {
        let next: SupportPlan = from_json("plan", plan_json)?;
        if next != plan {
            contract = contract.with_plan_change(*at, next.clone())?;
            plan = next;
        }
    }
    Ok(contract)
}

/// The contract as `PUT /api/v1/organizations/{slug}/contract` takes it.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "plan": "elastic-cloud-premium", "time_zone": "Europe/Paris",
    "working_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
    "windows": [{"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}],
    "holidays": ["2026-12-25"]
}))]
#[serde(deny_unknown_fields)]
pub struct ContractRequest {
    /// A plan id (`GET /api/v1/plans`).
    #[schema(min_length = 1)]
    pub plan: String,
    /// An IANA time zone name, such as `Europe/Paris`.
    #[schema(min_length = 1)]
    pub time_zone: String,
    /// e.g. `["monday", "tuesday", "wednesday", "thursday", "friday"]`
    #[schema(min_items = 1)]
    pub working_days: Vec<DayOfWeek>,
    /// e.g. `[{"start": "09:00", "end": "12:00"}, {"start": "14:00", "end": "18:00"}]`
    #[schema(min_items = 1)]
    pub windows: Vec<WorkingWindow>,
    /// Public holidays, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(schema_with = crate::domain::calendar::holiday_dates)]
    pub holidays: Vec<String>,
}

/// An admin sets an organization's plan and calendar. Everything is checked first; a bad
/// field changes nothing. A new plan applies from now to the open cases' future targets.
pub async fn set_contract(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    request: ContractRequest,
) -> Result<Contract, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let organization = store.organization_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    let plan = plan_by_id(store, &request.plan)
        .await?
        .ok_or_else(|| AppError::invalid("plan", InvalidReason::Malformed { detail: "unknown plan id".into() }))?;
    let mut holidays = Vec::with_capacity(request.holidays.len());
    for text in &request.holidays {
        holidays.push(text.parse::<jiff::civil::Date>().map_err(|_| {
            AppError::invalid(
                "holidays",
                InvalidReason::Malformed { detail: format!("not a date (YYYY-MM-DD): {text}") },
            )
        })?);
    }
    let calendar = BusinessCalendar {
        time_zone: request.time_zone,
        working_days: request.working_days.into_iter().collect(),
        windows: request.windows,
        holidays,
    };
    calendar.validate()?;
    let before = contract_of(store, &organization).await?;
    store
        .add_contract_change(organization.id, &plan.id, &to_json(&plan)?, &to_json(&calendar)?, Some(actor.id))
        .await?;
    tracing::info!(slug, plan = %plan.id, actor = actor.id, "contract changed");
    let organization = store.organization_by_slug(slug).await?.ok_or(AppError::Internal)?;
    let after_contract = contract_of(store, &organization).await?;
    let (before, after) = (contract_summary(&before)?, contract_summary(&after_contract)?);
    let target = format!("organization:{slug}");
    super::audit::record(store, actor, "contract.changed", &target, Some(before), Some(after)).await?;
    Ok(after_contract)
}

/// A contract as the admin log keeps it: the plan in force now (its id) and the calendar.
fn contract_summary(contract: &Contract) -> Result<serde_json::Value, AppError> {
    let terms = contract.terms();
    let plan = terms.plan_changes.last().map(|c| c.plan.id.clone()).unwrap_or_else(|| terms.plan.id.clone());
    Ok(
        serde_json::json!({"plan": plan, "calendar": serde_json::to_value(&terms.calendar).map_err(|_| AppError::Internal)?}),
    )
}

fn to_value<T: Serialize>(value: &Option<T>) -> Result<Option<serde_json::Value>, AppError> {
    value.as_ref().map(|v| serde_json::to_value(v).map_err(|_| AppError::Internal)).transpose()
}

/// The clock-relevant facts of a case's log, in order.
pub fn sla_events(events: &[CaseEvent]) -> Vec<SlaEvent> {
    events.iter().filter_map(|e| SlaEvent::from_change(e.at, &e.change)).collect()
}

/// The organization a user may preview or open cases for.
pub async fn organization_for(store: &Store, user: &UserRecord, slug: Option<&str>) -> Result<Organization, AppError> {
    match (user.role.is_support(), slug) {
        (true, Some(slug)) => store.organization_by_slug(slug).await?.ok_or(AppError::NotFound),
        (true, None) => Err(AppError::invalid("organization", InvalidReason::Required)),
        (false, requested) => {
            let own = user.organization_id.ok_or(AppError::Forbidden)?;
            let organization = store.organization_by_id(own).await?.ok_or(AppError::Internal)?;
            match requested {
                Some(slug) if slug != organization.slug => Err(AppError::NotFound),
                _ => Ok(organization),
            }
        }
    }
}

/// What the preview endpoint and the wizard show before a case exists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SlaPreview {
    /// `null`: no commitment.
    #[schema(value_type = Option<String>, format = DateTime, required = true)]
    pub first_response_due: Option<Timestamp>,
    /// `null`: no commitment.
    #[schema(value_type = Option<String>, format = DateTime, required = true)]
    pub restore_due: Option<Timestamp>,
    /// `24x7` or `business_hours`
    #[schema(pattern = "^(24x7|business_hours)$")]
    pub coverage: String,
    pub explanation: String,
}

pub fn preview(contract: &Contract, severity: Severity, opened_at: Timestamp) -> Result<SlaPreview, AppError> {
    contract.plan_at(opened_at).check_severity(severity)?;
    let computed = clocks(contract, severity, opened_at, &[], opened_at);
    let due = |kind| computed.iter().find(|c| c.kind == kind).and_then(|c| c.due);
    let business = computed.iter().any(|c| c.target.is_some_and(|t| t.counts_business_time()));
    let explanation = computed
        .iter()
        .filter(|c| c.state != SlaClockState::NoCommitment || c.kind == SlaClockKind::InitialResponse)
        .map(|c| c.explanation.clone())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(SlaPreview {
        first_response_due: due(SlaClockKind::InitialResponse),
        restore_due: due(SlaClockKind::Restore),
        coverage: if business { "business_hours" } else { "24x7" }.into(),
        explanation,
    })
}

/// The contracts of the organizations behind these cases, by organization slug.
pub async fn contracts_for_cases(
    store: &Store,
    cases: &[crate::domain::Case],
) -> Result<Vec<(String, Contract)>, AppError> {
    let mut slugs: Vec<&str> = cases.iter().map(|c| c.organization.as_str()).collect();
    slugs.sort_unstable();
    slugs.dedup();
    let found = store.organizations_with_contract_changes(&slugs).await?;
    if found.len() != slugs.len() {
        return Err(AppError::Internal);
    }
    let mut contracts = Vec::with_capacity(found.len());
    for (organization, changes) in found {
        let contract = contract_from_changes(store, &organization, &changes).await?;
        contracts.push((organization.slug, contract));
    }
    contracts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(contracts)
}

/// The products of the user's organization, with the versions support covers (none for
/// support people, who belong to no organization).
pub async fn products_of(store: &Store, user: &UserRecord) -> Result<Vec<crate::domain::ProductLine>, AppError> {
    match user.organization_id {
        Some(organization_id) => store.products(organization_id).await,
        None => Ok(Vec::new()),
    }
}

/// The contract of the organization a user may read (`slug`: support names one; a
/// customer's own when omitted).
pub async fn contract_for(store: &Store, user: &UserRecord, slug: Option<&str>) -> Result<Contract, AppError> {
    let organization = organization_for(store, user, slug).await?;
    contract_of(store, &organization).await
}

/// Adds public holidays to the organization's calendar as a dated contract change (the plan
/// stays as it is). Answers with the calendar before and after, and the dates that were
/// not holidays yet, in order.
pub async fn add_holidays(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    dates: &[jiff::civil::Date],
) -> Result<(BusinessCalendar, BusinessCalendar, Vec<jiff::civil::Date>), AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let organization = store.organization_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    let changes = store.contract_changes(organization.id).await?;
    let (plan, before): (SupportPlan, BusinessCalendar) = match changes.last() {
        Some((_, plan, calendar)) => (from_json("plan", plan)?, from_json("calendar", calendar)?),
        None => {
            let plan = plan_by_id(store, &organization.plan).await?.ok_or(AppError::Internal)?;
            let calendar = plan.calendar.clone();
            (plan, calendar)
        }
    };
    let mut added: Vec<jiff::civil::Date> = dates.iter().copied().filter(|d| !before.holidays.contains(d)).collect();
    added.sort_unstable();
    added.dedup();
    let mut after = before.clone();
    after.holidays.extend(added.iter().copied());
    after.holidays.sort_unstable();
    after.validate()?;
    if !added.is_empty() {
        store
            .add_contract_change(organization.id, &plan.id, &to_json(&plan)?, &to_json(&after)?, Some(actor.id))
            .await?;
    }
    tracing::info!(slug, added = added.len(), actor = actor.id, "holidays imported");
    if !added.is_empty() {
        let holidays = |calendar: &BusinessCalendar| serde_json::json!({"holidays": calendar.holidays.iter().map(ToString::to_string).collect::<Vec<_>>()});
        let target = format!("organization:{slug}");
        super::audit::record(
            store,
            actor,
            "holidays.imported",
            &target,
            Some(holidays(&before)),
            Some(holidays(&after)),
        )
        .await?;
    }
    Ok((before, after, added))
}

/// The most contract changes [`history`] answers with (the newest ones).
pub const HISTORY_MAX: usize = 100;

/// Every plan, for an admin choosing an organization's: the presets, then the custom plans.
pub async fn plans_for_admin(store: &Store, actor: &UserRecord) -> Result<Vec<SupportPlan>, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    all_plans(store).await
}

/// The organization's dated contract changes (its first contract, every plan or calendar
/// change, every holiday import), newest first, at most [`HISTORY_MAX`]: the plan and the
/// calendar each one put in force. The admin's alone.
pub async fn history(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
) -> Result<Vec<(Timestamp, SupportPlan, BusinessCalendar)>, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let organization = store.organization_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    let changes = store.latest_contract_changes(organization.id, HISTORY_MAX as i64).await?;
    changes
        .iter()
        .map(|(at, plan, calendar)| Ok((*at, from_json("plan", plan)?, from_json("calendar", calendar)?)))
        .collect()
}

/// What support says of a product's version, for the organization `slug` (support names one;
/// a customer's own when omitted): the REST twin of the wizard's "no longer supported" warning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VersionVerdict {
    pub product: String,
    pub version: String,
    /// `supported`, `unsupported` (too old: upgrade) or `unknown` (no such product, a product
    /// without versions, or a version that does not start with a number).
    #[schema(pattern = "^(supported|unsupported|unknown)$")]
    pub support: String,
    /// The oldest major version still supported, when `unsupported`.
    pub oldest_supported_major: Option<u64>,
    /// The newest version, to upgrade to, when `unsupported`.
    pub latest_version: Option<String>,
}

pub async fn version_verdict(
    store: &Store,
    user: &UserRecord,
    slug: Option<&str>,
    product: &str,
    version: &str,
) -> Result<VersionVerdict, AppError> {
    for (field, text) in [("product", product), ("version", version)] {
        if text.trim().is_empty() {
            return Err(AppError::invalid(field, InvalidReason::Required));
        }
        if text.chars().count() > 100 {
            return Err(AppError::invalid(field, InvalidReason::TooLong { max: 100 }));
        }
    }
    let organization = organization_for(store, user, slug).await?;
    let line = store.products(organization.id).await?.into_iter().find(|p| p.name.eq_ignore_ascii_case(product.trim()));
    let support = line.map_or(crate::domain::product::VersionSupport::Unknown, |line| line.support_of(version));
    let (support, oldest_supported_major, latest_version) = match support {
        crate::domain::product::VersionSupport::Supported => ("supported", None, None),
        crate::domain::product::VersionSupport::Unsupported { oldest_major, latest } => {
            ("unsupported", Some(oldest_major), Some(latest))
        }
        crate::domain::product::VersionSupport::Unknown => ("unknown", None, None),
    };
    Ok(VersionVerdict {
        product: product.trim().to_owned(),
        version: version.trim().to_owned(),
        support: support.to_owned(),
        oldest_supported_major,
        latest_version,
    })
}
