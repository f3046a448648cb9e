//! Time tracking and the expertise-hour bank (#18): support logs time on cases; billable
//! expertise draws from the organization's bank (monthly grants of its plan, packs an
//! admin records), the rest is recorded for the case. Support and the organization's own
//! admins read the bank; another organization's is not said to exist.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::cursor;
use super::store::hour_bank::BankTerms;
use super::store::{Organization, Store, UserRecord};
use crate::domain::hour_bank::{
    BURN_DOWN_MONTHS, CaseHours, ENTRIES_PAGE, ENTRIES_PAGE_MAX, GrantSchedule, HourBankView, HourPack, MonthBurn,
    TimeEntry, check_pack, check_time_entry,
};
use crate::domain::{CaseNumber, Role};
use crate::error::{AppError, InvalidReason};

/// The list kind in the ledger's cursors.
const CURSOR_KIND: char = 'h';

/// The grants the organization's contract gives now: the plan in force, counted from the
/// day the organization went onto it (its run: the oldest of the latest changes naming the
/// same plan), in its calendar's time zone.
pub async fn terms_for(store: &Store, organization: &Organization) -> Result<BankTerms, AppError> {
    let contract = super::contracts::contract_of(store, organization).await?;
    let now = Timestamp::now();
    let plan = contract.plan_at(now);
    let changes = store.contract_changes(organization.id).await?;
    let plan_id_of = |json: &str| {
        serde_json::from_str::<serde_json::Value>(json).ok().and_then(|v| v["id"].as_str().map(str::to_owned))
    };
    let mut run_start = None;
    for (at, plan_json, _) in changes.iter().rev() {
        if *at > now {
            continue;
        }
        if plan_id_of(plan_json).as_deref() != Some(plan.id.as_str()) {
            break;
        }
        run_start = Some(*at);
    }
    let run_start = match run_start {
        Some(at) => at,
        None => store.organization_created_at(organization.id).await?.unwrap_or(now),
    };
    let time_zone = TimeZone::get(&contract.calendar().time_zone).unwrap_or(TimeZone::UTC);
    Ok(BankTerms {
        schedule: GrantSchedule::new(plan.expertise, run_start, time_zone),
        plan_hours_per_month: plan.expertise.hours_per_month,
    })
}

fn support_only(actor: &UserRecord, what: &str) -> Result<(), AppError> {
    if actor.role.is_support() {
        Ok(())
    } else {
        tracing::info!(user = actor.id, what, "hour bank refused: not support");
        Err(AppError::Forbidden)
    }
}

/// The organization whose bank `actor` may read: any, for support; their own, for its
/// admins. Another organization's is not found, as its cases are not.
async fn readable(store: &Store, actor: &UserRecord, slug: &str) -> Result<Organization, AppError> {
    let organization = store.organization_by_slug(slug).await?.ok_or(AppError::NotFound)?;
    if actor.role.is_support() || (actor.org_admin && actor.organization_id == Some(organization.id)) {
        return Ok(organization);
    }
    tracing::info!(user = actor.id, organization = organization.id, "hour bank refused");
    Err(if actor.organization_id == Some(organization.id) { AppError::Forbidden } else { AppError::NotFound })
}

/// Support logs time on a case: 1 minute to 24 hours of a known activity. Billable
/// expertise draws from the organization's bank; what it cannot cover is recorded as
/// overage; a contract without expertise (no hours, no pack) refuses it (422 `activity`).
pub async fn log_time(
    store: &Store,
    actor: &UserRecord,
    number: CaseNumber,
    minutes: i64,
    activity: &str,
    billable: bool,
    note: &str,
) -> Result<TimeEntry, AppError> {
    support_only(actor, "time")?;
    let case = super::cases::case_for(store, actor, number).await?;
    let input = check_time_entry(minutes, activity, billable, note)?;
    let organization = store.organization_by_slug(&case.organization).await?.ok_or(AppError::Internal)?;
    let terms = terms_for(store, &organization).await?;
    let slug = organization.slug.clone();
    let entry = store
        .log_time(number, actor.case_scope(), actor, &input, |case| {
            // The case cannot change organization; checked anyway inside the transaction.
            (case.organization == slug).then_some((organization.id, terms))
        })
        .await?;
    tracing::info!(
        case = %number,
        user = actor.id,
        entry = entry.id,
        minutes = entry.minutes,
        drawn = entry.drawn_minutes,
        overage = entry.overage_minutes,
        "time logged"
    );
    Ok(entry)
}

/// What the case page's form is told before logging (support only).
pub async fn case_hours(store: &Store, actor: &UserRecord, number: CaseNumber) -> Result<CaseHours, AppError> {
    support_only(actor, "case hours")?;
    let case = super::cases::case_for(store, actor, number).await?;
    let organization = store.organization_by_slug(&case.organization).await?.ok_or(AppError::Internal)?;
    let terms = terms_for(store, &organization).await?;
    let (balance_minutes, expertise_offered) = store.hour_balance(organization.id, &terms).await?;
    let logged_minutes = store.case_logged_minutes(number).await?;
    Ok(CaseHours { expertise_offered, balance_minutes, logged_minutes })
}

/// The bank: its balance, the ledger newest first a page at a time (`limit` 1 to 200,
/// default 50; follow `next_cursor`) and, on the first page, the burn-down of the newest
/// contract months. What became due by itself (a month's grant, an expiry) is written first.
pub async fn hours(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    cursor_text: Option<&str>,
    limit: Option<i64>,
) -> Result<HourBankView, AppError> {
    let organization = readable(store, actor, slug).await?;
    let limit = match limit {
        Some(l) if !(1..=ENTRIES_PAGE_MAX).contains(&l) => {
            return Err(AppError::invalid(
                "limit",
                InvalidReason::Malformed { detail: format!("a number from 1 to {ENTRIES_PAGE_MAX}") },
            ));
        }
        Some(l) => l,
        None => ENTRIES_PAGE,
    };
    let before = cursor_text.filter(|c| !c.is_empty()).map(|c| cursor::parse_id(CURSOR_KIND, c)).transpose()?;
    let terms = terms_for(store, &organization).await?;
    let balance_minutes = store.bring_hour_bank_up_to_date(organization.id, &terms).await?;
    let mut entries = store.hour_entries(organization.id, before, limit + 1).await?;
    let next_cursor = if entries.len() as i64 > limit {
        entries.truncate(limit as usize);
        entries.last().map(|e| cursor::id_before(CURSOR_KIND, e.id))
    } else {
        None
    };
    let now = Timestamp::now();
    let burn_down = if before.is_none() { burn_down(store, &organization, &terms, now).await? } else { Vec::new() };
    Ok(HourBankView {
        organization: organization.slug,
        balance_minutes,
        month_grant_minutes: terms.schedule.minutes_in_month_at(now),
        entries,
        next_cursor,
        burn_down,
    })
}

/// The newest contract months of the plan's run, newest first; months with no entry at all
/// are left out, but for the current one.
async fn burn_down(
    store: &Store,
    organization: &Organization,
    terms: &BankTerms,
    now: Timestamp,
) -> Result<Vec<MonthBurn>, AppError> {
    let schedule = &terms.schedule;
    let current = schedule.month_at(now);
    let mut months = Vec::new();
    for month in (1..=current).rev().take(BURN_DOWN_MONTHS) {
        let (Some(start), Some(end)) = (schedule.month_start(month), schedule.month_start(month + 1)) else {
            continue;
        };
        let label = start.to_zoned(schedule.time_zone().clone()).date().to_string();
        let burn = store.hour_month(organization.id, label, start, end).await?;
        if month == current || burn != (MonthBurn { month: burn.month.clone(), ..MonthBurn::default() }) {
            months.push(burn);
        }
    }
    Ok(months)
}

/// A Caseboard admin records a pack the organization bought: `minutes` valid until
/// `valid_until` (in the future). Returns the balance after it.
pub async fn add_pack(
    store: &Store,
    actor: &UserRecord,
    slug: &str,
    minutes: i64,
    valid_until: &str,
    note: &str,
) -> Result<HourPack, AppError> {
    let organization = readable(store, actor, slug).await?;
    if actor.role != Role::Admin {
        tracing::info!(user = actor.id, "pack refused: not an admin");
        return Err(AppError::Forbidden);
    }
    let valid_until: Timestamp = valid_until.trim().parse().map_err(|_| {
        AppError::invalid(
            "valid_until",
            InvalidReason::Malformed { detail: "an RFC 3339 instant, e.g. 2026-12-31T23:59:59Z".into() },
        )
    })?;
    let (minutes, note) = check_pack(minutes, valid_until, Timestamp::now(), note)?;
    let terms = terms_for(store, &organization).await?;
    let balance = store.add_hour_pack(organization.id, &terms, actor, minutes, valid_until, &note).await?;
    tracing::info!(organization = organization.id, user = actor.id, minutes, "hour pack added");
    Ok(HourPack { minutes, valid_until, note, balance_minutes: balance })
}
