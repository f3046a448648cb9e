//! The hour bank's tables (#18): an organization's live lots, its append-only ledger, time
//! logged on cases. Every write loads only the live lots (those still holding minutes,
//! through a partial index), applies one [`Bank`] operation and writes back what changed,
//! in one write transaction; the balance is the sum of the live lots, never of the ledger.

use jiff::Timestamp;
use sqlx::Row;

use super::{CaseScope, Store, Tx, UserRecord, timestamp};
use crate::domain::hour_bank::{
    Bank, Draw, GrantSchedule, HourEntry, LedgerKind, Lot, LotSource, MonthBurn, TimeEntry, TimeEntryInput, Warning,
    check_expertise_offered,
};
use crate::domain::{CaseChange, CaseNumber};
use crate::error::AppError;

/// What the service read of the contract for one operation: the grants of the plan's
/// current run, and the hours the plan in force includes a month.
#[derive(Clone, Debug)]
pub struct BankTerms {
    pub schedule: GrantSchedule,
    pub plan_hours_per_month: u32,
}

/// Who did an operation, and what it is about (the ledger entries it writes carry them).
struct Origin<'a> {
    actor_id: Option<i64>,
    case_id: Option<i64>,
    time_entry_id: Option<i64>,
    note: &'a str,
}

/// The bank's row and live lots, brought up to `now` in memory (nothing written yet).
async fn load(tx: &mut Tx, organization_id: i64, terms: &BankTerms, now: Timestamp) -> Result<Bank, AppError> {
    let row = sqlx::query("SELECT run_start, granted_through FROM hour_banks WHERE organization_id = $1")
        .bind(organization_id)
        .fetch_optional(&mut **tx)
        .await?;
    let run_start = terms.schedule.run_start();
    let granted_through = match row {
        // The same run of the plan: carry on from the last month granted.
        Some(row) if timestamp(&row.try_get::<String, _>("run_start")?)? == run_start => {
            u32::try_from(row.try_get::<i64, _>("granted_through")?).unwrap_or(0)
        }
        // A new plan run starts granting from its first month (at most the months since the change).
        Some(_) => 0,
        // A bank opens with the contract month it is first used in (earlier months are not back-filled).
        None => terms.schedule.month_at(now).saturating_sub(1),
    };
    let rows = sqlx::query(
        "SELECT id, source, month, minutes, remaining, valid_from, valid_until, warned FROM hour_lots \
         WHERE organization_id = $1 AND remaining > 0 ORDER BY id",
    )
    .bind(organization_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut lots = Vec::with_capacity(rows.len());
    for r in &rows {
        let source = match r.try_get::<String, _>("source")?.as_str() {
            "grant" => LotSource::Grant {
                month: u32::try_from(r.try_get::<Option<i64>, _>("month")?.unwrap_or(0)).unwrap_or(0),
            },
            "pack" => LotSource::Pack,
            _ => LotSource::Credit,
        };
        lots.push(Lot {
            id: Some(r.try_get("id")?),
            source,
            minutes: r.try_get("minutes")?,
            remaining: r.try_get("remaining")?,
            valid_from: timestamp(&r.try_get::<String, _>("valid_from")?)?,
            valid_until: r.try_get::<Option<String>, _>("valid_until")?.map(|t| timestamp(&t)).transpose()?,
            warned: u8::try_from(r.try_get::<i64, _>("warned")?).unwrap_or(0),
            changed: false,
        });
    }
    let mut bank = Bank::new(lots, granted_through);
    bank.catch_up(&terms.schedule, now);
    Ok(bank)
}

/// Writes back the lots the operation changed, its ledger entries and the bank's row.
async fn save(
    tx: &mut Tx,
    organization_id: i64,
    terms: &BankTerms,
    bank: &Bank,
    origin: &Origin<'_>,
    now: Timestamp,
) -> Result<(), AppError> {
    let run_start = terms.schedule.run_start().to_string();
    for lot in bank.lots.iter().filter(|l| l.changed) {
        match lot.id {
            Some(id) => {
                sqlx::query("UPDATE hour_lots SET remaining = $1, warned = $2 WHERE id = $3")
                    .bind(lot.remaining)
                    .bind(i64::from(lot.warned))
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
            None => {
                let (run, month) = match lot.source {
                    LotSource::Grant { month } => (Some(run_start.clone()), Some(i64::from(month))),
                    _ => (None, None),
                };
                sqlx::query(
                    "INSERT INTO hour_lots (organization_id, source, run_start, month, minutes, remaining, valid_from, \
                     valid_until, warned) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(organization_id)
                .bind(lot.source.as_str())
                .bind(run)
                .bind(month)
                .bind(lot.minutes)
                .bind(lot.remaining)
                .bind(lot.valid_from.to_string())
                .bind(lot.valid_until.map(|t| t.to_string()))
                .bind(i64::from(lot.warned))
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    for entry in &bank.entries {
        let (actor, case, time_entry, note) = if entry.system {
            (None, None, None, "")
        } else {
            (origin.actor_id, origin.case_id, origin.time_entry_id, origin.note)
        };
        sqlx::query(
            "INSERT INTO hour_ledger (organization_id, at, kind, minutes, case_id, time_entry_id, actor_id, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(organization_id)
        .bind(entry.at.to_string())
        .bind(entry.kind.as_str())
        .bind(entry.minutes)
        .bind(case)
        .bind(time_entry)
        .bind(actor)
        .bind(note)
        .execute(&mut **tx)
        .await?;
    }
    let next_due = bank.next_due(&terms.schedule).map(|t| t.to_string());
    sqlx::query(
        "INSERT INTO hour_banks (organization_id, run_start, granted_through, next_due_at, opened_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT(organization_id) DO UPDATE SET run_start = excluded.run_start, \
         granted_through = excluded.granted_through, next_due_at = excluded.next_due_at",
    )
    .bind(organization_id)
    .bind(&run_start)
    .bind(i64::from(bank.granted_through))
    .bind(next_due)
    .bind(now.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queues the usage warnings (80 %, 100 % of a month's grant) to the organization's admins,
/// in the transaction that crossed them: once per threshold per grant.
async fn queue_warnings(
    tx: &mut Tx,
    organization_id: i64,
    warnings: &[Warning],
    case: CaseNumber,
) -> Result<(), AppError> {
    if warnings.is_empty() {
        return Ok(());
    }
    let organization: String = sqlx::query_scalar("SELECT name FROM organizations WHERE id = $1")
        .bind(organization_id)
        .fetch_one(&mut **tx)
        .await?;
    let admins = sqlx::query(
        "SELECT id, email FROM users WHERE organization_id = $1 AND role = 'customer' AND org_admin = 1 \
         AND removed_at IS NULL AND deactivated_at IS NULL ORDER BY id LIMIT 50",
    )
    .bind(organization_id)
    .fetch_all(&mut **tx)
    .await?;
    for warning in warnings {
        let payload = serde_json::json!({
            "threshold": warning.threshold,
            "month": warning.month,
            "granted_minutes": warning.granted,
            "remaining_minutes": warning.remaining,
            "case": case.0,
            "organization": organization,
        });
        for admin in &admins {
            let (id, email): (i64, String) = (admin.try_get("id")?, admin.try_get("email")?);
            super::outbox::insert_caseless(tx, id, &email, "hours_warning", &payload).await?;
        }
    }
    Ok(())
}

impl Store {
    /// When the organization went onto its first plan (for organizations from before
    /// contracts were recorded).
    pub async fn organization_created_at(&self, organization_id: i64) -> Result<Option<Timestamp>, AppError> {
        let at: Option<String> = sqlx::query_scalar("SELECT created_at FROM organizations WHERE id = $1")
            .bind(organization_id)
            .fetch_optional(&self.pool)
            .await?;
        at.map(|t| timestamp(&t)).transpose()
    }

    /// Logs time on a case `scope` may see, as one change of the case: the entry, its draw
    /// on the organization's bank when it is billable expertise (refused when the contract
    /// offers none), the log entry in the case's history and the warnings it causes.
    pub async fn log_time(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        actor: &UserRecord,
        input: &TimeEntryInput,
        terms_of: impl FnOnce(&crate::domain::Case) -> Option<(i64, BankTerms)>,
    ) -> Result<TimeEntry, AppError> {
        let mut write = self.write_case(number, scope, None).await?;
        let (organization_id, terms) = terms_of(&write.case).ok_or(AppError::Internal)?;
        let now = timestamp(&write.now)?;
        let mut bank = load(&mut write.tx, organization_id, &terms, now).await?;
        let (draw, warnings) = if input.draws_from_bank() {
            check_expertise_offered(terms.plan_hours_per_month, &bank, now)?;
            bank.draw(input.minutes, now)
        } else {
            (Draw::default(), Vec::new())
        };
        let time_entry_id: i64 = sqlx::query_scalar(
            "INSERT INTO time_entries (case_id, organization_id, engineer_id, at, minutes, activity, billable, note, \
             drawn_minutes, overage_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(write.case_id)
        .bind(organization_id)
        .bind(actor.id)
        .bind(&write.now)
        .bind(input.minutes)
        .bind(input.activity.as_str())
        .bind(i64::from(input.billable))
        .bind(&input.note)
        .bind(draw.drawn)
        .bind(draw.overage)
        .fetch_one(&mut *write.tx)
        .await?;
        let origin = Origin {
            actor_id: Some(actor.id),
            case_id: Some(write.case_id),
            time_entry_id: Some(time_entry_id),
            note: &input.note,
        };
        save(&mut write.tx, organization_id, &terms, &bank, &origin, now).await?;
        queue_warnings(&mut write.tx, organization_id, &warnings, number).await?;
        let change = CaseChange::TimeLogged {
            time_entry_id,
            minutes: input.minutes,
            activity: input.activity,
            billable: input.billable,
            overage_minutes: draw.overage,
        };
        write.append(Some(actor.id), &change).await?;
        write.commit(self).await?;
        Ok(TimeEntry {
            id: time_entry_id,
            case: number,
            minutes: input.minutes,
            activity: input.activity,
            billable: input.billable,
            note: input.note.clone(),
            at: now,
            drawn_minutes: draw.drawn,
            overage_minutes: draw.overage,
            balance_minutes: bank.balance(now),
        })
    }

    /// Records a pack bought by the organization: `minutes` valid from now until `valid_until`.
    pub async fn add_hour_pack(
        &self,
        organization_id: i64,
        terms: &BankTerms,
        actor: &UserRecord,
        minutes: i64,
        valid_until: Timestamp,
        note: &str,
    ) -> Result<i64, AppError> {
        let mut tx = self.begin_write().await?;
        let now = Timestamp::now();
        let mut bank = load(&mut tx, organization_id, terms, now).await?;
        bank.add_pack(minutes, now, valid_until);
        let origin = Origin { actor_id: Some(actor.id), case_id: None, time_entry_id: None, note };
        save(&mut tx, organization_id, terms, &bank, &origin, now).await?;
        let balance = bank.balance(now);
        tx.commit().await?;
        self.committed(0);
        Ok(balance)
    }

    /// The balance now and whether billable expertise is offered, without writing (what is
    /// due is applied in memory); reads the bank's row and live lots only.
    pub async fn hour_balance(&self, organization_id: i64, terms: &BankTerms) -> Result<(i64, bool), AppError> {
        let mut tx = self.pool.begin().await?;
        let now = Timestamp::now();
        let bank = load(&mut tx, organization_id, terms, now).await?;
        tx.rollback().await?;
        let offered = check_expertise_offered(terms.plan_hours_per_month, &bank, now).is_ok();
        Ok((bank.balance(now), offered))
    }

    /// Writes what became due by itself (grants, expiries) when the bank's row says something
    /// is due (or there is no row yet); returns the balance now.
    pub async fn bring_hour_bank_up_to_date(&self, organization_id: i64, terms: &BankTerms) -> Result<i64, AppError> {
        let now = Timestamp::now();
        let due: Option<(String, Option<String>)> =
            sqlx::query("SELECT run_start, next_due_at FROM hour_banks WHERE organization_id = $1")
                .bind(organization_id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| Ok::<_, sqlx::Error>((r.try_get("run_start")?, r.try_get("next_due_at")?)))
                .transpose()?;
        let up_to_date = due.is_some_and(|(run, next)| {
            run == terms.schedule.run_start().to_string()
                && next.is_none_or(|n| n.parse::<Timestamp>().is_ok_and(|n| now < n))
        });
        let mut tx = if up_to_date { self.pool.begin().await? } else { self.begin_write().await? };
        let bank = load(&mut tx, organization_id, terms, now).await?;
        if up_to_date {
            tx.rollback().await?;
        } else {
            let origin = Origin { actor_id: None, case_id: None, time_entry_id: None, note: "" };
            save(&mut tx, organization_id, terms, &bank, &origin, now).await?;
            tx.commit().await?;
            self.committed(0);
        }
        Ok(bank.balance(now))
    }

    /// The ledger, newest first: at most `limit` entries before the entry `before` (a cursor).
    pub async fn hour_entries(
        &self,
        organization_id: i64,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<HourEntry>, AppError> {
        let rows = sqlx::query(
            "SELECT l.id, l.at, l.kind, l.minutes, l.note, c.number, c.summary, u.name AS actor FROM hour_ledger l \
             LEFT JOIN cases c ON c.id = l.case_id LEFT JOIN users u ON u.id = l.actor_id \
             WHERE l.organization_id = $1 AND l.id < $2 ORDER BY l.id DESC LIMIT $3",
        )
        .bind(organization_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(HourEntry {
                    id: r.try_get("id")?,
                    at: timestamp(&r.try_get::<String, _>("at")?)?,
                    kind: LedgerKind::parse(&kind).ok_or_else(|| super::corrupt("ledger kind", &kind))?,
                    minutes: r.try_get("minutes")?,
                    case: r.try_get::<Option<i64>, _>("number")?.map(CaseNumber),
                    case_summary: r.try_get("summary")?,
                    note: r.try_get("note")?,
                    by: r.try_get("actor")?,
                })
            })
            .collect()
    }

    /// The sums of each kind of entry in `[start, end)`: one month of the burn-down (read
    /// through the ledger's (organization, at) index).
    pub async fn hour_month(
        &self,
        organization_id: i64,
        month: String,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<MonthBurn, AppError> {
        let rows = sqlx::query(
            "SELECT kind, CAST(SUM(minutes) AS BIGINT) AS minutes FROM hour_ledger WHERE organization_id = $1 AND at >= $2 AND at < $3 \
             GROUP BY kind",
        )
        .bind(organization_id)
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut burn = MonthBurn { month, ..MonthBurn::default() };
        for r in &rows {
            let minutes: i64 = r.try_get("minutes")?;
            match LedgerKind::parse(&r.try_get::<String, _>("kind")?) {
                Some(LedgerKind::Grant) => burn.granted = minutes,
                Some(LedgerKind::Pack) => burn.packs = minutes,
                Some(LedgerKind::Usage) => burn.used = minutes,
                Some(LedgerKind::Expiry) => burn.expired = minutes,
                Some(LedgerKind::Overage) => burn.overage = minutes,
                Some(LedgerKind::Adjustment) => burn.adjusted = minutes,
                None => {}
            }
        }
        Ok(burn)
    }

    /// Minutes logged on a case, every activity (read through the case's index).
    pub async fn case_logged_minutes(&self, number: CaseNumber) -> Result<i64, AppError> {
        let total: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(t.minutes) AS BIGINT) FROM time_entries t JOIN cases c ON c.id = t.case_id WHERE c.number = $1",
        )
        .bind(number.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(total.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::BankTerms;
    use crate::backend::store::fixture::*;
    use crate::domain::hour_bank::GrantSchedule;
    use crate::domain::plan::ExpertiseAllowance;

    #[tokio::test]
    async fn a_pack_is_a_live_lot_and_the_ledger_is_append_only() {
        let f = fixture().await;
        let acme = f.store.organization_by_slug("acme").await.unwrap().unwrap();
        let now = jiff::Timestamp::now();
        let terms = BankTerms {
            schedule: GrantSchedule::new(ExpertiseAllowance::NONE, now, jiff::tz::TimeZone::UTC),
            plan_hours_per_month: 0,
        };
        let until = now + jiff::SignedDuration::from_hours(24 * 30);
        let balance = f.store.add_hour_pack(acme.id, &terms, &f.sam, 600, until, "order 1").await.unwrap();
        assert_eq!(balance, 600);
        assert_eq!(f.store.hour_balance(acme.id, &terms).await.unwrap(), (600, true));
        let entries = f.store.hour_entries(acme.id, None, 10).await.unwrap();
        assert_eq!((entries.len(), entries[0].minutes, entries[0].note.as_str()), (1, 600, "order 1"));
        assert!(f.store.raw_execute("UPDATE hour_ledger SET minutes = 6000").await.is_err());
        assert!(f.store.raw_execute("DELETE FROM hour_ledger").await.is_err());
    }
}
