//! The monthly grants of a plan: contract months counted from the start of the plan's run
//! (the date the organization went onto its current plan), in the organization's time
//! zone, each month granting what [`ExpertiseAllowance::hours_in_month`] says (Bronze: 2 h
//! in months 1 to 3, none after).

use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};

use crate::domain::plan::ExpertiseAllowance;

/// The grants of one run of a plan.
#[derive(Clone, Debug)]
pub struct GrantSchedule {
    pub allowance: ExpertiseAllowance,
    start: Zoned,
}

impl GrantSchedule {
    /// The plan's allowance, from `run_start` (when the organization went onto the plan),
    /// months counted in `time_zone`.
    pub fn new(allowance: ExpertiseAllowance, run_start: Timestamp, time_zone: TimeZone) -> GrantSchedule {
        GrantSchedule { allowance, start: run_start.to_zoned(time_zone) }
    }

    pub fn time_zone(&self) -> &TimeZone {
        self.start.time_zone()
    }

    pub fn run_start(&self) -> Timestamp {
        self.start.timestamp()
    }

    /// The instant contract month `month` begins (the first is 1; month 0 has none). A start
    /// on the 31st begins the next months on their last day when they are shorter.
    pub fn month_start(&self, month: u32) -> Option<Timestamp> {
        let months = i64::from(month.checked_sub(1)?);
        let span = Span::new().try_months(months).ok()?;
        self.start.checked_add(span).ok().map(|z| z.timestamp())
    }

    /// The contract month `at` falls in (0: before the run began).
    pub fn month_at(&self, at: Timestamp) -> u32 {
        if at < self.start.timestamp() {
            return 0;
        }
        let there = at.to_zoned(self.start.time_zone().clone());
        let guess = (i64::from(there.year()) - i64::from(self.start.year())) * 12 + i64::from(there.month())
            - i64::from(self.start.month())
            + 1;
        let mut month = u32::try_from(guess.max(1)).unwrap_or(u32::MAX);
        while month > 1 && self.month_start(month).is_none_or(|s| s > at) {
            month -= 1;
        }
        while self.month_start(month + 1).is_some_and(|s| s <= at) {
            month += 1;
        }
        month
    }

    /// Minutes granted in the month `at` falls in.
    pub fn minutes_in_month_at(&self, at: Timestamp) -> i64 {
        match self.month_at(at) {
            0 => 0,
            month => i64::from(self.allowance.hours_in_month(month)) * 60,
        }
    }
}
