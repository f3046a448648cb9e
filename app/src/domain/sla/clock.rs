//! One SLA clock of a case as it stands: its kind, its state, its due time and its reasons.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::domain::plan::SlaTarget;

/// The two promises a plan can make about a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlaClockKind {
    /// Elastic's "temps de réponse initial": met by support's first public reply.
    InitialResponse,
    /// Cloud Avenue's "GTR ticket P1": met when the case is Resolved (or Closed).
    Restore,
}

impl SlaClockKind {
    /// English words for explanations.
    pub(super) fn words(self) -> &'static str {
        match self {
            SlaClockKind::InitialResponse => "initial response",
            SlaClockKind::Restore => "restore time",
        }
    }
}

/// Where a clock stands; `state` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SlaClockState {
    /// Counting towards `due`.
    Running,
    /// Stopped while the case waits on the customer (status Feedback, no reply yet).
    Paused,
    /// Stopped at `at`; `in_time` unless the due time had passed.
    Met {
        #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
        at: Timestamp,
        in_time: bool,
    },
    /// The due time passed and the clock was not met.
    Breached,
    /// The plan makes no such commitment for this severity (Elastic Limited, Coveo, ...).
    NoCommitment,
}

/// One SLA clock of one case at one instant, with its reasons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlaClock {
    pub kind: SlaClockKind,
    pub state: SlaClockState,
    /// When the clock runs out; `None` while paused or without commitment. For a breached
    /// clock, the due time that passed.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = DateTime, required = true))]
    pub due: Option<Timestamp>,
    /// Time left at `now` (at the meeting instant for a met clock), in business time for
    /// business targets and real time for 24x7 ones; negative once breached. An ISO 8601
    /// duration (`PT3H54M`, `-PT10M`).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, required = true, example = "PT3H54M"))]
    pub remaining: Option<SignedDuration>,
    /// The target in force (after any plan change).
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub target: Option<SlaTarget>,
    /// Id of the plan whose target is in force.
    pub plan_id: String,
    /// Real time spent paused while waiting on the customer (an ISO 8601 duration).
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "PT0S"))]
    pub paused_total: SignedDuration,
    /// When 80% of the target is (or was) used up; running and breached clocks only.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = DateTime, required = true))]
    pub warning_at: Option<Timestamp>,
    /// English words: "4 business hours on Elastic cloud Basic, calendar Europe/Paris
    /// 09:00-18:00 Mon-Fri; paused 2 h 10 min while waiting on the customer".
    pub explanation: String,
}

/// The instant 80% of the clock's target is used up, for a running or breached clock.
pub fn warning_at(clock: &SlaClock) -> Option<Timestamp> {
    match clock.state {
        SlaClockState::Running | SlaClockState::Breached => clock.warning_at,
        _ => None,
    }
}
