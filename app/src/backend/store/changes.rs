//! Changing a case: read it in the write transaction, check the version, change it,
//! append the log entry, bump the version, commit, tell the after-commit listeners.
//! [`CaseWrite`] is that shape, written once.

use jiff::Timestamp;
use sqlx::Row;

use super::rows::{CASE_SELECT, case_from_row};
use super::{CaseScope, Store, Tx, UserRecord, timestamp};
use crate::domain::{AssignmentReason, Case, CaseChange, CaseNumber, LinkKind, Severity, Status, Transition};
use crate::error::{AppError, InvalidReason};

/// A case `scope` may see, read inside the transaction that will change it; `NotFound`
/// when it does not exist or is out of scope.
pub(super) async fn case_in(tx: &mut Tx, number: CaseNumber, scope: CaseScope) -> Result<(i64, Case), AppError> {
    let sql = format!("{CASE_SELECT} WHERE c.number = $5 AND {}", CaseScope::SQL);
    let row = scope.query(sql).bind(number.0).fetch_optional(&mut **tx).await?.ok_or(AppError::NotFound)?;
    Ok((row.try_get("id")?, case_from_row(&row)?))
}

/// A case as it is now inside the transaction (after a change, before the commit).
pub(super) async fn case_by_id(tx: &mut Tx, case_id: i64) -> Result<Case, AppError> {
    let sql = sqlx::AssertSqlSafe(format!("{CASE_SELECT} WHERE c.id = $1"));
    let row = sqlx::query(sql).bind(case_id).fetch_one(&mut **tx).await?;
    case_from_row(&row)
}

/// The id of a case `scope` may see.
pub(super) async fn visible_case_id(
    tx: &mut Tx,
    number: CaseNumber,
    scope: CaseScope,
) -> Result<Option<i64>, AppError> {
    let sql = format!("SELECT c.id FROM cases c WHERE c.number = $5 AND {}", CaseScope::SQL);
    let row = scope.query(sql).bind(number.0).fetch_optional(&mut **tx).await?;
    Ok(row.map(|row| row.try_get("id")).transpose()?)
}

/// The conflict error for a case now at `current_version`, naming who made the last change
/// and how long ago.
/// A customer is only ever told of entries they may read (never of an internal note).
pub(super) async fn conflict(
    tx: &mut Tx,
    case_id: i64,
    current_version: i64,
    scope: CaseScope,
) -> Result<AppError, AppError> {
    let last = sqlx::query(
        "SELECT u.name, e.at FROM case_events e LEFT JOIN users u ON u.id = e.actor_id \
         WHERE e.case_id = $1 AND (e.internal = 0 OR $2 = 1) ORDER BY e.id DESC LIMIT 1",
    )
    .bind(case_id)
    .bind(i64::from(scope == CaseScope::Everything))
    .fetch_optional(&mut **tx)
    .await?;
    let (changed_by, seconds_ago) = match last {
        Some(row) => {
            let at = timestamp(&row.try_get::<String, _>("at")?)?;
            let ago = Timestamp::now().duration_since(at).as_secs().max(0) as u64;
            (row.try_get::<Option<String>, _>("name")?, Some(ago))
        }
        None => (None, None),
    };
    Ok(AppError::Conflict { current_version, changed_by, seconds_ago })
}

/// A change others must see before they act on the case: its version goes up. (Internal
/// notes do not call it: customers must not see that anything happened.)
pub(super) async fn touch_case(tx: &mut Tx, case_id: i64, now: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE cases SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends a log entry and, in the same transaction, the mail it causes (the outbox), due
/// `mail_window` later (the store's [`Store::with_mail_window`]).
pub(super) async fn append_event(
    tx: &mut Tx,
    case_id: i64,
    actor_id: Option<i64>,
    at: &str,
    change: &CaseChange,
    mail_window: std::time::Duration,
) -> Result<i64, AppError> {
    let data = serde_json::to_string(change).map_err(|_| AppError::Internal)?;
    let event_id: i64 = sqlx::query_scalar(
        "INSERT INTO case_events (case_id, actor_id, at, kind, internal, data) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(case_id)
    .bind(actor_id)
    .bind(at)
    .bind(change.kind())
    .bind(i64::from(change.is_internal()))
    .bind(data)
    .fetch_one(&mut **tx)
    .await?;
    super::projections::project_event(tx, case_id, at, change).await?;
    super::report_rollups::roll_up_case(tx, case_id, at).await?;
    super::outbox::enqueue(tx, case_id, event_id, actor_id, change, at, mail_window).await?;
    super::search_index::index_log_entry(tx, event_id, case_id, change).await?;
    Ok(event_id)
}

/// Records a link (again: the newer kind wins) and its log entry; returns the entry's id.
#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_link(
    tx: &mut Tx,
    case_id: i64,
    other_id: i64,
    other: CaseNumber,
    kind: LinkKind,
    actor_id: i64,
    now: &str,
    mail_window: std::time::Duration,
) -> Result<i64, AppError> {
    if case_id == other_id {
        return Err(AppError::invalid("duplicate_of", InvalidReason::NotAllowed));
    }
    sqlx::query(
        "INSERT INTO case_links (case_id, other_id, kind, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT(case_id, other_id) DO UPDATE SET kind = excluded.kind",
    )
    .bind(case_id)
    .bind(other_id)
    .bind(kind.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    append_event(tx, case_id, Some(actor_id), now, &CaseChange::Linked { kind, other }, mail_window).await
}

/// One change to one case, inside its write transaction: the case as it was read there,
/// the instant of the change, and the newest log entry written so far. Every change to a
/// case goes through it: [`Store::write_case`], then [`CaseWrite::append`] (as often as
/// needed), then [`CaseWrite::commit`].
pub(super) struct CaseWrite {
    pub(super) tx: Tx,
    pub(super) case_id: i64,
    /// The case as it was before this change.
    pub(super) case: Case,
    pub(super) now: String,
    /// The store's mail window, for the outbox rows the entries cause.
    pub(super) mail_window: std::time::Duration,
    event_id: i64,
    /// Anything but an internal note was changed or appended: the version goes up.
    visible: bool,
    /// A customer's answer already took the case out of Feedback in this write.
    resumed: bool,
}

impl CaseWrite {
    /// Appends a log entry (and, in the same transaction, the mail it causes). A customer's
    /// public reply to a case in Feedback also returns the case to where it was before
    /// (whatever surface the reply came by: this is the one place replies are written).
    pub(super) async fn append(&mut self, actor_id: Option<i64>, change: &CaseChange) -> Result<(), AppError> {
        self.visible |= !matches!(change, CaseChange::Reply { internal: true, .. });
        self.event_id = append_event(&mut self.tx, self.case_id, actor_id, &self.now, change, self.mail_window).await?;
        let customer_answer = matches!(change, CaseChange::Reply { internal: false, from_support: false, .. });
        if customer_answer && self.case.status == Status::Feedback && !self.resumed {
            self.resume_after_feedback().await?;
        }
        Ok(())
    }

    /// The case leaves Feedback for the status it had before it (its newest status change
    /// says which), as a log entry of its own, without an actor: the answer moved it.
    async fn resume_after_feedback(&mut self) -> Result<(), AppError> {
        let last: Option<String> = sqlx::query_scalar(
            "SELECT data FROM case_events WHERE case_id = $1 AND kind = 'status_changed' ORDER BY id DESC LIMIT 1",
        )
        .bind(self.case_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        let before = last.and_then(|data| serde_json::from_str::<CaseChange>(&data).ok()).and_then(|c| match c {
            CaseChange::StatusChanged { from, to: Status::Feedback, .. } => Some(from),
            _ => None,
        });
        let to = crate::domain::lifecycle::status_after_feedback(before);
        sqlx::query("UPDATE cases SET status = $1 WHERE id = $2")
            .bind(to.as_str())
            .bind(self.case_id)
            .execute(&mut *self.tx)
            .await?;
        let change = CaseChange::StatusChanged { from: Status::Feedback, to, resolution: self.case.resolution };
        self.event_id = append_event(&mut self.tx, self.case_id, None, &self.now, &change, self.mail_window).await?;
        self.resumed = true;
        Ok(())
    }

    /// Records that a helper appended log entry `event_id` itself (a link, an attachment).
    pub(super) fn appended(&mut self, event_id: i64) {
        self.visible = true;
        self.event_id = self.event_id.max(event_id);
    }

    /// Bumps the case's version (unless only internal notes were appended: customers see
    /// the version and the time of the last change), commits, tells the after-commit
    /// listeners, and returns the case as committed.
    pub(super) async fn commit(mut self, store: &Store) -> Result<Case, AppError> {
        if self.visible {
            touch_case(&mut self.tx, self.case_id, &self.now).await?;
        }
        let case = case_by_id(&mut self.tx, self.case_id).await?;
        self.tx.commit().await?;
        store.committed(self.event_id);
        Ok(case)
    }
}

impl Store {
    /// Begins a change to a case `scope` may see (`NotFound` otherwise, exactly as for a
    /// missing case); with `expected_version`, a case that moved on since is refused with
    /// `Conflict` naming who changed it.
    pub(super) async fn write_case(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        expected_version: Option<i64>,
    ) -> Result<CaseWrite, AppError> {
        let mut tx = self.begin_write().await?;
        let (case_id, case) = case_in(&mut tx, number, scope).await?;
        if expected_version.is_some_and(|v| v != case.version) {
            return Err(conflict(&mut tx, case_id, case.version, scope).await?);
        }
        Ok(CaseWrite {
            tx,
            case_id,
            case,
            now: Timestamp::now().to_string(),
            mail_window: self.mail_window,
            event_id: 0,
            visible: false,
            resumed: false,
        })
    }

    /// Changes a case's status if it is still at `expected_version`. `decide` sees the case
    /// as it is inside the transaction and says what it becomes (or why not).
    pub async fn change_status(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        actor_id: i64,
        expected_version: i64,
        duplicate_of: Option<CaseNumber>,
        decide: impl FnOnce(&Case) -> Result<Transition, AppError>,
    ) -> Result<Case, AppError> {
        self.change_status_saying(number, scope, actor_id, expected_version, duplicate_of, None, decide).await
    }

    /// [`Store::change_status`], and in the same transaction the mover's public reply
    /// `saying` (a customer's reason for reopening), after the status change.
    #[allow(clippy::too_many_arguments)]
    pub async fn change_status_saying(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        actor_id: i64,
        expected_version: i64,
        duplicate_of: Option<CaseNumber>,
        saying: Option<&CaseChange>,
        decide: impl FnOnce(&Case) -> Result<Transition, AppError>,
    ) -> Result<Case, AppError> {
        let mut write = self.write_case(number, scope, Some(expected_version)).await?;
        let transition = decide(&write.case)?;
        sqlx::query("UPDATE cases SET status = $1, resolution = $2 WHERE id = $3")
            .bind(transition.to.as_str())
            .bind(transition.resolution.as_str())
            .bind(write.case_id)
            .execute(&mut *write.tx)
            .await?;
        let from = write.case.status;
        write
            .append(
                Some(actor_id),
                &CaseChange::StatusChanged { from, to: transition.to, resolution: transition.resolution },
            )
            .await?;
        if let Some(other) = duplicate_of {
            // In the same transaction: a Duplicate always points at what it duplicates.
            let other_id = visible_case_id(&mut write.tx, other, scope)
                .await?
                .ok_or_else(|| AppError::invalid("duplicate_of", InvalidReason::NotAllowed))?;
            let linked = insert_link(
                &mut write.tx,
                write.case_id,
                other_id,
                other,
                LinkKind::DuplicateOf,
                actor_id,
                &write.now,
                write.mail_window,
            )
            .await?;
            write.appended(linked);
        }
        if let Some(reply) = saying {
            write.append(Some(actor_id), reply).await?;
        }
        write.commit(self).await
    }

    /// Gives a case the scope may see to `engineer` (`None`: nobody), if it is still at
    /// `expected_version` (when given). `actor_id` is `None` for the automatic rule.
    pub async fn assign(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        actor_id: Option<i64>,
        engineer: Option<&UserRecord>,
        reason: Option<AssignmentReason>,
        expected_version: Option<i64>,
    ) -> Result<Case, AppError> {
        let mut write = self.write_case(number, scope, expected_version).await?;
        let engineer_id = engineer.map(|e| e.id);
        if write.case.assignee_id == engineer_id {
            // Already so: nothing to record (a double click on "Take" is harmless).
            return Ok(write.case);
        }
        sqlx::query("UPDATE cases SET assignee_id = $1 WHERE id = $2")
            .bind(engineer_id)
            .bind(write.case_id)
            .execute(&mut *write.tx)
            .await?;
        write
            .append(actor_id, &CaseChange::Assigned { engineer_id, engineer: engineer.map(|e| e.name.clone()), reason })
            .await?;
        write.commit(self).await
    }

    /// Changes a case's severity if it is still at `expected_version`; `decide` sees the case
    /// inside the transaction and says whether the change stands.
    pub async fn change_severity(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        actor_id: i64,
        expected_version: i64,
        to: Severity,
        decide: impl FnOnce(&Case) -> Result<(), AppError>,
    ) -> Result<Case, AppError> {
        let mut write = self.write_case(number, scope, Some(expected_version)).await?;
        decide(&write.case)?;
        sqlx::query("UPDATE cases SET severity = $1 WHERE id = $2")
            .bind(to.level() as i64)
            .bind(write.case_id)
            .execute(&mut *write.tx)
            .await?;
        let from = write.case.severity;
        write.append(Some(actor_id), &CaseChange::SeverityChanged { from, to }).await?;
        write.commit(self).await
    }

    /// Appends a change made by `actor` to a case `scope` may see, bumping its version
    /// (a reply is a change others must see before they act on the case).
    pub async fn append_change(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        actor_id: i64,
        change: &CaseChange,
        expected_version: Option<i64>,
    ) -> Result<Case, AppError> {
        self.append_with_uploads(number, scope, actor_id, change, expected_version, &[]).await
    }

    /// Appends a system event (no actor) to a case's log unless the very same entry is
    /// already there: the sweeper's warnings and breaches are written once, even when two
    /// sweeps race or the server restarts. Returns whether it was appended.
    pub async fn append_once(&self, number: CaseNumber, change: &CaseChange) -> Result<bool, AppError> {
        let data = serde_json::to_string(change).map_err(|_| AppError::Internal)?;
        let mut tx = self.begin_write().await?;
        let Some(case_id) = sqlx::query_scalar::<_, i64>("SELECT id FROM cases WHERE number = $1")
            .bind(number.0)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Err(AppError::NotFound);
        };
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM case_events WHERE case_id = $1 AND kind = $2 AND data = $3")
                .bind(case_id)
                .bind(change.kind())
                .bind(&data)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            return Ok(false);
        }
        let event_id =
            append_event(&mut tx, case_id, None, &Timestamp::now().to_string(), change, self.mail_window).await?;
        tx.commit().await?;
        self.committed(event_id);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn a_customer_answer_returns_a_feedback_case_to_where_it_was_and_nothing_else_does() {
        let f = fixture().await;
        let case = cases::open_case(&f.store, &f.alice, draft("waiting on you"), None).await.unwrap().case;
        let n = case.number;
        cases::change_status(&f.store, &f.sam, n, Status::Assigned, None, 1, None).await.unwrap();
        cases::change_status(&f.store, &f.sam, n, Status::Feedback, None, 2, None).await.unwrap();
        // Support's reply and an internal note leave it waiting on the customer.
        let after_support = cases::reply(&f.store, &f.sam, n, "Which version?", false, None, false).await.unwrap();
        let after_note = cases::reply(&f.store, &f.sam, n, "asked", true, None, false).await.unwrap();
        assert_eq!((after_support.status, after_note.status), (Status::Feedback, Status::Feedback));
        // The customer's answer: back to Assigned, as its own entry, without an actor.
        let answered = cases::reply(&f.store, &f.alice, n, "9.1.3", false, None, false).await.unwrap();
        assert_eq!(answered.status, Status::Assigned);
        let events = f.store.case_events(n, true).await.unwrap();
        let last = events.last().unwrap();
        assert_eq!(last.actor, None);
        assert!(
            matches!(
                last.change,
                crate::domain::CaseChange::StatusChanged { from: Status::Feedback, to: Status::Assigned, .. }
            ),
            "{:?}",
            last.change
        );
        // Answering again changes nothing more.
        let again = cases::reply(&f.store, &f.alice, n, "and 9.1.4", false, None, false).await.unwrap();
        assert_eq!(again.status, Status::Assigned);
        assert_eq!(f.store.case_events(n, true).await.unwrap().len(), events.len() + 1);

        // From New straight to Feedback: back to New.
        let other = cases::open_case(&f.store, &f.alice, draft("asked at once"), None).await.unwrap().case;
        cases::change_status(&f.store, &f.sam, other.number, Status::Feedback, None, 1, None).await.unwrap();
        let back = cases::reply(&f.store, &f.alice, other.number, "here", false, None, false).await.unwrap();
        assert_eq!(back.status, Status::New);
    }

    #[tokio::test]
    async fn an_engineer_moves_a_case_and_the_log_records_it() {
        let f = fixture().await;
        let case = cases::open_case(&f.store, &f.alice, draft("move me"), None).await.unwrap().case;
        let moved =
            cases::change_status(&f.store, &f.sam, case.number, Status::Confirmed, None, 1, None).await.unwrap();
        assert_eq!(moved.status, Status::Confirmed);
        assert_eq!(moved.version, 2);
        let events = f.store.case_events(case.number, false).await.unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].change.kind(), "status_changed");
    }

    #[tokio::test]
    async fn a_stale_version_is_refused_with_the_current_one_and_changes_nothing() {
        let f = fixture().await;
        let case = cases::open_case(&f.store, &f.alice, draft("race"), None).await.unwrap().case;
        cases::change_status(&f.store, &f.sam, case.number, Status::Confirmed, None, 1, None).await.unwrap();
        let stale = cases::change_status(&f.store, &f.sam, case.number, Status::Assigned, None, 1, None).await;
        // The refusal says who changed the case, and that it was a moment ago.
        match stale.unwrap_err() {
            AppError::Conflict { current_version: 2, changed_by, seconds_ago } => {
                assert_eq!(changed_by.as_deref(), Some("sam@support.test"));
                assert!(seconds_ago.is_some_and(|s| s < 60));
            }
            other => panic!("{other:?}"),
        }
        let now = cases::case_for(&f.store, &f.sam, case.number).await.unwrap();
        assert_eq!((now.status, now.version), (Status::Confirmed, 2));
        assert_eq!(f.store.case_events(case.number, false).await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_refused_transition_changes_nothing() {
        let f = fixture().await;
        let case = cases::open_case(&f.store, &f.alice, draft("no"), None).await.unwrap().case;
        let by_customer = cases::change_status(&f.store, &f.alice, case.number, Status::Confirmed, None, 1, None).await;
        assert_eq!(by_customer.unwrap_err(), AppError::Forbidden);
        let unresolved = cases::change_status(&f.store, &f.sam, case.number, Status::Resolved, None, 1, None).await;
        assert!(matches!(unresolved, Err(AppError::Invalid { field, .. }) if field == "resolution"));
        let now = cases::case_for(&f.store, &f.sam, case.number).await.unwrap();
        assert_eq!((now.status, now.version), (Status::New, 1));
    }

    #[tokio::test]
    async fn customer_cannot_move_another_organizations_case() {
        let f = fixture().await;
        let case = cases::open_case(&f.store, &f.alice, draft("mine"), None).await.unwrap().case;
        let change = f
            .store
            .change_status(case.number, f.bruno.case_scope(), f.bruno.id, 1, None, |_| {
                Ok(Transition { to: Status::Closed, resolution: Resolution::Fixed })
            })
            .await;
        assert_eq!(change.unwrap_err(), AppError::NotFound);
    }

    #[tokio::test]
    async fn the_event_log_is_append_only() {
        let f = fixture().await;
        cases::open_case(&f.store, &f.alice, draft("history"), None).await.unwrap();
        assert!(f.store.raw_execute("UPDATE case_events SET kind = 'forged'").await.is_err());
        assert!(f.store.raw_execute("DELETE FROM case_events").await.is_err());
    }

    #[tokio::test]
    async fn a_public_reply_to_a_case_that_changed_since_the_draft_began_waits_for_confirmation() {
        let f = fixture().await;
        let case = cases::open_case(&f.store, &f.alice, draft("collide"), None).await.unwrap().case;
        let seen = case.version;
        cases::change_status(&f.store, &f.sam, case.number, Status::Feedback, None, seen, None).await.unwrap();

        let refused = cases::reply(&f.store, &f.sam, case.number, "answer", false, Some(seen), false).await;
        assert!(matches!(refused, Err(AppError::Conflict { changed_by: Some(_), .. })), "{refused:?}");
        let log = f.store.case_events(case.number, true).await.unwrap();
        assert!(!log.iter().any(|e| e.change.kind() == "reply"), "nothing was sent");

        // Internal notes are not held back; a confirmed reply goes through.
        cases::reply(&f.store, &f.sam, case.number, "note", true, Some(seen), false).await.unwrap();
        cases::reply(&f.store, &f.sam, case.number, "answer", false, Some(seen), true).await.unwrap();
        let now = cases::case_for(&f.store, &f.sam, case.number).await.unwrap();
        cases::reply(&f.store, &f.alice, case.number, "thanks", false, Some(now.version), false).await.unwrap();
    }
}
