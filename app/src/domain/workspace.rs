//! What the pages are given to show: a case page, the board and its cards, the team one
//! may assign to. Shared by the services that build them and the pages that show them.

use serde::{Deserialize, Serialize};

use super::sla::{Contract, SlaClock, SlaEvent};
use super::{BoundedCount, Case, CaseEvent, CaseLink, Severity, Status, WipLimits};

/// A case page: the case, the timeline its reader may see, and the moves they may make.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub case: Case,
    pub timeline: Vec<CaseEvent>,
    pub allowed_moves: Vec<Status>,
    /// The SLA clocks as the server computed them when the page was asked for.
    pub clocks: Vec<SlaClock>,
    /// Linked cases (support only; empty for customers).
    #[serde(default)]
    pub links: Vec<CaseLink>,
    /// Where an email reply to this case goes (the signed reply address), when inbound
    /// mail is configured.
    #[serde(default)]
    pub reply_address: Option<String>,
    /// The severities the contract offers for this case now (what support may set, and the
    /// more urgent ones a customer may ask for).
    #[serde(default)]
    pub severities: Vec<Severity>,
    /// The organization's contract: what its plan promises, in its own words, and the hours
    /// support counts in (stated on the page with the clocks).
    #[serde(default)]
    pub contract: Option<crate::domain::sla::Contract>,
}

/// A card on the board: the case and what its SLA clocks need, so the browser computes the
/// countdown itself, every second, with the same code as the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardCard {
    pub case: Case,
    pub sla_events: Vec<SlaEvent>,
}

/// A column of the board as the server read it: how many cases pass the filters, how many
/// are in the status at all (for its work-in-progress limit), and where its next page of
/// cards starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub status: Status,
    pub matching: BoundedCount,
    pub in_status: BoundedCount,
    pub next_cursor: Option<String>,
}

/// The next cards of one column ("Show more"), with the contracts of their organizations.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BoardColumnPage {
    pub cards: Vec<BoardCard>,
    pub next_cursor: Option<String>,
    pub contracts: Vec<(String, Contract)>,
}

/// The board as first read: each column's first page of cards (most urgent first), the
/// columns' counts, and the organizations one may filter by.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Board {
    pub cards: Vec<BoardCard>,
    pub columns: Vec<BoardColumn>,
    /// Organizations to filter by (slug, name), by name.
    pub organizations: Vec<(String, String)>,
    /// The contract of each organization on the board, by slug.
    pub contracts: Vec<(String, Contract)>,
    /// The newest log entry when the board was read: the live stream replays from there.
    pub last_event_id: i64,
    pub wip_limits: WipLimits,
}

impl Board {
    pub fn contract(&self, organization: &str) -> Option<&Contract> {
        self.contracts.iter().find(|(slug, _)| slug == organization).map(|(_, c)| c)
    }
}

/// A support person as the "Assign to" menu shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub email: String,
    pub name: String,
    /// Working now, in their own time zone.
    pub on_shift: bool,
    /// Open cases assigned to them.
    pub load: u32,
}
