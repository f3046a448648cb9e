//! Lists of cases a page at a time: `GET /api/v1/cases` with its filters and cursor, and the
//! shelves of "My cases". Every read is a bounded page (at most [`LIST_LIMIT_MAX`]) by
//! keyset cursor; counts stop at [`COUNT_BOUND`](super::store::COUNT_BOUND).

use jiff::Timestamp;

use super::cursor;
use super::store::{CaseFilter, CaseOrder, Store, UserRecord};
use crate::domain::{Case, CaseList, Severity, Shelf, ShelfPage, Status};
use crate::error::{AppError, InvalidReason};

/// The largest page a client may ask for.
pub const LIST_LIMIT_MAX: i64 = 200;
/// The page size when none is asked for.
pub const LIST_LIMIT_DEFAULT: i64 = 50;
/// A shelf of "My cases" shows this many cases at a time.
pub const SHELF_PAGE: i64 = 50;

/// `GET /api/v1/cases`'s parameters as they arrive (all optional text).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(default)]
pub struct CaseListQuery {
    /// Statuses, comma-separated (`new,assigned`); none: every status.
    pub status: Option<String>,
    /// An organization's slug.
    pub organization: Option<String>,
    /// `me`, `none` (unassigned), or a support person's email.
    pub assignee: Option<String>,
    /// A severity level, 1 (Urgent) to 4.
    pub severity: Option<String>,
    /// Only cases changed at or after this instant (RFC 3339, e.g. `2026-11-30T00:00:00Z`).
    pub updated_since: Option<String>,
    /// Cases per page, 1 to 200 (default 50).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn malformed(field: &'static str, detail: &str) -> AppError {
    AppError::invalid(field, InvalidReason::Malformed { detail: detail.into() })
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The filter a query asks for, checked; an organization or engineer that does not exist
/// matches nothing (never an error: it would tell which slugs exist).
async fn filter_of(store: &Store, user: &UserRecord, query: &CaseListQuery) -> Result<CaseFilter, AppError> {
    let mut filter = CaseFilter::default();
    if let Some(statuses) = given(&query.status) {
        for text in statuses.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let status = Status::parse(text).ok_or_else(|| malformed("status", "unknown status"))?;
            if !filter.statuses.contains(&status) {
                filter.statuses.push(status);
            }
        }
    }
    if let Some(slug) = given(&query.organization) {
        if slug.len() > 100 {
            return Err(malformed("organization", "an organization's slug"));
        }
        filter.organization_ids = Some(store.organization_by_slug(slug).await?.map(|o| vec![o.id]).unwrap_or_default());
    }
    if let Some(assignee) = given(&query.assignee) {
        filter.assignee = Some(match assignee {
            "me" => Some(user.id),
            "none" => None,
            email if email.len() <= 254 && email.contains('@') => {
                // Nobody by that address: a filter that matches nothing.
                Some(store.user_by_email(email).await?.filter(|u| u.role.is_support()).map_or(-1, |u| u.id))
            }
            _ => return Err(malformed("assignee", "me, none or a support person's email")),
        });
    }
    if let Some(level) = given(&query.severity) {
        let severity = level.parse::<u8>().ok().and_then(|l| Severity::try_from(l).ok());
        filter.severity = Some(severity.ok_or_else(|| malformed("severity", "1, 2, 3 or 4"))?);
    }
    if let Some(since) = given(&query.updated_since) {
        let since: Timestamp = since.parse().map_err(|_| malformed("updated_since", "an RFC 3339 instant"))?;
        filter.updated_since = Some(since);
    }
    Ok(filter)
}

fn limit_of(query: &CaseListQuery) -> Result<i64, AppError> {
    match given(&query.limit) {
        None => Ok(LIST_LIMIT_DEFAULT),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=LIST_LIMIT_MAX).contains(n))
            .ok_or_else(|| malformed("limit", "a number from 1 to 200")),
    }
}

/// A page of newest-first cases and the cursor after it.
async fn newest_page(
    store: &Store,
    user: &UserRecord,
    filter: &CaseFilter,
    cursor: Option<&str>,
    limit: i64,
) -> Result<(Vec<Case>, Option<String>), AppError> {
    let before = cursor.map(cursor::parse_newest).transpose()?;
    let mut page = store.case_page(user.case_scope(), filter, &CaseOrder::Newest { before }, limit + 1).await?;
    let more = page.len() as i64 > limit;
    page.truncate(limit as usize);
    let next = if more { page.last().map(|(c, _)| cursor::newest_after(c.number)) } else { None };
    Ok((page.into_iter().map(|(case, _)| case).collect(), next))
}

/// `GET /api/v1/cases`: the cases the caller may see that pass the query's filters, newest
/// first, a page at a time. Bad parameters are refused (422 naming the field).
pub async fn list_cases(store: &Store, user: &UserRecord, query: &CaseListQuery) -> Result<CaseList, AppError> {
    let limit = limit_of(query)?;
    let filter = filter_of(store, user, query).await?;
    let (cases, next_cursor) = newest_page(store, user, &filter, given(&query.cursor), limit).await?;
    Ok(CaseList { cases, next_cursor })
}

/// A shelf of "My cases" (a page after `cursor`) and every shelf's count.
pub async fn shelf(store: &Store, user: &UserRecord, shelf: Shelf, cursor: Option<&str>) -> Result<ShelfPage, AppError> {
    let on = |shelf: Shelf| CaseFilter { statuses: shelf.statuses(), ..CaseFilter::default() };
    let (cases, next_cursor) = newest_page(store, user, &on(shelf), cursor.filter(|c| !c.is_empty()), SHELF_PAGE).await?;
    let mut counts = Vec::with_capacity(Shelf::ALL.len());
    for &each in Shelf::ALL {
        counts.push((each, store.count_cases(user.case_scope(), &on(each)).await?));
    }
    Ok(ShelfPage { cases, next_cursor, counts })
}
