//! A customer's verdict on a case support resolved: "Yes, it's solved" closes it; "It's
//! still a problem" reopens it with a reason, posted as their reply in the same
//! transaction. Customers get these two actions instead of a status menu; support moves
//! cases with the status menu.

use super::store::{Store, UserRecord};
use crate::domain::event::REPLY_MAX_BYTES;
use crate::domain::lifecycle::check_transition;
use crate::domain::{Case, CaseChange, CaseNumber, Role, Verdict};
use crate::error::{AppError, InvalidReason};

/// Gives `verdict` on a case the customer may see, at the version they saw. Support gets
/// 403 (they use the status menu); a verdict the case does not offer now is 422 `verdict`;
/// reopening without a reason is 422 `reason`. A refusal changes nothing.
pub async fn give(
    store: &Store,
    user: &UserRecord,
    number: CaseNumber,
    verdict: Verdict,
    reason: &str,
    expected_version: i64,
) -> Result<Case, AppError> {
    if user.role != Role::Customer {
        tracing::info!(%number, user = user.id, "verdict refused: not a customer");
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    let saying = match verdict {
        Verdict::Solved => None,
        Verdict::StillAProblem if reason.is_empty() => {
            return Err(AppError::invalid("reason", InvalidReason::Required));
        }
        Verdict::StillAProblem if reason.len() > REPLY_MAX_BYTES => {
            return Err(AppError::invalid("reason", InvalidReason::TooLong { max: REPLY_MAX_BYTES }));
        }
        Verdict::StillAProblem => {
            Some(CaseChange::Reply { body: reason.to_owned(), internal: false, from_support: false })
        }
    };
    let case = store
        .change_status_saying(number, user.case_scope(), user.id, expected_version, None, saying.as_ref(), |case| {
            if !Verdict::offered(case.status).contains(&verdict) {
                return Err(AppError::invalid("verdict", InvalidReason::NotAllowed));
            }
            Ok(check_transition(Role::Customer, case.status, case.resolution, verdict.target(), None)?)
        })
        .await;
    match &case {
        Ok(case) => {
            tracing::info!(%number, user = user.id, verdict = verdict.as_str(), status = %case.status, "verdict given")
        }
        Err(e) => tracing::info!(%number, user = user.id, verdict = verdict.as_str(), error = %e, "verdict refused"),
    }
    case
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;
    use crate::domain::{Resolution, Status, Verdict};
    use crate::error::AppError;

    async fn resolved(f: &Fixture) -> crate::domain::Case {
        let case = cases::open_case(&f.store, &f.alice, draft("verdict"), None).await.unwrap().case;
        cases::change_status(&f.store, &f.sam, case.number, Status::Resolved, Some(Resolution::Fixed), 1, None)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn solved_closes_and_still_a_problem_reopens_with_the_reason_as_a_reply() {
        let f = fixture().await;
        let case = resolved(&f).await;
        let closed = super::give(&f.store, &f.alice, case.number, Verdict::Solved, "", case.version).await.unwrap();
        assert_eq!((closed.status, closed.resolution), (Status::Closed, Resolution::Fixed));

        let reopened = super::give(
            &f.store,
            &f.alice,
            case.number,
            Verdict::StillAProblem,
            "Still slow on Fridays",
            closed.version,
        )
        .await
        .unwrap();
        assert_eq!((reopened.status, reopened.resolution), (Status::Confirmed, Resolution::Reopened));
        let events = f.store.case_events(case.number, false).await.unwrap();
        let last = &events[events.len() - 1].change;
        assert!(
            matches!(last, crate::domain::CaseChange::Reply { body, .. } if body == "Still slow on Fridays"),
            "{last:?}"
        );
    }

    #[tokio::test]
    async fn a_verdict_without_its_reason_or_not_offered_or_by_support_changes_nothing() {
        let f = fixture().await;
        let case = resolved(&f).await;
        let refused = [
            super::give(&f.store, &f.alice, case.number, Verdict::StillAProblem, "  ", case.version).await,
            super::give(&f.store, &f.sam, case.number, Verdict::Solved, "", case.version).await,
            super::give(&f.store, &f.alice, case.number, Verdict::Solved, "", case.version - 1).await,
        ];
        assert!(matches!(&refused[0], Err(AppError::Invalid { field, .. }) if field == "reason"));
        assert_eq!(refused[1], Err(AppError::Forbidden));
        assert!(matches!(refused[2], Err(AppError::Conflict { .. })));
        let open = cases::open_case(&f.store, &f.alice, draft("still open"), None).await.unwrap().case;
        let early = super::give(&f.store, &f.alice, open.number, Verdict::Solved, "", open.version).await;
        assert!(matches!(&early, Err(AppError::Invalid { field, .. }) if field == "verdict"), "{early:?}");
        let now =
            f.store.case_by_number(case.number, crate::backend::store::CaseScope::Everything).await.unwrap().unwrap();
        assert_eq!((now.status, now.version), (Status::Resolved, case.version));
    }
}
