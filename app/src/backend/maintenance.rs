//! Maintenance windows: support plans them (one-off or recurring by an RFC 5545 rule in an
//! IANA time zone); everyone signed in reads them and their occurrences in UTC; the public
//! iCalendar feed is [`super::maintenance_calendar`].

use jiff::Timestamp;

use super::store::{Store, UserRecord};
use crate::domain::maintenance::{
    Maintenance, MaintenanceDraft, MaintenancePage, Occurrence, Occurrences, UpcomingMaintenance,
};
use crate::domain::recurrence::Recurrence;
use crate::error::{AppError, InvalidReason};

/// Windows per page of the list by default, and at most.
pub const MAINTENANCE_PAGE: i64 = 50;
pub const MAINTENANCE_PAGE_MAX: i64 = 200;
/// The most windows the feed and the upcoming list read.
pub const MAINTENANCES_READ_MAX: i64 = 500;
/// How far ahead the upcoming list looks, in days.
const UPCOMING_DAYS: i64 = 366;

fn require_support(user: &UserRecord) -> Result<(), AppError> {
    if user.role.is_support() {
        Ok(())
    } else {
        tracing::info!(user = user.id, "maintenance window refused: not support");
        Err(AppError::Forbidden)
    }
}

/// The schedule of a kept window (checked again: a row that no longer passes is an error).
pub fn recurrence_of(window: &Maintenance) -> Result<Recurrence, AppError> {
    Recurrence::new(&window.time_zone, &window.start, window.duration_minutes, window.rrule.as_deref()).map_err(|_| {
        tracing::error!(window = window.id, "a kept maintenance window no longer passes its checks");
        AppError::Internal
    })
}

/// Support plans a window. Every field is checked before anything is written: a refusal
/// (403, 422 naming the field) changes nothing.
pub async fn create(store: &Store, user: &UserRecord, draft: MaintenanceDraft) -> Result<Maintenance, AppError> {
    require_support(user)?;
    let valid = draft.validated()?;
    let mut window = valid.kept(0);
    window.id = store.create_maintenance(&window, user.id, Timestamp::now()).await?;
    tracing::info!(user = user.id, window = window.id, "maintenance window planned");
    Ok(window)
}

/// The windows, newest first, a page at a time (everyone signed in).
pub async fn list(store: &Store, cursor: Option<&str>, limit: Option<i64>) -> Result<MaintenancePage, AppError> {
    let limit = match limit {
        None => MAINTENANCE_PAGE,
        Some(n) if (1..=MAINTENANCE_PAGE_MAX).contains(&n) => n,
        Some(_) => {
            return Err(AppError::invalid(
                "limit",
                InvalidReason::Malformed { detail: format!("a number from 1 to {MAINTENANCE_PAGE_MAX}") },
            ));
        }
    };
    let before = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(text) => Some(super::cursor::parse_id('m', text)?),
    };
    let mut maintenances = store.maintenances_page(before, limit + 1).await?;
    let next_cursor = if maintenances.len() as i64 > limit {
        maintenances.truncate(limit as usize);
        maintenances.last().map(|m| super::cursor::id_before('m', m.id))
    } else {
        None
    };
    Ok(MaintenancePage { maintenances, next_cursor })
}

/// An instant of the query: RFC 3339 in UTC (`…Z`), else 422 naming the field.
pub fn instant(field: &str, text: Option<&str>) -> Result<Timestamp, AppError> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    let Some(text) = text else { return Err(AppError::invalid(field, InvalidReason::Required)) };
    if !text.ends_with('Z') || text.len() > 40 {
        return Err(AppError::invalid(
            field,
            InvalidReason::Malformed { detail: "an instant in UTC, e.g. 2026-01-01T00:00:00Z".into() },
        ));
    }
    text.parse().map_err(|_| {
        AppError::invalid(
            field,
            InvalidReason::Malformed { detail: "an instant in UTC, e.g. 2026-01-01T00:00:00Z".into() },
        )
    })
}

fn utc(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A window's occurrences overlapping `[from, to)`, in UTC, by start (everyone signed in).
/// At most 400 days and 1000 occurrences (else 422 `to`).
pub async fn occurrences(store: &Store, id: i64, from: Timestamp, to: Timestamp) -> Result<Occurrences, AppError> {
    let window = store.maintenance(id).await?.ok_or(AppError::NotFound)?;
    let found = recurrence_of(&window)?.occurrences(from, to)?;
    Ok(Occurrences {
        occurrences: found.into_iter().map(|(start, end)| Occurrence { start: utc(start), end: utc(end) }).collect(),
    })
}

/// The next occurrences of every window, or of the window `only` (in progress at `now`
/// included), soonest first, at most `count`, within a year.
pub async fn upcoming(
    store: &Store,
    only: Option<i64>,
    now: Timestamp,
    count: usize,
) -> Result<Vec<UpcomingMaintenance>, AppError> {
    let until = now + jiff::SignedDuration::from_hours(24 * UPCOMING_DAYS);
    let windows = match only {
        Some(id) => vec![store.maintenance(id).await?.ok_or(AppError::NotFound)?],
        None => store.maintenances_page(None, MAINTENANCES_READ_MAX).await?,
    };
    let mut found = Vec::new();
    for window in windows {
        let recurrence = recurrence_of(&window)?;
        // The next `count` of this window within the year (the span is split to stay bounded).
        let mut from = now;
        let mut mine = 0;
        while from < until && mine < count {
            let to = (from + jiff::SignedDuration::from_hours(24 * 30)).min(until);
            for (start, end) in recurrence.occurrences(from, to)? {
                // One in progress at a chunk's start was found in the chunk before.
                if from != now && start < from {
                    continue;
                }
                if mine < count {
                    found.push(UpcomingMaintenance {
                        id: window.id,
                        title: window.title.clone(),
                        start: utc(start),
                        end: utc(end),
                    });
                    mine += 1;
                }
            }
            from = to;
        }
    }
    found.sort_by(|a, b| a.start.cmp(&b.start).then(a.id.cmp(&b.id)));
    found.truncate(count);
    Ok(found)
}
