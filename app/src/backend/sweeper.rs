//! The breach sweeper: looks only at the cases whose check time has come (their SLA
//! projection's `next_check_at`, indexed), computes their clocks with the domain's
//! `clocks()`, appends "SLA warning" (80% used) and "SLA breached" once each per clock, and
//! records when to look again. It never reads the log, nor a case that nothing can change.

use std::collections::HashMap;
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::watch;

use super::contracts::contract_of;
use super::store::Store;
use crate::domain::sla::Contract;
use crate::error::AppError;

/// Cases checked per batch; a pass takes batches until none is due (or shutdown).
const BATCH: i64 = 500;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Cases whose clocks were computed.
    pub cases: usize,
    pub warnings: usize,
    pub breaches: usize,
}

/// One sweep at `now`. Idempotent: what is already in the log is not written again.
pub async fn sweep(store: &Store, now: Timestamp) -> Result<SweepReport, AppError> {
    sweep_until(store, now, &watch::channel(false).1).await
}

/// A sweep that stops between batches once `stop` says so.
async fn sweep_until(store: &Store, now: Timestamp, stop: &watch::Receiver<bool>) -> Result<SweepReport, AppError> {
    let mut report = SweepReport::default();
    let mut contracts: HashMap<String, Option<Contract>> = HashMap::new();
    loop {
        let due = store.due_checks(now, BATCH).await?;
        let mut checked = Vec::with_capacity(due.len());
        for check in &due {
            if *stop.borrow() {
                break;
            }
            let case = &check.case;
            if !contracts.contains_key(&case.organization) {
                let contract = match store.organization_by_slug(&case.organization).await? {
                    Some(organization) => Some(contract_of(store, &organization).await?),
                    None => None,
                };
                contracts.insert(case.organization.clone(), contract);
            }
            let Some(contract) = contracts.get(&case.organization).and_then(Option::as_ref) else {
                checked.push((check.case_id, check.projection.clone(), None));
                continue;
            };
            report.cases += 1;
            let mut projection = check.projection.clone();
            if case.status != crate::domain::Status::Closed {
                for record in projection.due_records(contract, case.severity, case.opened_at, now) {
                    if store.append_once(case.number, &record).await? {
                        match record {
                            crate::domain::CaseChange::SlaBreached { clock } => {
                                tracing::warn!(number = %case.number, ?clock, "SLA breached");
                                report.breaches += 1;
                            }
                            _ => {
                                tracing::info!(number = %case.number, "SLA warning");
                                report.warnings += 1;
                            }
                        }
                    }
                    projection.apply(now, &record);
                }
            }
            let next = projection.next_check(contract, case.status, case.severity, case.opened_at, now);
            checked.push((check.case_id, projection, next.filter(|n| *n > now)));
        }
        store.set_next_checks(&checked).await?;
        if (due.len() as i64) < BATCH || *stop.borrow() || checked.len() < due.len() {
            return Ok(report);
        }
    }
}

/// Sweeps every `every` until `stop` turns true; a failed sweep is logged and retried. A
/// running pass stops between two cases at shutdown (the next start resumes it).
pub fn spawn(store: Store, every: Duration, mut stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {}
                _ = stop.changed() => return,
            }
            if *stop.borrow() {
                return;
            }
            let started = std::time::Instant::now();
            match sweep_until(&store, Timestamp::now(), &stop).await {
                Ok(report) if report.cases > 0 => tracing::debug!(
                    cases = report.cases,
                    warnings = report.warnings,
                    breaches = report.breaches,
                    ms = started.elapsed().as_millis() as u64,
                    "SLA sweep"
                ),
                Ok(_) => {}
                Err(_) if *stop.borrow() => return,
                Err(e) => tracing::error!(error = %e, "SLA sweep failed"),
            }
        }
    })
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
