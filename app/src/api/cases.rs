//! Opening, listing, reading and moving cases.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::sla::{Contract, SlaClock, SlaEvent};
use crate::domain::{Case, CaseEvent, Status};
use crate::error::AppError;

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
    pub links: Vec<crate::domain::CaseLink>,
    /// Where an email reply to this case goes (the signed reply address), when inbound
    /// mail is configured.
    #[serde(default)]
    pub reply_address: Option<String>,
    /// The severities the contract offers for this case now (what support may set, and the
    /// more urgent ones a customer may ask for).
    #[serde(default)]
    pub severities: Vec<crate::domain::Severity>,
}

/// Files a case from the wizard: the whole draft, checked again here step by step.
#[server(endpoint = "open_case", input = leptos::server_fn::codec::Json)]
pub async fn open_case(
    draft: crate::domain::CaseDraft,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Case, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            let opened =
                crate::backend::cases::open_case(&state.store, &user, draft, idempotency_key.as_deref()).await?;
            Ok(opened.case)
        }
        .await,
    )
}

/// The products of the signed-in customer's organization, with the versions support covers.
#[server(endpoint = "my_products")]
pub async fn my_products() -> Result<Vec<crate::domain::ProductLine>, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            match user.organization_id {
                Some(organization_id) => state.store.products(organization_id).await,
                None => Ok(Vec::new()),
            }
        }
        .await,
    )
}

#[server(endpoint = "my_cases")]
pub async fn my_cases() -> Result<Vec<Case>, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            crate::backend::cases::list_cases(&state.store, &user).await
        }
        .await,
    )
}

/// A card on the board: the case and what its SLA clocks need, so the browser computes the
/// countdown itself, every second, with the same code as the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardCard {
    pub case: Case,
    pub sla_events: Vec<SlaEvent>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Board {
    pub cards: Vec<BoardCard>,
    /// The contract of each organization on the board, by slug.
    pub contracts: Vec<(String, Contract)>,
    /// The newest log entry when the board was read: the live stream replays from there.
    pub last_event_id: i64,
    pub wip_limits: crate::domain::WipLimits,
}

impl Board {
    pub fn contract(&self, organization: &str) -> Option<&Contract> {
        self.contracts.iter().find(|(slug, _)| slug == organization).map(|(_, c)| c)
    }
}

/// The board: every case support may see, with the SLA data of each. Customers are refused.
#[server(endpoint = "board_cases")]
pub async fn board_cases() -> Result<Board, AppError> {
    use super::request;
    use crate::backend::contracts::{contracts_for_cases, sla_events};
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            if !user.role.is_support() {
                return Err(AppError::Forbidden);
            }
            // Read before the cases: a change in between is replayed, never lost.
            let last_event_id = state.store.last_event_id().await?;
            let cases = crate::backend::cases::list_cases(&state.store, &user).await?;
            let mut events = state.store.events_by_case(user.case_scope(), true).await?;
            let contracts = contracts_for_cases(&state.store, &cases).await?;
            let cards = cases
                .into_iter()
                .map(|case| {
                    let sla_events = sla_events(&events.remove(&case.number).unwrap_or_default());
                    // A card shows no description: the board stays light with thousands of cards.
                    BoardCard { case: Case { description: String::new(), ..case }, sla_events }
                })
                .collect();
            Ok(Board { cards, contracts, last_event_id, wip_limits: state.wip_limits.clone() })
        }
        .await,
    )
}

/// One card as the board shows it now (after a live event about it); `None` when the case
/// is no longer visible. Support only.
#[server(endpoint = "board_card")]
pub async fn fetch_board_card(number: i64) -> Result<Option<(BoardCard, Option<Contract>)>, AppError> {
    use super::request;
    use crate::backend::contracts::{contracts_for_cases, sla_events};
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            if !user.role.is_support() {
                return Err(AppError::Forbidden);
            }
            let number = crate::domain::CaseNumber(number);
            let Some(case) = state.store.case_by_number(number, user.case_scope()).await? else { return Ok(None) };
            let events = state.store.case_events(number, true).await?;
            let contract = contracts_for_cases(&state.store, std::slice::from_ref(&case)).await?.pop().map(|(_, c)| c);
            let case = Case { description: String::new(), ..case };
            Ok(Some((BoardCard { case, sla_events: sla_events(&events) }, contract)))
        }
        .await,
    )
}

#[server(endpoint = "read_case")]
pub async fn read_case(number: i64) -> Result<CaseDetail, AppError> {
    use super::request;
    use crate::domain::CaseNumber;
    use crate::domain::lifecycle::allowed_targets;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            let number = CaseNumber(number);
            let case = crate::backend::cases::case_for(&state.store, &user, number).await?;
            let timeline = crate::backend::cases::timeline(&state.store, &user, number).await?;
            let allowed_moves = allowed_targets(user.role, case.status, case.resolution);
            let clocks = crate::backend::contracts::case_clocks(&state.store, &user, number).await?;
            let links = if user.role.is_support() { state.store.case_links(number).await? } else { Vec::new() };
            let reply_address = crate::backend::mail::reply_address(&state.store, &state.mail, number);
            let severities = crate::backend::cases::allowed_severities(&state.store, &case).await?;
            Ok(CaseDetail { case, timeline, allowed_moves, clocks, links, reply_address, severities })
        }
        .await,
    )
}

/// Moves a case to another status; `resolution` may be empty; `expected_version` is the
/// version the mover saw (a stale one gets `Conflict`).
#[server(endpoint = "move_case")]
pub async fn move_case(
    number: i64,
    status: Status,
    #[server(default)] resolution: String,
    expected_version: i64,
    #[server(default)] duplicate_of: String,
) -> Result<Case, AppError> {
    use super::request;
    use crate::domain::{CaseNumber, Resolution};
    use crate::error::InvalidReason;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            let resolution = match resolution.trim() {
                "" => None,
                text => Some(Resolution::parse(text).ok_or_else(|| {
                    AppError::invalid("resolution", InvalidReason::Malformed { detail: "unknown resolution".into() })
                })?),
            };
            // Only a Duplicate names another case; the field is ignored otherwise.
            let duplicate_of = match (resolution, duplicate_of.trim()) {
                (Some(Resolution::Duplicate), "") => None,
                (Some(Resolution::Duplicate), text) => Some(CaseNumber::parse(text).ok_or_else(|| {
                    AppError::invalid("duplicate_of", InvalidReason::Malformed { detail: "a case number".into() })
                })?),
                _ => None,
            };
            crate::backend::cases::change_status(
                &state.store,
                &user,
                CaseNumber(number),
                status,
                resolution,
                expected_version,
                duplicate_of,
            )
            .await
        }
        .await,
    )
}

/// The signed-in customer's support contract: which severities they may open and what the
/// plan promises (the new-case form mirrors the server's entitlement check with it).
#[server(endpoint = "my_contract")]
pub async fn my_contract() -> Result<Contract, AppError> {
    use super::request;
    use crate::backend::contracts::{contract_of, organization_for};
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            let organization = organization_for(&state.store, &user, None).await?;
            contract_of(&state.store, &organization).await
        }
        .await,
    )
}

/// Replies to a case; support may send `internal=true` for a note customers never see.
#[server(endpoint = "reply_to_case")]
pub async fn reply_to_case(
    number: i64,
    body: String,
    #[server(default)] internal: Option<String>,
    #[server(default)] seen_version: Option<i64>,
    #[server(default)] confirmed: Option<String>,
) -> Result<Case, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            let internal = matches!(internal.as_deref(), Some("true" | "on"));
            let confirmed = matches!(confirmed.as_deref(), Some("true" | "on"));
            let number = crate::domain::CaseNumber(number);
            crate::backend::cases::reply(&state.store, &user, number, &body, internal, seen_version, confirmed).await
        }
        .await,
    )
}

/// Assigns a case: `engineer` is `"me"` (take it), `"auto"`, a support person's email, or
/// empty (unassign). Support only.
#[server(endpoint = "assign_case")]
pub async fn assign_case(
    number: i64,
    #[server(default)] engineer: String,
    #[server(default)] expected_version: Option<i64>,
) -> Result<Case, AppError> {
    use super::request;
    use crate::backend::cases::{AssignTo, assign};
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            let to = AssignTo::parse(Some(&engineer));
            assign(&state.store, &user, crate::domain::CaseNumber(number), to, expected_version).await
        }
        .await,
    )
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

/// The engineers one may assign a case to. Support only.
#[server(endpoint = "support_team")]
pub async fn support_team() -> Result<Vec<TeamMember>, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            if !user.role.is_support() {
                return Err(AppError::Forbidden);
            }
            let now = jiff::Timestamp::now();
            let mut team = Vec::new();
            for (profile, load) in state.store.engineers().await? {
                let Some(member) = state.store.user_by_id(profile.id).await? else { continue };
                let on_shift = profile.hours.schedule().is_ok_and(|s| s.is_business_time(now));
                team.push(TeamMember { email: member.email, name: profile.name, on_shift, load });
            }
            Ok(team)
        }
        .await,
    )
}

/// Says what the signed-in support person is doing on a case page (`viewing`,
/// `writing_reply`, `writing_note`, `left`) and returns who else is there. Support only;
/// pages call it every few seconds and whenever the live stream says presence changed.
#[server(endpoint = "case_presence")]
pub async fn case_presence(
    number: i64,
    activity: crate::domain::people::Activity,
) -> Result<Vec<crate::domain::people::Present>, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            if !user.role.is_support() {
                return Err(AppError::Forbidden);
            }
            crate::backend::cases::case_for(&state.store, &user, crate::domain::CaseNumber(number)).await?;
            state.store.share_presence(number, user.id, &user.name, activity);
            Ok(state.presence.report(number, user.id, &user.name, activity))
        }
        .await,
    )
}

/// Links a case to another as related. Support only.
#[server(endpoint = "link_case")]
pub async fn link_case(number: i64, other: String) -> Result<Case, AppError> {
    use super::request;
    use crate::domain::{CaseNumber, LinkKind};
    use crate::error::InvalidReason;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            let other = CaseNumber::parse(&other)
                .ok_or_else(|| AppError::invalid("other", InvalidReason::Malformed { detail: "a case number".into() }))?;
            crate::backend::cases::link(&state.store, &user, CaseNumber(number), other, LinkKind::Related).await
        }
        .await,
    )
}

/// A customer asks for a more urgent severity, with the reason.
#[server(endpoint = "request_severity_raise")]
pub async fn request_severity_raise(number: i64, severity: crate::domain::Severity, reason: String) -> Result<Case, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            let number = crate::domain::CaseNumber(number);
            crate::backend::cases::request_severity_raise(&state.store, &user, number, severity, &reason).await
        }
        .await,
    )
}

/// Support sets the severity.
#[server(endpoint = "change_severity")]
pub async fn change_severity(number: i64, severity: crate::domain::Severity, expected_version: i64) -> Result<Case, AppError> {
    use super::request;
    request::respond(
        async move {
            let state = request::state()?;
            let user = request::user(&state).await?;
            let number = crate::domain::CaseNumber(number);
            crate::backend::cases::change_severity(&state.store, &user, number, severity, expected_version).await
        }
        .await,
    )
}
