//! Each case's SLA projection (`case_sla`): written with every log entry that changes it,
//! read by the board and the sweeper instead of the log, rebuilt from the log on demand
//! (`caseboard rebuild-projections`) or when a database predates it.

use jiff::Timestamp;
use sqlx::{AnyPool, Row};

use super::{Backend, Store, Tx, WRITE_LOCK, corrupt, timestamp};
use crate::domain::sla::{SlaProjection, changes_projection};
use crate::domain::{CaseChange, Status};
use crate::error::AppError;

/// The version of what `case_sla` holds; a new one rebuilds it at start.
const PROJECTION_VERSION: &str = "1";

/// Cases read and written per transaction by a rebuild (bounded memory at any size).
const REBUILD_BATCH: i64 = 2000;

/// How an instant is kept in `next_check_at`: whole seconds, so text order is time order.
pub(super) fn check_instant(t: Timestamp) -> String {
    t.round(jiff::Unit::Second).unwrap_or(t).to_string()
}

pub(super) fn projection_from_text(text: &str) -> Result<SlaProjection, AppError> {
    serde_json::from_str(text).map_err(|_| corrupt("SLA projection", text))
}

fn projection_text(projection: &SlaProjection) -> Result<String, AppError> {
    serde_json::to_string(projection).map_err(|_| AppError::Internal)
}

/// Called for every log entry, in its transaction: a new case gets its (empty) projection,
/// a clock-relevant entry is added to it, and the sweeper is asked to look at the case.
pub(super) async fn project_event(tx: &mut Tx, case_id: i64, at: &str, change: &CaseChange) -> Result<(), AppError> {
    let instant = timestamp(at)?;
    if let CaseChange::Opened { .. } = change {
        // A case without SLA starts with that fact; any other with an empty projection.
        sqlx::query("INSERT INTO case_sla (case_id, projection, next_check_at) VALUES ($1, $2, $3)")
            .bind(case_id)
            .bind(projection_text(&SlaProjection::from_log([(instant, change)]))?)
            .bind(check_instant(instant))
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    if !changes_projection(change) {
        return Ok(());
    }
    let text: Option<String> = sqlx::query_scalar("SELECT projection FROM case_sla WHERE case_id = $1")
        .bind(case_id)
        .fetch_optional(&mut **tx)
        .await?;
    let mut projection = match text {
        Some(text) => projection_from_text(&text)?,
        // A case written before projections (or by a bulk load): rebuilt from its log.
        None => return rebuild_cases(tx, case_id, case_id, Timestamp::now()).await.map(|_| ()),
    };
    projection.apply(instant, change);
    sqlx::query(
        "INSERT INTO case_sla (case_id, projection, next_check_at) VALUES ($1, $2, $3) \
         ON CONFLICT (case_id) DO UPDATE SET projection = excluded.projection, next_check_at = excluded.next_check_at",
    )
    .bind(case_id)
    .bind(projection_text(&projection)?)
    .bind(check_instant(instant))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Recomputes the projections of the cases with ids in `first..=last` from their logs;
/// open cases are checked by the next sweep. Returns how many cases it wrote.
async fn rebuild_cases(tx: &mut Tx, first: i64, last: i64, now: Timestamp) -> Result<usize, AppError> {
    let cases = sqlx::query("SELECT id, status FROM cases WHERE id >= $1 AND id <= $2 ORDER BY id")
        .bind(first)
        .bind(last)
        .fetch_all(&mut **tx)
        .await?;
    let entries = sqlx::query(
        "SELECT case_id, at, data FROM case_events WHERE case_id >= $1 AND case_id <= $2 \
         AND kind IN ('opened', 'status_changed', 'reply', 'internal_note', 'severity_changed', 'sla_warning', 'sla_breached') \
         ORDER BY case_id, id",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut **tx)
    .await?;
    let mut entries = entries.iter().peekable();
    for case in &cases {
        let case_id: i64 = case.try_get("id")?;
        let status: String = case.try_get("status")?;
        let mut projection = SlaProjection::default();
        while let Some(row) = entries.next_if(|row| row.try_get::<i64, _>("case_id").is_ok_and(|id| id <= case_id)) {
            if row.try_get::<i64, _>("case_id")? != case_id {
                continue;
            }
            let data: String = row.try_get("data")?;
            let change: CaseChange = serde_json::from_str(&data).map_err(|_| corrupt("case event", &data))?;
            projection.apply(timestamp(&row.try_get::<String, _>("at")?)?, &change);
        }
        let next = (Status::parse(&status) != Some(Status::Closed)).then(|| check_instant(now));
        sqlx::query(
            "INSERT INTO case_sla (case_id, projection, next_check_at) VALUES ($1, $2, $3) \
             ON CONFLICT (case_id) DO UPDATE SET projection = excluded.projection, next_check_at = excluded.next_check_at",
        )
        .bind(case_id)
        .bind(projection_text(&projection)?)
        .bind(next)
        .execute(&mut **tx)
        .await?;
    }
    Ok(cases.len())
}

pub(super) async fn begin_write_on(pool: &AnyPool, backend: Backend) -> Result<Tx, sqlx::Error> {
    match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
            Ok(tx)
        }
    }
}

/// Rebuilds every projection from the log, a batch of cases per transaction (writers wait
/// for one batch at most); returns how many cases it wrote.
async fn rebuild_all(pool: &AnyPool, backend: Backend) -> Result<usize, AppError> {
    let started = std::time::Instant::now();
    let now = Timestamp::now();
    let mut first = 0i64;
    let mut written = 0;
    loop {
        let last: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(id) FROM (SELECT id FROM cases WHERE id >= $1 ORDER BY id LIMIT $2) batch",
        )
        .bind(first)
        .bind(REBUILD_BATCH)
        .fetch_one(pool)
        .await?;
        let Some(last) = last else { break };
        let mut tx = begin_write_on(pool, backend).await?;
        written += rebuild_cases(&mut tx, first, last, now).await?;
        tx.commit().await?;
        first = last + 1;
    }
    tracing::info!(cases = written, ms = started.elapsed().as_millis() as u64, "SLA projections rebuilt");
    Ok(written)
}

/// Builds the projections when the database predates them (or holds an older version).
pub(super) async fn project_if_needed(pool: &AnyPool, backend: Backend) -> Result<(), AppError> {
    let version: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'sla_projection'").fetch_optional(pool).await?;
    if version.as_deref() == Some(PROJECTION_VERSION) {
        return Ok(());
    }
    rebuild_all(pool, backend).await?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('sla_projection', $1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .bind(PROJECTION_VERSION)
    .execute(pool)
    .await?;
    Ok(())
}

/// A case the sweeper must look at, with its projection as read.
#[derive(Debug)]
pub struct DueCheck {
    pub case_id: i64,
    pub case: crate::domain::Case,
    pub projection: SlaProjection,
}

impl Store {
    /// Rebuilds every case's SLA projection from the log (`caseboard rebuild-projections`).
    pub async fn rebuild_projections(&self) -> Result<usize, AppError> {
        let written = rebuild_all(&self.pool, self.backend).await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ('sla_projection', $1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )
        .bind(PROJECTION_VERSION)
        .execute(&self.pool)
        .await?;
        Ok(written)
    }

    /// A case's internal id (tests).
    #[cfg(test)]
    pub(crate) async fn case_id_of(&self, number: crate::domain::CaseNumber) -> Result<i64, AppError> {
        Ok(sqlx::query_scalar("SELECT id FROM cases WHERE number = $1").bind(number.0).fetch_one(&self.pool).await?)
    }

    /// A case's projection as stored (tests compare it with a rebuild).
    pub async fn sla_projection(&self, case_id: i64) -> Result<Option<SlaProjection>, AppError> {
        let text: Option<String> = sqlx::query_scalar("SELECT projection FROM case_sla WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(&self.pool)
            .await?;
        text.as_deref().map(projection_from_text).transpose()
    }

    /// Up to `limit` cases whose check time has come at `now`, the longest waiting first.
    pub async fn due_checks(&self, now: Timestamp, limit: i64) -> Result<Vec<DueCheck>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!(
            "{} JOIN case_sla s ON s.case_id = c.id WHERE s.next_check_at IS NOT NULL AND s.next_check_at <= $1 \
             ORDER BY s.next_check_at LIMIT $2",
            super::rows::CASE_SELECT.replacen("SELECT ", "SELECT s.projection, ", 1)
        ));
        let rows = sqlx::query(sql).bind(check_instant(now)).bind(limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(DueCheck {
                    case_id: row.try_get("id")?,
                    case: super::rows::case_from_row(row)?,
                    projection: projection_from_text(&row.try_get::<String, _>("projection")?)?,
                })
            })
            .collect()
    }

    /// Records when each checked case (id, its projection as the sweeper left it) must be
    /// looked at again; a case whose projection changed meanwhile keeps the check its new
    /// log entry asked for.
    pub async fn set_next_checks(&self, checked: &[(i64, SlaProjection, Option<Timestamp>)]) -> Result<(), AppError> {
        if checked.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (case_id, projection, next) in checked {
            sqlx::query("UPDATE case_sla SET next_check_at = $1 WHERE case_id = $2 AND projection = $3")
                .bind(next.map(check_instant))
                .bind(case_id)
                .bind(projection_text(projection)?)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Asks the sweeper to look again at every open case of an organization (its contract
/// changed: due times move).
pub(super) async fn recheck_organization(tx: &mut Tx, organization_id: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE case_sla SET next_check_at = $1 WHERE case_id IN \
         (SELECT id FROM cases WHERE organization_id = $2 AND status <> 'closed')",
    )
    .bind(check_instant(Timestamp::now()))
    .bind(organization_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

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
        Sweep(i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            Just(Step::CustomerReply),
            Just(Step::SupportReply),
            Just(Step::InternalNote),
            prop::sample::select(Status::ALL.to_vec()).prop_map(Step::Move),
            prop::sample::select(Severity::ALL.to_vec()).prop_map(Step::Severity),
            (1i64..20_000).prop_map(Step::Sweep),
        ]
    }

    async fn play(steps: Vec<Vec<Step>>) {
        use crate::backend::sweeper::sweep;
        let f = fixture().await;
        let mut numbers = Vec::new();
        for (i, case_steps) in steps.iter().enumerate() {
            let mut draft = draft(&format!("case {i}"));
            draft.severity = Severity::High;
            let case = cases::open_case(&f.store, &f.alice, draft, None).await.unwrap().case;
            numbers.push(case.number);
            for step in case_steps {
                let now = f.store.case_by_number(case.number, CaseScope::Everything).await.unwrap().unwrap();
                // Refusals (a move the lifecycle forbids, a severity the plan lacks) are part
                // of the game: they must change nothing, the projection included.
                let _ = match step {
                    Step::CustomerReply => cases::reply(&f.store, &f.alice, case.number, "more", false, None, true).await,
                    Step::SupportReply => cases::reply(&f.store, &f.sam, case.number, "answer", false, None, true).await,
                    Step::InternalNote => cases::reply(&f.store, &f.sam, case.number, "note", true, None, true).await,
                    Step::Move(to) => {
                        let resolution = matches!(to, Status::Resolved | Status::Closed).then_some(Resolution::Fixed);
                        cases::change_status(&f.store, &f.sam, case.number, *to, resolution, now.version, None).await
                    }
                    Step::Severity(to) => cases::change_severity(&f.store, &f.sam, case.number, *to, now.version).await,
                    Step::Sweep(minutes) => {
                        sweep(&f.store, case.opened_at + jiff::SignedDuration::from_mins(*minutes)).await.unwrap();
                        Ok(now)
                    }
                };
            }
        }
        let mut incremental = Vec::new();
        for number in &numbers {
            let id = f.store.case_id_of(*number).await.unwrap();
            incremental.push(f.store.sla_projection(id).await.unwrap().expect("every case has a projection"));
        }
        assert_eq!(f.store.rebuild_projections().await.unwrap(), numbers.len());
        for (number, before) in numbers.iter().zip(incremental) {
            let id = f.store.case_id_of(*number).await.unwrap();
            assert_eq!(f.store.sla_projection(id).await.unwrap().unwrap(), before, "case {number}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]
        #[test]
        fn the_projection_kept_with_each_event_equals_a_rebuild_from_the_log(
            steps in prop::collection::vec(prop::collection::vec(step(), 0..14), 1..4)
        ) {
            tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(play(steps));
        }
    }

    #[tokio::test]
    async fn the_sweeper_looks_again_only_when_a_clock_needs_it() {
        use crate::backend::sweeper::sweep;
        use jiff::SignedDuration;
        let f = fixture().await;
        let mut urgent = CaseDraft { severity: Severity::Urgent, ..draft("down") };
        urgent.details.impact = "Every order is lost while it is down.".into();
        let case = cases::open_case(&f.store, &f.alice, urgent, None).await.unwrap().case;
        let at = |mins: i64| case.opened_at + SignedDuration::from_mins(mins);
        // Opened: checked once, then not again until the 80 % instant.
        assert_eq!(sweep(&f.store, at(1)).await.unwrap().cases, 1);
        assert_eq!(sweep(&f.store, at(2)).await.unwrap().cases, 0, "nothing due before the warning");
        let report = sweep(&f.store, at(25)).await.unwrap();
        assert_eq!((report.cases, report.warnings), (1, 1));
        // A public reply meets the initial response: the case is due for a look at once.
        cases::reply(&f.store, &f.sam, case.number, "On it.", false, None, true).await.unwrap();
        assert_eq!(f.store.due_checks(jiff::Timestamp::now(), 10).await.unwrap().len(), 1);
        // Closed: never looked at again.
        let now = f.store.case_by_number(case.number, CaseScope::Everything).await.unwrap().unwrap();
        cases::change_status(&f.store, &f.sam, case.number, Status::Resolved, Some(Resolution::Fixed), now.version, None)
            .await
            .unwrap();
        let now = f.store.case_by_number(case.number, CaseScope::Everything).await.unwrap().unwrap();
        cases::change_status(&f.store, &f.sam, case.number, Status::Closed, None, now.version, None).await.unwrap();
        sweep(&f.store, jiff::Timestamp::now()).await.unwrap();
        let far = jiff::Timestamp::now() + SignedDuration::from_hours(24 * 400);
        assert!(f.store.due_checks(far, 10).await.unwrap().is_empty(), "a closed case is never due");
    }
}
