//! One generated case, from its opening to its end (or to the moment of generation, for the
//! ~3% still open): writes as the case service makes them (opening and automatic
//! assignment together, a customer's answer and the return from Feedback together), every
//! status move checked by the lifecycle, the version and last change as the store keeps them.

use jiff::{SignedDuration, Timestamp};

use super::dice::Dice;
use super::roster::{Contact, Customer, Engineer, Roster};
use super::words::{Writer, case_text, reply_text, resolution_text};
use crate::domain::lifecycle::{check_transition, status_after_feedback};
use crate::domain::{
    AssignmentReason, CaseChange, CaseDetails, CaseKind, Environment, Resolution, Role, Severity, SlaTarget, Status,
    Visibility,
};

/// One log entry before it has an id: seconds after the opening, who, what.
pub struct Entry {
    pub offset: i64,
    pub actor: Option<i64>,
    pub change: CaseChange,
}

/// What the case was like after one write (a write is one transaction of the store).
#[derive(Clone, Copy)]
pub struct AfterWrite {
    /// Entries written so far (this write's included).
    pub entries: usize,
    pub offset: i64,
    /// Anything but internal notes: the version went up.
    pub visible: bool,
    pub status: Status,
    pub resolution: Resolution,
    pub severity: Severity,
    pub assignee: Option<usize>,
}

/// A case's story before it is dated and cut: its facts and its writes in order.
pub struct Story<'r> {
    pub dice: Dice,
    pub customer: &'r Customer,
    pub reporter: &'r Contact,
    engineers: &'r [Engineer],
    pub language: &'static str,
    pub product: &'static str,
    pub version: &'static str,
    pub kind: CaseKind,
    pub environment: Environment,
    pub visibility: Visibility,
    pub summary: String,
    pub description: String,
    pub details: CaseDetails,
    pub entries: Vec<Entry>,
    pub writes: Vec<AfterWrite>,
    t: i64,
    status: Status,
    resolution: Resolution,
    severity: Severity,
    assignee: Option<usize>,
    before_feedback: Option<Status>,
    severity_changed: bool,
}

const KINDS: &[(CaseKind, f64)] = &[
    (CaseKind::Bug, 0.55),
    (CaseKind::Question, 0.85),
    (CaseKind::FeatureRequest, 0.93),
    (CaseKind::AccountChange, 0.97),
    (CaseKind::Maintenance, 1.0),
];

const OS: &[&str] = &["Ubuntu 22.04", "RHEL 9", "Windows Server 2022", "Debian 12", "macOS 14", "Amazon Linux 2023"];

const RESOLUTIONS: &[(Resolution, f64)] = &[
    (Resolution::Fixed, 0.62),
    (Resolution::NotABug, 0.75),
    (Resolution::UnableToReproduce, 0.85),
    (Resolution::WontFix, 0.91),
    (Resolution::NotFixable, 0.95),
    (Resolution::Suspended, 1.0),
];

fn by_weight<T: Copy>(dice: &mut Dice, table: &[(T, f64)]) -> T {
    let u = dice.unit();
    table.iter().find(|(_, upto)| u < *upto).map_or(table[table.len() - 1].0, |(value, _)| *value)
}

/// How likely a severity is among those a plan allows.
fn severity_weight(severity: Severity) -> f64 {
    match severity {
        Severity::Urgent => 0.06,
        Severity::High => 0.22,
        Severity::Normal => 0.62,
        Severity::Development => 0.10,
    }
}

/// Roughly how much real time a target allows (business time stretches over nights).
fn real_time_of(target: Option<SlaTarget>) -> f64 {
    match target {
        Some(SlaTarget::Duration24x7(d)) => d.as_secs_f64(),
        Some(SlaTarget::BusinessHours(h)) => f64::from(h) * 3600.0 * 2.2,
        Some(SlaTarget::BusinessDays(n)) => f64::from(n) * 86_400.0 * 1.3,
        None => 8.0 * 3600.0,
    }
}

impl<'r> Story<'r> {
    /// A new case of `customer` opened at `opened_at`, assigned by the rule most of the time.
    pub fn open(roster: &'r Roster, mut dice: Dice, opened_at: Timestamp) -> Story<'r> {
        let customer = roster.pick_customer(&mut dice);
        let opener = customer.openers[dice.below(customer.openers.len())];
        let reporter = &customer.contacts[opener];
        let language = reporter.language;
        let (product, version) = *dice.pick(&customer.products);
        let plan = customer.contract.plan_at(opened_at);
        let allowed = plan.allowed_severities();
        let total: f64 = allowed.iter().map(|s| severity_weight(*s)).sum();
        let mut x = dice.unit() * total;
        let mut severity = allowed[0];
        for s in &allowed {
            x -= severity_weight(*s);
            severity = *s;
            if x < 0.0 {
                break;
            }
        }
        let kind = by_weight(&mut dice, KINDS);
        let environment = match dice.unit() {
            u if u < 0.75 => Environment::Production,
            u if u < 0.87 => Environment::Staging,
            u if u < 0.95 => Environment::Test,
            _ => Environment::Development,
        };
        let visibility = if dice.chance(0.08) { Visibility::Private } else { Visibility::Organization };
        let (summary, description) = case_text(&mut dice, language, product, version);
        let details = CaseDetails {
            version: version.to_string(),
            os: dice.pick(OS).to_string(),
            impact: if severity == Severity::Urgent {
                "Production is down for every user.".into()
            } else {
                String::new()
            },
            ..CaseDetails::default()
        };
        let mut story = Story {
            dice,
            customer,
            reporter,
            engineers: &roster.engineers,
            language,
            product,
            version,
            kind,
            environment,
            visibility,
            summary,
            description,
            details,
            entries: Vec::new(),
            writes: Vec::new(),
            t: 0,
            status: Status::New,
            resolution: Resolution::Open,
            severity,
            assignee: None,
            before_feedback: None,
            severity_changed: false,
        };
        let mut opening = vec![(Some(reporter.id), CaseChange::Opened { kind, severity, on_behalf: false, no_sla: false })];
        if story.dice.chance(0.9) {
            let (engineer, reason) = story.choose_engineer(opened_at);
            story.assignee = Some(engineer);
            let e = &story.engineers[engineer];
            opening.push((
                None,
                CaseChange::Assigned { engineer_id: Some(e.id), engineer: Some(e.name.clone()), reason: Some(reason) },
            ));
        }
        story.write(0, opening);
        story
    }

    /// The engineer the automatic rule would pick at `at`: on shift and knowing the product
    /// if anyone is, else knowing the product, else anyone.
    fn choose_engineer(&mut self, at: Timestamp) -> (usize, AssignmentReason) {
        let n = self.engineers.len();
        let start = self.dice.below(n);
        let order = (0..n).map(|k| (start + k) % n);
        let on_shift = |e: &Engineer| e.schedule.is_business_time(at);
        let chosen = order
            .clone()
            .find(|&i| on_shift(&self.engineers[i]) && self.engineers[i].knows(self.product))
            .or_else(|| order.clone().find(|&i| self.engineers[i].knows(self.product)))
            .unwrap_or(start);
        let e = &self.engineers[chosen];
        let reason = AssignmentReason {
            on_shift: on_shift(e),
            skill: e.knows(self.product).then(|| self.product.to_string()),
            language: e.languages.contains(&self.language).then(|| self.language.to_string()),
            load: self.dice.below(12) as u32,
            time_zone: e.time_zone.to_string(),
        };
        (chosen, reason)
    }

    /// One write `wait` seconds after the last: its entries share its instant.
    fn write(&mut self, wait: i64, items: Vec<(Option<i64>, CaseChange)>) {
        self.t += wait;
        let visible = items.iter().any(|(_, c)| !matches!(c, CaseChange::Reply { internal: true, .. }));
        for (actor, change) in items {
            self.entries.push(Entry { offset: self.t, actor, change });
        }
        self.writes.push(AfterWrite {
            entries: self.entries.len(),
            offset: self.t,
            visible,
            status: self.status,
            resolution: self.resolution,
            severity: self.severity,
            assignee: self.assignee,
        });
    }

    fn support_id(&mut self) -> i64 {
        match self.assignee {
            Some(i) => self.engineers[i].id,
            None => self.engineers[self.dice.below(self.engineers.len())].id,
        }
    }

    fn customer_id(&mut self) -> i64 {
        if self.visibility == Visibility::Organization && self.dice.chance(0.2) {
            self.dice.pick(&self.customer.contacts).id
        } else {
            self.reporter.id
        }
    }

    fn reply(&mut self, writer: Writer) -> CaseChange {
        let body = reply_text(&mut self.dice, self.language, writer, self.product, self.version);
        CaseChange::Reply { body, internal: writer == Writer::Note, from_support: writer != Writer::Customer }
    }

    pub fn support_reply(&mut self, wait: i64) {
        let actor = self.support_id();
        let reply = self.reply(Writer::Support);
        self.write(wait, vec![(Some(actor), reply)]);
    }

    pub fn note(&mut self, wait: i64) {
        let actor = self.support_id();
        let note = self.reply(Writer::Note);
        self.write(wait, vec![(Some(actor), note)]);
    }

    /// A customer's public reply; on a case in Feedback it also returns the case to where
    /// it was, as an entry of its own without an actor (the store does it in the same write).
    pub fn customer_reply(&mut self, wait: i64) {
        let actor = self.customer_id();
        let mut items = vec![(Some(actor), self.reply(Writer::Customer))];
        if self.status == Status::Feedback {
            let to = status_after_feedback(self.before_feedback);
            items.push((None, CaseChange::StatusChanged { from: Status::Feedback, to, resolution: self.resolution }));
            self.status = to;
        }
        self.write(wait, items);
    }

    /// A status move by `role`, if the lifecycle allows it (it always should: skipped otherwise).
    pub fn move_to(&mut self, wait: i64, role: Role, to: Status, requested: Option<Resolution>) -> bool {
        self.move_saying(wait, role, to, requested, None)
    }

    /// A move and, in the same write, the mover's reply (a customer's reason for reopening).
    fn move_saying(
        &mut self,
        wait: i64,
        role: Role,
        to: Status,
        requested: Option<Resolution>,
        saying: Option<CaseChange>,
    ) -> bool {
        let Ok(transition) = check_transition(role, self.status, self.resolution, to, requested) else {
            return false;
        };
        let actor = if role == Role::Customer { self.customer_id() } else { self.support_id() };
        let from = self.status;
        if to == Status::Feedback {
            self.before_feedback = Some(from);
        }
        self.status = transition.to;
        self.resolution = transition.resolution;
        let mut items = vec![(Some(actor), CaseChange::StatusChanged { from, to, resolution: transition.resolution })];
        if let Some(reply) = saying {
            items.push((Some(actor), reply));
        }
        self.write(wait, items);
        true
    }

    /// Given to `engineer` by a person (taking it, or handing it over).
    fn assign(&mut self, wait: i64, engineer: usize) {
        let actor = self.support_id();
        self.assignee = Some(engineer);
        let e = &self.engineers[engineer];
        let change = CaseChange::Assigned { engineer_id: Some(e.id), engineer: Some(e.name.clone()), reason: None };
        self.write(wait, vec![(Some(actor), change)]);
    }

    /// Support sets another severity the plan in force at `at` allows; with `asked`, the
    /// customer asked for it first.
    fn change_severity(&mut self, wait: i64, at: Timestamp, asked: bool) {
        let allowed = self.customer.contract.plan_at(at).allowed_severities();
        let others: Vec<Severity> = allowed
            .into_iter()
            .filter(|s| *s != self.severity && (!asked || s.level() < self.severity.level()))
            .collect();
        if others.is_empty() {
            return;
        }
        let to = *self.dice.pick(&others);
        if asked {
            let actor = self.customer_id();
            let reason = "Every user is affected now, not only the test team.".to_string();
            self.write(wait, vec![(Some(actor), CaseChange::SeverityRaiseRequested { to, reason })]);
        }
        let actor = self.support_id();
        let from = self.severity;
        self.severity = to;
        self.severity_changed = true;
        let wait = if asked { self.dice.wait_secs(1800.0, 60) } else { wait };
        self.write(wait, vec![(Some(actor), CaseChange::SeverityChanged { from, to })]);
    }

    /// The whole life of the case: `target` entries or so, then resolved and closed.
    pub fn live(&mut self, target: usize, opened_at: Timestamp) {
        if self.assignee.is_none() {
            let wait = self.dice.wait_secs(1800.0, 60);
            let (engineer, _) = self.choose_engineer(opened_at + SignedDuration::from_secs(wait));
            self.assign(wait, engineer);
        }
        // The first answer, usually within the target; now and then late.
        let plan = self.customer.contract.plan_at(opened_at);
        let budget = real_time_of(plan.initial_response_target(self.severity));
        let factor = match self.dice.unit() {
            u if u < 0.72 => 0.05 + self.dice.unit() * 0.65,
            u if u < 0.88 => 0.8 + self.dice.unit() * 0.2,
            _ => 1.05 + self.dice.unit() * 2.0,
        };
        let first = ((budget * factor) as i64).max(60);
        if self.dice.chance(0.6) {
            let wait = (first - self.t).max(30) / 2;
            self.move_to(wait, Role::Engineer, Status::Confirmed, None);
        }
        self.support_reply((first - self.t).max(30));
        while self.entries.len() + 3 < target {
            self.step(opened_at);
        }
        self.resolve();
        if self.entries.len() <= 16 && self.dice.chance(0.04) {
            // "It's still a problem": reopened with the reason, worked again, resolved again.
            let reason = self.reply(Writer::Customer);
            let wait = self.dice.wait_secs(86_400.0, 600);
            self.move_saying(wait, Role::Customer, Status::Confirmed, None, Some(reason));
            let wait = self.dice.wait_secs(6.0 * 3600.0, 300);
            self.support_reply(wait);
            self.resolve();
        }
        if self.dice.chance(0.65) {
            let wait = self.dice.wait_secs(30.0 * 3600.0, 600);
            self.move_to(wait, Role::Customer, Status::Closed, None);
        } else {
            let wait = 7 * 86_400 + self.dice.wait_secs(6.0 * 3600.0, 60);
            self.move_to(wait, Role::Engineer, Status::Closed, None);
        }
    }

    fn resolve(&mut self) {
        if self.status == Status::Feedback {
            let wait = self.dice.wait_secs(30.0 * 3600.0, 600);
            self.customer_reply(wait);
        }
        let wait = self.dice.wait_secs(24.0 * 3600.0, 600);
        let actor = self.support_id();
        let body = resolution_text(&mut self.dice, self.language).to_string();
        self.write(wait, vec![(Some(actor), CaseChange::Reply { body, internal: false, from_support: true })]);
        let resolution = by_weight(&mut self.dice, RESOLUTIONS);
        let wait = self.dice.wait_secs(600.0, 30);
        self.move_to(wait, Role::Engineer, Status::Resolved, Some(resolution));
    }

    /// One thing that happens while the case is worked.
    fn step(&mut self, opened_at: Timestamp) {
        if self.status == Status::Feedback {
            // Waiting on the customer: now and then support nudges first.
            if self.dice.chance(0.15) {
                let wait = self.dice.wait_secs(24.0 * 3600.0, 600);
                self.support_reply(wait);
            } else {
                let wait = self.dice.wait_secs(30.0 * 3600.0, 600);
                self.customer_reply(wait);
            }
            return;
        }
        let roll = self.dice.unit();
        let move_wait = self.dice.wait_secs(2.0 * 3600.0, 60);
        match roll {
            _ if self.status == Status::New && roll < 0.5 => {
                self.move_to(move_wait, Role::Engineer, Status::Confirmed, None);
            }
            _ if self.status == Status::Confirmed && roll < 0.3 => {
                self.move_to(move_wait, Role::Engineer, Status::Assigned, None);
            }
            r if r < 0.16 => {
                self.move_to(move_wait, Role::Engineer, Status::Feedback, None);
            }
            r if r < 0.40 => {
                let wait = self.dice.wait_secs(8.0 * 3600.0, 300);
                self.support_reply(wait);
            }
            r if r < 0.64 => {
                let wait = self.dice.wait_secs(20.0 * 3600.0, 300);
                self.customer_reply(wait);
            }
            r if r < 0.88 => {
                let wait = self.dice.wait_secs(3.0 * 3600.0, 120);
                self.note(wait);
            }
            r if r < 0.93 && !self.severity_changed => {
                let at = opened_at + SignedDuration::from_secs(self.t + move_wait);
                let asked = self.dice.chance(0.4);
                self.change_severity(move_wait, at, asked);
            }
            r if r < 0.96 => {
                let other = self.dice.below(self.engineers.len());
                if Some(other) != self.assignee {
                    self.assign(move_wait, other);
                }
            }
            _ => {
                let wait = self.dice.wait_secs(8.0 * 3600.0, 300);
                self.support_reply(wait);
            }
        }
    }
}
