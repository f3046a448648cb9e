//! The expertise-hour bank (#18) and time logged on cases: what an entry of time is, the
//! ledger's kinds, and the rules of their fields. Cloud Avenue: "Nombre d'heures d'expertise
//! comprises dans le forfait" (monthly grants), expertise packs for the others; the
//! arithmetic of the bank (lots, drawing, expiry, overage) is in [`ledger`], the monthly
//! grants of a plan in [`schedule`].

pub mod ledger;
pub mod schedule;
#[cfg(test)]
mod tests;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::case::CaseNumber;
use crate::error::{AppError, InvalidReason};

pub use ledger::{Bank, Draw, LedgerEntry, Lot, LotSource, Warning};
pub use schedule::GrantSchedule;

/// The longest single time entry, in minutes (24 h): more is a typing mistake.
pub const TIME_ENTRY_MINUTES_MAX: i64 = 24 * 60;
/// The largest pack, in minutes (1,000 h).
pub const PACK_MINUTES_MAX: i64 = 1000 * 60;
/// The longest note on a time entry or a pack, in characters.
pub const NOTE_MAX_CHARS: usize = 2000;
/// The most ledger entries one page lists.
pub const ENTRIES_PAGE_MAX: i64 = 200;
/// A page of ledger entries when the caller names no limit.
pub const ENTRIES_PAGE: i64 = 50;
/// The months the burn-down shows (the newest).
pub const BURN_DOWN_MONTHS: usize = 12;

/// What the time was spent on. Only billable `expertise` draws from the hour bank ("la
/// cellule d'expertise": training, architecture advice, help in crises); the rest is
/// recorded for the case and for support's own reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Expertise,
    Investigation,
    Call,
    Documentation,
    Other,
}

impl Activity {
    pub const ALL: [Activity; 5] =
        [Activity::Expertise, Activity::Investigation, Activity::Call, Activity::Documentation, Activity::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Activity::Expertise => "expertise",
            Activity::Investigation => "investigation",
            Activity::Call => "call",
            Activity::Documentation => "documentation",
            Activity::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Activity> {
        Activity::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// The kinds of a ledger entry. `minutes` of every kind are positive except an
/// adjustment's, which carries its sign; the balance is grants + packs + adjustments −
/// usage − expiry. An overage is work the bank could not cover: recorded (and billed
/// apart), never taken from the balance, which never goes below zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    Grant,
    Pack,
    Usage,
    Expiry,
    Adjustment,
    Overage,
}

impl LedgerKind {
    pub const ALL: [LedgerKind; 6] = [
        LedgerKind::Grant,
        LedgerKind::Pack,
        LedgerKind::Usage,
        LedgerKind::Expiry,
        LedgerKind::Adjustment,
        LedgerKind::Overage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Grant => "grant",
            LedgerKind::Pack => "pack",
            LedgerKind::Usage => "usage",
            LedgerKind::Expiry => "expiry",
            LedgerKind::Adjustment => "adjustment",
            LedgerKind::Overage => "overage",
        }
    }

    pub fn parse(text: &str) -> Option<LedgerKind> {
        LedgerKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The entry's effect on the balance, from its stored minutes.
    pub fn effect(self, minutes: i64) -> i64 {
        match self {
            LedgerKind::Grant | LedgerKind::Pack | LedgerKind::Adjustment => minutes,
            LedgerKind::Usage | LedgerKind::Expiry => -minutes,
            LedgerKind::Overage => 0,
        }
    }
}

/// A time entry as a client sends it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeEntryInput {
    pub minutes: i64,
    pub activity: Activity,
    pub billable: bool,
    pub note: String,
}

impl TimeEntryInput {
    /// Whether it draws from the organization's hour bank.
    pub fn draws_from_bank(&self) -> bool {
        self.billable && self.activity == Activity::Expertise
    }
}

fn check_note(note: &str) -> Result<String, AppError> {
    let note = note.trim();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(AppError::invalid("note", InvalidReason::TooLong { max: NOTE_MAX_CHARS }));
    }
    Ok(note.to_owned())
}

fn check_minutes(minutes: i64, max: i64) -> Result<i64, AppError> {
    if minutes < 1 || minutes > max {
        return Err(AppError::invalid(
            "minutes",
            InvalidReason::Malformed { detail: format!("a whole number of minutes from 1 to {max}") },
        ));
    }
    Ok(minutes)
}

/// Checks a time entry: 1 minute to 24 hours, a known activity, a note of at most
/// [`NOTE_MAX_CHARS`] characters (trimmed; it may be empty).
pub fn check_time_entry(minutes: i64, activity: &str, billable: bool, note: &str) -> Result<TimeEntryInput, AppError> {
    let minutes = check_minutes(minutes, TIME_ENTRY_MINUTES_MAX)?;
    let activity = Activity::parse(activity).ok_or_else(|| {
        AppError::invalid(
            "activity",
            InvalidReason::Malformed { detail: "one of expertise, investigation, call, documentation, other".into() },
        )
    })?;
    Ok(TimeEntryInput { minutes, activity, billable, note: check_note(note)? })
}

/// Checks a pack: 1 minute to 1,000 hours, valid until a date after `now`.
pub fn check_pack(minutes: i64, valid_until: Timestamp, now: Timestamp, note: &str) -> Result<(i64, String), AppError> {
    let minutes = check_minutes(minutes, PACK_MINUTES_MAX)?;
    if valid_until <= now {
        return Err(AppError::invalid(
            "valid_until",
            InvalidReason::Malformed { detail: "an instant in the future".into() },
        ));
    }
    Ok((minutes, check_note(note)?))
}

/// Billable expertise needs expertise in the contract: hours in the plan (Cloud Avenue
/// Bronze, Silver, Gold), or a pack (or credit) still valid (Standard: "les clients
/// standard achètent des packs"). Refused otherwise, on `activity`, saying why.
pub fn check_expertise_offered(plan_hours_per_month: u32, bank: &Bank, at: Timestamp) -> Result<(), AppError> {
    if plan_hours_per_month > 0 || bank.holds_purchased_minutes(at) {
        Ok(())
    } else {
        Err(AppError::invalid("activity", InvalidReason::NoExpertise))
    }
}

/// One line of the ledger as the API and the portal show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HourEntry {
    /// The ledger's id (newest first; the cursor pages by it).
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub kind: LedgerKind,
    /// Positive for every kind but an adjustment, which carries its sign.
    pub minutes: i64,
    /// The case the time was logged on (usage and overage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseNumber>,
    /// That case's summary, for the reader (usage and overage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_summary: Option<String>,
    pub note: String,
    /// Who recorded it (a name); absent for what the plan does by itself (grants, expiry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// One contract month of the burn-down: what was granted, drawn, expired and overrun.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthBurn {
    /// `2026-03-15`: the day the contract month begins, in the organization's time zone
    /// (contract months are counted from the start of the plan).
    pub month: String,
    pub granted: i64,
    pub packs: i64,
    pub used: i64,
    pub expired: i64,
    pub overage: i64,
    pub adjusted: i64,
}

/// The bank as `GET /api/v1/organizations/{slug}/hours` answers: the balance now and the
/// ledger, newest first, a page at a time (`next_cursor`, `null` on the last page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HourBankView {
    pub organization: String,
    pub balance_minutes: i64,
    /// Minutes the plan grants this contract month (0 on a plan without expertise hours).
    pub month_grant_minutes: i64,
    pub entries: Vec<HourEntry>,
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
    /// The newest months, newest first (first page only; empty on later pages).
    #[serde(default)]
    pub burn_down: Vec<MonthBurn>,
}

/// What the case page's form is told before logging: whether billable expertise is
/// offered, and the balance it would draw from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHours {
    pub expertise_offered: bool,
    pub balance_minutes: i64,
    /// Minutes logged on this case (newest entries' sum, every activity).
    pub logged_minutes: i64,
}

/// The answer to a time entry: its id, what it drew and what the bank could not cover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimeEntry {
    pub id: i64,
    pub case: CaseNumber,
    pub minutes: i64,
    pub activity: Activity,
    pub billable: bool,
    pub note: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    /// Minutes drawn from the bank.
    pub drawn_minutes: i64,
    /// Minutes the bank could not cover (recorded as overage).
    pub overage_minutes: i64,
    /// The organization's balance after it.
    pub balance_minutes: i64,
}

/// A pack as recorded: its minutes and end, and the organization's balance after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HourPack {
    pub minutes: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
    pub valid_until: Timestamp,
    pub note: String,
    pub balance_minutes: i64,
}

/// How much of a month's grant was used (80 % or 100 %): the organization's admins are told once.
pub fn warning_threshold(granted: i64, remaining: i64) -> u8 {
    if granted <= 0 {
        0
    } else if remaining <= 0 {
        100
    } else if (granted - remaining) * 5 >= granted * 4 {
        80
    } else {
        0
    }
}
