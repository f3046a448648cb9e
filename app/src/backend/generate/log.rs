//! A generated case as rows: its story dated from the opening (squeezed to end before the
//! moment of generation), cut short for the cases still open, with the SLA warnings and
//! breaches the sweeper would have written where the domain's clocks say so.

use jiff::{SignedDuration, Timestamp};

use super::dice::Dice;
use super::history::Story;
use super::roster::Roster;
use crate::backend::contracts::sla_events;
use crate::backend::store::bulk::{Cell, event_row};
use crate::domain::sla::{Contract, SlaClockKind, SlaClockState, SlaEventKind, clocks};
use crate::domain::{CaseChange, CaseEvent, CaseNumber, Severity, Status};
use crate::error::AppError;

/// Where a case goes in the dataset: its place, ids, number and opening.
#[derive(Clone, Copy, Debug)]
pub struct CaseSlot {
    /// 0 for the first case generated, then 1, 2… (with the seed, it decides the case).
    pub index: u64,
    pub id: i64,
    pub number: i64,
    pub first_event_id: i64,
    pub opened_at: Timestamp,
    /// Still open at `until` (not Closed).
    pub open: bool,
}

/// A case's row and its log's rows.
pub struct CaseRows {
    pub case: Vec<Cell>,
    pub events: Vec<Vec<Cell>>,
    pub status: Status,
}

/// The sweeper runs every 15 seconds: an SLA entry comes that long after its instant at most.
const SWEEP_SECS: i64 = 15;

/// Builds the case of `slot`, its history ending before `until`.
pub fn case_rows(roster: &Roster, seed: u64, slot: &CaseSlot, until: Timestamp) -> Result<CaseRows, AppError> {
    // The story draws from its own stream; the cut and the sweeper's delays from another.
    let mut dice = Dice::for_item(!seed, slot.index);
    let u = dice.unit();
    // Most cases are short; an open one is cut from a longer story, so it can stand anywhere.
    let target = if slot.open { 8 + dice.below(12) } else { 4 + (15.0 * u * u) as usize };
    let mut story = Story::open(roster, Dice::for_item(seed, slot.index), slot.opened_at);
    story.live(target, slot.opened_at);

    // An open case is cut after one of its writes before Closed, any of them.
    let mut last = story.writes.len() - 1;
    if slot.open {
        let before_closed = story.writes.iter().take_while(|w| w.status != Status::Closed).count().max(1);
        last = dice.below(before_closed);
    }
    let after = story.writes[last];
    story.entries.truncate(after.entries);

    // Squeezed (never stretched) so the last change comes a minute before `until` at the latest.
    let room = until.duration_since(slot.opened_at).as_secs() - 60;
    let scale = if after.offset > room { room.max(0) as f64 / after.offset as f64 } else { 1.0 };
    let at = |offset: i64| slot.opened_at + SignedDuration::from_secs((offset as f64 * scale) as i64);

    let mut actors = Vec::with_capacity(story.entries.len() + 4);
    let mut log = Vec::with_capacity(story.entries.len() + 4);
    for entry in story.entries.drain(..) {
        actors.push(entry.actor);
        log.push(CaseEvent {
            id: 0,
            case: CaseNumber(slot.number),
            at: at(entry.offset),
            actor: None,
            change: entry.change,
        });
    }
    // The sweeper looks at cases that are not Closed: until now, or until the case closed.
    let end = if slot.open { until } else { log.last().map_or(until, |e| e.at) - SignedDuration::from_secs(1) };
    let marks = sla_marks(&story.customer.contract, after.severity, slot.opened_at, &log, end);
    for (instant, change) in marks {
        let next = log.iter().map(|e| e.at).find(|t| *t > instant);
        let mut when = instant + SignedDuration::from_secs(dice.between(1, SWEEP_SECS));
        if let Some(next) = next.filter(|next| when >= *next) {
            when = instant + next.duration_since(instant) / 2;
        }
        let when = when.min(until);
        let position = log.partition_point(|e| e.at <= when);
        log.insert(position, CaseEvent { id: 0, case: CaseNumber(slot.number), at: when, actor: None, change });
        actors.insert(position, None);
    }

    let visible_writes = story.writes[1..=last].iter().filter(|w| w.visible).count() as i64;
    let updated = story.writes[..=last].iter().rev().find(|w| w.visible).map_or(0, |w| w.offset);
    let assignee_id = after.assignee.map(|i| roster.engineers[i].id);
    let mut events = Vec::with_capacity(log.len());
    for (k, (event, actor)) in log.iter().zip(actors).enumerate() {
        events.push(event_row(slot.first_event_id + k as i64, slot.id, actor, event.at, &event.change)?);
    }
    let case = vec![
        Cell::Int(slot.id),
        Cell::Int(slot.number),
        Cell::Int(story.customer.id),
        Cell::Int(story.reporter.id),
        Cell::Text(story.summary),
        Cell::Text(story.description),
        Cell::Word(story.kind.as_str()),
        Cell::Int(i64::from(after.severity.level())),
        Cell::Word(story.environment.as_str()),
        Cell::Word(story.visibility.as_str()),
        Cell::Word(story.product),
        Cell::Text(serde_json::to_string(&story.details).map_err(|_| AppError::Internal)?),
        Cell::Word(after.status.as_str()),
        Cell::Word(after.resolution.as_str()),
        Cell::Int(1 + visible_writes),
        Cell::Text(slot.opened_at.to_string()),
        Cell::Text(at(updated).to_string()),
        Cell::MaybeInt(assignee_id),
    ];
    Ok(CaseRows { case, events, status: after.status })
}

/// The SLA warnings and breaches the sweeper would have written on this log, each at the
/// instant it became due (the sweeper writes each once per clock). The clocks are those of
/// `clocks()`, as the sweeper computes them, looked at just before every change that can
/// stop or pause a clock and at `end`: in between a running clock only runs on.
fn sla_marks(
    contract: &Contract,
    severity: Severity,
    opened_at: Timestamp,
    log: &[CaseEvent],
    end: Timestamp,
) -> Vec<(Timestamp, CaseChange)> {
    let events = sla_events(log);
    let second = SignedDuration::from_secs(1);
    let mut looks: Vec<Timestamp> = events
        .iter()
        .filter(|e| matches!(e.kind, SlaEventKind::StatusChanged { .. } | SlaEventKind::SupportPublicReply))
        .map(|e| e.at - second)
        .filter(|t| *t > opened_at && *t < end)
        .collect();
    looks.push(end);
    looks.dedup();
    let mut warned: [Option<Timestamp>; 2] = [None, None];
    let mut breached: [Option<Timestamp>; 2] = [None, None];
    for look in looks {
        let mut settled = true;
        for clock in clocks(contract, severity, opened_at, &events, look) {
            let k = usize::from(clock.kind == SlaClockKind::Restore);
            if matches!(clock.state, SlaClockState::Running | SlaClockState::Breached) {
                settled = false;
                if let Some(w) = clock.warning_at.filter(|w| *w <= look) {
                    warned[k] = Some(warned[k].map_or(w, |seen| seen.min(w)));
                }
            }
            if clock.state == SlaClockState::Breached {
                if let Some(due) = clock.due {
                    breached[k].get_or_insert(due);
                }
            }
            // A clock without commitment may get one later (a severity change, an upgrade).
            settled &= matches!(clock.state, SlaClockState::Met { .. });
        }
        if settled {
            break;
        }
    }
    let mut marks = Vec::new();
    for (k, clock) in [SlaClockKind::InitialResponse, SlaClockKind::Restore].into_iter().enumerate() {
        if let Some(w) = warned[k] {
            marks.push((w, CaseChange::SlaWarning { clock }));
        }
        if let Some(due) = breached[k] {
            marks.push((due, CaseChange::SlaBreached { clock }));
        }
    }
    // The sweeper finds them in time order.
    marks.sort_by_key(|(t, _)| *t);
    marks
}
