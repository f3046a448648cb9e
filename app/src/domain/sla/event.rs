//! What happened on a case, as far as its clocks care.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::domain::case::Severity;
use crate::domain::lifecycle::Status;

/// What happened on a case, as far as its clocks care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SlaEventKind {
    /// Support answered where the customer sees it: the first one meets the initial response.
    SupportPublicReply,
    /// Seen by support only: never meets a clock.
    InternalNote,
    /// The customer wrote, by any channel (portal, email reply, phone note).
    CustomerReply,
    StatusChanged {
        to: Status,
    },
    /// Support changed the case's severity: the new severity's target applies from then on,
    /// and whichever due time falls first stands (a promise already made is never extended).
    SeverityChanged {
        from: Severity,
        to: Severity,
    },
    /// The case carries no SLA (a maintenance task support opened): no clock runs, whatever
    /// the plan says, from then on.
    NoCommitment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaEvent {
    pub at: Timestamp,
    pub kind: SlaEventKind,
}

impl SlaEvent {
    pub fn support_reply(at: Timestamp) -> SlaEvent {
        SlaEvent { at, kind: SlaEventKind::SupportPublicReply }
    }

    pub fn internal_note(at: Timestamp) -> SlaEvent {
        SlaEvent { at, kind: SlaEventKind::InternalNote }
    }

    pub fn customer_reply(at: Timestamp) -> SlaEvent {
        SlaEvent { at, kind: SlaEventKind::CustomerReply }
    }

    pub fn status(at: Timestamp, to: Status) -> SlaEvent {
        SlaEvent { at, kind: SlaEventKind::StatusChanged { to } }
    }

    pub fn severity(at: Timestamp, from: Severity, to: Severity) -> SlaEvent {
        SlaEvent { at, kind: SlaEventKind::SeverityChanged { from, to } }
    }

    pub fn no_commitment(at: Timestamp) -> SlaEvent {
        SlaEvent { at, kind: SlaEventKind::NoCommitment }
    }
}
