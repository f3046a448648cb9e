//! SLA clocks: when a case's initial response and restore are due under its contract, how
//! much time is left, whether they were met, and an English account of why.

use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::calendar::{BusinessCalendar, BusinessSchedule, SteadySpan};
use super::case::Severity;
use super::lifecycle::Status;
use super::plan::{DurationWords, SlaTarget, SupportPlan};
use crate::error::AppError;

/// A change of plan at a date. Cloud Avenue: "il est possible de passer son niveau de
/// support à un niveau supérieur. La mise en place est effective immédiatement."
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChange {
    pub at: Timestamp,
    pub plan: SupportPlan,
}

/// What an organization's contract says, as stored and sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractTerms {
    pub plan: SupportPlan,
    /// Elastic: business hours "sont définies par l'emplacement de votre entreprise dans votre
    /// contrat d'assistance".
    pub calendar: BusinessCalendar,
    /// Later plans, each in force from its date.
    #[serde(default)]
    pub plan_changes: Vec<PlanChange>,
}

/// A validated support contract: the plan (and its dated changes) and the organization's
/// business calendar, resolved once for every clock computed under it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "ContractTerms", into = "ContractTerms")]
pub struct Contract {
    terms: ContractTerms,
    schedule: BusinessSchedule,
    calendar_text: String,
}

impl Contract {
    pub fn new(plan: SupportPlan, calendar: BusinessCalendar) -> Result<Contract, AppError> {
        Contract::from_terms(ContractTerms { plan, calendar, plan_changes: Vec::new() })
    }

    /// Checks the plans and the calendar; plan changes are kept in date order.
    pub fn from_terms(mut terms: ContractTerms) -> Result<Contract, AppError> {
        terms.plan.validate()?;
        for change in &terms.plan_changes {
            change.plan.validate()?;
        }
        terms.plan_changes.sort_by_key(|c| c.at);
        let schedule = terms.calendar.schedule()?;
        let calendar_text = terms.calendar.describe();
        Ok(Contract { terms, schedule, calendar_text })
    }

    /// The same contract with the organization on `plan` from `at`.
    pub fn with_plan_change(self, at: Timestamp, plan: SupportPlan) -> Result<Contract, AppError> {
        let mut terms = self.terms;
        terms.plan_changes.push(PlanChange { at, plan });
        Contract::from_terms(terms)
    }

    pub fn terms(&self) -> &ContractTerms {
        &self.terms
    }

    /// The first plan of the contract.
    pub fn plan(&self) -> &SupportPlan {
        &self.terms.plan
    }

    pub fn calendar(&self) -> &BusinessCalendar {
        &self.terms.calendar
    }

    pub fn schedule(&self) -> &BusinessSchedule {
        &self.schedule
    }

    /// The plan in force at `t`: the last change dated at or before it.
    pub fn plan_at(&self, t: Timestamp) -> &SupportPlan {
        self.terms.plan_changes.iter().rev().find(|c| c.at <= t).map_or(&self.terms.plan, |c| &c.plan)
    }
}

impl TryFrom<ContractTerms> for Contract {
    type Error = AppError;
    fn try_from(terms: ContractTerms) -> Result<Contract, AppError> {
        Contract::from_terms(terms)
    }
}

impl From<Contract> for ContractTerms {
    fn from(contract: Contract) -> ContractTerms {
        contract.terms
    }
}

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
}

/// The two promises a plan can make about a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaClockKind {
    /// Elastic's "temps de réponse initial": met by support's first public reply.
    InitialResponse,
    /// Cloud Avenue's "GTR ticket P1": met when the case is Resolved (or Closed).
    Restore,
}

impl SlaClockKind {
    fn words(self) -> &'static str {
        match self {
            SlaClockKind::InitialResponse => "initial response",
            SlaClockKind::Restore => "restore time",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SlaClockState {
    /// Counting towards `due`.
    Running,
    /// Stopped while the case waits on the customer (status Feedback, no reply yet).
    Paused,
    /// Stopped at `at`; `in_time` unless the due time had passed.
    Met { at: Timestamp, in_time: bool },
    /// The due time passed and the clock was not met.
    Breached,
    /// The plan makes no such commitment for this severity (Elastic Limited, Coveo, ...).
    NoCommitment,
}

/// One SLA clock of one case at one instant, with its reasons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaClock {
    pub kind: SlaClockKind,
    pub state: SlaClockState,
    /// When the clock runs out; `None` while paused or without commitment. For a breached
    /// clock, the due time that passed.
    pub due: Option<Timestamp>,
    /// Time left at `now` (at the meeting instant for a met clock), in business time for
    /// business targets and real time for 24x7 ones; negative once breached.
    pub remaining: Option<SignedDuration>,
    /// The target in force (after any plan change).
    pub target: Option<SlaTarget>,
    /// Id of the plan whose target is in force.
    pub plan_id: String,
    /// Real time spent paused while waiting on the customer.
    pub paused_total: SignedDuration,
    /// When 80% of the target is (or was) used up; running and breached clocks only.
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

/// Both clocks of a case, initial response then restore, as they stand at `now`. Events
/// are in time order; those after `now` are ignored.
pub fn clocks(
    contract: &Contract,
    severity: Severity,
    opened_at: Timestamp,
    events: &[SlaEvent],
    now: Timestamp,
) -> Vec<SlaClock> {
    vec![
        clock(contract, SlaClockKind::InitialResponse, severity, opened_at, events, now),
        clock(contract, SlaClockKind::Restore, severity, opened_at, events, now),
    ]
}

/// One clock of a case at `now`. Rules: the clock starts when the case is opened (business
/// targets count from the next business window); it pauses while the status is Feedback if
/// the plan says so, and resumes on a customer reply or when the status leaves Feedback;
/// the initial response is met by the first support public reply (internal notes never
/// count), the restore by status Resolved or Closed; a plan change applies at once, and
/// the clock takes whichever of the old and new targets falls due first from then on.
pub fn clock(
    contract: &Contract,
    kind: SlaClockKind,
    severity: Severity,
    opened_at: Timestamp,
    events: &[SlaEvent],
    now: Timestamp,
) -> SlaClock {
    // `severity` is the case's present one; it was opened with the first change's `from`.
    let opened_with = events
        .iter()
        .find_map(|e| match e.kind {
            SlaEventKind::SeverityChanged { from, .. } => Some(from),
            _ => None,
        })
        .unwrap_or(severity);
    let mut tracker = Tracker::start(contract, kind, opened_with, opened_at);
    let mut changes = contract.terms.plan_changes.iter().filter(|c| c.at > opened_at).peekable();
    let mut last = opened_at;
    for event in events {
        let at = event.at.max(last);
        if at > now || tracker.met.is_some() {
            break;
        }
        while let Some(change) = changes.next_if(|c| c.at <= at) {
            tracker.change_plan(change.at, &change.plan);
        }
        tracker.apply(at, event.kind);
        last = at;
    }
    if tracker.met.is_none() {
        for change in changes.take_while(|c| c.at <= now) {
            tracker.change_plan(change.at, &change.plan);
        }
    }
    tracker.finish(now)
}

/// An instant in words, in the contract's zone: `2024-03-05 11:00 Europe/Paris`.
struct TimeWords<'z> {
    civil: jiff::civil::DateTime,
    zone: &'z str,
}

impl std::fmt::Display for TimeWords<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.civil;
        write!(f, "{:04}-{:02}-{:02} {:02}:{:02} {}", c.year(), c.month(), c.day(), c.hour(), c.minute(), self.zone)
    }
}

/// A target in force: the plan it comes from and the amount of time it allows.
#[derive(Clone, Copy)]
struct Term<'a> {
    plan: &'a SupportPlan,
    target: SlaTarget,
    budget: SignedDuration,
}

/// The clock's state machine, walked event by event.
struct Tracker<'a> {
    contract: &'a Contract,
    opened_at: Timestamp,
    /// Found on the first business-time computation and shared by the others.
    span: std::cell::Cell<Option<SteadySpan>>,
    kind: SlaClockKind,
    severity: Severity,
    /// The latest plan: it decides whether Feedback pauses.
    plan: &'a SupportPlan,
    term: Option<Term<'a>>,
    /// Time left as of `since`, in the term's measure.
    remaining: SignedDuration,
    since: Timestamp,
    running: bool,
    due: Option<Timestamp>,
    breached_at: Option<Timestamp>,
    warned_at: Option<Timestamp>,
    status: Status,
    awaiting_customer: bool,
    paused_since: Option<Timestamp>,
    paused_total: SignedDuration,
    met: Option<(Timestamp, bool)>,
    remaining_at_met: Option<SignedDuration>,
    notes: Vec<String>,
}

impl<'a> Tracker<'a> {
    fn start(contract: &'a Contract, kind: SlaClockKind, severity: Severity, opened_at: Timestamp) -> Tracker<'a> {
        let plan = contract.plan_at(opened_at);
        let mut tracker = Tracker {
            contract,
            opened_at,
            span: std::cell::Cell::new(None),
            kind,
            severity,
            plan,
            term: None,
            remaining: SignedDuration::ZERO,
            since: opened_at,
            running: true,
            due: None,
            breached_at: None,
            warned_at: None,
            status: Status::New,
            awaiting_customer: false,
            paused_since: None,
            paused_total: SignedDuration::ZERO,
            met: None,
            remaining_at_met: None,
            notes: Vec::new(),
        };
        tracker.term = tracker.term_on(plan);
        tracker.remaining = tracker.term.map_or(SignedDuration::ZERO, |t| t.budget);
        tracker.refresh();
        tracker
    }

    fn term_on(&self, plan: &'a SupportPlan) -> Option<Term<'a>> {
        let target = match self.kind {
            SlaClockKind::InitialResponse => plan.initial_response_target(self.severity),
            SlaClockKind::Restore => plan.restore_target(self.severity),
        }?;
        plan.check_severity(self.severity).ok()?;
        Some(Term { plan, target, budget: target.budget(self.contract.schedule.working_time_per_day()) })
    }

    fn span(&self) -> SteadySpan {
        self.span.get().unwrap_or_else(|| {
            let span = self.contract.schedule.span_for(self.opened_at);
            self.span.set(Some(span));
            span
        })
    }

    fn add(&self, term: Term<'_>, t: Timestamp, d: SignedDuration) -> Timestamp {
        if term.target.counts_business_time() {
            self.contract.schedule.add_near(&self.span(), t, d)
        } else {
            t.checked_add(d).unwrap_or(Timestamp::MAX)
        }
    }

    fn between(&self, term: Term<'_>, a: Timestamp, b: Timestamp) -> SignedDuration {
        if term.target.counts_business_time() {
            self.contract.schedule.between_near(&self.span(), a, b)
        } else {
            b.duration_since(a)
        }
    }

    /// Recomputes the due instant after `since`, `remaining` or `running` changed.
    fn refresh(&mut self) {
        self.due = match self.term {
            Some(term) if self.running && self.breached_at.is_none() => {
                Some(self.add(term, self.since, self.remaining))
            }
            _ => None,
        };
    }

    /// A breach that happened before `t` is a fact, whatever comes next.
    fn observe(&mut self, t: Timestamp) {
        if let Some(due) = self.due.filter(|due| *due < t) {
            self.breached_at.get_or_insert(due);
        }
    }

    /// Brings `remaining` up to `t`, noting when 80% of the target was used up on the way.
    fn settle(&mut self, t: Timestamp) {
        self.observe(t);
        if let Some(term) = self.term.filter(|_| self.running) {
            let before = self.remaining;
            self.remaining -= self.between(term, self.since, t);
            let threshold = term.budget / 5;
            if before > threshold && self.remaining <= threshold && self.warned_at.is_none() {
                self.warned_at = Some(self.add(term, self.since, before - threshold));
            }
            self.since = t;
        }
    }

    /// When 80% of the target is used up: noted on the way, or still ahead of a running clock.
    fn warning(&self) -> Option<Timestamp> {
        let term = self.term?;
        self.warned_at.or_else(|| {
            let to_warning = (self.remaining - term.budget / 5).max(SignedDuration::ZERO);
            self.running.then(|| self.add(term, self.since, to_warning))
        })
    }

    fn pause(&mut self, t: Timestamp) {
        self.settle(t);
        self.running = false;
        self.paused_since = Some(t);
        self.refresh();
    }

    fn resume(&mut self, t: Timestamp) {
        if let Some(from) = self.paused_since.take() {
            self.paused_total += t.duration_since(from);
        }
        self.running = true;
        self.since = t;
        self.refresh();
    }

    /// Pauses or resumes to follow the Feedback rule after an event at `t`.
    fn follow_feedback_rule(&mut self, t: Timestamp) {
        let paused = self.status == Status::Feedback && self.awaiting_customer && self.plan.pauses_in_feedback;
        if paused && self.running {
            self.pause(t);
        } else if !paused && !self.running {
            self.resume(t);
        }
    }

    fn apply(&mut self, at: Timestamp, kind: SlaEventKind) {
        match kind {
            SlaEventKind::SupportPublicReply if self.kind == SlaClockKind::InitialResponse => self.meet(at),
            SlaEventKind::SupportPublicReply | SlaEventKind::InternalNote => {}
            SlaEventKind::CustomerReply => self.awaiting_customer = false,
            SlaEventKind::StatusChanged { to } => {
                self.status = to;
                self.awaiting_customer = to == Status::Feedback;
                if self.kind == SlaClockKind::Restore && matches!(to, Status::Resolved | Status::Closed) {
                    self.meet(at);
                }
            }
            SlaEventKind::SeverityChanged { to, .. } => self.change_severity(at, to),
        }
        if self.met.is_none() {
            self.follow_feedback_rule(at);
        }
    }

    fn meet(&mut self, t: Timestamp) {
        self.settle(t);
        if let Some(from) = self.paused_since.take() {
            self.paused_total += t.duration_since(from);
        }
        self.met = Some((t, self.breached_at.is_none()));
        self.remaining_at_met = Some(self.remaining);
    }

    fn change_plan(&mut self, t: Timestamp, plan: &'a SupportPlan) {
        self.settle(t);
        self.plan = plan;
        let new = self.term_on(plan);
        let what = format!("plan changed to {}", plan.name);
        self.retarget(t, new, &what, &format!("upgraded from {}", self.term.map_or("", |o| o.plan.name.as_str())));
        self.follow_feedback_rule(t);
    }

    /// A new severity from `t`: its target if that falls due first.
    fn change_severity(&mut self, t: Timestamp, to: Severity) {
        if self.met.is_some() || to == self.severity {
            return;
        }
        self.settle(t);
        self.severity = to;
        let new = self.term_on(self.plan);
        let what = format!("severity changed to {}", to.level());
        self.retarget(t, new, &what, &format!("severity raised to {}", to.level()));
        self.follow_feedback_rule(t);
    }

    /// Takes the new term from `t` when it falls due before the present one; explains either way.
    fn retarget(&mut self, t: Timestamp, new: Option<Term<'a>>, what: &str, sooner: &str) {
        let when = self.time_words(t);
        if self.breached_at.is_some() {
            self.notes.push(format!("{what} on {when}, after the breach"));
            return;
        }
        match (self.term, new) {
            (None, None) => self.notes.push(format!("{what} on {when}, still without commitment")),
            (None, Some(new)) => {
                self.adopt(t, new);
                self.notes.push(format!("{what} on {when}: {} from then", new.target));
            }
            (Some(_), None) => {
                self.notes.push(format!("{what} on {when}, which makes no such commitment; the earlier target stands"));
            }
            (Some(old), Some(new)) => {
                let old_due = self.add(old, t, self.remaining);
                let new_due = self.add(new, t, new.budget);
                if new_due < old_due {
                    self.adopt(t, new);
                    let moved = if self.running {
                        format!(", due moved from {} to {}", self.time_words(old_due), self.time_words(new_due))
                    } else {
                        String::new()
                    };
                    self.notes.push(format!("{sooner} on {when}{moved}"));
                } else {
                    self.notes.push(format!("{what} on {when}; the earlier due time stands"));
                }
            }
        }
    }

    fn adopt(&mut self, t: Timestamp, term: Term<'a>) {
        self.term = Some(term);
        self.remaining = term.budget;
        self.since = t;
        self.warned_at = None;
        self.refresh();
    }

    /// `2024-03-05 11:00 Europe/Paris`: an instant in the contract's zone.
    fn time_words(&self, t: Timestamp) -> TimeWords<'a> {
        TimeWords {
            civil: self.contract.schedule.time_zone().to_datetime(t),
            zone: self.contract.calendar().time_zone.trim(),
        }
    }

    fn finish(mut self, now: Timestamp) -> SlaClock {
        let end = self.met.map_or(now, |(at, _)| at);
        self.observe(end);
        let mut paused_total = self.paused_total;
        if let Some(from) = self.paused_since {
            paused_total += end.duration_since(from);
        }
        let plan_id = self.term.map_or_else(|| self.plan.id.clone(), |t| t.plan.id.clone());
        let Some(term) = self.term else {
            return SlaClock {
                kind: self.kind,
                state: SlaClockState::NoCommitment,
                due: None,
                remaining: None,
                target: None,
                plan_id,
                paused_total,
                warning_at: None,
                explanation: self.explain_no_commitment(),
            };
        };
        let due = self.breached_at.or(self.due);
        let (state, remaining, warning) = match self.met {
            Some((at, in_time)) => {
                let remaining = match due {
                    Some(due) => self.between(term, at, due),
                    None => self.remaining_at_met.unwrap_or(self.remaining),
                };
                (SlaClockState::Met { at, in_time }, remaining, None)
            }
            None if self.breached_at.is_some() => {
                let due = self.breached_at.unwrap_or(now);
                (SlaClockState::Breached, self.between(term, now, due), self.warning())
            }
            None if !self.running => (SlaClockState::Paused, self.remaining, None),
            None => {
                let remaining = due.map_or(self.remaining, |due| self.between(term, now, due));
                (SlaClockState::Running, remaining, self.warning())
            }
        };

        let mut explanation = String::with_capacity(160);
        let _ = write!(explanation, "{} on {}", term.target, term.plan.name);
        if term.target.counts_business_time() {
            explanation.push_str(", calendar ");
            explanation.push_str(&self.contract.calendar_text);
        }
        for note in &self.notes {
            explanation.push_str("; ");
            explanation.push_str(note);
        }
        if paused_total.is_positive() {
            let _ = write!(explanation, "; paused {} while waiting on the customer", DurationWords(paused_total));
        }
        let _ = match (state, due) {
            (SlaClockState::Met { at, in_time: true }, _) => write!(explanation, "; met on {}", self.time_words(at)),
            (SlaClockState::Met { at, in_time: false }, Some(due)) => {
                write!(explanation, "; met late on {}, due {}", self.time_words(at), self.time_words(due))
            }
            (SlaClockState::Met { at, in_time: false }, None) => {
                write!(explanation, "; met late on {}", self.time_words(at))
            }
            (SlaClockState::Breached, Some(due)) => write!(explanation, "; breached since {}", self.time_words(due)),
            (SlaClockState::Paused, _) => write!(explanation, "; paused now"),
            _ => Ok(()),
        };

        SlaClock {
            kind: self.kind,
            state,
            due: if state == SlaClockState::Paused { None } else { due },
            remaining: Some(remaining),
            target: Some(term.target),
            plan_id,
            paused_total,
            warning_at: warning,
            explanation,
        }
    }

    fn explain_no_commitment(&self) -> String {
        let plan = self.plan;
        let level = self.severity.level();
        let mut text = match plan.check_severity(self.severity) {
            Err(_) => format!("severity {level} is not offered on {}", plan.name),
            Ok(()) => format!(
                "no {} commitment for {} on {}",
                self.kind.words(),
                plan.label(self.severity).unwrap_or("this severity"),
                plan.name
            ),
        };
        for note in &self.notes {
            text.push_str("; ");
            text.push_str(note);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Severity::{Development, High, Normal, Urgent};
    use jiff::tz::TimeZone;

    const PARIS: &str = "Europe/Paris";

    fn at(zone: &str, civil: &str) -> Timestamp {
        let civil: jiff::civil::DateTime = civil.parse().unwrap();
        TimeZone::get(zone).unwrap().to_timestamp(civil).unwrap()
    }

    fn paris(civil: &str) -> Timestamp {
        at(PARIS, civil)
    }

    fn contract(plan_id: &str) -> Contract {
        let plan = SupportPlan::preset(plan_id).unwrap();
        let calendar = plan.calendar.clone();
        Contract::new(plan, calendar).unwrap()
    }

    fn initial(plan_id: &str, severity: Severity, opened: Timestamp, events: &[SlaEvent], now: Timestamp) -> SlaClock {
        clock(&contract(plan_id), SlaClockKind::InitialResponse, severity, opened, events, now)
    }

    fn restore(plan_id: &str, severity: Severity, opened: Timestamp, events: &[SlaEvent], now: Timestamp) -> SlaClock {
        clock(&contract(plan_id), SlaClockKind::Restore, severity, opened, events, now)
    }

    /// A case opened on Friday 8 March 2024 at 16:00 in Paris, seen a minute later.
    fn friday_four_pm() -> Timestamp {
        paris("2024-03-08T16:00")
    }

    /// The initial response due time of a case opened on Friday 16:00 Paris, or `None`
    /// with no commitment.
    fn initial_due(plan_id: &str, severity: Severity) -> Option<Timestamp> {
        let opened = friday_four_pm();
        let clock = initial(plan_id, severity, opened, &[], opened + SignedDuration::from_mins(1));
        match clock.state {
            SlaClockState::Running => clock.due,
            SlaClockState::NoCommitment => None,
            other => panic!("unexpected state {other:?}"),
        }
    }

    fn not_offered(plan_id: &str, severity: Severity) -> bool {
        SupportPlan::preset(plan_id).unwrap().check_severity(severity).is_err()
    }

    // Friday 16:00 + 30 min / 1 h / 4 h of real time; + 4 business hours = Monday 11:00;
    // + 1 business day (9 h) = Monday 16:00; + 2 business days = Tuesday 16:00.
    fn half_an_hour_later() -> Option<Timestamp> {
        Some(paris("2024-03-08T16:30"))
    }
    fn one_hour_later() -> Option<Timestamp> {
        Some(paris("2024-03-08T17:00"))
    }
    fn four_hours_later() -> Option<Timestamp> {
        Some(paris("2024-03-08T20:00"))
    }
    fn four_business_hours_later() -> Option<Timestamp> {
        Some(paris("2024-03-11T11:00"))
    }
    fn one_business_day_later() -> Option<Timestamp> {
        Some(paris("2024-03-11T16:00"))
    }
    fn two_business_days_later() -> Option<Timestamp> {
        Some(paris("2024-03-12T16:00"))
    }

    macro_rules! cell {
        ($name:ident: $plan:literal, $severity:expr => not offered) => {
            #[test]
            fn $name() {
                assert!(not_offered($plan, $severity));
                let opened = friday_four_pm();
                let clock = initial($plan, $severity, opened, &[], opened);
                assert_eq!(clock.state, SlaClockState::NoCommitment);
                assert!(clock.explanation.contains("is not offered"), "{}", clock.explanation);
            }
        };
        ($name:ident: $plan:literal, $severity:expr => $expected:expr) => {
            #[test]
            fn $name() {
                assert_eq!(initial_due($plan, $severity), $expected);
            }
        };
    }

    // Elastic cloud.
    cell!(urgent_case_on_elastic_cloud_premium_is_due_30_minutes_later_24x7: "elastic-cloud-premium", Urgent => half_an_hour_later());
    cell!(high_case_on_elastic_cloud_premium_is_due_four_hours_later_24x7: "elastic-cloud-premium", High => four_hours_later());
    cell!(normal_case_on_elastic_cloud_premium_is_due_one_business_day_later: "elastic-cloud-premium", Normal => one_business_day_later());
    cell!(urgent_case_on_elastic_cloud_enhanced_is_due_one_hour_later_24x7: "elastic-cloud-enhanced", Urgent => one_hour_later());
    cell!(high_case_on_elastic_cloud_enhanced_is_due_four_hours_later_24x7: "elastic-cloud-enhanced", High => four_hours_later());
    cell!(normal_case_on_elastic_cloud_enhanced_is_due_one_business_day_later: "elastic-cloud-enhanced", Normal => one_business_day_later());
    cell!(urgent_case_on_elastic_cloud_basic_is_due_four_business_hours_later: "elastic-cloud-basic", Urgent => four_business_hours_later());
    cell!(high_case_on_elastic_cloud_basic_is_due_one_business_day_later: "elastic-cloud-basic", High => one_business_day_later());
    cell!(normal_case_on_elastic_cloud_basic_is_due_two_business_days_later: "elastic-cloud-basic", Normal => two_business_days_later());
    cell!(urgent_case_on_elastic_cloud_limited_has_no_commitment: "elastic-cloud-limited", Urgent => None);
    cell!(high_case_on_elastic_cloud_limited_has_no_commitment: "elastic-cloud-limited", High => None);
    cell!(normal_case_on_elastic_cloud_limited_has_no_commitment: "elastic-cloud-limited", Normal => None);

    // Elastic self-managed.
    cell!(urgent_case_on_elastic_enterprise_is_due_one_hour_later_24x7: "elastic-sm-enterprise", Urgent => one_hour_later());
    cell!(high_case_on_elastic_enterprise_is_due_four_hours_later_24x7: "elastic-sm-enterprise", High => four_hours_later());
    cell!(normal_case_on_elastic_enterprise_is_due_one_business_day_later: "elastic-sm-enterprise", Normal => one_business_day_later());
    cell!(development_case_is_not_offered_on_elastic_enterprise: "elastic-sm-enterprise", Development => not offered);
    cell!(urgent_case_on_elastic_platinum_is_due_one_hour_later_24x7: "elastic-sm-platinum", Urgent => one_hour_later());
    cell!(high_case_on_elastic_platinum_is_due_four_hours_later_24x7: "elastic-sm-platinum", High => four_hours_later());
    cell!(normal_case_on_elastic_platinum_is_due_one_business_day_later: "elastic-sm-platinum", Normal => one_business_day_later());
    cell!(development_case_is_not_offered_on_elastic_platinum: "elastic-sm-platinum", Development => not offered);
    cell!(urgent_case_on_elastic_gold_is_due_four_business_hours_later: "elastic-sm-gold", Urgent => four_business_hours_later());
    cell!(high_case_on_elastic_gold_is_due_one_business_day_later: "elastic-sm-gold", High => one_business_day_later());
    cell!(normal_case_on_elastic_gold_is_due_two_business_days_later: "elastic-sm-gold", Normal => two_business_days_later());
    cell!(development_case_is_not_offered_on_elastic_gold: "elastic-sm-gold", Development => not offered);
    cell!(urgent_case_is_not_offered_on_elastic_development: "elastic-sm-development", Urgent => not offered);
    cell!(high_case_is_not_offered_on_elastic_development: "elastic-sm-development", High => not offered);
    cell!(normal_case_is_not_offered_on_elastic_development: "elastic-sm-development", Normal => not offered);
    cell!(development_case_on_elastic_development_is_due_two_business_days_later: "elastic-sm-development", Development => two_business_days_later());

    // Coveo: a calendar and severities, no time commitment.
    cell!(critical_case_on_coveo_has_no_time_commitment: "coveo", Urgent => None);
    cell!(major_case_on_coveo_has_no_time_commitment: "coveo", High => None);
    cell!(minor_case_on_coveo_has_no_time_commitment: "coveo", Normal => None);

    // Cloud Avenue: no initial response time; the P1 restore time (GTR).
    cell!(p1_case_on_cloud_avenue_gold_has_no_initial_response_time: "cloud-avenue-gold", Urgent => None);
    cell!(p1_case_on_cloud_avenue_standard_has_no_initial_response_time: "cloud-avenue-standard", Urgent => None);

    fn restore_due(plan_id: &str) -> Option<Timestamp> {
        // Received 24x7: a P1 opened on Sunday at 03:00 starts its restore clock at once.
        let opened = paris("2024-03-10T03:00");
        restore(plan_id, Urgent, opened, &[], opened).due
    }

    #[test]
    fn p1_case_on_cloud_avenue_standard_has_no_guaranteed_restore_time() {
        assert_eq!(restore_due("cloud-avenue-standard"), None);
        let opened = paris("2024-03-10T03:00");
        let clock = restore("cloud-avenue-standard", Urgent, opened, &[], opened);
        assert_eq!(clock.state, SlaClockState::NoCommitment);
        assert_eq!(clock.explanation, "no restore time commitment for P1 on Cloud Avenue Standard");
    }

    #[test]
    fn p1_case_on_cloud_avenue_bronze_is_restored_within_8_hours_around_the_clock() {
        assert_eq!(restore_due("cloud-avenue-bronze"), Some(paris("2024-03-10T11:00")));
    }

    #[test]
    fn p1_case_on_cloud_avenue_silver_is_restored_within_8_hours_around_the_clock() {
        assert_eq!(restore_due("cloud-avenue-silver"), Some(paris("2024-03-10T11:00")));
    }

    #[test]
    fn p1_case_on_cloud_avenue_gold_is_restored_within_4_hours_around_the_clock() {
        assert_eq!(restore_due("cloud-avenue-gold"), Some(paris("2024-03-10T07:00")));
    }

    #[test]
    fn only_p1_has_a_restore_time_on_cloud_avenue() {
        let opened = paris("2024-03-10T03:00");
        assert_eq!(restore("cloud-avenue-gold", High, opened, &[], opened).state, SlaClockState::NoCommitment);
        assert_eq!(restore("elastic-cloud-premium", Urgent, opened, &[], opened).state, SlaClockState::NoCommitment);
    }

    // --- the rules ---

    #[test]
    fn clocks_returns_the_initial_response_then_the_restore() {
        let opened = paris("2024-03-05T10:00");
        let both = clocks(&contract("cloud-avenue-gold"), Urgent, opened, &[], opened);
        assert_eq!(
            both.iter().map(|c| c.kind).collect::<Vec<_>>(),
            [SlaClockKind::InitialResponse, SlaClockKind::Restore]
        );
        assert_eq!(both[0].state, SlaClockState::NoCommitment);
        assert_eq!(both[1].state, SlaClockState::Running);
    }

    #[test]
    fn a_business_target_explains_itself_with_plan_and_calendar() {
        let opened = paris("2024-03-05T10:00");
        let clock = initial("elastic-cloud-basic", Urgent, opened, &[], paris("2024-03-05T11:00"));
        assert_eq!(clock.due, Some(paris("2024-03-05T14:00")));
        assert_eq!(clock.remaining, Some(SignedDuration::from_hours(3)));
        assert_eq!(clock.target, Some(SlaTarget::BusinessHours(4)));
        assert_eq!(
            clock.explanation,
            "4 business hours on Elastic cloud Basic, calendar Europe/Paris 09:00-18:00 Mon-Fri"
        );
    }

    #[test]
    fn one_business_day_from_tuesday_ten_is_wednesday_ten() {
        let clock = initial("elastic-cloud-premium", Normal, paris("2024-03-05T10:00"), &[], paris("2024-03-05T10:00"));
        assert_eq!(clock.due, Some(paris("2024-03-06T10:00")));
    }

    #[test]
    fn a_business_target_opened_at_night_starts_counting_at_the_next_window() {
        let clock = initial("elastic-cloud-basic", Urgent, paris("2024-03-05T22:00"), &[], paris("2024-03-05T23:00"));
        assert_eq!(clock.due, Some(paris("2024-03-06T13:00")));
        assert_eq!(clock.remaining, Some(SignedDuration::from_hours(4)));
    }

    #[test]
    fn the_organizations_calendar_counts_not_the_plans_default() {
        let plan = SupportPlan::preset("elastic-cloud-basic").unwrap();
        let shanghai = Contract::new(plan, BusinessCalendar::office_hours("Asia/Shanghai")).unwrap();
        let opened = at("Asia/Shanghai", "2024-03-04T17:00");
        let clock = clock(&shanghai, SlaClockKind::InitialResponse, Urgent, opened, &[], opened);
        assert_eq!(clock.due, Some(at("Asia/Shanghai", "2024-03-05T12:00")));
        assert!(clock.explanation.ends_with("calendar Asia/Shanghai 09:00-18:00 Mon-Fri"), "{}", clock.explanation);
    }

    #[test]
    fn the_first_public_reply_meets_the_initial_response_in_time() {
        let opened = paris("2024-03-05T10:00");
        let events =
            [SlaEvent::support_reply(paris("2024-03-05T10:20")), SlaEvent::support_reply(paris("2024-03-05T11:00"))];
        let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T12:00"));
        assert_eq!(clock.state, SlaClockState::Met { at: paris("2024-03-05T10:20"), in_time: true });
        assert_eq!(clock.remaining, Some(SignedDuration::from_mins(10)));
        assert_eq!(warning_at(&clock), None);
    }

    #[test]
    fn an_internal_note_does_not_meet_the_response_clock() {
        let opened = paris("2024-03-05T10:00");
        let events = [SlaEvent::internal_note(paris("2024-03-05T10:05"))];
        let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:10"));
        assert_eq!(clock.state, SlaClockState::Running);
        assert_eq!(clock.remaining, Some(SignedDuration::from_mins(20)));
        let later = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:31"));
        assert_eq!(later.state, SlaClockState::Breached);
    }

    #[test]
    fn a_reply_after_the_due_time_meets_the_clock_late() {
        let opened = paris("2024-03-05T10:00");
        let events = [SlaEvent::support_reply(paris("2024-03-05T10:45"))];
        let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T12:00"));
        assert_eq!(clock.state, SlaClockState::Met { at: paris("2024-03-05T10:45"), in_time: false });
        assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
        assert_eq!(clock.remaining, Some(-SignedDuration::from_mins(15)));
        assert!(clock.explanation.contains("met late on 2024-03-05 10:45 Europe/Paris"), "{}", clock.explanation);
    }

    #[test]
    fn a_reply_exactly_at_the_due_time_is_in_time() {
        let opened = paris("2024-03-05T10:00");
        let events = [SlaEvent::support_reply(paris("2024-03-05T10:30"))];
        let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T12:00"));
        assert_eq!(clock.state, SlaClockState::Met { at: paris("2024-03-05T10:30"), in_time: true });
    }

    #[test]
    fn an_unanswered_clock_past_its_due_time_is_breached_with_negative_time_left() {
        let opened = paris("2024-03-05T10:00");
        let clock = initial("elastic-cloud-premium", Urgent, opened, &[], paris("2024-03-05T11:00"));
        assert_eq!(clock.state, SlaClockState::Breached);
        assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
        assert_eq!(clock.remaining, Some(-SignedDuration::from_mins(30)));
        assert!(clock.explanation.ends_with("; breached since 2024-03-05 10:30 Europe/Paris"), "{}", clock.explanation);
        // At the due instant itself it still runs.
        let on_time = initial("elastic-cloud-premium", Urgent, opened, &[], paris("2024-03-05T10:30"));
        assert_eq!(on_time.state, SlaClockState::Running);
    }

    #[test]
    fn a_breached_business_clock_counts_overdue_business_time() {
        let opened = paris("2024-03-05T10:00");
        let clock = initial("elastic-cloud-basic", Urgent, opened, &[], paris("2024-03-06T10:00"));
        assert_eq!(clock.state, SlaClockState::Breached);
        assert_eq!(clock.remaining, Some(-SignedDuration::from_hours(5)));
    }

    #[test]
    fn the_warning_comes_at_80_percent_of_the_target() {
        let opened = paris("2024-03-05T10:00");
        let clock = initial("elastic-cloud-premium", Urgent, opened, &[], opened);
        assert_eq!(warning_at(&clock), Some(paris("2024-03-05T10:24")));
        // 80% of 4 business hours from Tuesday 16:00 is 3 h 12 min: Wednesday 10:12.
        let clock = initial("elastic-cloud-basic", Urgent, paris("2024-03-05T16:00"), &[], paris("2024-03-05T16:00"));
        assert_eq!(warning_at(&clock), Some(paris("2024-03-06T10:12")));
        // Once passed, it stays where it was.
        let late = initial("elastic-cloud-premium", Urgent, opened, &[], paris("2024-03-05T11:00"));
        assert_eq!(warning_at(&late), Some(paris("2024-03-05T10:24")));
    }

    #[test]
    fn feedback_pauses_the_clock_and_a_customer_reply_resumes_it() {
        let opened = paris("2024-03-05T10:00");
        let events = [
            SlaEvent::status(paris("2024-03-05T11:00"), Status::Feedback),
            SlaEvent::customer_reply(paris("2024-03-05T13:10")),
        ];
        // 2 business days (18 h) from Tuesday 10:00 is Thursday 10:00; paused 2 h 10 min.
        let clock = initial("elastic-cloud-basic", Normal, opened, &events, paris("2024-03-05T14:00"));
        assert_eq!(clock.state, SlaClockState::Running);
        assert_eq!(clock.due, Some(paris("2024-03-07T12:10")));
        assert_eq!(clock.paused_total, SignedDuration::from_mins(130));
        assert_eq!(
            clock.explanation,
            "2 business days on Elastic cloud Basic, calendar Europe/Paris 09:00-18:00 Mon-Fri; \
             paused 2 h 10 min while waiting on the customer"
        );
    }

    #[test]
    fn a_paused_clock_has_no_due_time_and_keeps_its_time_left() {
        let opened = paris("2024-03-05T10:00");
        let events = [SlaEvent::status(paris("2024-03-05T11:00"), Status::Feedback)];
        let clock = initial("elastic-cloud-basic", Normal, opened, &events, paris("2024-03-06T15:00"));
        assert_eq!(clock.state, SlaClockState::Paused);
        assert_eq!(clock.due, None);
        assert_eq!(clock.remaining, Some(SignedDuration::from_hours(17)));
        assert_eq!(clock.paused_total, SignedDuration::from_hours(28));
        assert_eq!(warning_at(&clock), None);
    }

    #[test]
    fn leaving_feedback_resumes_the_clock() {
        let opened = paris("2024-03-05T10:00");
        let events = [
            SlaEvent::status(paris("2024-03-05T10:10"), Status::Feedback),
            SlaEvent::status(paris("2024-03-05T10:40"), Status::Assigned),
        ];
        let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:41"));
        assert_eq!(clock.state, SlaClockState::Running);
        assert_eq!(clock.due, Some(paris("2024-03-05T11:00")));
        assert_eq!(clock.paused_total, SignedDuration::from_mins(30));
    }

    #[test]
    fn a_second_feedback_request_pauses_again_after_a_customer_reply() {
        let opened = paris("2024-03-05T10:00");
        let events = [
            SlaEvent::status(paris("2024-03-05T10:10"), Status::Feedback),
            SlaEvent::customer_reply(paris("2024-03-05T10:20")),
            SlaEvent::status(paris("2024-03-05T10:25"), Status::Feedback),
            SlaEvent::customer_reply(paris("2024-03-05T10:45")),
        ];
        let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:46"));
        assert_eq!(clock.paused_total, SignedDuration::from_mins(30));
        assert_eq!(clock.due, Some(paris("2024-03-05T11:00")));
    }

    #[test]
    fn a_plan_that_does_not_pause_in_feedback_keeps_counting() {
        let mut plan = SupportPlan::preset("elastic-cloud-premium").unwrap();
        plan.pauses_in_feedback = false;
        let contract = Contract::new(plan, BusinessCalendar::office_hours(PARIS)).unwrap();
        let opened = paris("2024-03-05T10:00");
        let events = [SlaEvent::status(paris("2024-03-05T10:10"), Status::Feedback)];
        let clock = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &events, paris("2024-03-05T10:20"));
        assert_eq!(clock.state, SlaClockState::Running);
        assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
    }

    #[test]
    fn a_pause_does_not_undo_a_breach() {
        let opened = paris("2024-03-05T10:00");
        let events = [SlaEvent::status(paris("2024-03-05T11:00"), Status::Feedback)];
        let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T12:00"));
        assert_eq!(clock.state, SlaClockState::Breached);
        assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
    }

    #[test]
    fn the_restore_clock_stops_at_resolved_and_pauses_in_feedback() {
        let opened = paris("2024-03-10T03:00");
        let events = [
            SlaEvent::support_reply(paris("2024-03-10T03:30")),
            SlaEvent::status(paris("2024-03-10T04:00"), Status::Feedback),
            SlaEvent::customer_reply(paris("2024-03-10T05:00")),
            SlaEvent::status(paris("2024-03-10T07:30"), Status::Resolved),
        ];
        let clock = restore("cloud-avenue-gold", Urgent, opened, &events, paris("2024-03-10T09:00"));
        assert_eq!(clock.state, SlaClockState::Met { at: paris("2024-03-10T07:30"), in_time: true });
        assert_eq!(clock.due, Some(paris("2024-03-10T08:00")));
        assert!(
            clock.explanation.starts_with("4 h, 24x7 on Cloud Avenue Gold; paused 1 h while waiting"),
            "{}",
            clock.explanation
        );
    }

    #[test]
    fn the_restore_clock_also_stops_at_closed_and_a_public_reply_does_not_stop_it() {
        let opened = paris("2024-03-10T03:00");
        let replied = [SlaEvent::support_reply(paris("2024-03-10T03:30"))];
        let running = restore("cloud-avenue-silver", Urgent, opened, &replied, paris("2024-03-10T04:00"));
        assert_eq!(running.state, SlaClockState::Running);
        let closed = [SlaEvent::status(paris("2024-03-10T12:00"), Status::Closed)];
        let late = restore("cloud-avenue-silver", Urgent, opened, &closed, paris("2024-03-10T13:00"));
        assert_eq!(late.state, SlaClockState::Met { at: paris("2024-03-10T12:00"), in_time: false });
    }

    #[test]
    fn events_after_now_are_not_seen() {
        let opened = paris("2024-03-05T10:00");
        let events = [SlaEvent::support_reply(paris("2024-03-05T10:20"))];
        let clock = initial("elastic-cloud-premium", Urgent, opened, &events, paris("2024-03-05T10:10"));
        assert_eq!(clock.state, SlaClockState::Running);
    }

    #[test]
    fn a_plan_upgrade_mid_case_brings_the_due_time_forward_and_says_so() {
        let opened = paris("2024-03-05T10:00");
        let premium = SupportPlan::preset("elastic-cloud-premium").unwrap();
        let contract = contract("elastic-cloud-basic").with_plan_change(paris("2024-03-05T11:00"), premium).unwrap();
        let before = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &[], paris("2024-03-05T10:30"));
        assert_eq!(before.due, Some(paris("2024-03-05T14:00")));
        let after = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &[], paris("2024-03-05T11:10"));
        assert_eq!(after.due, Some(paris("2024-03-05T11:30")));
        assert_eq!(after.plan_id, "elastic-cloud-premium");
        assert_eq!(after.target, Some(SlaTarget::minutes_24x7(30)));
        assert_eq!(
            after.explanation,
            "30 min, 24x7 on Elastic cloud Premium; upgraded from Elastic cloud Basic on 2024-03-05 11:00 \
             Europe/Paris, due moved from 2024-03-05 14:00 Europe/Paris to 2024-03-05 11:30 Europe/Paris"
        );
    }

    #[test]
    fn raising_the_severity_brings_the_new_target_from_the_change() {
        // Premium: Normal is 1 business day (Tuesday 10:00 → Wednesday 10:00); raised to
        // Urgent at 11:00, the 30 minutes count from then.
        let opened = paris("2024-03-05T10:00");
        let raised = [SlaEvent::severity(paris("2024-03-05T11:00"), Normal, Urgent)];
        let before = initial("elastic-cloud-premium", Urgent, opened, &raised, paris("2024-03-05T10:30"));
        assert_eq!(before.due, Some(paris("2024-03-06T10:00")), "opened Normal: {}", before.explanation);
        let after = initial("elastic-cloud-premium", Urgent, opened, &raised, paris("2024-03-05T11:10"));
        assert_eq!(after.due, Some(paris("2024-03-05T11:30")));
        assert!(after.explanation.contains("severity raised to 1"), "{}", after.explanation);
    }

    #[test]
    fn lowering_the_severity_never_extends_a_promise_made() {
        let opened = paris("2024-03-05T10:00");
        let lowered = [SlaEvent::severity(paris("2024-03-05T10:10"), Urgent, Normal)];
        let clock = initial("elastic-cloud-premium", Normal, opened, &lowered, paris("2024-03-05T10:20"));
        assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
        assert!(clock.explanation.contains("the earlier due time stands"), "{}", clock.explanation);
    }

    #[test]
    fn a_plan_change_never_pushes_the_due_time_back() {
        let opened = paris("2024-03-05T10:00");
        let basic = SupportPlan::preset("elastic-cloud-basic").unwrap();
        let contract = contract("elastic-cloud-premium").with_plan_change(paris("2024-03-05T10:10"), basic).unwrap();
        let clock = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &[], paris("2024-03-05T10:20"));
        assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
        assert!(clock.explanation.contains("the earlier due time stands"), "{}", clock.explanation);
    }

    #[test]
    fn an_upgrade_to_a_tier_with_a_restore_time_starts_that_clock() {
        let opened = paris("2024-03-05T10:00");
        let gold = SupportPlan::preset("cloud-avenue-gold").unwrap();
        let contract = contract("cloud-avenue-standard").with_plan_change(paris("2024-03-05T12:00"), gold).unwrap();
        let clock = clock(&contract, SlaClockKind::Restore, Urgent, opened, &[], paris("2024-03-05T12:30"));
        assert_eq!(clock.state, SlaClockState::Running);
        assert_eq!(clock.due, Some(paris("2024-03-05T16:00")));
        assert!(
            clock.explanation.contains("plan changed to Cloud Avenue Gold on 2024-03-05 12:00"),
            "{}",
            clock.explanation
        );
    }

    #[test]
    fn a_plan_in_force_before_the_case_was_opened_is_simply_its_plan() {
        let opened = paris("2024-03-05T10:00");
        let premium = SupportPlan::preset("elastic-cloud-premium").unwrap();
        let contract = contract("elastic-cloud-basic").with_plan_change(paris("2024-03-01T00:00"), premium).unwrap();
        let clock = clock(&contract, SlaClockKind::InitialResponse, Urgent, opened, &[], opened);
        assert_eq!(clock.due, Some(paris("2024-03-05T10:30")));
        assert_eq!(clock.explanation, "30 min, 24x7 on Elastic cloud Premium");
    }

    #[test]
    fn a_contract_with_a_bad_calendar_is_refused_on_the_calendar_field() {
        let plan = SupportPlan::preset("elastic-cloud-basic").unwrap();
        let err = Contract::new(plan.clone(), BusinessCalendar::office_hours("Nowhere/Town")).unwrap_err();
        assert!(matches!(err, AppError::Invalid { ref field, .. } if field == "time_zone"), "{err:?}");
        let mut bad = plan.clone();
        bad.severities[0].initial_response = Some(SlaTarget::BusinessHours(0));
        let err = Contract::new(plan, BusinessCalendar::office_hours(PARIS))
            .unwrap()
            .with_plan_change(Timestamp::UNIX_EPOCH, bad)
            .unwrap_err();
        assert!(matches!(err, AppError::Invalid { ref field, .. } if field == "targets"), "{err:?}");
    }

    #[test]
    fn a_contract_and_a_clock_travel_as_json() {
        let contract = contract("elastic-cloud-basic");
        let json = serde_json::to_value(&contract).unwrap();
        assert_eq!(json["calendar"]["time_zone"], "Europe/Paris");
        let back: Contract = serde_json::from_value(json).unwrap();
        assert_eq!(back.terms(), contract.terms());
        let mut broken = serde_json::to_value(&contract).unwrap();
        broken["calendar"]["time_zone"] = "Nowhere/Town".into();
        assert!(serde_json::from_value::<Contract>(broken).is_err());

        let opened = paris("2024-03-05T10:00");
        let clock = initial(
            "elastic-cloud-basic",
            Urgent,
            opened,
            &[SlaEvent::support_reply(paris("2024-03-05T10:05"))],
            opened + SignedDuration::from_hours(1),
        );
        let json = serde_json::to_value(&clock).unwrap();
        assert_eq!(json["state"]["state"], "met");
        assert_eq!(json["kind"], "initial_response");
        assert_eq!(serde_json::from_value::<SlaClock>(json).unwrap(), clock);
        let event = SlaEvent::status(opened, Status::Feedback);
        let json = serde_json::to_value(event).unwrap();
        assert_eq!(json["kind"]["type"], "status_changed");
        assert_eq!(json["kind"]["to"], "feedback");
    }
}
