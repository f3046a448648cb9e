//! Reading the report rollups: sums of `report_daily` over a period, grouped, and the
//! backlog counted from each case's report facts. Never the log.

use jiff::Timestamp;
use sqlx::Row;

use super::report_rollups::{COUNT_COLUMNS, HISTOGRAMS};
use super::{Store, report_rollups};
use crate::domain::metrics::{BUCKETS, GroupBy, Histogram};
use crate::error::AppError;

/// The sums of one group of rollup rows (of one day, when grouped by week).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RollupSums {
    pub key: String,
    /// In the order of `report_daily`'s count columns: opened, first_responses, resolved,
    /// ever_resolved, reopened, one_touch, initial_met, initial_breached, initial_running,
    /// restore_met, restore_breached, restore_running.
    pub counts: [i64; 12],
    /// First response calendar, business; resolution calendar, business.
    pub histograms: [Histogram; 4],
}

/// The SQL expression of a grouping's key (`r` is the rollup or facts row).
fn key_sql(group_by: GroupBy) -> &'static str {
    match group_by {
        GroupBy::Organization => "o.slug",
        GroupBy::Plan => "r.plan",
        GroupBy::Severity => "CAST(r.severity AS TEXT)",
        GroupBy::Engineer => "COALESCE(u.name, '')",
        GroupBy::Product => "r.product",
        GroupBy::Week => "r.day",
    }
}

const JOINS: &str = "JOIN organizations o ON o.id = r.organization_id LEFT JOIN users u ON u.id = r.engineer_id";

impl Store {
    /// Sums of the rollups of the cases opened on the UTC days `from_day..=to_day`
    /// (`YYYY-MM-DD`), grouped; `organization_id` and `severity` filter when given.
    pub async fn rollup_sums(
        &self,
        from_day: &str,
        to_day: &str,
        group_by: GroupBy,
        organization_id: Option<i64>,
        severity: Option<i64>,
    ) -> Result<Vec<RollupSums>, AppError> {
        let mut sums: Vec<String> =
            COUNT_COLUMNS.iter().map(|c| format!("CAST(SUM(r.{c}) AS BIGINT) AS {c}")).collect();
        for prefix in HISTOGRAMS {
            for i in 0..BUCKETS {
                sums.push(format!("CAST(SUM(r.{prefix}{i:02}) AS BIGINT) AS {prefix}{i:02}"));
            }
        }
        let key = key_sql(group_by);
        // Every name in the statement comes from the constants above, never from input.
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS report_key, {} FROM report_daily r {JOINS} \
             WHERE r.day >= $1 AND r.day <= $2 AND ($3 = 0 OR r.organization_id = $3) AND ($4 = 0 OR r.severity = $4) \
             GROUP BY {key} ORDER BY {key}",
            sums.join(", ")
        ));
        let rows = sqlx::query(sql)
            .bind(from_day)
            .bind(to_day)
            .bind(organization_id.unwrap_or(0))
            .bind(severity.unwrap_or(0))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let mut group = RollupSums { key: row.try_get("report_key")?, ..RollupSums::default() };
                for (i, c) in COUNT_COLUMNS.iter().enumerate() {
                    group.counts[i] = row.try_get::<Option<i64>, _>(*c)?.unwrap_or(0);
                }
                for (h, prefix) in HISTOGRAMS.iter().enumerate() {
                    for i in 0..BUCKETS {
                        group.histograms[h].0[i] =
                            row.try_get::<Option<i64>, _>(format!("{prefix}{i:02}").as_str())?.unwrap_or(0);
                    }
                }
                Ok(group)
            })
            .collect()
    }

    /// Cases open at `at` (opened at or before, not resolved then), grouped; counts only.
    pub async fn backlog_counts(
        &self,
        at: Timestamp,
        group_by: GroupBy,
        organization_id: Option<i64>,
        severity: Option<i64>,
    ) -> Result<Vec<(String, i64)>, AppError> {
        let key = key_sql(group_by);
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS report_key, COUNT(*) AS n FROM case_report_facts r {JOINS} \
             WHERE r.opened_at <= $1 AND (r.resolved_at IS NULL OR r.resolved_at > $1) \
             AND ($2 = 0 OR r.organization_id = $2) AND ($3 = 0 OR r.severity = $3) GROUP BY {key} ORDER BY {key}"
        ));
        let at = at.round(jiff::Unit::Second).unwrap_or(at).to_string();
        let rows = sqlx::query(sql)
            .bind(at)
            .bind(organization_id.unwrap_or(0))
            .bind(severity.unwrap_or(0))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| Ok((row.try_get("report_key")?, row.try_get("n")?))).collect()
    }

    /// Rebuilds the report rollups from the log (`caseboard rebuild-projections`, the
    /// generator); returns how many cases it read.
    pub async fn rebuild_report_rollups(&self) -> Result<usize, AppError> {
        report_rollups::rebuild_all(&self.pool, self.backend).await
    }

    /// Every rollup row as stored, in key order (tests compare them with a rebuild).
    pub async fn rollup_rows(&self) -> Result<Vec<Vec<(String, String)>>, AppError> {
        let rows = sqlx::query(
            "SELECT * FROM report_daily ORDER BY day, organization_id, plan, severity, engineer_id, product",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                use sqlx::Column;
                row.columns()
                    .iter()
                    .map(|c| {
                        let name = c.name().to_owned();
                        let value = row
                            .try_get::<i64, _>(c.ordinal())
                            .map(|v| v.to_string())
                            .or_else(|_| row.try_get::<String, _>(c.ordinal()))?;
                        Ok((name, value))
                    })
                    .collect::<Result<Vec<_>, AppError>>()
            })
            .collect()
    }
}
