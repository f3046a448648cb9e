//! What happened to a case: the entries of its event log. The timeline, the audit trail
//! and (later) the live board and the SLA explanation all read this one log.

use serde::{Deserialize, Serialize};

use super::assignment::AssignmentReason;
use super::case::{CaseKind, CaseNumber, Severity};
use super::hour_bank::Activity;
use super::lifecycle::{Resolution, Status};
use super::sla::SlaClockKind;

/// What one log entry changed; `type` names it (the SSE event name is [`CaseChange::kind`],
/// which tells an internal note from a reply).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaseChange {
    Opened {
        kind: CaseKind,
        severity: Severity,
        /// Support opened it for the case's reporter (a request taken by phone); the entry's
        /// actor is the support person who did. The reporter is the case's (no name is kept in
        /// the log, so erasing a person leaves none behind).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        on_behalf: bool,
        /// No SLA clock runs on the case (a maintenance task support opened to inform the
        /// organization).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        no_sla: bool,
    },
    StatusChanged {
        from: Status,
        to: Status,
        resolution: Resolution,
    },
    /// A message on the case. `internal` notes are support-only and never leave that side;
    /// `from_support` tells support's replies (which meet the response clock) from the
    /// customer's (which resume a paused clock).
    Reply {
        body: String,
        internal: bool,
        from_support: bool,
    },
    /// The case's engineer changed (`None`: unassigned). `reason` is there when the rule
    /// chose (automatic assignment); a person's choice needs none.
    Assigned {
        #[cfg_attr(feature = "ssr", schema(required = true))]
        engineer_id: Option<i64>,
        #[cfg_attr(feature = "ssr", schema(required = true))]
        engineer: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<AssignmentReason>,
    },
    /// The case was linked to another (support only: the other may be another customer's).
    Linked {
        kind: LinkKind,
        other: CaseNumber,
    },
    /// 80% of a clock's target is used up (appended once per clock by the sweeper).
    SlaWarning {
        clock: SlaClockKind,
    },
    /// A clock's due time passed unmet (appended once per clock by the sweeper).
    SlaBreached {
        clock: SlaClockKind,
    },
    /// Support changed the severity (on a customer's request or on its own judgement). The
    /// new severity's target applies from now; a promise already made is never extended.
    SeverityChanged {
        from: Severity,
        to: Severity,
    },
    /// The customer asks for a more urgent severity, saying why (support decides).
    SeverityRaiseRequested {
        to: Severity,
        reason: String,
    },
    /// A file was attached to the case (by a reply in the portal or by email).
    Attached {
        attachment_id: i64,
        file_name: String,
        content_type: String,
        size: i64,
    },
    /// Support logged time on the case (support only: the organization's admin reads the
    /// billable expertise in the hour bank). `overage_minutes`: what the bank could not cover.
    TimeLogged {
        time_entry_id: i64,
        minutes: i64,
        activity: Activity,
        billable: bool,
        #[serde(default, skip_serializing_if = "is_zero")]
        overage_minutes: i64,
    },
}

fn is_zero(minutes: &i64) -> bool {
    *minutes == 0
}

impl CaseChange {
    /// Every name [`CaseChange::kind`] gives: the SSE event names a live page listens to.
    pub const KINDS: &'static [&'static str] = &[
        "opened",
        "status_changed",
        "reply",
        "internal_note",
        "assigned",
        "linked",
        "sla_warning",
        "sla_breached",
        "attached",
        "severity_changed",
        "severity_raise_requested",
        "time_logged",
    ];

    /// The stable name stored in the log's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            CaseChange::Opened { .. } => "opened",
            CaseChange::StatusChanged { .. } => "status_changed",
            CaseChange::Reply { internal: true, .. } => "internal_note",
            CaseChange::Reply { .. } => "reply",
            CaseChange::Assigned { .. } => "assigned",
            CaseChange::Linked { .. } => "linked",
            CaseChange::SlaWarning { .. } => "sla_warning",
            CaseChange::SlaBreached { .. } => "sla_breached",
            CaseChange::Attached { .. } => "attached",
            CaseChange::SeverityChanged { .. } => "severity_changed",
            CaseChange::SeverityRaiseRequested { .. } => "severity_raise_requested",
            CaseChange::TimeLogged { .. } => "time_logged",
        }
    }

    /// Internal entries never leave the support side: internal notes, and assignments (the
    /// customer sees who works the case on the case itself, not the rule's reasons).
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            CaseChange::Reply { internal: true, .. }
                | CaseChange::Assigned { .. }
                | CaseChange::Linked { .. }
                | CaseChange::TimeLogged { .. }
        )
    }
}

/// One entry of a case's log, as `GET /api/v1/cases/{number}/events` and the live stream
/// send it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseEvent {
    /// The log's id: also the id a live stream will use.
    pub id: i64,
    pub case: CaseNumber,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
    pub at: jiff::Timestamp,
    /// Who did it (a name); `None` for the system.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub actor: Option<String>,
    pub change: CaseChange,
}

/// How two cases are linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// This case repeats the other (set when resolving as Duplicate).
    DuplicateOf,
    Related,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::DuplicateOf => "duplicate_of",
            LinkKind::Related => "related",
        }
    }

    pub fn parse(text: &str) -> Option<LinkKind> {
        [LinkKind::DuplicateOf, LinkKind::Related].into_iter().find(|k| k.as_str() == text)
    }
}

/// A link as a case page lists it, seen from that case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseLink {
    pub kind: LinkKind,
    pub other: CaseNumber,
    pub other_summary: String,
    /// `true` when the other case points at this one ("has duplicate").
    pub incoming: bool,
}

/// The longest reason for asking a more urgent severity, in characters.
pub const RAISE_REASON_MAX_CHARS: usize = 2000;

/// The longest reply, in bytes of UTF-8 (like a description).
pub const REPLY_MAX_BYTES: usize = 64 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_internal_notes_are_internal() {
        let note = CaseChange::Reply { body: "x".into(), internal: true, from_support: true };
        let reply = CaseChange::Reply { body: "x".into(), internal: false, from_support: true };
        assert!(note.is_internal());
        assert!(!reply.is_internal());
        assert_eq!(note.kind(), "internal_note");
        assert_eq!(reply.kind(), "reply");
    }

    #[test]
    fn every_kind_is_listed_for_live_pages() {
        let every = [
            CaseChange::Opened { kind: CaseKind::Bug, severity: Severity::Normal, on_behalf: false, no_sla: false },
            CaseChange::StatusChanged { from: Status::New, to: Status::Feedback, resolution: Resolution::Open },
            CaseChange::Reply { body: "x".into(), internal: false, from_support: true },
            CaseChange::Reply { body: "x".into(), internal: true, from_support: true },
            CaseChange::Assigned { engineer_id: None, engineer: None, reason: None },
            CaseChange::Linked { kind: LinkKind::Related, other: CaseNumber(1) },
            CaseChange::SlaWarning { clock: SlaClockKind::InitialResponse },
            CaseChange::SlaBreached { clock: SlaClockKind::Restore },
            CaseChange::Attached { attachment_id: 1, file_name: "a".into(), content_type: "text/plain".into(), size: 1 },
            CaseChange::SeverityChanged { from: Severity::Normal, to: Severity::Urgent },
            CaseChange::SeverityRaiseRequested { to: Severity::Urgent, reason: "x".into() },
            CaseChange::TimeLogged {
                time_entry_id: 1,
                minutes: 90,
                activity: Activity::Expertise,
                billable: true,
                overage_minutes: 0,
            },
        ];
        for change in &every {
            assert!(CaseChange::KINDS.contains(&change.kind()), "{} is not in KINDS", change.kind());
        }
        assert_eq!(CaseChange::KINDS.len(), every.len());
    }

    #[test]
    fn status_change_is_stored_with_a_type_tag() {
        let change =
            CaseChange::StatusChanged { from: Status::New, to: Status::Confirmed, resolution: Resolution::Open };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(json["type"], "status_changed");
        assert_eq!(json["to"], "confirmed");
        assert_eq!(change.kind(), "status_changed");
    }
}
