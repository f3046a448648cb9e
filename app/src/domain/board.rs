//! The board's own rules: which cases a column shows and in what order, the filters and
//! swimlanes a board is narrowed and split by, and work-in-progress limits per column.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::case::Case;
use super::lifecycle::Status;
use super::named::named_enum;

/// Whether a case shows in the column of `status` at `now`. The Closed column shows what
/// was closed today (UTC); older cases leave the board.
pub fn shows_in_column(case: &Case, status: Status, now: Timestamp) -> bool {
    case.status == status && (status != Status::Closed || utc_date(case.updated_at) == utc_date(now))
}

/// A column's order, most urgent first: severity, then the oldest, then the number.
pub fn urgency(case: &Case) -> (u8, Timestamp, i64) {
    (case.severity.level(), case.opened_at, case.number.0)
}

/// The column next to `status`, to the right (`forward`) or to the left: where Alt+→ and
/// Alt+← send a card (the lifecycle still decides whether the move is allowed).
pub fn next_column(status: Status, forward: bool) -> Option<Status> {
    let here = Status::ALL.iter().position(|s| *s == status)?;
    let there = if forward { here.checked_add(1) } else { here.checked_sub(1) };
    Status::ALL.get(there?).copied()
}

fn utc_date(t: Timestamp) -> Date {
    t.to_zoned(TimeZone::UTC).date()
}

named_enum! {
    /// Swimlanes: rows of the board by severity, organization or engineer.
    #[derive(Default)]
    BoardLane {
        #[default]
        None = "none",
        Severity = "severity",
        Organization = "organization",
        Assignee = "assignee",
    }
}

impl BoardLane {
    /// The lane a case runs in: its severity level, its organization's slug or its
    /// engineer's id (empty for nobody, and for every case without lanes).
    pub fn key(self, case: &Case) -> String {
        match self {
            BoardLane::None => String::new(),
            BoardLane::Severity => case.severity.level().to_string(),
            BoardLane::Organization => case.organization.clone(),
            BoardLane::Assignee => case.assignee_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    /// The lanes present among `cases`, in the order of their keys, each with one of its
    /// cases (to name the lane by). Without lanes, one lane with no case to name it.
    pub fn lanes<'a>(self, cases: impl IntoIterator<Item = &'a Case>) -> Vec<(String, Option<&'a Case>)> {
        if self == BoardLane::None {
            return vec![(String::new(), None)];
        }
        let mut lanes: Vec<(String, Option<&Case>)> = cases.into_iter().map(|c| (self.key(c), Some(c))).collect();
        lanes.sort_by(|a, b| a.0.cmp(&b.0));
        lanes.dedup_by(|a, b| a.0 == b.0);
        lanes
    }
}

named_enum! {
    /// Whose cases the board shows: the engineer's own, or those nobody has yet.
    AssigneeFilter {
        Mine = "mine",
        Unassigned = "unassigned",
    }
}

/// The board's filters and lanes, kept in the URL (`?severity=1&organization=acme&plan=coveo
/// &assignee=mine&status=new,assigned&stale_hours=48&lane=severity`) so a board can be
/// bookmarked, shared and saved as a queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BoardFilter {
    /// A severity level (1-4).
    pub severity: Option<u8>,
    /// An organization's slug.
    pub organization: Option<String>,
    /// The id of the plan the case's organization is on.
    pub plan: Option<String>,
    pub assignee: Option<AssigneeFilter>,
    /// Only these statuses (none: every status); the other columns show empty.
    pub statuses: Vec<Status>,
    /// Only cases not updated for more than this many hours, in every column.
    pub stale_hours: Option<u32>,
    pub lane: BoardLane,
}

/// The longest staleness a filter may ask for: a year.
pub const STALE_HOURS_MAX: u32 = 24 * 366;

impl BoardFilter {
    /// Reads the filters from the URL's query, `param` giving a parameter's value. An empty
    /// value, or one that means nothing, filters nothing.
    pub fn from_query(param: impl Fn(&str) -> Option<String>) -> BoardFilter {
        let text = |key: &str| param(key).filter(|v| !v.is_empty());
        BoardFilter {
            severity: text("severity").and_then(|v| v.parse().ok()),
            organization: text("organization"),
            plan: text("plan"),
            assignee: text("assignee").and_then(|a| AssigneeFilter::parse(&a)),
            statuses: text("status").map(|list| statuses_in(&list)).unwrap_or_default(),
            stale_hours: text("stale_hours").and_then(|h| h.parse().ok()).filter(|h| (1..=STALE_HOURS_MAX).contains(h)),
            lane: text("lane").and_then(|l| BoardLane::parse(&l)).unwrap_or_default(),
        }
    }

    /// Whether the filter leaves the column of `status` on the board (not in its status set:
    /// the column shows empty).
    pub fn shows_status(&self, status: Status) -> bool {
        self.statuses.is_empty() || self.statuses.contains(&status)
    }

    /// The instant before which a case must have been last updated (`stale_hours` ago).
    pub fn updated_before(&self, now: Timestamp) -> Option<Timestamp> {
        self.stale_hours.and_then(|h| now.checked_sub(jiff::SignedDuration::from_hours(i64::from(h))).ok())
    }

    /// Whether `case` passes the staleness filter at `now`.
    pub fn keeps_at(&self, case: &Case, now: Timestamp) -> bool {
        self.updated_before(now).is_none_or(|before| case.updated_at < before)
    }

    /// The URL query of these filters (without the lane), in one canonical order:
    /// `severity=1&assignee=unassigned&status=new,confirmed&stale_hours=48`.
    pub fn query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(severity) = self.severity {
            pairs.push(("severity", severity.to_string()));
        }
        if let Some(organization) = &self.organization {
            pairs.push(("organization", organization.clone()));
        }
        if let Some(plan) = &self.plan {
            pairs.push(("plan", plan.clone()));
        }
        if let Some(assignee) = self.assignee {
            pairs.push(("assignee", assignee.as_str().into()));
        }
        if !self.statuses.is_empty() {
            pairs.push(("status", self.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")));
        }
        if let Some(hours) = self.stale_hours {
            pairs.push(("stale_hours", hours.to_string()));
        }
        pairs.iter().map(|(k, v)| format!("{k}={}", query_escaped(v))).collect::<Vec<_>>().join("&")
    }

    /// Whether `case` passes the filters, for the engineer `me`. `plan_of` gives the id of
    /// the plan an organization is on (asked only when a plan is chosen).
    pub fn keeps(&self, case: &Case, plan_of: impl Fn(&str) -> Option<String>, me: Option<i64>) -> bool {
        self.severity.is_none_or(|s| case.severity.level() == s)
            && self.organization.as_ref().is_none_or(|o| &case.organization == o)
            && self.plan.as_ref().is_none_or(|p| plan_of(&case.organization).as_ref() == Some(p))
            && self.shows_status(case.status)
            && match self.assignee {
                Some(AssigneeFilter::Mine) => case.assignee_id.is_some() && case.assignee_id == me,
                Some(AssigneeFilter::Unassigned) => case.assignee_id.is_none(),
                None => true,
            }
    }
}

/// Statuses named in a comma-separated list (`new,assigned`), each once, in the board's
/// order; names that mean nothing are left out.
pub fn statuses_in(list: &str) -> Vec<Status> {
    let named: Vec<Status> = list.split(',').filter_map(|s| Status::parse(s.trim())).collect();
    Status::ALL.iter().copied().filter(|s| named.contains(s)).collect()
}

/// A query value with everything but unreserved characters percent-encoded.
fn query_escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~,".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// How many cases a column should hold at most; the board shows when one is exceeded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WipLimits(pub Vec<(Status, u32)>);

impl Default for WipLimits {
    /// Work in progress is capped where work happens: Confirmed and Assigned.
    fn default() -> Self {
        WipLimits(vec![(Status::Confirmed, 15), (Status::Assigned, 10)])
    }
}

impl WipLimits {
    pub fn limit(&self, status: Status) -> Option<u32> {
        self.0.iter().find(|(s, _)| *s == status).map(|(_, n)| *n)
    }

    /// `confirmed=8,assigned=5`; `off` (or nothing) for no limit.
    pub fn parse(text: &str) -> Result<WipLimits, String> {
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("off") {
            return Ok(WipLimits(Vec::new()));
        }
        let mut limits = Vec::new();
        for part in text.split(',') {
            let (status, n) = part.split_once('=').ok_or(format!("expected status=number, got {part:?}"))?;
            let status = Status::parse(status.trim()).ok_or(format!("unknown status {:?}", status.trim()))?;
            let n: u32 = n.trim().parse().ok().filter(|&n| n > 0).ok_or(format!("not a positive number: {n:?}"))?;
            limits.retain(|(s, _)| *s != status);
            limits.push((status, n));
        }
        Ok(WipLimits(limits))
    }

    /// Over the limit (strictly more cases than allowed).
    pub fn exceeded(&self, status: Status, count: usize) -> bool {
        self.limit(status).is_some_and(|n| count > n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Severity;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn the_closed_column_shows_only_what_was_closed_today_in_utc() {
        let now = at("2026-11-24T23:30:00Z");
        let closed = |updated: &str| Case { status: Status::Closed, updated_at: at(updated), ..Case::example() };
        assert!(shows_in_column(&closed("2026-11-24T00:10:00Z"), Status::Closed, now));
        assert!(!shows_in_column(&closed("2026-11-23T23:50:00Z"), Status::Closed, now));
        assert!(!shows_in_column(&closed("2026-11-24T00:10:00Z"), Status::Resolved, now));
        let old = Case { status: Status::Assigned, updated_at: at("2020-01-01T00:00:00Z"), ..Case::example() };
        assert!(shows_in_column(&old, Status::Assigned, now));
    }

    #[test]
    fn a_column_puts_the_most_urgent_then_the_oldest_first() {
        let case = |number: i64, severity: Severity, opened: &str| Case {
            number: crate::domain::CaseNumber(number),
            severity,
            opened_at: at(opened),
            ..Case::example()
        };
        let mut column = vec![
            case(3, Severity::Normal, "2026-11-01T00:00:00Z"),
            case(2, Severity::Urgent, "2026-11-20T00:00:00Z"),
            case(1, Severity::Normal, "2026-10-01T00:00:00Z"),
            case(4, Severity::Urgent, "2026-11-20T00:00:00Z"),
        ];
        column.sort_by_key(urgency);
        assert_eq!(column.iter().map(|c| c.number.0).collect::<Vec<_>>(), vec![2, 4, 1, 3]);
    }

    #[test]
    fn the_next_column_is_the_next_status_and_none_past_the_ends() {
        assert_eq!(next_column(Status::New, true), Some(Status::ALL[1]));
        assert_eq!(next_column(Status::New, false), None);
        assert_eq!(next_column(Status::Closed, true), None);
        assert_eq!(next_column(Status::Closed, false), Some(Status::ALL[Status::ALL.len() - 2]));
    }

    #[test]
    fn filters_are_read_from_the_url_and_ignore_what_means_nothing() {
        let query = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
        };
        let filter = BoardFilter::from_query(query(&[
            ("severity", "1"),
            ("organization", "acme"),
            ("plan", ""),
            ("assignee", "mine"),
            ("lane", "organization"),
        ]));
        assert_eq!(
            filter,
            BoardFilter {
                severity: Some(1),
                organization: Some("acme".into()),
                plan: None,
                assignee: Some(AssigneeFilter::Mine),
                lane: BoardLane::Organization,
                ..BoardFilter::default()
            }
        );
        let nonsense = BoardFilter::from_query(query(&[("severity", "x"), ("assignee", "theirs"), ("lane", "moon")]));
        assert_eq!(nonsense, BoardFilter::default());
    }

    #[test]
    fn a_case_is_kept_when_it_passes_every_filter() {
        let plan_of = |org: &str| (org == "acme").then(|| "coveo".to_string());
        let mine = Case { assignee_id: Some(7), severity: Severity::High, ..Case::example() };
        let nobodys = Case { assignee_id: None, ..Case::example() };
        let all = BoardFilter::default();
        assert!(all.keeps(&mine, plan_of, Some(7)) && all.keeps(&nobodys, plan_of, Some(7)));
        let my_cases = BoardFilter { assignee: Some(AssigneeFilter::Mine), ..BoardFilter::default() };
        assert!(my_cases.keeps(&mine, plan_of, Some(7)));
        assert!(!my_cases.keeps(&mine, plan_of, Some(8)));
        assert!(!my_cases.keeps(&nobodys, plan_of, None), "nobody's case is not mine when I am nobody");
        let unassigned = BoardFilter { assignee: Some(AssigneeFilter::Unassigned), ..BoardFilter::default() };
        assert!(unassigned.keeps(&nobodys, plan_of, Some(7)) && !unassigned.keeps(&mine, plan_of, Some(7)));
        let high = BoardFilter { severity: Some(2), ..BoardFilter::default() };
        assert!(high.keeps(&mine, plan_of, None) && !high.keeps(&nobodys, plan_of, None));
        let coveo = BoardFilter { plan: Some("coveo".into()), ..BoardFilter::default() };
        assert!(coveo.keeps(&mine, plan_of, None));
        let other = Case { organization: "globex".into(), ..Case::example() };
        assert!(!coveo.keeps(&other, plan_of, None));
        let acme = BoardFilter { organization: Some("acme".into()), ..BoardFilter::default() };
        assert!(acme.keeps(&mine, plan_of, None) && !acme.keeps(&other, plan_of, None));
    }

    #[test]
    fn lanes_are_the_keys_present_in_order_each_named_by_one_of_its_cases() {
        let case = |org: &str, assignee: Option<i64>| Case {
            organization: org.into(),
            assignee_id: assignee,
            ..Case::example()
        };
        let cases = [case("globex", Some(12)), case("acme", None), case("globex", Some(3)), case("acme", Some(3))];
        let keys = |lane: BoardLane| lane.lanes(&cases).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(keys(BoardLane::Organization), vec!["acme", "globex"]);
        assert_eq!(keys(BoardLane::Assignee), vec!["", "12", "3"]);
        assert_eq!(keys(BoardLane::Severity), vec!["3"]);
        assert_eq!(BoardLane::None.lanes(&cases), vec![(String::new(), None)]);
        let (_, named_by) = &BoardLane::Organization.lanes(&cases)[1];
        assert_eq!(named_by.map(|c| c.organization.as_str()), Some("globex"));
        assert_eq!(BoardLane::Assignee.key(&cases[1]), "");
    }

    #[test]
    fn limits_parse_and_refuse_nonsense() {
        let limits = WipLimits::parse("confirmed=8, assigned = 5").unwrap();
        assert_eq!(limits.limit(Status::Confirmed), Some(8));
        assert_eq!(limits.limit(Status::New), None);
        assert!(limits.exceeded(Status::Assigned, 6));
        assert!(!limits.exceeded(Status::Assigned, 5));
        assert_eq!(WipLimits::parse("off").unwrap(), WipLimits(vec![]));
        assert!(WipLimits::parse("limbo=3").is_err());
        assert!(WipLimits::parse("new=0").is_err());
        assert!(WipLimits::parse("new").is_err());
    }
}
