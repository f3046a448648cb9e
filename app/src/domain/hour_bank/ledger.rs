//! The bank's arithmetic, pure: minutes come in lots (a month's grant, a pack, a credit),
//! each valid for a while; usage draws from the lot that ends first (the oldest grant
//! first), what a lot still holds at its end expires, and what no lot can cover is an
//! overage. The store loads only the live lots (those still holding minutes), applies one
//! operation here and writes back the lots that changed and the entries made.

use jiff::Timestamp;

use super::{GrantSchedule, LedgerKind, warning_threshold};
use crate::error::{AppError, InvalidReason};

/// Where a lot's minutes come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LotSource {
    /// The plan's hours for one contract month (the first is 1).
    Grant {
        month: u32,
    },
    Pack,
    /// A credit support gave (a positive adjustment); it does not expire.
    Credit,
}

impl LotSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LotSource::Grant { .. } => "grant",
            LotSource::Pack => "pack",
            LotSource::Credit => "credit",
        }
    }
}

/// Minutes valid from `valid_from` until `valid_until` (excluded; `None`: no end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lot {
    /// The store's id; `None` for a lot made by this operation.
    pub id: Option<i64>,
    pub source: LotSource,
    pub minutes: i64,
    pub remaining: i64,
    pub valid_from: Timestamp,
    pub valid_until: Option<Timestamp>,
    /// The usage warning already sent for this grant (0, 80 or 100).
    pub warned: u8,
    /// Changed by this operation: the store writes it back.
    pub changed: bool,
}

impl Lot {
    pub fn live_at(&self, at: Timestamp) -> bool {
        self.remaining > 0 && self.valid_from <= at && self.valid_until.is_none_or(|end| at < end)
    }
}

/// One entry the operation wrote. The actor is the operation's (none for grants and expiry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    pub at: Timestamp,
    pub kind: LedgerKind,
    pub minutes: i64,
    /// Made by the plan itself (grants, expiry), not by the person acting.
    pub system: bool,
}

/// What logging `minutes` of billable expertise did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Draw {
    pub drawn: i64,
    pub overage: i64,
}

/// A month's grant crossed 80 % or 100 % used: its admins are told (once per threshold).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Warning {
    pub month: u32,
    pub threshold: u8,
    pub granted: i64,
    pub remaining: i64,
}

/// An organization's bank as one operation sees it: its live lots, how many months of the
/// plan's current run are granted, and the entries written so far.
#[derive(Clone, Debug, Default)]
pub struct Bank {
    pub lots: Vec<Lot>,
    pub granted_through: u32,
    pub entries: Vec<LedgerEntry>,
}

impl Bank {
    pub fn new(lots: Vec<Lot>, granted_through: u32) -> Bank {
        Bank { lots, granted_through, entries: Vec::new() }
    }

    /// The minutes that may be drawn at `at`.
    pub fn balance(&self, at: Timestamp) -> i64 {
        self.lots.iter().filter(|l| l.live_at(at)).map(|l| l.remaining).sum()
    }

    /// Whether a pack or a credit still holds minutes at `at`.
    pub fn holds_purchased_minutes(&self, at: Timestamp) -> bool {
        self.lots.iter().any(|l| !matches!(l.source, LotSource::Grant { .. }) && l.live_at(at))
    }

    /// The earliest instant at which something is due by itself: a lot's end (expiry) or the
    /// next month's grant.
    pub fn next_due(&self, schedule: &GrantSchedule) -> Option<Timestamp> {
        let expiry = self.lots.iter().filter(|l| l.remaining > 0).filter_map(|l| l.valid_until).min();
        let grant = schedule.month_start(self.granted_through + 1);
        [expiry, grant].into_iter().flatten().min()
    }

    fn push(&mut self, at: Timestamp, kind: LedgerKind, minutes: i64, system: bool) {
        if minutes != 0 {
            self.entries.push(LedgerEntry { at, kind, minutes, system });
        }
    }

    /// Brings the bank to `now`: every month of the plan's run begun since the last grant
    /// is granted (a month of no hours makes no entry), every lot ended meanwhile expires,
    /// in the order they happened. Bounded by the months since the last operation.
    pub fn catch_up(&mut self, schedule: &GrantSchedule, now: Timestamp) {
        let current = schedule.month_at(now);
        while self.granted_through < current {
            let month = self.granted_through + 1;
            let (Some(start), Some(end)) = (schedule.month_start(month), schedule.month_start(month + 1)) else {
                break;
            };
            self.expire(start);
            let minutes = i64::from(schedule.allowance.hours_in_month(month)) * 60;
            if minutes > 0 {
                self.lots.push(Lot {
                    id: None,
                    source: LotSource::Grant { month },
                    minutes,
                    remaining: minutes,
                    valid_from: start,
                    valid_until: Some(end),
                    warned: 0,
                    changed: true,
                });
                self.push(start, LedgerKind::Grant, minutes, true);
            }
            self.granted_through = month;
        }
        self.expire(now);
    }

    /// Lots ended at or before `now` lose what they hold, each at its end, earliest first.
    pub fn expire(&mut self, now: Timestamp) {
        let mut ended: Vec<usize> = (0..self.lots.len())
            .filter(|&i| self.lots[i].remaining > 0 && self.lots[i].valid_until.is_some_and(|end| end <= now))
            .collect();
        ended.sort_by_key(|&i| self.lots[i].valid_until);
        for i in ended {
            let lot = &mut self.lots[i];
            let (at, minutes) = (lot.valid_until.unwrap_or(now), lot.remaining);
            lot.remaining = 0;
            lot.changed = true;
            self.push(at, LedgerKind::Expiry, minutes, true);
        }
    }

    /// Takes up to `minutes` from the lots live at `at`, the one ending first first (lots
    /// without an end last, then the oldest); returns what was taken and the grants whose
    /// usage crossed a warning threshold.
    fn take(&mut self, minutes: i64, at: Timestamp) -> (i64, Vec<Warning>) {
        let mut order: Vec<usize> = (0..self.lots.len()).filter(|&i| self.lots[i].live_at(at)).collect();
        order.sort_by_key(|&i| {
            let l = &self.lots[i];
            (l.valid_until.is_none(), l.valid_until, l.valid_from, l.id.unwrap_or(i64::MAX))
        });
        let (mut left, mut warnings) = (minutes, Vec::new());
        for i in order {
            if left == 0 {
                break;
            }
            let lot = &mut self.lots[i];
            let taken = left.min(lot.remaining);
            lot.remaining -= taken;
            lot.changed = true;
            left -= taken;
            if let LotSource::Grant { month } = lot.source {
                let threshold = warning_threshold(lot.minutes, lot.remaining);
                if threshold > lot.warned {
                    lot.warned = threshold;
                    warnings.push(Warning { month, threshold, granted: lot.minutes, remaining: lot.remaining });
                }
            }
        }
        (minutes - left, warnings)
    }

    /// Billable expertise of `minutes` at `at`: usage from the bank as far as it covers,
    /// the rest an overage (the work is recorded whole either way).
    pub fn draw(&mut self, minutes: i64, at: Timestamp) -> (Draw, Vec<Warning>) {
        let minutes = minutes.max(0);
        let (drawn, warnings) = self.take(minutes, at);
        self.push(at, LedgerKind::Usage, drawn, false);
        self.push(at, LedgerKind::Overage, minutes - drawn, false);
        (Draw { drawn, overage: minutes - drawn }, warnings)
    }

    /// A pack bought: `minutes` valid from `at` until `valid_until`.
    pub fn add_pack(&mut self, minutes: i64, at: Timestamp, valid_until: Timestamp) {
        self.lots.push(Lot {
            id: None,
            source: LotSource::Pack,
            minutes,
            remaining: minutes,
            valid_from: at,
            valid_until: Some(valid_until),
            warned: 0,
            changed: true,
        });
        self.push(at, LedgerKind::Pack, minutes, false);
    }

    /// A correction by support: a credit (positive, without an end) or a debit drawn like
    /// usage, refused when it is more than the balance (the balance never goes below zero).
    pub fn adjust(&mut self, minutes: i64, at: Timestamp) -> Result<(), AppError> {
        if minutes == 0 {
            return Err(AppError::invalid("minutes", InvalidReason::Malformed { detail: "not zero".into() }));
        }
        if minutes > 0 {
            self.lots.push(Lot {
                id: None,
                source: LotSource::Credit,
                minutes,
                remaining: minutes,
                valid_from: at,
                valid_until: None,
                warned: 0,
                changed: true,
            });
        } else {
            if -minutes > self.balance(at) {
                return Err(AppError::invalid(
                    "minutes",
                    InvalidReason::Malformed { detail: "a debit of at most the balance".into() },
                ));
            }
            self.take(-minutes, at);
        }
        self.push(at, LedgerKind::Adjustment, minutes, false);
        Ok(())
    }
}
