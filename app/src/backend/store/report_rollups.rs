//! The daily report rollups (`report_daily`): each case contributes its metrics to the row
//! of the day it was opened and of its (organization, plan, severity, engineer, product).
//! Its contribution is kept in `case_report_facts`; every log entry replaces it (subtract
//! the old, add the new) in the entry's transaction, reading only the case's row, its SLA
//! projection and its organization's contract. A rebuild from the log goes through the
//! same replacement, a batch of cases per transaction.

use jiff::Timestamp;
use sqlx::{AnyPool, Row};

use super::projections::projection_from_text;
use super::{Backend, Tx, corrupt, timestamp};
use crate::domain::calendar::BusinessCalendar;
use crate::domain::metrics::{CaseMetrics, SlaOutcome, bucket_of, case_metrics};
use crate::domain::plan::SupportPlan;
use crate::domain::sla::SlaProjection;
use crate::domain::{CaseChange, Contract, Severity};
use crate::error::AppError;

/// The version of what the rollups hold; a new one rebuilds them at start.
const ROLLUP_VERSION: &str = "1";

/// Cases read and written per transaction by a rebuild.
const REBUILD_BATCH: i64 = 1000;

/// The count columns of `report_daily`, in the order [`counts`] gives them.
pub(super) const COUNT_COLUMNS: [&str; 12] = [
    "opened",
    "first_responses",
    "resolved",
    "ever_resolved",
    "reopened",
    "one_touch",
    "initial_met",
    "initial_breached",
    "initial_running",
    "restore_met",
    "restore_breached",
    "restore_running",
];

/// The prefixes of the histogram columns (`fr_c00` … `res_b23`).
pub(super) const HISTOGRAMS: [&str; 4] = ["fr_c", "fr_b", "res_c", "res_b"];

/// Where a case's figures are added up.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct RollupKey {
    day: String,
    organization_id: i64,
    plan: String,
    severity: i64,
    engineer_id: i64,
    product: String,
}

/// What one case adds to its rollup row.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Contribution {
    key: RollupKey,
    opened_at: Timestamp,
    metrics: CaseMetrics,
}

/// An instant as these tables keep it: whole seconds, so text order is time order.
fn instant_text(t: Timestamp) -> String {
    t.round(jiff::Unit::Second).unwrap_or(t).to_string()
}

fn counts(m: &CaseMetrics) -> [i64; 12] {
    let outcome = |o: SlaOutcome| [o == SlaOutcome::Met, o == SlaOutcome::Breached, o == SlaOutcome::Running];
    let [im, ib, ir] = outcome(m.initial_response);
    let [rm, rb, rr] = outcome(m.restore);
    [
        true,
        m.first_response.is_some(),
        m.resolution.is_some(),
        m.ever_resolved,
        m.reopened,
        m.one_touch,
        im,
        ib,
        ir,
        rm,
        rb,
        rr,
    ]
    .map(i64::from)
}

/// The histogram columns a case adds one to.
fn buckets(m: &CaseMetrics) -> Vec<String> {
    let mut columns = Vec::with_capacity(4);
    let mut add = |prefix: &str, seconds: i64| columns.push(format!("{prefix}{:02}", bucket_of(seconds)));
    if let Some(e) = m.first_response {
        add("fr_c", e.calendar_seconds);
        add("fr_b", e.business_seconds);
    }
    if let Some(e) = m.resolution {
        add("res_c", e.calendar_seconds);
        add("res_b", e.business_seconds);
    }
    columns
}

/// What `sign` times a contribution adds to its rollup row's columns.
fn rollup_columns(c: &Contribution, sign: i64) -> Vec<(String, i64)> {
    let mut columns: Vec<(String, i64)> =
        COUNT_COLUMNS.iter().zip(counts(&c.metrics)).map(|(column, v)| ((*column).to_owned(), v * sign)).collect();
    columns.extend(buckets(&c.metrics).into_iter().map(|column| (column, sign)));
    columns
}

/// Adds `sign` times a contribution to its rollup row.
async fn add_to_rollup(tx: &mut Tx, c: &Contribution, sign: i64) -> Result<(), AppError> {
    add_to_row(tx, &c.key, &rollup_columns(c, sign)).await
}

/// Adds `columns`' values to the rollup row of `key` (made when missing).
async fn add_to_row(tx: &mut Tx, key: &RollupKey, columns: &[(String, i64)]) -> Result<(), AppError> {
    let (columns, values): (Vec<&str>, Vec<i64>) = columns.iter().map(|(c, v)| (c.as_str(), *v)).unzip();
    let placeholders: Vec<String> = (0..columns.len()).map(|i| format!("${}", i + 7)).collect();
    let updates: Vec<String> = columns.iter().map(|c| format!("{c} = report_daily.{c} + excluded.{c}")).collect();
    // Column names come from the constants above, never from input.
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO report_daily (day, organization_id, plan, severity, engineer_id, product, {}) \
         VALUES ($1, $2, $3, $4, $5, $6, {}) \
         ON CONFLICT (day, organization_id, plan, severity, engineer_id, product) DO UPDATE SET {}",
        columns.join(", "),
        placeholders.join(", "),
        updates.join(", ")
    ));
    let mut query = sqlx::query(sql)
        .bind(&key.day)
        .bind(key.organization_id)
        .bind(&key.plan)
        .bind(key.severity)
        .bind(key.engineer_id)
        .bind(&key.product);
    for v in values {
        query = query.bind(v);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

/// The contribution a case has in the rollups now, if any.
async fn stored_contribution(tx: &mut Tx, case_id: i64) -> Result<Option<Contribution>, AppError> {
    let row = sqlx::query(
        "SELECT day, organization_id, plan, severity, engineer_id, product, opened_at, metrics \
         FROM case_report_facts WHERE case_id = $1",
    )
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(stored_from_row).transpose()
}

/// The stored contributions of the cases with ids in `first..=last`, by case id.
async fn stored_contributions(
    tx: &mut Tx,
    first: i64,
    last: i64,
) -> Result<std::collections::HashMap<i64, Contribution>, AppError> {
    let rows = sqlx::query(
        "SELECT case_id, day, organization_id, plan, severity, engineer_id, product, opened_at, metrics \
         FROM case_report_facts WHERE case_id >= $1 AND case_id <= $2",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|row| Ok((row.try_get::<i64, _>("case_id")?, stored_from_row(row)?))).collect()
}

fn stored_from_row(row: &sqlx::any::AnyRow) -> Result<Contribution, AppError> {
    let text: String = row.try_get("metrics")?;
    Ok(Contribution {
        key: RollupKey {
            day: row.try_get("day")?,
            organization_id: row.try_get("organization_id")?,
            plan: row.try_get("plan")?,
            severity: row.try_get("severity")?,
            engineer_id: row.try_get("engineer_id")?,
            product: row.try_get("product")?,
        },
        opened_at: timestamp(&row.try_get::<String, _>("opened_at")?)?,
        metrics: serde_json::from_str(&text).map_err(|_| corrupt("case report facts", &text))?,
    })
}

/// Replaces a case's contribution to the rollups by `new` (bounded: two rollup rows and
/// the case's facts row).
async fn replace_contribution(tx: &mut Tx, case_id: i64, new: &Contribution) -> Result<(), AppError> {
    let old = stored_contribution(tx, case_id).await?;
    if old.as_ref() == Some(new) {
        return Ok(());
    }
    if let Some(old) = &old {
        add_to_rollup(tx, old, -1).await?;
    }
    add_to_rollup(tx, new, 1).await?;
    store_facts(tx, case_id, new).await
}

/// Keeps `new` as the case's contribution.
async fn store_facts(tx: &mut Tx, case_id: i64, new: &Contribution) -> Result<(), AppError> {
    let metrics = serde_json::to_string(&new.metrics).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "INSERT INTO case_report_facts \
         (case_id, day, organization_id, plan, severity, engineer_id, product, opened_at, resolved_at, metrics) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (case_id) DO UPDATE SET \
         day = excluded.day, organization_id = excluded.organization_id, plan = excluded.plan, \
         severity = excluded.severity, engineer_id = excluded.engineer_id, product = excluded.product, \
         opened_at = excluded.opened_at, resolved_at = excluded.resolved_at, metrics = excluded.metrics",
    )
    .bind(case_id)
    .bind(&new.key.day)
    .bind(new.key.organization_id)
    .bind(&new.key.plan)
    .bind(new.key.severity)
    .bind(new.key.engineer_id)
    .bind(&new.key.product)
    .bind(instant_text(new.opened_at))
    .bind(new.metrics.resolved_at.map(instant_text))
    .bind(metrics)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An organization's contract as the clocks count under it, read in the transaction (the
/// same rule as `backend::contracts::contract_of`).
async fn contract_in(tx: &mut Tx, organization_id: i64) -> Result<Contract, AppError> {
    let rows =
        sqlx::query("SELECT effective_at, plan, calendar FROM contract_changes WHERE organization_id = $1 ORDER BY id")
            .bind(organization_id)
            .fetch_all(&mut **tx)
            .await?;
    let json = |what: &str, text: &str| corrupt(what, text);
    let Some(last) = rows.last() else {
        let plan_id: String = sqlx::query_scalar("SELECT plan FROM organizations WHERE id = $1")
            .bind(organization_id)
            .fetch_one(&mut **tx)
            .await?;
        let plan = match SupportPlan::preset(&plan_id) {
            Some(plan) => plan,
            None => {
                let text: String = sqlx::query_scalar("SELECT definition FROM custom_plans WHERE id = $1")
                    .bind(&plan_id)
                    .fetch_optional(&mut **tx)
                    .await?
                    .ok_or(AppError::Internal)?;
                serde_json::from_str(&text).map_err(|_| json("custom plan", &text))?
            }
        };
        let calendar = plan.calendar.clone();
        return Contract::new(plan, calendar);
    };
    let calendar_text: String = last.try_get("calendar")?;
    let calendar: BusinessCalendar =
        serde_json::from_str(&calendar_text).map_err(|_| json("calendar", &calendar_text))?;
    let mut contract: Option<Contract> = None;
    let mut current: Option<SupportPlan> = None;
    for row in &rows {
        let text: String = row.try_get("plan")?;
        let plan: SupportPlan = serde_json::from_str(&text).map_err(|_| json("plan", &text))?;
        contract = Some(match contract {
            None => Contract::new(plan.clone(), calendar.clone())?,
            Some(c) if current.as_ref() != Some(&plan) => {
                c.with_plan_change(timestamp(&row.try_get::<String, _>("effective_at")?)?, plan.clone())?
            }
            Some(c) => c,
        });
        current = Some(plan);
    }
    contract.ok_or(AppError::Internal)
}

/// A case's contribution at `now` from its row, its projection and its contract.
async fn contribution(
    tx: &mut Tx,
    case_id: i64,
    projection: &SlaProjection,
    now: Timestamp,
) -> Result<Contribution, AppError> {
    let row = sqlx::query(
        "SELECT id, organization_id, severity, assignee_id, product, opened_at FROM cases WHERE id = $1",
    )
    .bind(case_id)
    .fetch_one(&mut **tx)
    .await?;
    let case = CaseRow::from_row(&row)?;
    let contract = contract_in(tx, case.organization_id).await?;
    case.contribution(&contract, projection, now)
}

/// What a case's contribution needs of its row.
struct CaseRow {
    id: i64,
    organization_id: i64,
    severity: i64,
    engineer_id: i64,
    product: String,
    opened_at: Timestamp,
}

impl CaseRow {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, AppError> {
        Ok(Self {
            id: row.try_get("id")?,
            organization_id: row.try_get("organization_id")?,
            severity: row.try_get("severity")?,
            engineer_id: row.try_get::<Option<i64>, _>("assignee_id")?.unwrap_or(0),
            product: row.try_get("product")?,
            opened_at: timestamp(&row.try_get::<String, _>("opened_at")?)?,
        })
    }

    /// The contribution at `now` under `contract`, from the case's projection.
    fn contribution(&self, contract: &Contract, projection: &SlaProjection, now: Timestamp) -> Result<Contribution, AppError> {
        let severity =
            u8::try_from(self.severity).ok().and_then(|l| Severity::try_from(l).ok()).ok_or(AppError::Internal)?;
        let metrics = case_metrics(contract, severity, self.opened_at, &projection.facts, now);
        Ok(Contribution {
            key: RollupKey {
                day: self.opened_at.to_zoned(jiff::tz::TimeZone::UTC).date().to_string(),
                organization_id: self.organization_id,
                plan: contract.plan_at(self.opened_at).id.clone(),
                severity: self.severity,
                engineer_id: self.engineer_id,
                product: self.product.clone(),
            },
            opened_at: self.opened_at,
            metrics,
        })
    }
}

/// Called for every log entry, in its transaction, after the SLA projection: the case's
/// contribution to the daily rollups is recomputed as of the entry and replaced.
pub(super) async fn roll_up_case(tx: &mut Tx, case_id: i64, at: &str) -> Result<(), AppError> {
    let text: Option<String> = sqlx::query_scalar("SELECT projection FROM case_sla WHERE case_id = $1")
        .bind(case_id)
        .fetch_optional(&mut **tx)
        .await?;
    let projection = text.as_deref().map(projection_from_text).transpose()?.unwrap_or_default();
    let new = contribution(tx, case_id, &projection, timestamp(at)?).await?;
    replace_contribution(tx, case_id, &new).await
}

/// Recomputes the contributions of the cases with ids in `first..=last` from their logs:
/// the cases' rows and stored contributions in one read each, the contracts from
/// `contracts` (read once per organization and rebuild), and each rollup row the batch
/// touches written once with the sum of its changes.
async fn rebuild_cases(
    tx: &mut Tx,
    first: i64,
    last: i64,
    contracts: &mut std::collections::HashMap<i64, Contract>,
) -> Result<usize, AppError> {
    let rows = sqlx::query(
        "SELECT id, organization_id, severity, assignee_id, product, opened_at FROM cases \
         WHERE id >= $1 AND id <= $2 ORDER BY id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut **tx)
    .await?;
    let cases = rows.iter().map(CaseRow::from_row).collect::<Result<Vec<_>, _>>()?;
    let mut stored = stored_contributions(tx, first, last).await?;
    let mut changes: std::collections::HashMap<RollupKey, std::collections::BTreeMap<String, i64>> =
        std::collections::HashMap::new();
    let mut add = |c: &Contribution, sign: i64| {
        let row = changes.entry(c.key.clone()).or_default();
        for (column, v) in rollup_columns(c, sign) {
            *row.entry(column).or_default() += v;
        }
    };
    let entries = sqlx::query(
        "SELECT case_id, at, CASE WHEN kind IN ('opened', 'status_changed', 'reply', 'internal_note', \
         'severity_changed', 'sla_warning', 'sla_breached') THEN data ELSE '' END AS data \
         FROM case_events WHERE case_id >= $1 AND case_id <= $2 ORDER BY case_id, id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut **tx)
    .await?;
    let mut entries = entries.iter().peekable();
    for case in &cases {
        let case_id = case.id;
        let mut projection = SlaProjection::default();
        let mut latest: Option<Timestamp> = None;
        while let Some(row) = entries.next_if(|row| row.try_get::<i64, _>("case_id").is_ok_and(|id| id <= case_id)) {
            if row.try_get::<i64, _>("case_id")? != case_id {
                continue;
            }
            let at = timestamp(&row.try_get::<String, _>("at")?)?;
            latest = Some(at);
            let data: String = row.try_get("data")?;
            if !data.is_empty() {
                let change: CaseChange = serde_json::from_str(&data).map_err(|_| corrupt("case event", &data))?;
                projection.apply(at, &change);
            }
        }
        let Some(latest) = latest else { continue };
        if !contracts.contains_key(&case.organization_id) {
            contracts.insert(case.organization_id, contract_in(tx, case.organization_id).await?);
        }
        let new = case.contribution(&contracts[&case.organization_id], &projection, latest)?;
        let old = stored.remove(&case_id);
        if old.as_ref() == Some(&new) {
            continue;
        }
        if let Some(old) = &old {
            add(old, -1);
        }
        add(&new, 1);
        store_facts(tx, case_id, &new).await?;
    }
    for (key, columns) in changes {
        let columns: Vec<(String, i64)> = columns.into_iter().collect();
        add_to_row(tx, &key, &columns).await?;
    }
    Ok(cases.len())
}

/// Rebuilds every rollup from the log, a batch of cases per transaction; returns how many
/// cases it read. Writers between batches replace contributions as usual, so the result
/// is the same as if the rebuild had been one transaction.
pub(super) async fn rebuild_all(pool: &AnyPool, backend: Backend) -> Result<usize, AppError> {
    let started = std::time::Instant::now();
    let mut tx = super::projections::begin_write_on(pool, backend).await?;
    sqlx::query("DELETE FROM report_daily").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM case_report_facts").execute(&mut *tx).await?;
    tx.commit().await?;
    let mut first = 0i64;
    let mut read = 0;
    // Contracts as the rebuild started: a plan change made during it counts for the cases
    // written after it, as with every rollup (a contribution is computed when written).
    let mut contracts = std::collections::HashMap::new();
    loop {
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(id) FROM (SELECT id FROM cases WHERE id >= $1 ORDER BY id LIMIT $2) batch")
                .bind(first)
                .bind(REBUILD_BATCH)
                .fetch_one(pool)
                .await?;
        let Some(last) = last else { break };
        let mut tx = super::projections::begin_write_on(pool, backend).await?;
        read += rebuild_cases(&mut tx, first, last, &mut contracts).await?;
        tx.commit().await?;
        first = last + 1;
    }
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('report_rollups', $1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .bind(ROLLUP_VERSION)
    .execute(pool)
    .await?;
    tracing::info!(cases = read, ms = started.elapsed().as_millis() as u64, "report rollups rebuilt");
    Ok(read)
}

/// Builds the rollups when the database predates them (or holds an older version).
pub(super) async fn roll_up_if_needed(pool: &AnyPool, backend: Backend) -> Result<(), AppError> {
    let version: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'report_rollups'").fetch_optional(pool).await?;
    if version.as_deref() != Some(ROLLUP_VERSION) {
        rebuild_all(pool, backend).await?;
    }
    Ok(())
}

/// The rollups kept with each log entry equal a rebuild from the log.
#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;
    use proptest::prelude::*;

    /// Something that happens to a case, chosen at random.
    #[derive(Clone, Debug)]
    enum Step {
        CustomerReply,
        SupportReply,
        InternalNote,
        Move(Status),
        Severity(Severity),
        Assign,
        Sweep(i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            Just(Step::CustomerReply),
            Just(Step::SupportReply),
            Just(Step::InternalNote),
            prop::sample::select(Status::ALL.to_vec()).prop_map(Step::Move),
            prop::sample::select(Severity::ALL.to_vec()).prop_map(Step::Severity),
            Just(Step::Assign),
            (1i64..20_000).prop_map(Step::Sweep),
        ]
    }

    /// Rows that hold at least one case (a case moved to another key leaves zeros behind).
    async fn live_rows(store: &crate::backend::Store) -> Vec<Vec<(String, String)>> {
        let rows = store.rollup_rows().await.unwrap();
        rows.into_iter().filter(|row| row.iter().any(|(name, value)| name == "opened" && value != "0")).collect()
    }

    async fn play(steps: Vec<Vec<Step>>) {
        use crate::backend::sweeper::sweep;
        let f = fixture().await;
        for (i, case_steps) in steps.iter().enumerate() {
            let mut draft = draft(&format!("case {i}"));
            draft.severity = Severity::High;
            let case = cases::open_case(&f.store, &f.alice, draft, None).await.unwrap().case;
            for step in case_steps {
                let now = f.store.case_by_number(case.number, CaseScope::Everything).await.unwrap().unwrap();
                // Refusals are part of the game: they must change nothing.
                let _ = match step {
                    Step::CustomerReply => {
                        cases::reply(&f.store, &f.alice, case.number, "more", false, None, true).await
                    }
                    Step::SupportReply => {
                        cases::reply(&f.store, &f.sam, case.number, "answer", false, None, true).await
                    }
                    Step::InternalNote => cases::reply(&f.store, &f.sam, case.number, "note", true, None, true).await,
                    Step::Move(to) => {
                        let resolution = matches!(to, Status::Resolved | Status::Closed).then_some(Resolution::Fixed);
                        cases::change_status(&f.store, &f.sam, case.number, *to, resolution, now.version, None).await
                    }
                    Step::Severity(to) => cases::change_severity(&f.store, &f.sam, case.number, *to, now.version).await,
                    Step::Assign => {
                        use crate::backend::assignment::{AssignTo, assign};
                        assign(&f.store, &f.sam, case.number, AssignTo::Me, Some(now.version)).await
                    }
                    Step::Sweep(minutes) => {
                        sweep(&f.store, case.opened_at + jiff::SignedDuration::from_mins(*minutes)).await.unwrap();
                        Ok(now)
                    }
                };
            }
        }
        let incremental = live_rows(&f.store).await;
        assert!(!incremental.is_empty());
        assert_eq!(f.store.rebuild_report_rollups().await.unwrap(), steps.len());
        assert_eq!(live_rows(&f.store).await, incremental);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 10, .. ProptestConfig::default() })]
        #[test]
        fn the_rollups_kept_with_each_event_equal_a_rebuild_from_the_log(
            steps in prop::collection::vec(prop::collection::vec(step(), 0..12), 1..4)
        ) {
            tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(play(steps));
        }
    }
}
