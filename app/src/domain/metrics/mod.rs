//! Support metrics as code: what each figure of a report means, computed from one case's
//! clock facts (its SLA projection: replies, status and severity changes, in log order)
//! and its contract. Pure functions; the daily rollups and the reports add these up.

mod histogram;
mod report;

pub use histogram::{BUCKETS, Histogram, bucket_of, bucket_upper};
pub use report::{GroupBy, MAX_PERIOD_DAYS, Metric, Report, ReportGroup, ReportQuery, SlaClockChoice};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::case::Severity;
use super::lifecycle::Status;
use super::sla::{Contract, SlaClockKind, SlaClockState, SlaEvent, SlaEventKind, clocks};

/// First response time, written out (shown next to the figure and in the README).
pub const FIRST_RESPONSE_DEFINITION: &str = "Time from the opening of a case to support's first public reply \
(internal notes and the customer's own messages do not count), for cases opened in the period; in calendar time and \
in business time under the organization's contract calendar. Medians and 90th percentiles are read from fixed \
log-spaced buckets (the upper bound of the bucket that holds them).";

/// Full resolution time, written out.
pub const RESOLUTION_DEFINITION: &str = "Time from the opening of a case to its last move to Resolved, for cases \
opened in the period that are Resolved or Closed now (a reopened case counts from its opening to its final \
resolution; one reopened and still open has no resolution time yet); calendar and business time.";

/// SLA achievement, written out.
pub const SLA_ACHIEVEMENT_DEFINITION: &str = "For cases opened in the period, the state of the chosen SLA clock \
(initial response or restore) as of the case's latest log entry: achieved (met in time), breached (met late or past \
its due time), running (not met yet, due time not passed, paused included); cases whose plan makes no commitment are \
left out. value = achieved / (achieved + breached).";

/// Backlog, written out.
pub const BACKLOG_DEFINITION: &str = "Cases open at the end of the period: opened at or before `to` and not \
resolved at `to` (never resolved, or last resolved after `to`).";

/// Reopen rate, written out.
pub const REOPEN_RATE_DEFINITION: &str = "Of the cases opened in the period that were resolved at least once, the \
share that was reopened afterwards (moved from Resolved or Closed back to an open status). count = cases resolved \
at least once; value = reopened / count.";

/// One-touch resolution, written out.
pub const ONE_TOUCH_DEFINITION: &str = "Of the cases opened in the period that are resolved now, the share resolved \
with at most one public support reply and never reopened. count = resolved cases; value = one-touch / count.";

/// A duration measured twice: wall-clock and business time under the contract's calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Elapsed {
    pub calendar_seconds: i64,
    pub business_seconds: i64,
}

impl Elapsed {
    /// From `a` to `b` under `contract`'s schedule (business hours, holidays and time-zone
    /// changes such as DST included).
    pub fn between(contract: &Contract, a: Timestamp, b: Timestamp) -> Elapsed {
        Elapsed {
            calendar_seconds: b.duration_since(a).as_secs().max(0),
            business_seconds: contract.schedule().business_time_between(a, b).as_secs().max(0),
        }
    }
}

/// What became of one SLA clock, for reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaOutcome {
    /// Met before its due time.
    Met,
    /// Met late, or its due time passed unmet.
    Breached,
    /// Not met yet and not past due (paused clocks included).
    Running,
    /// The plan makes no such commitment (or the case carries no SLA).
    NoCommitment,
}

impl SlaOutcome {
    pub fn of(state: SlaClockState) -> SlaOutcome {
        match state {
            SlaClockState::Met { in_time: true, .. } => SlaOutcome::Met,
            SlaClockState::Met { in_time: false, .. } | SlaClockState::Breached => SlaOutcome::Breached,
            SlaClockState::Running | SlaClockState::Paused => SlaOutcome::Running,
            SlaClockState::NoCommitment => SlaOutcome::NoCommitment,
        }
    }
}

/// Every metric of one case as it stands at an instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMetrics {
    /// Opening to the first public support reply, if there was one.
    pub first_response: Option<Elapsed>,
    /// Opening to the last move to Resolved, when the case is Resolved or Closed now.
    pub resolution: Option<Elapsed>,
    /// When it was last resolved, if it is resolved now.
    pub resolved_at: Option<Timestamp>,
    /// Resolved at least once (even if reopened since).
    pub ever_resolved: bool,
    /// Resolved, then moved back to an open status at least once.
    pub reopened: bool,
    /// Resolved now, with at most one public support reply, never reopened.
    pub one_touch: bool,
    /// Public support replies.
    pub support_replies: u32,
    pub initial_response: SlaOutcome,
    pub restore: SlaOutcome,
}

fn is_resolved(status: Status) -> bool {
    matches!(status, Status::Resolved | Status::Closed)
}

/// A case's metrics at `now` from its clock facts (in log order; later ones ignored),
/// its present severity, its opening and its contract. The SLA outcomes are the SLA
/// engine's own clocks ([`clocks`]), so reports never disagree with a case page.
pub fn case_metrics(
    contract: &Contract,
    severity: Severity,
    opened_at: Timestamp,
    facts: &[SlaEvent],
    now: Timestamp,
) -> CaseMetrics {
    let mut first_reply: Option<Timestamp> = None;
    let mut support_replies = 0u32;
    let mut status = Status::New;
    let mut last_resolved: Option<Timestamp> = None;
    let mut ever_resolved = false;
    let mut reopened = false;
    for fact in facts.iter().filter(|f| f.at <= now) {
        match fact.kind {
            SlaEventKind::SupportPublicReply => {
                support_replies += 1;
                first_reply.get_or_insert(fact.at.max(opened_at));
            }
            SlaEventKind::StatusChanged { to } => {
                if to == Status::Resolved {
                    last_resolved = Some(fact.at.max(opened_at));
                    ever_resolved = true;
                } else if is_resolved(status) && !is_resolved(to) {
                    reopened = true;
                }
                status = to;
            }
            SlaEventKind::InternalNote
            | SlaEventKind::CustomerReply
            | SlaEventKind::SeverityChanged { .. }
            | SlaEventKind::NoCommitment => {}
        }
    }
    let resolved_at = last_resolved.filter(|_| is_resolved(status));
    let sla = clocks(contract, severity, opened_at, facts, now);
    let outcome = |kind: SlaClockKind| {
        sla.iter().find(|c| c.kind == kind).map_or(SlaOutcome::NoCommitment, |c| SlaOutcome::of(c.state))
    };
    CaseMetrics {
        first_response: first_reply.map(|at| Elapsed::between(contract, opened_at, at)),
        resolution: resolved_at.map(|at| Elapsed::between(contract, opened_at, at)),
        resolved_at,
        ever_resolved,
        reopened,
        one_touch: resolved_at.is_some() && support_replies <= 1 && !reopened,
        support_replies,
        initial_response: outcome(SlaClockKind::InitialResponse),
        restore: outcome(SlaClockKind::Restore),
    }
}

#[cfg(test)]
mod tests;
