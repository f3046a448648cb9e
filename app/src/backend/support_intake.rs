//! Support opens cases: for a customer contact who phoned ("phone intake": the case is the
//! contact's, with their organization's contract, seat rule and routing, and its log says who
//! opened it for whom), and maintenance tasks that inform an organization (NAES: kind
//! `maintenance`, no reporter, no SLA clock, visible to the whole organization).

use serde::{Deserialize, Serialize};

use super::cases::{check_idempotency_key, earliest_today};
use super::store::{Opened, Opening, Store, UserRecord};
use crate::domain::intake::{ContactChoice, OrganizationChoice};
use crate::domain::{AssignmentNeed, CaseDraft, CaseKind, IntakeContext, Visibility, choose_engineer};
use crate::error::{AppError, InvalidReason};

/// What support sends to open a case for an organization.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(example = json!({
    "reporter": 7,
    "case": {"summary": "Dashboards time out since the upgrade", "description": "Called at 10:05: every dashboard times out.",
        "kind": "bug", "severity": 2, "environment": "production", "visibility": "organization", "product": "Kibana"}
})))]
#[serde(deny_unknown_fields)]
pub struct SupportCaseRequest {
    /// The contact the case is for (a customer of the organization holding a seat). Left out
    /// only for a maintenance task (`case.kind` = `maintenance`), which has no reporter.
    #[serde(default)]
    pub reporter: Option<i64>,
    /// The case, as a customer would write it.
    pub case: CaseDraft,
}

/// Support opens `draft` for the organization `slug`: for the contact `reporter`, or, with no
/// reporter and kind `maintenance`, as a maintenance task without SLA.
pub async fn open_case_for(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    reporter: Option<i64>,
    draft: CaseDraft,
    idempotency_key: Option<&str>,
) -> Result<Opened, AppError> {
    if !actor.role.is_support() {
        tracing::info!(user = actor.id, "case for an organization refused: not support");
        return Err(AppError::Forbidden);
    }
    let key = idempotency_key.map(str::trim).filter(|k| !k.is_empty());
    if let Some(key) = key {
        check_idempotency_key(key)?;
    }
    let record = store.organization_record(slug).await?.ok_or(AppError::NotFound)?;
    if !record.active {
        return Err(AppError::invalid("organization", InvalidReason::NotAllowed));
    }
    let organization = record.organization;
    let contract = super::contracts::contract_of(store, &organization).await?;
    let plan = contract.plan_at(jiff::Timestamp::now());
    let context = IntakeContext { today: earliest_today(), phone_callback: plan.phone_callback };
    let mut draft = draft.validated(context).inspect_err(|e| {
        tracing::info!(user = actor.id, error = %e, "case for an organization refused");
    })?;
    let Some(reporter) = reporter else {
        if draft.kind != CaseKind::Maintenance {
            return Err(AppError::invalid("reporter", InvalidReason::Required));
        }
        // A maintenance task: the whole organization sees it; no clock, no callback.
        draft.visibility = Visibility::Organization;
        draft.details.callback = None;
        let opening = Opening { reporter: actor, organization_id: organization.id, opened_by: Some(actor), no_sla: true };
        let opened = store.open_case_as(opening, &draft, key, None).await?;
        if opened.created {
            tracing::info!(number = %opened.case.number, user = actor.id, organization = organization.id, "maintenance task opened");
        }
        return Ok(opened);
    };
    let contact = store
        .active_person(reporter)
        .await?
        .filter(|c| c.organization_id == Some(organization.id))
        .ok_or_else(|| AppError::invalid("reporter", InvalidReason::NotAllowed))?;
    if !contact.opens_cases {
        tracing::info!(user = actor.id, contact = contact.id, "case for a contact refused: no seat");
        return Err(AppError::invalid("reporter", InvalidReason::NotAllowed));
    }
    plan.check_severity(draft.severity)?;
    if let Some(callback) = draft.details.callback.as_mut() {
        callback.phone = super::phone::e164("callback_phone", &callback.phone)?;
    }
    let need = AssignmentNeed { product: draft.product.clone(), language: contact.language.clone() };
    let assignment = choose_engineer(&store.engineers().await?, &need, jiff::Timestamp::now());
    let opening = Opening { reporter: &contact, organization_id: organization.id, opened_by: Some(actor), no_sla: false };
    let opened = store.open_case_as(opening, &draft, key, assignment.as_ref()).await?;
    if opened.created {
        tracing::info!(number = %opened.case.number, user = actor.id, contact = contact.id, "case opened for a contact");
    }
    Ok(opened)
}

/// The most organizations or contacts one lookup of the intake form returns.
pub const DIRECTORY_MAX: i64 = 20;

fn require_support(actor: &UserRecord) -> Result<(), AppError> {
    if actor.role.is_support() { Ok(()) } else { Err(AppError::Forbidden) }
}

fn checked_search(text: &str) -> Result<Option<&str>, AppError> {
    let text = text.trim();
    if text.chars().count() > super::organizations::SEARCH_MAX_CHARS {
        return Err(AppError::invalid("q", InvalidReason::TooLong { max: super::organizations::SEARCH_MAX_CHARS }));
    }
    Ok(Some(text).filter(|t| !t.is_empty()))
}

/// Active organizations whose name or slug contains `text`, by name, at most [`DIRECTORY_MAX`].
pub async fn organization_choices(store: &Store, actor: &UserRecord, text: &str) -> Result<Vec<OrganizationChoice>, AppError> {
    require_support(actor)?;
    let search = checked_search(text)?;
    let records = store.organization_records(search, None, DIRECTORY_MAX).await?;
    Ok(records
        .into_iter()
        .filter(|r| r.active)
        .map(|r| OrganizationChoice { slug: r.organization.slug, name: r.organization.name })
        .collect())
}

/// Active contacts of the organization `slug` whose name or email contains `text`, by name,
/// at most [`DIRECTORY_MAX`].
pub async fn contact_choices(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    text: &str,
) -> Result<Vec<ContactChoice>, AppError> {
    require_support(actor)?;
    let search = checked_search(text)?;
    let organization = store.organization_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    let filter = super::store::people::PeopleFilter {
        role: Some(crate::domain::Role::Customer),
        organization_id: Some(organization.id),
        q: search,
        active: Some(true),
    };
    let people = store.people(&filter, None, DIRECTORY_MAX).await?;
    Ok(people.into_iter().map(|p| ContactChoice { id: p.id, name: p.name, email: p.email }).collect())
}
