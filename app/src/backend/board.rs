//! The board service: each column's most urgent cards a page at a time (never the whole
//! history: closed cases leave the board the day they close), bounded counts, one card
//! after a live event, and the team a case may be assigned to. Support only.

use jiff::Timestamp;

use super::contracts::{contracts_for_cases, sla_events};
use super::store::{CaseFilter, CaseOrder, CaseScope, Store, UserRecord};
use crate::domain::sla::Contract;
use crate::domain::workspace::{Board, BoardCard, BoardColumn, BoardColumnPage, TeamMember};
use crate::domain::{AssigneeFilter, BoardFilter, BoundedCount, Case, CaseNumber, Severity, Status, WipLimits};
use crate::error::AppError;

fn support_only(user: &UserRecord, what: &'static str) -> Result<(), AppError> {
    if user.role.is_support() {
        Ok(())
    } else {
        tracing::info!(user = user.id, what, "refused: support only");
        Err(AppError::Forbidden)
    }
}

/// A card shows no description: the board stays light with thousands of cards.
fn card(case: Case, sla_events: Vec<crate::domain::SlaEvent>) -> BoardCard {
    BoardCard { case: Case { description: String::new(), ..case }, sla_events }
}

/// Cards a column sends at a time (the page shows them all, "Show more" asks for more).
pub const COLUMN_PAGE: i64 = 50;

/// The most organizations the board's filter offers (and a plan filter matches).
const ORGANIZATIONS_LISTED: i64 = 1000;

/// The board's filters as a case filter (organizations by slug or plan, whose cases,
/// statuses, staleness at `now`).
pub(crate) async fn case_filter(store: &Store, user: &UserRecord, filter: &BoardFilter) -> Result<CaseFilter, AppError> {
    let mut organization_ids: Option<Vec<i64>> = None;
    if let Some(slug) = &filter.organization {
        organization_ids = Some(store.organization_by_slug(slug).await?.map(|o| vec![o.id]).unwrap_or_default());
    }
    if let Some(plan) = &filter.plan {
        let on_plan = store.organizations_on_plan(plan, ORGANIZATIONS_LISTED).await?;
        organization_ids = Some(match organization_ids {
            Some(ids) => ids.into_iter().filter(|id| on_plan.contains(id)).collect(),
            None => on_plan,
        });
    }
    Ok(CaseFilter {
        organization_ids,
        assignee: match filter.assignee {
            Some(AssigneeFilter::Mine) => Some(Some(user.id)),
            Some(AssigneeFilter::Unassigned) => Some(None),
            None => None,
        },
        severity: filter.severity.and_then(|s| Severity::try_from(s).ok()),
        statuses: filter.statuses.clone(),
        updated_before: filter.updated_before(Timestamp::now()),
        ..CaseFilter::default()
    })
}

/// The cases of one column: its status, and for Closed only what was closed today (UTC).
fn in_column(filter: &CaseFilter, status: Status, now: Timestamp) -> CaseFilter {
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date().to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp());
    // A status set leaves the other columns empty.
    let outside = !filter.statuses.is_empty() && !filter.statuses.contains(&status);
    CaseFilter {
        statuses: vec![status],
        updated_since: if status == Status::Closed { today } else { filter.updated_since },
        organization_ids: if outside { Some(Vec::new()) } else { filter.organization_ids.clone() },
        ..filter.clone()
    }
}

/// One page of a column, most urgent first, after `cursor`.
async fn column_cards(
    store: &Store,
    filter: &CaseFilter,
    status: Status,
    cursor: Option<&str>,
    now: Timestamp,
) -> Result<(Vec<BoardCard>, Option<String>), AppError> {
    let after = cursor.map(super::cursor::parse_urgency).transpose()?;
    let mut page = store
        .case_page(CaseScope::Everything, &in_column(filter, status, now), &CaseOrder::Urgency { after }, COLUMN_PAGE + 1)
        .await?;
    let more = page.len() as i64 > COLUMN_PAGE;
    page.truncate(COLUMN_PAGE as usize);
    let next = if more {
        page.last().map(|(c, _)| super::cursor::urgency_after(c.severity.level(), &c.opened_at.to_string(), c.number))
    } else {
        None
    };
    Ok((page.into_iter().map(|(case, projection)| card(case, projection.facts)).collect(), next))
}

/// The columns' counts: the cases passing the filters, and all in the status.
async fn column_counts(store: &Store, filter: &CaseFilter, status: Status, now: Timestamp) -> Result<(BoundedCount, BoundedCount), AppError> {
    let matching = store.count_cases(CaseScope::Everything, &in_column(filter, status, now)).await?;
    let in_status = if *filter == CaseFilter::default() {
        matching
    } else {
        store.count_cases(CaseScope::Everything, &in_column(&CaseFilter::default(), status, now)).await?
    };
    Ok((matching, in_status))
}

/// The board as first read: each column's most urgent cards and its counts. Support only.
pub async fn board(store: &Store, user: &UserRecord, wip_limits: &WipLimits, filter: &BoardFilter) -> Result<Board, AppError> {
    support_only(user, "board")?;
    // Read before the cases: a change in between is replayed, never lost.
    let last_event_id = store.last_event_id().await?;
    let now = Timestamp::now();
    let case_filter = case_filter(store, user, filter).await?;
    let mut cards = Vec::new();
    let mut columns = Vec::new();
    for &status in Status::ALL {
        let (page, next_cursor) = column_cards(store, &case_filter, status, None, now).await?;
        let (matching, in_status) = column_counts(store, &case_filter, status, now).await?;
        cards.extend(page);
        columns.push(BoardColumn { status, matching, in_status, next_cursor });
    }
    let cases: Vec<Case> = cards.iter().map(|c: &BoardCard| c.case.clone()).collect();
    let contracts = contracts_for_cases(store, &cases).await?;
    let organizations =
        store.organizations_by_name(ORGANIZATIONS_LISTED).await?.into_iter().map(|o| (o.slug, o.name)).collect();
    Ok(Board { cards, columns, organizations, contracts, last_event_id, wip_limits: wip_limits.clone() })
}

/// The next cards of one column after `cursor`. Support only.
pub async fn board_column(
    store: &Store,
    user: &UserRecord,
    filter: &BoardFilter,
    status: Status,
    cursor: &str,
) -> Result<BoardColumnPage, AppError> {
    support_only(user, "board column")?;
    let case_filter = case_filter(store, user, filter).await?;
    let (cards, next_cursor) = column_cards(store, &case_filter, status, Some(cursor), Timestamp::now()).await?;
    let cases: Vec<Case> = cards.iter().map(|c| c.case.clone()).collect();
    let contracts = contracts_for_cases(store, &cases).await?;
    Ok(BoardColumnPage { cards, next_cursor, contracts })
}

/// Every column's counts now (the board reads them again after live changes). Support only.
pub async fn board_counts(store: &Store, user: &UserRecord, filter: &BoardFilter) -> Result<Vec<BoardColumn>, AppError> {
    support_only(user, "board counts")?;
    let case_filter = case_filter(store, user, filter).await?;
    let now = Timestamp::now();
    let mut columns = Vec::new();
    for &status in Status::ALL {
        let (matching, in_status) = column_counts(store, &case_filter, status, now).await?;
        columns.push(BoardColumn { status, matching, in_status, next_cursor: None });
    }
    Ok(columns)
}

/// One card as the board shows it now (after a live event about it), with its
/// organization's contract; `NotFound` when the case is no longer visible.
pub async fn board_card(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
) -> Result<(BoardCard, Option<Contract>), AppError> {
    support_only(user, "board card")?;
    let case = super::cases::case_for(store, user, number).await?;
    let events = store.case_events(number, true).await?;
    let contract = contracts_for_cases(store, std::slice::from_ref(&case)).await?.pop().map(|(_, c)| c);
    Ok((card(case, sla_events(&events)), contract))
}

/// The engineers one may assign a case to, with whether they are on shift and their load.
pub async fn support_team(store: &Store, user: &UserRecord) -> Result<Vec<TeamMember>, AppError> {
    support_only(user, "support team")?;
    let now = jiff::Timestamp::now();
    let mut emails = store.engineer_emails().await?;
    Ok(store
        .engineers()
        .await?
        .into_iter()
        .filter_map(|(profile, load)| {
            Some(TeamMember {
                on_shift: profile.on_duty && profile.hours.on_shift(now),
                email: emails.remove(&profile.id)?,
                name: profile.name,
                load,
            })
        })
        .collect())
}
