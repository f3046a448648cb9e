//! A case's SLA projection: the facts of its log that its clocks depend on, kept beside the
//! case and updated with each log entry, so the board and the sweeper never read the log.
//! One rule ([`SlaProjection::apply`]) builds it entry by entry, incrementally or from the
//! whole log (a rebuild), and the two must agree.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::clock::{SlaClockKind, SlaClockState};
use super::contract::Contract;
use super::event::SlaEvent;
use super::tracker::clocks;
use crate::domain::case::Severity;
use crate::domain::event::CaseChange;
use crate::domain::lifecycle::Status;

/// What a case's clocks depend on, and which SLA warnings and breaches its log records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaProjection {
    /// The clock-relevant entries, in log order: replies, status and severity changes.
    pub facts: Vec<SlaEvent>,
    /// Clocks whose 80 % warning is in the log.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warned: Vec<SlaClockKind>,
    /// Clocks whose breach is in the log.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breached: Vec<SlaClockKind>,
}

impl SlaEvent {
    /// The clock-relevant fact a log entry is, if any.
    pub fn from_change(at: Timestamp, change: &CaseChange) -> Option<SlaEvent> {
        match change {
            CaseChange::StatusChanged { to, .. } => Some(SlaEvent::status(at, *to)),
            CaseChange::Reply { internal: true, .. } => Some(SlaEvent::internal_note(at)),
            CaseChange::Reply { from_support: true, .. } => Some(SlaEvent::support_reply(at)),
            CaseChange::Reply { .. } => Some(SlaEvent::customer_reply(at)),
            CaseChange::SeverityChanged { from, to } => Some(SlaEvent::severity(at, *from, *to)),
            CaseChange::Opened { no_sla: true, .. } => Some(SlaEvent::no_commitment(at)),
            CaseChange::Opened { .. }
            | CaseChange::SeverityRaiseRequested { .. }
            | CaseChange::Assigned { .. }
            | CaseChange::Linked { .. }
            | CaseChange::SlaWarning { .. }
            | CaseChange::SlaBreached { .. }
            | CaseChange::Attached { .. }
            | CaseChange::TimeLogged { .. } => None,
        }
    }
}

/// Whether a log entry changes a case's projection (only those are written back).
pub fn changes_projection(change: &CaseChange) -> bool {
    matches!(
        change,
        CaseChange::StatusChanged { .. }
            | CaseChange::Reply { .. }
            | CaseChange::SeverityChanged { .. }
            | CaseChange::SlaWarning { .. }
            | CaseChange::SlaBreached { .. }
    )
}

impl SlaProjection {
    /// The projection of a whole log, entry by entry (what a rebuild computes).
    pub fn from_log<'a>(entries: impl IntoIterator<Item = (Timestamp, &'a CaseChange)>) -> SlaProjection {
        let mut projection = SlaProjection::default();
        for (at, change) in entries {
            projection.apply(at, change);
        }
        projection
    }

    /// One more log entry.
    pub fn apply(&mut self, at: Timestamp, change: &CaseChange) {
        if let Some(fact) = SlaEvent::from_change(at, change) {
            self.facts.push(fact);
        }
        let (list, clock) = match change {
            CaseChange::SlaWarning { clock } => (&mut self.warned, *clock),
            CaseChange::SlaBreached { clock } => (&mut self.breached, *clock),
            _ => return,
        };
        if !list.contains(&clock) {
            list.push(clock);
        }
    }

    /// What the sweeper must write at `now`: a warning for each clock at 80 % or past it, a
    /// breach for each breached one, that the log does not hold yet.
    pub fn due_records(&self, contract: &Contract, severity: Severity, opened_at: Timestamp, now: Timestamp) -> Vec<CaseChange> {
        let mut records = Vec::new();
        for clock in clocks(contract, severity, opened_at, &self.facts, now) {
            let warned = matches!(clock.state, SlaClockState::Running | SlaClockState::Breached)
                && clock.warning_at.is_some_and(|w| w <= now);
            if warned && !self.warned.contains(&clock.kind) {
                records.push(CaseChange::SlaWarning { clock: clock.kind });
            }
            if clock.state == SlaClockState::Breached && !self.breached.contains(&clock.kind) {
                records.push(CaseChange::SlaBreached { clock: clock.kind });
            }
        }
        records
    }

    /// When the sweeper must look at the case again after `now` (its records written): the
    /// next 80 % or due instant of a running clock not yet recorded, or the next plan change
    /// of the contract; `None` when only a new log entry can change anything (a closed case,
    /// paused or met clocks).
    pub fn next_check(
        &self,
        contract: &Contract,
        status: Status,
        severity: Severity,
        opened_at: Timestamp,
        now: Timestamp,
    ) -> Option<Timestamp> {
        if status == Status::Closed {
            return None;
        }
        let mut next: Option<Timestamp> = None;
        let mut consider = |t: Timestamp| next = Some(next.map_or(t, |n: Timestamp| n.min(t)));
        for clock in clocks(contract, severity, opened_at, &self.facts, now) {
            if clock.state != SlaClockState::Running {
                continue;
            }
            if let Some(w) = clock.warning_at.filter(|_| !self.warned.contains(&clock.kind)) {
                consider(w.max(now));
            }
            if let Some(due) = clock.due.filter(|_| !self.breached.contains(&clock.kind)) {
                // The clock is breached the instant after its due time.
                consider(due.checked_add(jiff::SignedDuration::from_secs(1)).unwrap_or(due).max(now));
            }
        }
        if let Some(change) = contract.terms().plan_changes.iter().find(|c| c.at > now) {
            consider(change.at);
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sla::SlaEventKind;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn the_projection_keeps_clock_facts_and_records_once() {
        let reply = |from_support: bool, internal: bool| CaseChange::Reply { body: "x".into(), internal, from_support };
        let log = [
            (
                at("2026-01-01T10:00:00Z"),
                CaseChange::Opened {
                    kind: crate::domain::CaseKind::Question,
                    severity: Severity::Normal,
                    on_behalf: false,
                    no_sla: false,
                },
            ),
            (at("2026-01-01T10:05:00Z"), reply(true, true)),
            (at("2026-01-01T10:06:00Z"), reply(true, false)),
            (at("2026-01-01T10:07:00Z"), CaseChange::SlaWarning { clock: SlaClockKind::Restore }),
            (at("2026-01-01T10:08:00Z"), CaseChange::SlaWarning { clock: SlaClockKind::Restore }),
            (at("2026-01-01T10:09:00Z"), reply(false, false)),
        ];
        let projection = SlaProjection::from_log(log.iter().map(|(t, c)| (*t, c)));
        let kinds: Vec<SlaEventKind> = projection.facts.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, [SlaEventKind::InternalNote, SlaEventKind::SupportPublicReply, SlaEventKind::CustomerReply]);
        assert_eq!(projection.warned, [SlaClockKind::Restore]);
        assert!(projection.breached.is_empty());
        for (t, change) in &log {
            let recorded = matches!(change, CaseChange::SlaWarning { .. } | CaseChange::SlaBreached { .. });
            assert_eq!(changes_projection(change), SlaEvent::from_change(*t, change).is_some() || recorded);
        }
    }
}
