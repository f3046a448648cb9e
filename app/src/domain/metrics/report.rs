//! A report as asked for and as answered: the metric, the period, the grouping and the
//! filters (checked here, each refusal naming its field), and the groups it returns.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::domain::case::Severity;
use crate::error::{AppError, InvalidReason};

/// The longest period a report covers, in days (three years).
pub const MAX_PERIOD_DAYS: i64 = 3 * 366;

/// What a report measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    FirstResponse,
    Resolution,
    SlaAchievement,
    Backlog,
    ReopenRate,
    OneTouch,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::FirstResponse,
        Metric::Resolution,
        Metric::SlaAchievement,
        Metric::Backlog,
        Metric::ReopenRate,
        Metric::OneTouch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::FirstResponse => "first_response",
            Metric::Resolution => "resolution",
            Metric::SlaAchievement => "sla_achievement",
            Metric::Backlog => "backlog",
            Metric::ReopenRate => "reopen_rate",
            Metric::OneTouch => "one_touch",
        }
    }

    pub fn parse(text: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// The metric's written definition (English; the page shows its translation).
    pub fn definition(self) -> &'static str {
        match self {
            Metric::FirstResponse => super::FIRST_RESPONSE_DEFINITION,
            Metric::Resolution => super::RESOLUTION_DEFINITION,
            Metric::SlaAchievement => super::SLA_ACHIEVEMENT_DEFINITION,
            Metric::Backlog => super::BACKLOG_DEFINITION,
            Metric::ReopenRate => super::REOPEN_RATE_DEFINITION,
            Metric::OneTouch => super::ONE_TOUCH_DEFINITION,
        }
    }
}

/// How a report's figures are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Organization,
    Plan,
    Severity,
    Engineer,
    Product,
    /// ISO weeks, keyed by their Monday (`2026-03-02`).
    Week,
}

impl GroupBy {
    pub const ALL: [GroupBy; 6] =
        [GroupBy::Organization, GroupBy::Plan, GroupBy::Severity, GroupBy::Engineer, GroupBy::Product, GroupBy::Week];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Organization => "organization",
            GroupBy::Plan => "plan",
            GroupBy::Severity => "severity",
            GroupBy::Engineer => "engineer",
            GroupBy::Product => "product",
            GroupBy::Week => "week",
        }
    }

    pub fn parse(text: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.as_str() == text)
    }
}

/// The SLA clock an achievement report counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlaClockChoice {
    InitialResponse,
    Restore,
}

/// A checked report request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportQuery {
    pub metric: Metric,
    pub from: Timestamp,
    pub to: Timestamp,
    pub group_by: GroupBy,
    /// An organization's slug.
    pub organization: Option<String>,
    pub severity: Option<Severity>,
    pub clock: SlaClockChoice,
}

fn malformed(field: &str, detail: &str) -> AppError {
    AppError::invalid(field, InvalidReason::Malformed { detail: detail.into() })
}

impl ReportQuery {
    /// Checks a request's raw parameters; each refusal names its field.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        metric: &str,
        from: Option<&str>,
        to: Option<&str>,
        group_by: Option<&str>,
        organization: Option<&str>,
        severity: Option<&str>,
        clock: Option<&str>,
    ) -> Result<ReportQuery, AppError> {
        let metric = Metric::parse(metric).ok_or_else(|| malformed("metric", "unknown metric"))?;
        let instant = |field: &str, text: Option<&str>| -> Result<Timestamp, AppError> {
            let text = text.map(str::trim).filter(|t| !t.is_empty());
            let text = text.ok_or_else(|| AppError::invalid(field, InvalidReason::Required))?;
            text.parse().map_err(|_| malformed(field, "an RFC 3339 instant such as 2026-01-01T00:00:00Z"))
        };
        let from = instant("from", from)?;
        let to = instant("to", to)?;
        if to < from {
            return Err(malformed("to", "before from"));
        }
        if to.duration_since(from).as_secs() > MAX_PERIOD_DAYS * 86_400 {
            return Err(malformed("to", "the period is at most three years"));
        }
        let group_by = match group_by.map(str::trim).filter(|g| !g.is_empty()) {
            None => GroupBy::Organization,
            Some(text) => GroupBy::parse(text).ok_or_else(|| malformed("group_by", "unknown grouping"))?,
        };
        if metric == Metric::Backlog && group_by == GroupBy::Week {
            return Err(malformed("group_by", "the backlog is counted at one instant"));
        }
        let severity = match severity.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => Some(
                text.parse::<u8>()
                    .ok()
                    .and_then(|level| Severity::try_from(level).ok())
                    .ok_or_else(|| malformed("severity", "1, 2, 3 or 4"))?,
            ),
        };
        let clock = match clock.map(str::trim).filter(|c| !c.is_empty()) {
            None | Some("initial_response") => SlaClockChoice::InitialResponse,
            Some("restore") => SlaClockChoice::Restore,
            Some(_) => return Err(malformed("clock", "initial_response or restore")),
        };
        let organization = organization.map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned);
        if organization.as_ref().is_some_and(|o| o.len() > 100) {
            return Err(AppError::invalid("organization", InvalidReason::TooLong { max: 100 }));
        }
        Ok(ReportQuery { metric, from, to, group_by, organization, severity, clock })
    }
}

/// One group of a report. Durations are whole seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportGroup {
    /// The group: an organization's slug, a plan id, a severity level (`1`…`4`), an
    /// engineer's name (empty: unassigned), a product (empty: none) or a week's Monday.
    pub key: String,
    /// How many cases the figures are over (see the metric's definition).
    pub count: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p90_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_median_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_p90_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achieved: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breached: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<i64>,
    /// A rate between 0 and 1 (achievement, reopen rate, one-touch share).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

/// A report: the metric, its definition and its groups (ordered by key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Report {
    pub metric: Metric,
    pub definition: String,
    pub groups: Vec<ReportGroup>,
}
