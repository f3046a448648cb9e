//! The case service: who may do what to which case. Server functions and the REST API
//! both call these, so every rule is enforced once, on the server.

use super::store::{IDEMPOTENCY_KEY_MAX, Opened, Store, UserRecord};
use jiff::Timestamp;

use super::contracts::{contract_of, sla_events};
use crate::domain::lifecycle::check_transition;
use crate::domain::sla::{SlaClock, clocks};
use crate::domain::{
    AssignmentNeed, Case, CaseDraft, CaseEvent, CaseNumber, IntakeContext, Resolution, Role, Status, choose_engineer,
};
use crate::error::{AppError, InvalidReason};

/// Checks an idempotency key: printable ASCII, at most 128 characters.
pub fn check_idempotency_key(key: &str) -> Result<(), AppError> {
    if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX {
        return Err(AppError::invalid("idempotency_key", InvalidReason::TooLong { max: IDEMPOTENCY_KEY_MAX }));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::invalid(
            "idempotency_key",
            InvalidReason::Malformed { detail: "printable ASCII only".into() },
        ));
    }
    Ok(())
}

/// Today where it is earliest on Earth (UTC-12): a deadline "today" for any customer is
/// not refused as past.
pub fn earliest_today() -> jiff::civil::Date {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(-12))).date()
}

/// A customer opens a case for their organization.
pub async fn open_case(
    store: &Store,
    user: &UserRecord,
    draft: CaseDraft,
    idempotency_key: Option<&str>,
) -> Result<Opened, AppError> {
    if user.role != Role::Customer {
        // Support opening a case on a customer's behalf comes with the board issue.
        return Err(AppError::Forbidden);
    }
    let key = idempotency_key.map(str::trim).filter(|k| !k.is_empty());
    if let Some(key) = key {
        check_idempotency_key(key)?;
    }
    if !user.opens_cases {
        // A contact without one of the organization's seats reads and replies.
        tracing::info!(user = user.id, "case refused: the contact holds no seat");
        return Err(AppError::invalid("reporter", InvalidReason::NotAllowed));
    }
    // Entitlement: the plan in force decides which severities may be opened, and whether a
    // callback may be asked for.
    let organization_id = user.organization_id.ok_or(AppError::Forbidden)?;
    let organization = store.organization_by_id(organization_id).await?.ok_or(AppError::Internal)?;
    let contract = super::contracts::contract_of(store, &organization).await?;
    let plan = contract.plan_at(jiff::Timestamp::now());
    let context = IntakeContext { today: earliest_today(), phone_callback: plan.phone_callback };
    let mut draft = match draft.validated(context) {
        Ok(draft) => draft,
        Err(e) => {
            tracing::info!(user = user.id, error = %e, "case refused");
            return Err(e);
        }
    };
    plan.check_severity(draft.severity)?;
    // The callback number in E.164, kept on the contact for their next case.
    if let Some(callback) = draft.details.callback.as_mut() {
        callback.phone = super::phone::e164("callback_phone", &callback.phone)?;
    }
    // The engineer is chosen before the transaction and written in it, with the case.
    let need = AssignmentNeed { product: draft.product.clone(), language: user.language.clone() };
    let assignment = choose_engineer(&store.engineers().await?, &need, jiff::Timestamp::now());
    let opened = store.open_case(user, &draft, key, assignment.as_ref()).await?;
    if let Some(callback) = &draft.details.callback
        && user.phone.as_deref() != Some(callback.phone.as_str())
    {
        store.set_user_phone(user.id, &callback.phone).await?;
    }
    if opened.created {
        tracing::info!(number = %opened.case.number, user = user.id, assignee = ?opened.case.assignee_id, "case opened");
    }
    Ok(opened)
}

/// Every case the user may see (tests on small databases; lists page by cursor: `case_lists`).
#[cfg(test)]
pub async fn list_cases(store: &Store, user: &UserRecord) -> Result<Vec<Case>, AppError> {
    store.list_cases(user.case_scope()).await
}

/// A case the user may see; `NotFound` both when it does not exist and when it is not theirs.
pub async fn case_for(store: &Store, user: &UserRecord, number: CaseNumber) -> Result<Case, AppError> {
    store.case_by_number(number, user.case_scope()).await?.ok_or_else(|| {
        tracing::info!(%number, user = user.id, "case not found or out of scope");
        AppError::NotFound
    })
}

/// The timeline a user may read: support sees internal entries, customers never do.
pub async fn timeline(store: &Store, user: &UserRecord, number: CaseNumber) -> Result<Vec<CaseEvent>, AppError> {
    case_for(store, user, number).await?;
    store.case_events(number, user.role.is_support()).await
}

pub async fn change_status(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    to: Status,
    resolution: Option<Resolution>,
    expected_version: i64,
    duplicate_of: Option<CaseNumber>,
) -> Result<Case, AppError> {
    let role = user.role;
    // A Duplicate says what it duplicates; nothing else takes a "duplicate of".
    let duplicate_of = match (resolution, duplicate_of) {
        (Some(Resolution::Duplicate), None) if role.is_support() => {
            return Err(AppError::invalid("duplicate_of", InvalidReason::Required));
        }
        (Some(Resolution::Duplicate), other) if role.is_support() => other,
        (_, Some(_)) => return Err(AppError::invalid("duplicate_of", InvalidReason::NotAllowed)),
        (_, None) => None,
    };
    let case = store
        .change_status(number, user.case_scope(), user.id, expected_version, duplicate_of, |case| {
            Ok(check_transition(role, case.status, case.resolution, to, resolution)?)
        })
        .await;
    match &case {
        Ok(case) => tracing::info!(%number, to = %case.status, user = user.id, "status changed"),
        Err(e) => tracing::info!(%number, error = %e, user = user.id, "status change refused"),
    }
    case
}

/// Adds a reply (or, for support, an internal note) to a case the user may see. A
/// customer's reply resumes a paused SLA clock; support's first public reply meets the
/// initial-response clock.
///
/// The collision check: `seen_version` is the version the writer saw when the draft began.
/// A public reply to a case that changed since is refused (with who changed it) unless
/// `confirmed`: the writer first sees what changed. Internal notes are not held back.
pub async fn reply(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    body: &str,
    internal: bool,
    seen_version: Option<i64>,
    confirmed: bool,
) -> Result<Case, AppError> {
    reply_with_files(store, user, number, body, internal, seen_version, confirmed, &[]).await
}

/// A reply with the files its writer uploaded for it (`POST /api/v1/uploads`, by id): the
/// text and the files are written together, or nothing is. An internal note takes no file
/// (files are seen by the customer).
#[allow(clippy::too_many_arguments)]
pub async fn reply_with_files(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    body: &str,
    internal: bool,
    seen_version: Option<i64>,
    confirmed: bool,
    uploads: &[i64],
) -> Result<Case, AppError> {
    use crate::domain::CaseChange;
    use crate::domain::event::REPLY_MAX_BYTES;

    if internal && !user.role.is_support() {
        return Err(AppError::invalid("internal", InvalidReason::NotAllowed));
    }
    if internal && !uploads.is_empty() {
        return Err(AppError::invalid("attachments", InvalidReason::NotAllowed));
    }
    if uploads.len() > super::store::FILES_PER_UPLOAD_MAX {
        return Err(AppError::invalid(
            "attachments",
            InvalidReason::TooLong { max: super::store::FILES_PER_UPLOAD_MAX },
        ));
    }
    if body.trim().is_empty() {
        return Err(AppError::invalid("body", InvalidReason::Required));
    }
    if body.len() > REPLY_MAX_BYTES {
        return Err(AppError::invalid("body", InvalidReason::TooLong { max: REPLY_MAX_BYTES }));
    }
    if let Some(seen) = seen_version {
        // A version the case never had is the writer's mistake, not a change by someone else:
        // refused as the field, naming no one. (Versions only grow: what is checked here
        // still holds when the change is written.)
        let current = case_for(store, user, number).await?.version;
        if !(1..=current).contains(&seen) {
            tracing::info!(%number, user = user.id, seen, current, "reply refused: seen_version never existed");
            return Err(AppError::invalid(
                "seen_version",
                InvalidReason::Malformed { detail: format!("a version this case has had (1 to {current})") },
            ));
        }
    }
    let change = CaseChange::Reply { body: body.trim_end().to_owned(), internal, from_support: user.role.is_support() };
    let expected_version = if internal || confirmed { None } else { seen_version };
    let case = store.append_with_uploads(number, user.case_scope(), user.id, &change, expected_version, uploads).await;
    match &case {
        Ok(_) => tracing::info!(%number, user = user.id, internal, files = uploads.len(), "reply added"),
        Err(e) => tracing::info!(%number, user = user.id, error = %e, "reply refused"),
    }
    case
}

/// Support links two cases as related (or one as a duplicate of the other).
pub async fn link(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    other: CaseNumber,
    kind: crate::domain::LinkKind,
) -> Result<Case, AppError> {
    if !user.role.is_support() {
        tracing::info!(%number, user = user.id, "link refused: not support");
        return Err(AppError::Forbidden);
    }
    let case = store.link_cases(number, other, kind, user.case_scope(), user.id).await;
    match &case {
        Ok(_) => tracing::info!(%number, %other, kind = kind.as_str(), user = user.id, "cases linked"),
        Err(e) => tracing::info!(%number, %other, error = %e, user = user.id, "link refused"),
    }
    case
}

/// The severities this case may be moved to under its organization's contract, now.
pub async fn allowed_severities(store: &Store, case: &Case) -> Result<Vec<crate::domain::Severity>, AppError> {
    Ok(contract_of_case(store, case).await?.plan_at(jiff::Timestamp::now()).allowed_severities())
}

/// The contract of a case's organization (its dated plan and calendar changes).
async fn contract_of_case(store: &Store, case: &Case) -> Result<crate::domain::Contract, AppError> {
    let organization = store.organization_by_slug(&case.organization).await?.ok_or(AppError::Internal)?;
    contract_of(store, &organization).await
}

/// A customer asks for a more urgent severity, saying why; support is told and decides.
/// Only a more urgent level the contract offers may be asked for, on a case not closed.
pub async fn request_severity_raise(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    to: crate::domain::Severity,
    reason: &str,
) -> Result<Case, AppError> {
    use crate::domain::CaseChange;
    use crate::domain::event::RAISE_REASON_MAX_CHARS;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", InvalidReason::Required));
    }
    if reason.chars().count() > RAISE_REASON_MAX_CHARS {
        return Err(AppError::invalid("reason", InvalidReason::TooLong { max: RAISE_REASON_MAX_CHARS }));
    }
    let case = case_for(store, user, number).await?;
    let refused = |why: &str| {
        tracing::info!(%number, user = user.id, why, "severity raise request refused");
        AppError::invalid("severity", InvalidReason::NotAllowed)
    };
    if case.status == Status::Closed {
        return Err(refused("case closed"));
    }
    if to.level() >= case.severity.level() {
        return Err(refused("not more urgent"));
    }
    if !allowed_severities(store, &case).await?.contains(&to) {
        return Err(refused("not in the contract"));
    }
    let change = CaseChange::SeverityRaiseRequested { to, reason: reason.to_owned() };
    let case = store.append_change(number, user.case_scope(), user.id, &change, None).await?;
    tracing::info!(%number, user = user.id, to = to.level(), "severity raise requested");
    Ok(case)
}

/// Support sets a case's severity (to one the contract offers). The new target applies from
/// now; a promise already made is never extended.
pub async fn change_severity(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    to: crate::domain::Severity,
    expected_version: i64,
) -> Result<Case, AppError> {
    if !user.role.is_support() {
        tracing::info!(%number, user = user.id, "severity change refused: not support");
        return Err(AppError::Forbidden);
    }
    let case = case_for(store, user, number).await?;
    let allowed = allowed_severities(store, &case).await?;
    let changed = store
        .change_severity(number, user.case_scope(), user.id, expected_version, to, |case| {
            if case.status == Status::Closed || case.severity == to || !allowed.contains(&to) {
                return Err(AppError::invalid("severity", InvalidReason::NotAllowed));
            }
            Ok(())
        })
        .await;
    match &changed {
        Ok(_) => tracing::info!(%number, user = user.id, to = to.level(), "severity changed"),
        Err(e) => tracing::info!(%number, user = user.id, error = %e, "severity change refused"),
    }
    changed
}

/// A case's clocks now, for someone who may see the case.
pub async fn case_clocks(store: &Store, user: &UserRecord, number: CaseNumber) -> Result<Vec<SlaClock>, AppError> {
    let case = case_for(store, user, number).await?;
    let contract = contract_of_case(store, &case).await?;
    let events = store.case_events(number, true).await?;
    Ok(clocks(&contract, case.severity, case.opened_at, &sla_events(&events), Timestamp::now()))
}

/// A case page as its reader may see it: the case, the timeline, the moves they may make,
/// the SLA clocks, links (support only), the reply address (the reader's own: bound to
/// them), the severities on offer.
pub async fn case_page(
    store: &Store,
    mail: &super::mail::MailSettings,
    user: &UserRecord,
    number: CaseNumber,
) -> Result<crate::domain::workspace::CaseDetail, AppError> {
    // One read of each: the case, its whole log, its contract (the clocks need internal
    // entries too; a customer's timeline never shows them).
    let case = case_for(store, user, number).await?;
    let log = store.case_events(number, true).await?;
    let contract = contract_of_case(store, &case).await?;
    let clocks = clocks(&contract, case.severity, case.opened_at, &sla_events(&log), Timestamp::now());
    let timeline = if user.role.is_support() { log } else { log.into_iter().filter(|e| !e.change.is_internal()).collect() };
    let allowed_moves = crate::domain::lifecycle::allowed_targets(user.role, case.status, case.resolution);
    let links = if user.role.is_support() { store.case_links(number).await? } else { Vec::new() };
    let reply_address = super::mail::reply_address(store, mail, number, user.id);
    let severities = contract.plan_at(Timestamp::now()).allowed_severities();
    Ok(crate::domain::workspace::CaseDetail {
        case,
        timeline,
        allowed_moves,
        clocks,
        links,
        reply_address,
        severities,
        contract: Some(contract),
    })
}
