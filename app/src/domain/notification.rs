//! Who is told of what by email: the notification kinds, which role each is for, and the
//! rule that turns a case's log entry into the kinds it causes ("an email at every step
//! until the case is closed", NAES). Recipients themselves are chosen by the backend.

use super::event::CaseChange;
use super::lifecycle::Status;
use super::named::named_enum;
use super::people::Role;

named_enum! {
    /// One kind of notification; each can be turned off by the person who receives it.
    NotificationKind {
        /// To customers: the case number and the SLA promise.
        CaseOpened = "case_opened",
        /// To customers: support answered publicly.
        SupportReplied = "support_replied",
        /// To customers: the case moved to Feedback ("we need your input").
        Feedback = "feedback",
        /// To customers: the case is resolved, please confirm.
        Resolved = "resolved",
        /// To customers: the case is closed.
        Closed = "closed",
        /// To an engineer: a case was given to them.
        Assigned = "assigned",
        /// To an engineer: a case of theirs was given to another engineer (who took it, or
        /// was given it by someone else).
        TakenOver = "taken_over",
        /// To the case's engineer: the customer replied.
        CustomerReplied = "customer_replied",
        /// To the case's engineer: the customer asks for a more urgent severity.
        SeverityRaiseRequested = "severity_raise_requested",
        /// To customers: support changed the severity.
        SeverityChanged = "severity_changed",
        /// To the engineer and the lead on duty: 80% of a clock is used.
        SlaWarning = "sla_warning",
        /// To the engineer and the lead on duty: a clock's due time passed unmet.
        SlaBreached = "sla_breached",
        /// To a customer who asked for it: every case of their organization they may see,
        /// not only their own. Off unless turned on.
        WatchOrganization = "watch_organization",
    }
}

named_enum! {
    /// How a person's notification settings are grouped on their page.
    NotificationGroup {
        /// A customer's own cases, step by step.
        MyCases = "my_cases",
        /// A customer's whole organization.
        MyOrganization = "my_organization",
        /// The cases an engineer works.
        MyWork = "my_work",
        /// Response-time warnings and breaches.
        ResponseTimes = "response_times",
    }
}

/// Who a notification kind goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The reporter and the organization's watchers (for a private case, only those who may see it).
    Customers,
    /// The case's engineer (or, when it has none, the leads on duty).
    Engineer,
    /// The case's engineer and the leads on duty.
    EngineerAndLead,
    /// The engineer the case was given to, unless they took it themselves.
    NewAssignee,
    /// The engineer the case was taken from (its assignee before this entry), unless they
    /// gave it away themselves.
    PreviousAssignee,
}

impl NotificationKind {
    /// Which role can receive it (and so set a preference for it).
    pub fn for_role(self, role: Role) -> bool {
        match self {
            NotificationKind::CaseOpened
            | NotificationKind::SupportReplied
            | NotificationKind::Feedback
            | NotificationKind::Resolved
            | NotificationKind::Closed
            | NotificationKind::SeverityChanged
            | NotificationKind::WatchOrganization => role == Role::Customer,
            NotificationKind::Assigned
            | NotificationKind::TakenOver
            | NotificationKind::SeverityRaiseRequested
            | NotificationKind::CustomerReplied
            | NotificationKind::SlaWarning
            | NotificationKind::SlaBreached => role.is_support(),
        }
    }

    /// Whether it is sent when the person has said nothing.
    pub fn on_by_default(self) -> bool {
        self != NotificationKind::WatchOrganization
    }

    /// The group its setting is shown in.
    pub fn group(self) -> NotificationGroup {
        match self {
            NotificationKind::CaseOpened
            | NotificationKind::SupportReplied
            | NotificationKind::Feedback
            | NotificationKind::Resolved
            | NotificationKind::Closed
            | NotificationKind::SeverityChanged => NotificationGroup::MyCases,
            NotificationKind::WatchOrganization => NotificationGroup::MyOrganization,
            NotificationKind::Assigned
            | NotificationKind::TakenOver
            | NotificationKind::SeverityRaiseRequested
            | NotificationKind::CustomerReplied => NotificationGroup::MyWork,
            NotificationKind::SlaWarning | NotificationKind::SlaBreached => NotificationGroup::ResponseTimes,
        }
    }

    /// The kinds a person of `role` can set.
    pub fn settable_by(role: Role) -> Vec<NotificationKind> {
        Self::ALL.iter().copied().filter(|k| k.for_role(role)).collect()
    }
}

/// The notifications a log entry causes, and to whom; none for entries nobody is emailed
/// about. An internal note causes none: it never appears in any email.
pub fn notifications_for(change: &CaseChange) -> &'static [(NotificationKind, Audience)] {
    use NotificationKind as K;
    match change {
        CaseChange::Opened { .. } => &[(K::CaseOpened, Audience::Customers)],
        CaseChange::Reply { internal: true, .. } => &[],
        CaseChange::Reply { from_support: true, .. } => &[(K::SupportReplied, Audience::Customers)],
        CaseChange::Reply { .. } => &[(K::CustomerReplied, Audience::Engineer)],
        CaseChange::StatusChanged { to: Status::Feedback, .. } => &[(K::Feedback, Audience::Customers)],
        CaseChange::StatusChanged { to: Status::Resolved, .. } => &[(K::Resolved, Audience::Customers)],
        CaseChange::StatusChanged { to: Status::Closed, .. } => &[(K::Closed, Audience::Customers)],
        CaseChange::StatusChanged { .. } => &[],
        // The engineer who had the case learns who has it now: nobody works it twice unknowingly.
        CaseChange::Assigned { engineer_id: Some(_), .. } => {
            &[(K::Assigned, Audience::NewAssignee), (K::TakenOver, Audience::PreviousAssignee)]
        }
        CaseChange::Assigned { engineer_id: None, .. } => &[],
        CaseChange::SlaWarning { .. } => &[(K::SlaWarning, Audience::EngineerAndLead)],
        CaseChange::SlaBreached { .. } => &[(K::SlaBreached, Audience::EngineerAndLead)],
        CaseChange::SeverityRaiseRequested { .. } => &[(K::SeverityRaiseRequested, Audience::EngineerAndLead)],
        CaseChange::SeverityChanged { .. } => &[(K::SeverityChanged, Audience::Customers)],
        CaseChange::Linked { .. } | CaseChange::Attached { .. } | CaseChange::TimeLogged { .. } => &[],
    }
}

/// The name an email greets a person by: the first word of their display name ("Alice"
/// for "Alice Martin"). The whole name when that would be wrong or rude: a name in a script
/// written family name first and often without spaces (Chinese, Japanese, Korean: "李伟"),
/// a first word that is only an initial or a title ("J. R. Smith", "Dr. Okafor"), or a
/// single word.
pub fn first_name(display_name: &str) -> &str {
    let name = display_name.trim();
    let east_asian = name.chars().any(super::kb::is_cjk);
    let Some(first) = name.split_whitespace().next() else { return name };
    let initial_or_title = first.ends_with('.') || first.chars().count() < 2;
    if east_asian || initial_or_title { name } else { first }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::Resolution;
    use crate::domain::sla::SlaClockKind;

    #[test]
    fn an_internal_note_is_never_emailed() {
        let note = CaseChange::Reply { body: "secret".into(), internal: true, from_support: true };
        assert!(notifications_for(&note).is_empty());
    }

    #[test]
    fn support_replies_go_to_customers_and_customer_replies_to_the_engineer() {
        let support = CaseChange::Reply { body: "x".into(), internal: false, from_support: true };
        let customer = CaseChange::Reply { body: "x".into(), internal: false, from_support: false };
        assert_eq!(notifications_for(&support), &[(NotificationKind::SupportReplied, Audience::Customers)]);
        assert_eq!(notifications_for(&customer), &[(NotificationKind::CustomerReplied, Audience::Engineer)]);
    }

    #[test]
    fn customers_hear_of_feedback_resolved_and_closed_only() {
        let to = |to| CaseChange::StatusChanged { from: Status::New, to, resolution: Resolution::Open };
        let kinds = |change| notifications_for(&change).iter().map(|n| n.0).collect::<Vec<_>>();
        assert_eq!(kinds(to(Status::Feedback)), [NotificationKind::Feedback]);
        assert_eq!(kinds(to(Status::Resolved)), [NotificationKind::Resolved]);
        assert_eq!(kinds(to(Status::Closed)), [NotificationKind::Closed]);
        assert!(kinds(to(Status::Confirmed)).is_empty());
    }

    #[test]
    fn sla_events_go_to_the_engineer_and_the_lead() {
        let breach = CaseChange::SlaBreached { clock: SlaClockKind::InitialResponse };
        assert_eq!(notifications_for(&breach), &[(NotificationKind::SlaBreached, Audience::EngineerAndLead)]);
    }

    #[test]
    fn a_reassignment_tells_the_new_engineer_and_the_one_it_was_taken_from() {
        let to_mei = CaseChange::Assigned { engineer_id: Some(2), engineer: Some("Mei Lin".into()), reason: None };
        assert_eq!(
            notifications_for(&to_mei),
            &[
                (NotificationKind::Assigned, Audience::NewAssignee),
                (NotificationKind::TakenOver, Audience::PreviousAssignee)
            ]
        );
        // Unassigning hands the case to nobody: nobody is told.
        let nobody = CaseChange::Assigned { engineer_id: None, engineer: None, reason: None };
        assert!(notifications_for(&nobody).is_empty());
        assert!(NotificationKind::settable_by(Role::Engineer).contains(&NotificationKind::TakenOver));
        assert!(!NotificationKind::settable_by(Role::Customer).contains(&NotificationKind::TakenOver));
    }

    #[test]
    fn mail_greets_by_the_first_name_unless_that_would_be_wrong() {
        assert_eq!(first_name("Alice Martin"), "Alice");
        assert_eq!(first_name("  Chloé   Durand "), "Chloé");
        assert_eq!(first_name("Madonna"), "Madonna");
        // Family name first, often without a space: the whole name.
        assert_eq!(first_name("李伟"), "李伟");
        assert_eq!(first_name("林 美"), "林 美");
        assert_eq!(first_name("山田 太郎"), "山田 太郎");
        assert_eq!(first_name("김민준"), "김민준");
        // An initial or a title is not a first name.
        assert_eq!(first_name("J. R. Smith"), "J. R. Smith");
        assert_eq!(first_name("Dr. Okafor"), "Dr. Okafor");
        assert_eq!(first_name("J Smith"), "J Smith");
        assert_eq!(first_name(""), "");
    }

    #[test]
    fn customers_set_customer_kinds_and_engineers_engineer_kinds() {
        assert!(NotificationKind::settable_by(Role::Customer).contains(&NotificationKind::Resolved));
        assert!(!NotificationKind::settable_by(Role::Customer).contains(&NotificationKind::SlaBreached));
        assert!(NotificationKind::settable_by(Role::Engineer).contains(&NotificationKind::SlaBreached));
        assert!(!NotificationKind::WatchOrganization.on_by_default());
    }

    #[test]
    fn a_customer_sees_their_cases_and_their_organization_support_their_work_and_response_times() {
        let groups = |role| {
            let mut groups: Vec<_> =
                NotificationKind::settable_by(role).into_iter().map(NotificationKind::group).collect();
            groups.dedup();
            groups
        };
        assert_eq!(groups(Role::Customer), [NotificationGroup::MyCases, NotificationGroup::MyOrganization]);
        assert!(
            groups(Role::Engineer)
                .iter()
                .all(|g| matches!(g, NotificationGroup::MyWork | NotificationGroup::ResponseTimes))
        );
    }
}
