//! What happened to a case: the entries of its event log. The timeline, the audit trail
//! and (later) the live board and the SLA explanation all read this one log.

use serde::{Deserialize, Serialize};

use super::case::{CaseKind, CaseNumber, Severity};
use super::lifecycle::{Resolution, Status};
use super::sla::SlaClockKind;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaseChange {
    Opened {
        kind: CaseKind,
        severity: Severity,
    },
    StatusChanged {
        from: Status,
        to: Status,
        resolution: Resolution,
    },
    /// 80% of a clock's target is used up (appended once per clock by the sweeper).
    SlaWarning {
        clock: SlaClockKind,
    },
    /// A clock's due time passed unmet (appended once per clock by the sweeper).
    SlaBreached {
        clock: SlaClockKind,
    },
}

impl CaseChange {
    /// The stable name stored in the log's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            CaseChange::Opened { .. } => "opened",
            CaseChange::StatusChanged { .. } => "status_changed",
            CaseChange::SlaWarning { .. } => "sla_warning",
            CaseChange::SlaBreached { .. } => "sla_breached",
        }
    }

    /// Internal entries never leave the support side.
    pub fn is_internal(&self) -> bool {
        false
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    /// The log's id: also the id a live stream will use.
    pub id: i64,
    pub case: CaseNumber,
    pub at: jiff::Timestamp,
    /// Who did it (a name); `None` for the system.
    pub actor: Option<String>,
    pub change: CaseChange,
}

#[cfg(test)]
mod tests {
    use super::*;

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
