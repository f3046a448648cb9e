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

/// The notification a log entry causes, and to whom; `None` for entries nobody is emailed
/// about. An internal note causes none: it never appears in any email.
pub fn notification_for(change: &CaseChange) -> Option<(NotificationKind, Audience)> {
    use NotificationKind as K;
    match change {
        CaseChange::Opened { .. } => Some((K::CaseOpened, Audience::Customers)),
        CaseChange::Reply { internal: true, .. } => None,
        CaseChange::Reply { from_support: true, .. } => Some((K::SupportReplied, Audience::Customers)),
        CaseChange::Reply { .. } => Some((K::CustomerReplied, Audience::Engineer)),
        CaseChange::StatusChanged { to: Status::Feedback, .. } => Some((K::Feedback, Audience::Customers)),
        CaseChange::StatusChanged { to: Status::Resolved, .. } => Some((K::Resolved, Audience::Customers)),
        CaseChange::StatusChanged { to: Status::Closed, .. } => Some((K::Closed, Audience::Customers)),
        CaseChange::StatusChanged { .. } => None,
        CaseChange::Assigned { engineer_id: Some(_), .. } => Some((K::Assigned, Audience::NewAssignee)),
        CaseChange::Assigned { engineer_id: None, .. } => None,
        CaseChange::SlaWarning { .. } => Some((K::SlaWarning, Audience::EngineerAndLead)),
        CaseChange::SlaBreached { .. } => Some((K::SlaBreached, Audience::EngineerAndLead)),
        CaseChange::SeverityRaiseRequested { .. } => Some((K::SeverityRaiseRequested, Audience::EngineerAndLead)),
        CaseChange::SeverityChanged { .. } => Some((K::SeverityChanged, Audience::Customers)),
        CaseChange::Linked { .. } | CaseChange::Attached { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::Resolution;
    use crate::domain::sla::SlaClockKind;

    #[test]
    fn an_internal_note_is_never_emailed() {
        let note = CaseChange::Reply { body: "secret".into(), internal: true, from_support: true };
        assert_eq!(notification_for(&note), None);
    }

    #[test]
    fn support_replies_go_to_customers_and_customer_replies_to_the_engineer() {
        let support = CaseChange::Reply { body: "x".into(), internal: false, from_support: true };
        let customer = CaseChange::Reply { body: "x".into(), internal: false, from_support: false };
        assert_eq!(notification_for(&support), Some((NotificationKind::SupportReplied, Audience::Customers)));
        assert_eq!(notification_for(&customer), Some((NotificationKind::CustomerReplied, Audience::Engineer)));
    }

    #[test]
    fn customers_hear_of_feedback_resolved_and_closed_only() {
        let to = |to| CaseChange::StatusChanged { from: Status::New, to, resolution: Resolution::Open };
        assert_eq!(notification_for(&to(Status::Feedback)).map(|n| n.0), Some(NotificationKind::Feedback));
        assert_eq!(notification_for(&to(Status::Resolved)).map(|n| n.0), Some(NotificationKind::Resolved));
        assert_eq!(notification_for(&to(Status::Closed)).map(|n| n.0), Some(NotificationKind::Closed));
        assert_eq!(notification_for(&to(Status::Confirmed)), None);
    }

    #[test]
    fn sla_events_go_to_the_engineer_and_the_lead() {
        let breach = CaseChange::SlaBreached { clock: SlaClockKind::InitialResponse };
        assert_eq!(notification_for(&breach), Some((NotificationKind::SlaBreached, Audience::EngineerAndLead)));
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
