//! The breach sweeper: computes every open case's clocks with the domain's `clocks()` and
//! appends "SLA warning" (80% used) and "SLA breached" to the log, once each per clock.

use std::collections::HashMap;
use std::time::Duration;

use jiff::Timestamp;

use super::contracts::{contracts_for_cases, sla_events};
use super::store::{CaseScope, Store};
use crate::domain::sla::{Contract, SlaClockState, clocks};
use crate::domain::{CaseChange, Status};
use crate::error::AppError;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub cases: usize,
    pub warnings: usize,
    pub breaches: usize,
}

/// One sweep at `now`. Idempotent: what is already in the log is not written again.
pub async fn sweep(store: &Store, now: Timestamp) -> Result<SweepReport, AppError> {
    let open: Vec<_> =
        store.list_cases(CaseScope::Everything).await?.into_iter().filter(|c| c.status != Status::Closed).collect();
    let mut logs = store.events_by_case(CaseScope::Everything, true).await?;
    let contracts: HashMap<String, Contract> = contracts_for_cases(store, &open).await?.into_iter().collect();
    let mut report = SweepReport { cases: open.len(), ..SweepReport::default() };
    for case in &open {
        let Some(contract) = contracts.get(&case.organization) else { continue };
        let log = logs.remove(&case.number).unwrap_or_default();
        let written = |change: &CaseChange| log.iter().any(|e| &e.change == change);
        for clock in clocks(contract, case.severity, case.opened_at, &sla_events(&log), now) {
            let warned = matches!(clock.state, SlaClockState::Running | SlaClockState::Breached)
                && clock.warning_at.is_some_and(|w| w <= now);
            let warning = CaseChange::SlaWarning { clock: clock.kind };
            if warned && !written(&warning) && store.append_once(case.number, &warning).await? {
                tracing::info!(number = %case.number, clock = ?clock.kind, "SLA warning");
                report.warnings += 1;
            }
            let breach = CaseChange::SlaBreached { clock: clock.kind };
            if clock.state == SlaClockState::Breached
                && !written(&breach)
                && store.append_once(case.number, &breach).await?
            {
                tracing::warn!(number = %case.number, clock = ?clock.kind, "SLA breached");
                report.breaches += 1;
            }
        }
    }
    Ok(report)
}

/// Sweeps every `every` until the process ends; a failed sweep is logged and retried.
pub fn spawn(store: Store, every: Duration) {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(e) = sweep(&store, Timestamp::now()).await {
                tracing::error!(error = %e, "SLA sweep failed");
            }
        }
    });
}
