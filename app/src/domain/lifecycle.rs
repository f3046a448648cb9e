//! The life of a case (NAES, MantisBT-style): its status, its resolution, and the one
//! function that says which changes are allowed, for whom.

use serde::{Deserialize, Serialize};

use super::named::named_enum;
use super::people::Role;
use crate::error::{AppError, InvalidReason};

named_enum! {
    /// Where a case stands. Managed by support; customers confirm or reopen.
    Status {
        /// Just opened, nobody looked at it yet.
        New = "new",
        /// Information needed from (or given to) the customer: "your move".
        Feedback = "feedback",
        /// Support reproduced or acknowledged it.
        Confirmed = "confirmed",
        /// A team member works on it.
        Assigned = "assigned",
        /// Done, waiting for the customer to verify.
        Resolved = "resolved",
        /// Verified by the customer, officially closed.
        Closed = "closed",
    }
}

named_enum! {
    /// How a case ended, or that it has not (the nine of NAES).
    Resolution {
        Open = "open",
        Fixed = "fixed",
        /// Seen again after a fix.
        Reopened = "reopened",
        UnableToReproduce = "unable_to_reproduce",
        /// No fix nor workaround.
        NotFixable = "not_fixable",
        /// Closed, pointing at the case it duplicates.
        Duplicate = "duplicate",
        NotABug = "not_a_bug",
        /// Closed until reopened, at the customer's or support's request.
        Suspended = "suspended",
        WontFix = "wont_fix",
    }
}

named_enum! {
    /// What a customer says of a resolved case: the two actions they are offered instead of
    /// a status menu (and the words their emails use).
    Verdict {
        /// "Yes, it's solved": Resolved → Closed, the resolution kept.
        Solved = "solved",
        /// "It's still a problem": Resolved (or Closed) → Confirmed, resolution Reopened,
        /// with a reason that is posted as their reply.
        StillAProblem = "still_a_problem",
    }
}

impl Verdict {
    /// The status a verdict moves a case to.
    pub fn target(self) -> Status {
        match self {
            Verdict::Solved => Status::Closed,
            Verdict::StillAProblem => Status::Confirmed,
        }
    }

    /// The verdicts a customer may give on a case in `status` (none while support works it).
    pub fn offered(status: Status) -> &'static [Verdict] {
        match status {
            Status::Resolved => &[Verdict::Solved, Verdict::StillAProblem],
            Status::Closed => &[Verdict::StillAProblem],
            _ => &[],
        }
    }
}

impl Status {
    /// Support is still working the case (or waiting on the customer).
    pub fn is_active(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed)
    }
}

impl Resolution {
    /// A resolution that ends the work (everything but Open and Reopened).
    pub fn is_final(self) -> bool {
        !matches!(self, Resolution::Open | Resolution::Reopened)
    }
}

/// A status change that passed the rules: the status and resolution the case will have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub to: Status,
    pub resolution: Resolution,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("the case is already {0}")]
    Unchanged(Status),
    #[error("a case cannot go from {from} to {to}")]
    NotAllowed { from: Status, to: Status },
    #[error("customers may only confirm or reopen a resolved case")]
    CustomerMayNot,
    #[error("moving to {0} needs a resolution such as fixed or not_a_bug")]
    ResolutionRequired(Status),
    #[error("resolution {resolution} does not fit status {status}")]
    ResolutionNotAllowed { status: Status, resolution: Resolution },
}

impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> AppError {
        match e {
            TransitionError::CustomerMayNot => AppError::Forbidden,
            TransitionError::ResolutionRequired(_) => AppError::invalid("resolution", InvalidReason::Required),
            TransitionError::ResolutionNotAllowed { .. } => AppError::invalid("resolution", InvalidReason::NotAllowed),
            TransitionError::Unchanged(_) | TransitionError::NotAllowed { .. } => {
                AppError::invalid("status", InvalidReason::NotAllowed)
            }
        }
    }
}

/// Decides whether `actor` may move a case from (`from`, `current`) to `to`, with the
/// resolution they asked for, and returns the resolution the case will then carry.
///
/// - Support moves a case freely between the working statuses (New only at creation);
///   resolving or closing needs a final resolution; leaving Resolved or Closed for a working
///   status reopens it (resolution Reopened).
/// - A customer may only confirm a resolution (Resolved to Closed) or reopen a resolved or
///   closed case (to Confirmed, resolution Reopened).
pub fn check_transition(
    actor: Role,
    from: Status,
    current: Resolution,
    to: Status,
    requested: Option<Resolution>,
) -> Result<Transition, TransitionError> {
    if from == to {
        return Err(TransitionError::Unchanged(from));
    }
    if to == Status::New || (from == Status::Closed && to == Status::Resolved) {
        return Err(TransitionError::NotAllowed { from, to });
    }
    if actor == Role::Customer {
        let allowed = matches!(
            (from, to),
            (Status::Resolved, Status::Closed) | (Status::Resolved | Status::Closed, Status::Confirmed)
        );
        if !allowed {
            return Err(TransitionError::CustomerMayNot);
        }
    }
    let resolution = if to.is_active() {
        let resolution = if from.is_active() { current } else { Resolution::Reopened };
        match requested {
            Some(r) if r != resolution => {
                return Err(TransitionError::ResolutionNotAllowed { status: to, resolution: r });
            }
            _ => resolution,
        }
    } else {
        match requested {
            Some(r) if r.is_final() => r,
            Some(r) => return Err(TransitionError::ResolutionNotAllowed { status: to, resolution: r }),
            None if current.is_final() => current,
            None => return Err(TransitionError::ResolutionRequired(to)),
        }
    };
    Ok(Transition { to, resolution })
}

/// Where a case in Feedback goes when its customer answers (on the portal, by email or the
/// API): back to the status it had before support asked (`before`, read from its log), as
/// MantisBT's `reassign_on_feedback` does, so "waiting on you" ends with the answer. A case
/// whose log says nothing usable returns to Confirmed.
pub fn status_after_feedback(before: Option<Status>) -> Status {
    match before {
        Some(status) if status.is_active() && status != Status::Feedback => status,
        _ => Status::Confirmed,
    }
}

/// The statuses `actor` may move a case to from `from` (for menus; the server re-checks).
pub fn allowed_targets(actor: Role, from: Status, current: Resolution) -> Vec<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(|&to| {
            let requested = (!to.is_active()).then_some(Resolution::Fixed);
            check_transition(actor, from, current, to, requested).is_ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Resolution as R;
    use Status as S;

    const ENGINEER: Role = Role::Engineer;
    const CUSTOMER: Role = Role::Customer;

    #[test]
    fn a_customer_is_offered_verdicts_only_on_a_case_support_has_finished() {
        assert_eq!(Verdict::offered(S::Resolved), &[Verdict::Solved, Verdict::StillAProblem]);
        assert_eq!(Verdict::offered(S::Closed), &[Verdict::StillAProblem]);
        for working in [S::New, S::Feedback, S::Confirmed, S::Assigned] {
            assert!(Verdict::offered(working).is_empty());
        }
        for verdict in Verdict::ALL {
            for &from in Status::ALL.iter().filter(|s| Verdict::offered(**s).contains(verdict)) {
                assert!(
                    check_transition(CUSTOMER, from, R::Fixed, verdict.target(), None).is_ok(),
                    "{verdict:?} from {from:?}"
                );
            }
        }
    }

    #[test]
    fn a_customer_answer_returns_a_feedback_case_where_it_was() {
        assert_eq!(status_after_feedback(Some(S::Assigned)), S::Assigned);
        assert_eq!(status_after_feedback(Some(S::Confirmed)), S::Confirmed);
        assert_eq!(status_after_feedback(Some(S::New)), S::New);
        // A log that does not say, or says something impossible: Confirmed.
        assert_eq!(status_after_feedback(None), S::Confirmed);
        assert_eq!(status_after_feedback(Some(S::Resolved)), S::Confirmed);
        assert_eq!(status_after_feedback(Some(S::Feedback)), S::Confirmed);
    }

    #[test]
    fn engineer_confirms_a_new_case_and_it_stays_open() {
        assert_eq!(
            check_transition(ENGINEER, S::New, R::Open, S::Confirmed, None),
            Ok(Transition { to: S::Confirmed, resolution: R::Open })
        );
    }

    #[test]
    fn engineer_moves_between_working_statuses() {
        for (from, to) in [
            (S::New, S::Feedback),
            (S::Feedback, S::Assigned),
            (S::Assigned, S::Confirmed),
            (S::Confirmed, S::Feedback),
        ] {
            assert!(check_transition(ENGINEER, from, R::Open, to, None).is_ok(), "{from} -> {to}");
        }
    }

    #[test]
    fn nothing_goes_back_to_new() {
        for from in [S::Feedback, S::Confirmed, S::Assigned, S::Resolved, S::Closed] {
            assert_eq!(
                check_transition(ENGINEER, from, R::Open, S::New, None),
                Err(TransitionError::NotAllowed { from, to: S::New })
            );
        }
    }

    #[test]
    fn a_move_to_the_same_status_is_refused() {
        assert_eq!(
            check_transition(ENGINEER, S::Assigned, R::Open, S::Assigned, None),
            Err(TransitionError::Unchanged(S::Assigned))
        );
    }

    #[test]
    fn resolving_needs_a_final_resolution() {
        assert_eq!(
            check_transition(ENGINEER, S::Assigned, R::Open, S::Resolved, None),
            Err(TransitionError::ResolutionRequired(S::Resolved))
        );
        assert_eq!(
            check_transition(ENGINEER, S::Assigned, R::Open, S::Resolved, Some(R::Reopened)),
            Err(TransitionError::ResolutionNotAllowed { status: S::Resolved, resolution: R::Reopened })
        );
        assert_eq!(
            check_transition(ENGINEER, S::Assigned, R::Open, S::Resolved, Some(R::UnableToReproduce)),
            Ok(Transition { to: S::Resolved, resolution: R::UnableToReproduce })
        );
    }

    #[test]
    fn a_working_status_refuses_a_final_resolution() {
        assert_eq!(
            check_transition(ENGINEER, S::New, R::Open, S::Confirmed, Some(R::Fixed)),
            Err(TransitionError::ResolutionNotAllowed { status: S::Confirmed, resolution: R::Fixed })
        );
    }

    #[test]
    fn closing_a_resolved_case_keeps_its_resolution() {
        assert_eq!(
            check_transition(ENGINEER, S::Resolved, R::Fixed, S::Closed, None),
            Ok(Transition { to: S::Closed, resolution: R::Fixed })
        );
    }

    #[test]
    fn reopening_marks_the_case_reopened() {
        assert_eq!(
            check_transition(ENGINEER, S::Closed, R::Fixed, S::Assigned, None),
            Ok(Transition { to: S::Assigned, resolution: R::Reopened })
        );
    }

    #[test]
    fn a_closed_case_cannot_go_back_to_resolved() {
        assert!(check_transition(ENGINEER, S::Closed, R::Fixed, S::Resolved, Some(R::Fixed)).is_err());
    }

    #[test]
    fn customer_confirms_a_resolution() {
        assert_eq!(
            check_transition(CUSTOMER, S::Resolved, R::Fixed, S::Closed, None),
            Ok(Transition { to: S::Closed, resolution: R::Fixed })
        );
    }

    #[test]
    fn customer_reopens_a_resolved_or_closed_case() {
        for from in [S::Resolved, S::Closed] {
            assert_eq!(
                check_transition(CUSTOMER, from, R::Fixed, S::Confirmed, None),
                Ok(Transition { to: S::Confirmed, resolution: R::Reopened })
            );
        }
    }

    #[test]
    fn customer_cannot_work_the_case() {
        for (from, to) in [(S::New, S::Confirmed), (S::Feedback, S::Assigned), (S::Assigned, S::Resolved)] {
            assert_eq!(
                check_transition(CUSTOMER, from, R::Open, to, Some(R::Fixed)),
                Err(TransitionError::CustomerMayNot),
                "{from} -> {to}"
            );
        }
    }

    #[test]
    fn menus_offer_only_allowed_moves() {
        assert_eq!(allowed_targets(CUSTOMER, S::New, R::Open), Vec::<Status>::new());
        assert_eq!(allowed_targets(CUSTOMER, S::Resolved, R::Fixed), vec![S::Confirmed, S::Closed]);
        assert_eq!(
            allowed_targets(ENGINEER, S::New, R::Open),
            vec![S::Feedback, S::Confirmed, S::Assigned, S::Resolved, S::Closed]
        );
    }

    #[test]
    fn transition_errors_become_field_errors_or_forbidden() {
        assert_eq!(AppError::from(TransitionError::CustomerMayNot), AppError::Forbidden);
        assert!(matches!(
            AppError::from(TransitionError::ResolutionRequired(S::Resolved)),
            AppError::Invalid { field, .. } if field == "resolution"
        ));
    }
}
