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

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn the_sweeper_warns_at_80_percent_and_records_a_breach_once_even_after_a_restart() {
        use crate::backend::sweeper::sweep;
        use jiff::SignedDuration;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sweep.sqlite");
        // Premium: an Urgent case is due 30 minutes later, 24x7.
        let (store, alice) = fixture_at(&path, "elastic-cloud-premium").await;
        let mut urgent = CaseDraft { severity: Severity::Urgent, ..draft("down") };
        urgent.details.impact = "Every order is lost while it is down.".into();
        let case = cases::open_case(&store, &alice, urgent, None).await.unwrap().case;
        let at = |mins: i64| case.opened_at + SignedDuration::from_mins(mins);

        assert_eq!(sweep(&store, at(10)).await.unwrap().warnings, 0);
        let report = sweep(&store, at(25)).await.unwrap();
        assert_eq!((report.warnings, report.breaches), (1, 0));
        assert_eq!(sweep(&store, at(26)).await.unwrap().warnings, 0, "a warning is written once");
        let report = sweep(&store, at(31)).await.unwrap();
        assert_eq!((report.warnings, report.breaches), (0, 1));
        store.close().await;

        let restarted = open_store(&path).await;
        let report = sweep(&restarted, at(45)).await.unwrap();
        assert_eq!((report.warnings, report.breaches), (0, 0), "nothing twice across a restart");
        let kinds: Vec<&str> =
            restarted.case_events(case.number, true).await.unwrap().iter().map(|e| e.change.kind()).collect();
        assert_eq!(kinds, ["opened", "sla_warning", "sla_breached"]);
    }

    #[tokio::test]
    async fn two_instances_sweeping_the_same_database_at_once_record_each_sla_event_once() {
        use crate::backend::sweeper::sweep;
        use jiff::SignedDuration;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("two.sqlite");
        let (first, alice) = fixture_at(&path, "elastic-cloud-premium").await;
        // A second instance on the same database (the same file, or the same PostgreSQL database).
        let second = open_store(&path).await;
        let mut urgent = CaseDraft { severity: Severity::Urgent, ..draft("down") };
        urgent.details.impact = "Every order is lost while it is down.".into();
        let case = cases::open_case(&first, &alice, urgent, None).await.unwrap().case;
        let at = case.opened_at + SignedDuration::from_mins(31);
        for _ in 0..3 {
            let (a, b) = tokio::join!(sweep(&first, at), sweep(&second, at));
            let (a, b) = (a.unwrap(), b.unwrap());
            assert!(a.breaches + b.breaches <= 1);
        }
        let kinds: Vec<&str> =
            second.case_events(case.number, true).await.unwrap().iter().map(|e| e.change.kind()).collect();
        assert_eq!(kinds, ["opened", "sla_warning", "sla_breached"], "each once, whoever swept first");
    }
}
