//! Lists of cases that stay fast with a million of them: a filter turned into indexed SQL,
//! a page at a time by keyset cursor (never an offset), counts that stop at a bound.

use jiff::Timestamp;
use sqlx::Row;

use super::projections::projection_from_text;
use super::rows::{CASE_SELECT, case_from_row};
use super::scope::AnyQuery;
use super::{CaseScope, Store};
use crate::domain::sla::SlaProjection;
use crate::domain::{BoundedCount, Case, Severity, Status};
use crate::error::AppError;

/// Counts stop here: beyond it a list says "10,000+" instead of reading on.
pub const COUNT_BOUND: i64 = 10_000;

/// Which cases a list shows, besides what its reader may see.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Any of these statuses (none: every status).
    pub statuses: Vec<Status>,
    /// Only these organizations (`Some(vec![])`: none at all).
    pub organization_ids: Option<Vec<i64>>,
    /// `Some(None)`: nobody's cases; `Some(Some(id))`: one engineer's.
    pub assignee: Option<Option<i64>>,
    pub severity: Option<Severity>,
    /// Changed at or after this instant.
    pub updated_since: Option<Timestamp>,
    /// Last changed before this instant (not updated for a while: a queue's staleness).
    pub updated_before: Option<Timestamp>,
    /// Only cases opened by this person (their own, in "My cases").
    pub reporter_id: Option<i64>,
}

/// The order of a list, and where a page starts in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseOrder {
    /// Newest first (the case number, descending); after the case numbered so.
    Newest { before: Option<i64> },
    /// Most urgent first: severity, then the oldest, then the number (the board's order).
    Urgency { after: Option<(u8, String, i64)> },
}

/// SQL under construction with its values, bound in order (`$1`, `$2`, …).
#[derive(Default)]
struct Statement {
    conditions: Vec<String>,
    values: Vec<Value>,
}

enum Value {
    Int(i64),
    Text(String),
}

impl Statement {
    fn bind(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    fn condition(&mut self, sql: String) {
        self.conditions.push(sql);
    }

    fn scope(&mut self, scope: CaseScope) {
        match scope {
            CaseScope::Everything => {}
            CaseScope::Nothing => self.condition("1 = 0".into()),
            CaseScope::Customer { organization_id, user_id, org_admin } => {
                let organization = self.bind(Value::Int(organization_id));
                self.condition(format!("c.organization_id = {organization}"));
                if !org_admin {
                    let user = self.bind(Value::Int(user_id));
                    self.condition(format!("(c.visibility = 'organization' OR c.reporter_id = {user})"));
                }
            }
        }
    }

    fn filter(&mut self, filter: &CaseFilter) {
        match filter.statuses.as_slice() {
            [] => {}
            [status] => {
                let status_value = self.bind(Value::Text(status.as_str().into()));
                self.condition(format!("c.status = {status_value}"));
                if *status != Status::Closed {
                    // Literally the board index's own condition, so every engine uses it.
                    self.condition("c.status <> 'closed'".into());
                }
            }
            several => {
                let list: Vec<String> =
                    several.iter().map(|s| self.bind(Value::Text(s.as_str().into()))).collect();
                self.condition(format!("c.status IN ({})", list.join(", ")));
                if !several.contains(&Status::Closed) {
                    self.condition("c.status <> 'closed'".into());
                }
            }
        }
        if let Some(ids) = &filter.organization_ids {
            if ids.is_empty() {
                self.condition("1 = 0".into());
            } else {
                let list: Vec<String> = ids.iter().map(|id| self.bind(Value::Int(*id))).collect();
                self.condition(format!("c.organization_id IN ({})", list.join(", ")));
            }
        }
        match filter.assignee {
            None => {}
            Some(None) => self.condition("c.assignee_id IS NULL".into()),
            Some(Some(id)) => {
                let id = self.bind(Value::Int(id));
                self.condition(format!("c.assignee_id = {id}"));
            }
        }
        if let Some(severity) = filter.severity {
            let level = self.bind(Value::Int(i64::from(severity.level())));
            self.condition(format!("c.severity = {level}"));
        }
        if let Some(since) = filter.updated_since {
            let since = self.bind(Value::Text(since.to_string()));
            self.condition(format!("c.updated_at >= {since}"));
        }
        if let Some(before) = filter.updated_before {
            let before = self.bind(Value::Text(before.to_string()));
            self.condition(format!("c.updated_at < {before}"));
        }
        if let Some(reporter) = filter.reporter_id {
            let reporter = self.bind(Value::Int(reporter));
            self.condition(format!("c.reporter_id = {reporter}"));
        }
    }

    fn order(&mut self, order: &CaseOrder) -> &'static str {
        match order {
            CaseOrder::Newest { before } => {
                if let Some(before) = before {
                    let before = self.bind(Value::Int(*before));
                    self.condition(format!("c.number < {before}"));
                }
                "c.number DESC"
            }
            CaseOrder::Urgency { after } => {
                if let Some((severity, opened_at, number)) = after {
                    let severity = self.bind(Value::Int(i64::from(*severity)));
                    let opened_at = self.bind(Value::Text(opened_at.clone()));
                    let number = self.bind(Value::Int(*number));
                    self.condition(format!("(c.severity, c.opened_at, c.number) > ({severity}, {opened_at}, {number})"));
                }
                "c.severity, c.opened_at, c.number"
            }
        }
    }

    fn where_clause(&self) -> String {
        if self.conditions.is_empty() { String::new() } else { format!(" WHERE {}", self.conditions.join(" AND ")) }
    }

    fn query(self, sql: String) -> AnyQuery<'static> {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in self.values {
            query = match value {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
            };
        }
        query
    }
}

impl Store {
    /// A page of the cases `scope` may see that pass `filter`, in `order`, at most `limit`,
    /// each with its SLA projection.
    pub async fn case_page(
        &self,
        scope: CaseScope,
        filter: &CaseFilter,
        order: &CaseOrder,
        limit: i64,
    ) -> Result<Vec<(Case, SlaProjection)>, AppError> {
        let mut statement = Statement::default();
        statement.scope(scope);
        statement.filter(filter);
        let order_by = statement.order(order);
        let limit_value = statement.bind(Value::Int(limit));
        let sql = format!(
            "{} LEFT JOIN case_sla s ON s.case_id = c.id{} ORDER BY {order_by} LIMIT {limit_value}",
            CASE_SELECT.replacen("SELECT ", "SELECT s.projection, ", 1),
            statement.where_clause()
        );
        let rows = statement.query(sql).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let projection = match row.try_get::<Option<String>, _>("projection")? {
                    Some(text) => projection_from_text(&text)?,
                    None => SlaProjection::default(),
                };
                Ok((case_from_row(row)?, projection))
            })
            .collect()
    }

    /// How many cases `scope` may see pass `filter`, up to [`COUNT_BOUND`].
    pub async fn count_cases(&self, scope: CaseScope, filter: &CaseFilter) -> Result<BoundedCount, AppError> {
        let mut statement = Statement::default();
        statement.scope(scope);
        statement.filter(filter);
        let bound = statement.bind(Value::Int(COUNT_BOUND + 1));
        let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM cases c{} LIMIT {bound}) bounded", statement.where_clause());
        let n: i64 = statement.query(sql).fetch_one(&self.pool).await?.try_get(0)?;
        Ok(BoundedCount { n: n.min(COUNT_BOUND) as u64, more: n > COUNT_BOUND })
    }
}
