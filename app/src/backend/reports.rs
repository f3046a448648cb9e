//! Reports (`GET /api/v1/reports/{metric}`, the `/reports` page): figures read from the
//! daily rollups only, for support and admins (every organization) and for an
//! organization's admins (their own organization, whatever they ask).

use std::collections::BTreeMap;

use super::Store;
use super::store::UserRecord;
use super::store::reports::RollupSums;
use crate::domain::Role;
use crate::domain::metrics::{GroupBy, Histogram, Metric, Report, ReportGroup, ReportQuery, SlaClockChoice};
use crate::error::AppError;

/// Who may read reports: support and admins, and a customer organization's admins.
pub fn may_read_reports(user: &UserRecord) -> bool {
    user.role.is_support() || (user.role == Role::Customer && user.org_admin && user.organization_id.is_some())
}

/// The report `query` asks for, as `user` may see it.
pub async fn report(store: &Store, user: &UserRecord, query: &ReportQuery) -> Result<Report, AppError> {
    if !may_read_reports(user) {
        return Err(AppError::Forbidden);
    }
    let organization_id = if user.role == Role::Customer {
        // An organization admin sees their own organization only, whatever they ask.
        user.organization_id
    } else {
        match &query.organization {
            None => None,
            Some(slug) => Some(super::organizations::named_organization_id(store, "organization", slug).await?),
        }
    };
    let severity = query.severity.map(|s| i64::from(s.level()));
    let groups = if query.metric == Metric::Backlog {
        store
            .backlog_counts(query.to, query.group_by, organization_id, severity)
            .await?
            .into_iter()
            .map(|(key, count)| ReportGroup { key, count, value: Some(count as f64), ..ReportGroup::default() })
            .collect()
    } else {
        let day = |t: jiff::Timestamp| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
        let sums =
            store.rollup_sums(&day(query.from), &day(query.to), query.group_by, organization_id, severity).await?;
        let sums = if query.group_by == GroupBy::Week { by_week(sums) } else { sums };
        sums.iter().map(|s| group_of(query.metric, query.clock, s)).filter(|g| g.count > 0).collect()
    };
    Ok(Report { metric: query.metric, definition: query.metric.definition().to_owned(), groups })
}

/// Days (`YYYY-MM-DD` keys) added up into their ISO weeks, keyed by the Monday.
fn by_week(days: Vec<RollupSums>) -> Vec<RollupSums> {
    let mut weeks: BTreeMap<String, RollupSums> = BTreeMap::new();
    for day in days {
        let Ok(date) = day.key.parse::<jiff::civil::Date>() else { continue };
        let monday = date
            .checked_sub(jiff::Span::new().days(i64::from(date.weekday().to_monday_zero_offset())))
            .unwrap_or(date)
            .to_string();
        let week = weeks.entry(monday.clone()).or_insert_with(|| RollupSums { key: monday, ..RollupSums::default() });
        add_sums(week, &day);
    }
    weeks.into_values().collect()
}

/// Adds `b`'s sums to `a`'s.
pub fn add_sums(a: &mut RollupSums, b: &RollupSums) {
    for (x, y) in a.counts.iter_mut().zip(b.counts) {
        *x += y;
    }
    for (x, y) in a.histograms.iter_mut().zip(&b.histograms) {
        x.merge(y);
    }
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One group's figures for `metric` from its sums.
pub fn group_of(metric: Metric, clock: SlaClockChoice, s: &RollupSums) -> ReportGroup {
    let [opened, first_responses, resolved, ever_resolved, reopened, one_touch, im, ib, ir, rm, rb, rr] = s.counts;
    let durations = |calendar: &Histogram, business: &Histogram, count: i64| ReportGroup {
        key: s.key.clone(),
        count,
        median_seconds: calendar.quantile(0.5),
        p90_seconds: calendar.quantile(0.9),
        business_median_seconds: business.quantile(0.5),
        business_p90_seconds: business.quantile(0.9),
        ..ReportGroup::default()
    };
    match metric {
        Metric::FirstResponse => durations(&s.histograms[0], &s.histograms[1], first_responses),
        Metric::Resolution => durations(&s.histograms[2], &s.histograms[3], resolved),
        Metric::SlaAchievement => {
            let (met, breached, running) = match clock {
                SlaClockChoice::InitialResponse => (im, ib, ir),
                SlaClockChoice::Restore => (rm, rb, rr),
            };
            ReportGroup {
                key: s.key.clone(),
                count: met + breached + running,
                achieved: Some(met),
                breached: Some(breached),
                running: Some(running),
                value: rate(met, met + breached),
                ..ReportGroup::default()
            }
        }
        Metric::ReopenRate => ReportGroup {
            key: s.key.clone(),
            count: ever_resolved,
            value: rate(reopened, ever_resolved),
            ..ReportGroup::default()
        },
        Metric::OneTouch => ReportGroup {
            key: s.key.clone(),
            count: resolved,
            value: rate(one_touch, resolved),
            ..ReportGroup::default()
        },
        Metric::Backlog => ReportGroup { key: s.key.clone(), count: opened, ..ReportGroup::default() },
    }
}
