//! `caseboard generate`: a realistic large dataset on demand (issue #15). N cases over five
//! years for ~200 organizations on every preset plan, ~2,000 contacts and 40 engineers; each
//! case 5–30 log entries (open cases just opened may have fewer), ~3% still open. The same
//! seed and end instant give the same data. Written in bulk (`store::bulk`), streamed in
//! batches: memory does not grow with N. Log ids ascend within a case, in time order;
//! across cases they follow case numbers, not time.

mod dice;
mod history;
mod log;
mod roster;
#[cfg(test)]
mod tests;
mod words;

use std::sync::Arc;
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

use self::dice::Dice;
use self::log::{CaseSlot, case_rows};
use self::roster::Roster;
use super::store::Store;
use super::store::bulk::{Cell, case_rows as case_table, event_rows as event_table};
use crate::domain::Status;
use crate::error::AppError;

pub use words::{CJK_TERM, COMMON_WORD, RARE_WORD};

/// Every generated person's password.
pub const GENERATED_PASSWORD: &str = "caseboard-generated";

/// How far back the history goes.
const HISTORY_DAYS: i64 = 5 * 365;

/// Cases built and sent to the writer at a time (a multiple of the case rows per statement).
const BATCH_CASES: u64 = 1_000;

/// Cases per write transaction.
const COMMIT_CASES: u64 = 25_000;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    pub cases: u64,
    pub seed: u64,
    /// Add to a database that already holds cases or people other than the demo's.
    pub into_nonempty: bool,
    /// The moment the history ends ("now"): open cases are still open then.
    pub until: Timestamp,
}

/// What was generated, and how long it took.
#[derive(Clone, Debug)]
pub struct GenerateReport {
    pub cases: u64,
    pub open_cases: u64,
    pub events: u64,
    pub organizations: usize,
    pub contacts: usize,
    pub engineers: usize,
    pub first_number: i64,
    pub write_secs: f64,
    pub index_secs: f64,
    pub total_secs: f64,
    /// An engineer and the largest organization's admin, to sign in with ([`GENERATED_PASSWORD`]).
    pub engineer_email: String,
    pub customer_email: String,
}

#[derive(Debug)]
pub enum GenerateError {
    /// The database holds real data and `into_nonempty` was not given: nothing was written.
    Refused,
    Failed(AppError),
}

impl From<AppError> for GenerateError {
    fn from(e: AppError) -> GenerateError {
        GenerateError::Failed(e)
    }
}

/// One batch of built cases on its way to the writer.
struct Batch {
    cases: Vec<Vec<Cell>>,
    events: Vec<Vec<Cell>>,
    open: u64,
}

/// When case `index` of `n` was opened, and whether it is still open at `until`: more
/// cases every year (the rate grows from 1 to 2 over the five years); the open ones are
/// mostly among the newest, a few are old cases still going.
fn place(seed: u64, index: u64, n: u64, until: Timestamp) -> (Timestamp, bool) {
    let mut dice = Dice::for_item(seed.rotate_left(17), index);
    let u = (index as f64 + dice.unit()) / n as f64;
    let along = (1.0 + 3.0 * u).sqrt() - 1.0;
    let span = SignedDuration::from_hours(24 * HISTORY_DAYS).as_secs() as f64;
    let opened_at = until - SignedDuration::from_secs(((1.0 - along) * span) as i64);
    let recent = u >= 0.94;
    let open = if recent { dice.chance(0.5) } else { dice.chance(0.002) };
    (opened_at, open)
}

/// Fills the store with the dataset `options` describe; `progress` hears a line now and then.
pub async fn generate(
    store: &Store,
    options: &GenerateOptions,
    progress: &mut (dyn FnMut(String) + Send),
) -> Result<GenerateReport, GenerateError> {
    let started = Instant::now();
    let demo: Vec<&str> = crate::backend::demo::DEMO_LOGINS.iter().map(|(email, _)| *email).collect();
    if !options.into_nonempty && store.holds_real_data(&demo).await? {
        return Err(GenerateError::Refused);
    }
    let next = store.next_ids().await?;
    let suffix = if next.user > 1 || next.organization > 1 { format!("-g{}", next.case_number) } else { String::new() };
    let start = options.until - SignedDuration::from_hours(24 * HISTORY_DAYS);
    let roster = Arc::new(Roster::new(options.seed, start, &next, &suffix)?);
    let hash = super::accounts::hash_password(GENERATED_PASSWORD).await?;

    let mut load = store.bulk_load().await?;
    roster.write(&mut load, &next, &hash).await?;
    progress(format!(
        "{} organizations, {} contacts, {} engineers written",
        roster.customers.len(),
        roster.contacts(),
        roster.engineers.len()
    ));

    // Cases are built on a thread of their own while this task writes the previous batch.
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Result<Batch, AppError>>(4);
    let builder = {
        let roster = roster.clone();
        let options = options.clone();
        std::thread::spawn(move || {
            let n = options.cases;
            let mut event_id = next.event;
            let mut index = 0;
            while index < n {
                let mut batch = Batch { cases: Vec::new(), events: Vec::new(), open: 0 };
                for index in index..(index + BATCH_CASES).min(n) {
                    let (opened_at, open) = place(options.seed, index, n, options.until);
                    let slot = CaseSlot {
                        index,
                        id: next.case + index as i64,
                        number: next.case_number + index as i64,
                        first_event_id: event_id,
                        opened_at,
                        open,
                    };
                    let rows = match case_rows(&roster, options.seed, &slot, options.until) {
                        Ok(rows) => rows,
                        Err(e) => {
                            let _ = sender.blocking_send(Err(e));
                            return;
                        }
                    };
                    event_id += rows.events.len() as i64;
                    batch.open += u64::from(rows.status != Status::Closed);
                    batch.cases.push(rows.case);
                    batch.events.extend(rows.events);
                }
                index = (index + BATCH_CASES).min(n);
                if sender.blocking_send(Ok(batch)).is_err() {
                    return; // the writer stopped
                }
            }
        })
    };

    let mut cases = case_table();
    let mut events = event_table();
    let (mut written, mut event_count, mut open_cases) = (0u64, 0u64, 0u64);
    while let Some(batch) = batches.recv().await {
        let batch = batch?;
        written += batch.cases.len() as u64;
        event_count += batch.events.len() as u64;
        open_cases += batch.open;
        for row in batch.cases {
            cases.push(row);
        }
        // Every case of the batch before its entries (they point at it).
        load.write(&mut cases, true).await?;
        for row in batch.events {
            events.push(row);
        }
        load.write(&mut events, false).await?;
        if written % COMMIT_CASES == 0 {
            load.commit().await?;
            progress(format!(
                "{written:>9} / {} cases, {event_count} log entries, {:.0} s",
                options.cases,
                started.elapsed().as_secs_f64()
            ));
        }
    }
    let _ = builder.join();
    load.write(&mut events, true).await?;
    load.finish(next.case_number + written as i64).await?;
    let write_secs = started.elapsed().as_secs_f64();
    progress(format!(
        "{written} cases and {event_count} log entries written in {write_secs:.1} s; indexing for search…"
    ));

    let indexing = Instant::now();
    store.rebuild_search_index().await?;
    let index_secs = indexing.elapsed().as_secs_f64();
    progress(format!("search index rebuilt in {index_secs:.1} s"));
    let projecting = Instant::now();
    store.rebuild_projections().await?;
    progress(format!("SLA projections rebuilt in {:.1} s", projecting.elapsed().as_secs_f64()));
    let rolling = Instant::now();
    store.rebuild_report_rollups().await?;
    progress(format!("report rollups rebuilt in {:.1} s", rolling.elapsed().as_secs_f64()));

    let largest = &roster.customers[0];
    Ok(GenerateReport {
        cases: written,
        open_cases,
        events: event_count,
        organizations: roster.customers.len(),
        contacts: roster.contacts(),
        engineers: roster.engineers.len(),
        first_number: next.case_number,
        write_secs,
        index_secs,
        total_secs: started.elapsed().as_secs_f64(),
        engineer_email: roster.engineers[0].email.clone(),
        customer_email: largest.contacts[0].email.clone(),
    })
}
