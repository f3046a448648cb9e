//! Computing a case's clocks: the events walked one by one through a state machine that
//! starts, pauses, resumes, retargets and meets each clock, and explains itself in English.

use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};

use super::clock::{SlaClock, SlaClockKind, SlaClockState};
use super::contract::Contract;
use super::event::{SlaEvent, SlaEventKind};
use crate::domain::calendar::SteadySpan;
use crate::domain::case::Severity;
use crate::domain::lifecycle::Status;
use crate::domain::plan::{DurationWords, SlaTarget, SupportPlan};

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
    let mut changes = contract.terms().plan_changes.iter().filter(|c| c.at > opened_at).peekable();
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
    /// The case carries no SLA: no term, whatever the plan.
    exempt: bool,
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
            exempt: false,
        };
        tracker.term = tracker.term_on(plan);
        tracker.remaining = tracker.term.map_or(SignedDuration::ZERO, |t| t.budget);
        tracker.refresh();
        tracker
    }

    fn term_on(&self, plan: &'a SupportPlan) -> Option<Term<'a>> {
        if self.exempt {
            return None;
        }
        let target = match self.kind {
            SlaClockKind::InitialResponse => plan.initial_response_target(self.severity),
            SlaClockKind::Restore => plan.restore_target(self.severity),
        }?;
        plan.check_severity(self.severity).ok()?;
        Some(Term { plan, target, budget: target.budget(self.contract.schedule().working_time_per_day()) })
    }

    fn span(&self) -> SteadySpan {
        self.span.get().unwrap_or_else(|| {
            let span = self.contract.schedule().span_for(self.opened_at);
            self.span.set(Some(span));
            span
        })
    }

    fn add(&self, term: Term<'_>, t: Timestamp, d: SignedDuration) -> Timestamp {
        if term.target.counts_business_time() {
            self.contract.schedule().add_near(&self.span(), t, d)
        } else {
            t.checked_add(d).unwrap_or(Timestamp::MAX)
        }
    }

    fn between(&self, term: Term<'_>, a: Timestamp, b: Timestamp) -> SignedDuration {
        if term.target.counts_business_time() {
            self.contract.schedule().between_near(&self.span(), a, b)
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
            SlaEventKind::NoCommitment => {
                self.exempt = true;
                self.term = None;
                self.due = None;
                self.remaining = SignedDuration::ZERO;
                self.warned_at = None;
            }
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
            civil: self.contract.schedule().time_zone().to_datetime(t),
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
            explanation.push_str(&self.contract.calendar_text());
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
            _ if self.exempt => "no commitment: a maintenance task opened by support carries no SLA".to_owned(),
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
