//! Saved views ("queues"): a board filter a support person names and keeps for themselves
//! or shares with the team ("Sev 1 unassigned", "Waiting on us > 2 days"), shown beside the
//! board with how many open cases it holds.

use serde::{Deserialize, Serialize};

use super::board::{AssigneeFilter, BoardFilter, STALE_HOURS_MAX, statuses_in};
use super::lifecycle::Status;
use super::page::BoundedCount;
use crate::error::{AppError, InvalidReason};

/// A view's name: 1 to 80 characters once trimmed.
pub const VIEW_NAME_MAX_CHARS: usize = 80;

/// A saved view as its reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"id": 7, "name": "Waiting on us > 2 days", "owner": "Sam Support",
    "mine": true, "shared": true, "filter": {"statuses": ["new", "confirmed", "assigned"], "stale_hours": 48},
    "count": {"n": 3, "more": false}, "board_query": "status=new,confirmed,assigned&stale_hours=48"})))]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    /// The name of the support person who saved it.
    pub owner: String,
    /// Whether the reader saved it (only the owner renames, shares or deletes it; an admin
    /// may also delete a shared one).
    pub mine: bool,
    /// Shown to the whole support team (otherwise to its owner only).
    pub shared: bool,
    pub filter: ViewFilter,
    /// The open cases (not closed; closed today when the filter names `closed`) that pass
    /// the filter for the reader ("mine" is the reader's), stopping at 10,000 (`more`).
    pub count: BoundedCount,
    /// The board's URL query that shows the view (`/board?<board_query>`).
    pub board_query: String,
}

/// A saved view's filter, as the API writes it: every field optional, each narrowing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"severity": 1, "assignee": "unassigned"})))]
#[serde(default, deny_unknown_fields)]
pub struct ViewFilter {
    /// A severity level, 1 (Urgent) to 4.
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 4))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<i64>,
    /// An organization's slug.
    #[cfg_attr(feature = "ssr", schema(max_length = 63))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// The id of the plan the case's organization is on.
    #[cfg_attr(feature = "ssr", schema(max_length = 63))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// `mine` (the reader's cases) or `unassigned`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Any of these statuses (`new`, `feedback`, `confirmed`, `assigned`, `resolved`,
    /// `closed`); empty: every status.
    #[cfg_attr(feature = "ssr", schema(max_items = 6))]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
    /// Only cases not updated for more than this many hours (1 to 8784).
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 8784))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_hours: Option<i64>,
}

fn malformed(field: &str, detail: &str) -> AppError {
    AppError::invalid(field, InvalidReason::Malformed { detail: detail.into() })
}

impl ViewFilter {
    /// The board filter this asks for, every value checked (422 naming `filter.<field>`).
    /// Whether an organization or plan exists is the service's to check.
    pub fn board_filter(&self) -> Result<BoardFilter, AppError> {
        let text = |value: &Option<String>, field: &str| -> Result<Option<String>, AppError> {
            match value.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(v) if v.len() > 63 => Err(AppError::invalid(field, InvalidReason::TooLong { max: 63 })),
                Some(v) => Ok(Some(v.to_string())),
            }
        };
        let severity = match self.severity {
            None => None,
            Some(level @ 1..=4) => Some(level as u8),
            Some(_) => return Err(malformed("filter.severity", "1, 2, 3 or 4")),
        };
        let assignee = match self.assignee.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(a) => {
                Some(AssigneeFilter::parse(a).ok_or_else(|| malformed("filter.assignee", "mine or unassigned"))?)
            }
        };
        let mut statuses = Vec::new();
        for name in &self.statuses {
            let status = Status::parse(name.trim()).ok_or_else(|| malformed("filter.statuses", "unknown status"))?;
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
        let stale_hours = match self.stale_hours {
            None => None,
            Some(h) if (1..=i64::from(STALE_HOURS_MAX)).contains(&h) => Some(h as u32),
            Some(_) => return Err(malformed("filter.stale_hours", "a number of hours from 1 to 8784")),
        };
        Ok(BoardFilter {
            severity,
            organization: text(&self.organization, "filter.organization")?,
            plan: text(&self.plan, "filter.plan")?,
            assignee,
            statuses: Status::ALL.iter().copied().filter(|s| statuses.contains(s)).collect(),
            stale_hours,
            lane: Default::default(),
        })
    }

    /// The filter of a board, as a view keeps it (the lane is the reader's to choose).
    pub fn of_board(filter: &BoardFilter) -> ViewFilter {
        ViewFilter {
            severity: filter.severity.map(i64::from),
            organization: filter.organization.clone(),
            plan: filter.plan.clone(),
            assignee: filter.assignee.map(|a| a.as_str().to_string()),
            statuses: filter.statuses.iter().map(|s| s.as_str().to_string()).collect(),
            stale_hours: filter.stale_hours.map(i64::from),
        }
    }

    /// Read back from the comma-separated statuses a view is stored with.
    pub fn statuses_from_list(list: &str) -> Vec<String> {
        statuses_in(list).into_iter().map(|s| s.as_str().to_string()).collect()
    }
}

/// A view's name as kept: trimmed, 1 to [`VIEW_NAME_MAX_CHARS`] characters, no control
/// characters (422 `name`).
pub fn view_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", InvalidReason::Required));
    }
    if name.chars().count() > VIEW_NAME_MAX_CHARS {
        return Err(AppError::invalid("name", InvalidReason::TooLong { max: VIEW_NAME_MAX_CHARS }));
    }
    if name.chars().any(char::is_control) {
        return Err(malformed("name", "no control characters"));
    }
    Ok(name.to_string())
}

/// What makes two of one person's view names the same: their case ignored.
pub fn view_name_key(name: &str) -> String {
    name.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::board::BoardLane;

    fn query(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
    }

    #[test]
    fn statuses_and_staleness_are_read_from_the_url_leniently() {
        let filter = BoardFilter::from_query(query(&[("status", "assigned,new,moon,new"), ("stale_hours", "48")]));
        assert_eq!(filter.statuses, vec![Status::New, Status::Assigned], "the board's order, once each");
        assert_eq!(filter.stale_hours, Some(48));
        let nonsense = BoardFilter::from_query(query(&[("status", "moon"), ("stale_hours", "-3")]));
        assert_eq!(nonsense, BoardFilter::default());
        assert_eq!(BoardFilter::from_query(query(&[("stale_hours", "0")])).stale_hours, None);
    }

    #[test]
    fn a_board_filter_goes_to_the_url_and_back_unchanged() {
        let filter = BoardFilter {
            severity: Some(1),
            organization: Some("acme".into()),
            plan: Some("elastic cloud&co".into()),
            assignee: Some(AssigneeFilter::Unassigned),
            statuses: vec![Status::New, Status::Confirmed],
            stale_hours: Some(48),
            lane: BoardLane::None,
        };
        let text = filter.query();
        assert_eq!(
            text,
            "severity=1&organization=acme&plan=elastic%20cloud%26co&assignee=unassigned&status=new,confirmed&stale_hours=48"
        );
        assert_eq!(BoardFilter::default().query(), "");
        let view = ViewFilter::of_board(&filter);
        assert_eq!(view.board_filter().unwrap(), filter);
    }

    #[test]
    fn columns_outside_the_status_set_are_empty_and_staleness_applies_to_all() {
        let waiting = BoardFilter { statuses: vec![Status::New], stale_hours: Some(48), ..BoardFilter::default() };
        assert!(waiting.shows_status(Status::New) && !waiting.shows_status(Status::Assigned));
        assert!(BoardFilter::default().shows_status(Status::Closed));
        let now: jiff::Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        let case = |updated: &str| crate::domain::Case {
            updated_at: updated.parse().unwrap(),
            ..crate::domain::Case::example()
        };
        assert!(waiting.keeps_at(&case("2026-11-22T11:59:00Z"), now));
        assert!(!waiting.keeps_at(&case("2026-11-22T12:00:00Z"), now), "exactly 48 hours is not more than 48");
        assert!(BoardFilter::default().keeps_at(&case("2026-11-24T11:59:00Z"), now));
    }

    #[test]
    fn a_view_filter_refuses_each_bad_value_by_its_field() {
        let field = |f: ViewFilter| match f.board_filter() {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(ViewFilter { severity: Some(7), ..ViewFilter::default() }), "filter.severity");
        assert_eq!(field(ViewFilter { assignee: Some("theirs".into()), ..ViewFilter::default() }), "filter.assignee");
        assert_eq!(field(ViewFilter { statuses: vec!["limbo".into()], ..ViewFilter::default() }), "filter.statuses");
        assert_eq!(field(ViewFilter { stale_hours: Some(0), ..ViewFilter::default() }), "filter.stale_hours");
        assert_eq!(
            field(ViewFilter { organization: Some("a".repeat(64)), ..ViewFilter::default() }),
            "filter.organization"
        );
        assert_eq!(ViewFilter::default().board_filter().unwrap(), BoardFilter::default());
    }

    #[test]
    fn a_view_name_is_trimmed_required_and_at_most_80_characters() {
        assert_eq!(view_name("  Urgent unassigned ").unwrap(), "Urgent unassigned");
        assert!(matches!(view_name("   "), Err(AppError::Invalid { reason: InvalidReason::Required, .. })));
        assert!(view_name(&"é".repeat(80)).is_ok());
        assert!(matches!(
            view_name(&"é".repeat(81)),
            Err(AppError::Invalid { reason: InvalidReason::TooLong { max: 80 }, .. })
        ));
        assert!(view_name("a\u{0}b").is_err());
        assert_eq!(view_name_key("Sev 1 EUROPE"), view_name_key("sev 1 europe"));
    }
}
