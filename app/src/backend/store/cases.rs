//! Opening and reading cases; idempotency keys.

use jiff::Timestamp;

use super::attachments::{insert_attachment, take_upload};
use super::changes::{append_event, case_by_id};
use super::idempotency::{earlier_request, remember_request};
use super::rows::{CASE_SELECT, case_from_row};
use super::search_index::index_case;
use super::{CaseScope, Store, UserRecord, fingerprint};
use crate::domain::{
    AssignmentReason, Case, CaseChange, CaseDraft, CaseNumber,
};
use crate::error::{AppError, InvalidReason};

/// The result of opening a case: `created` is false when an idempotent retry found it.
#[derive(Clone, Debug)]
pub struct Opened {
    pub case: Case,
    pub created: bool,
}





/// Who a new case is for and who opened it.
#[derive(Clone, Copy)]
pub struct Opening<'a> {
    /// The case's reporter: the customer contact it is for (support, for a maintenance task).
    pub reporter: &'a UserRecord,
    pub organization_id: i64,
    /// Support, when support opened it (for a contact, or a maintenance task).
    pub opened_by: Option<&'a UserRecord>,
    /// No SLA clock runs on it.
    pub no_sla: bool,
}

impl Store {
    /// Files a validated draft for `reporter`. With an idempotency key, a retry returns the
    /// case the first call made; the same key with a different draft is refused.
    pub async fn open_case(
        &self,
        reporter: &UserRecord,
        draft: &CaseDraft,
        idempotency_key: Option<&str>,
        assignment: Option<&(i64, AssignmentReason)>,
    ) -> Result<Opened, AppError> {
        let organization_id = reporter.organization_id.ok_or(AppError::Forbidden)?;
        let opening = Opening { reporter, organization_id, opened_by: None, no_sla: false };
        self.open_case_as(opening, draft, idempotency_key, assignment).await
    }

    /// Files a validated draft as `opening` says: for a customer by themselves, for a contact
    /// by support (a phone call), or by support for an organization (a maintenance task, no
    /// SLA). The idempotency key and the uploads are the caller's (who opened it).
    pub async fn open_case_as(
        &self,
        opening: Opening<'_>,
        draft: &CaseDraft,
        idempotency_key: Option<&str>,
        assignment: Option<&(i64, AssignmentReason)>,
    ) -> Result<Opened, AppError> {
        let Opening { reporter, organization_id, opened_by, no_sla } = opening;
        let caller = opened_by.unwrap_or(reporter);
        // A customer's key covers their draft; support's also covers where and for whom (the
        // same draft for another organization is another request).
        let request = match opened_by {
            None => serde_json::to_vec(draft),
            Some(_) => serde_json::to_vec(&(organization_id, reporter.id, draft)),
        };
        let request_fingerprint = fingerprint(&request.map_err(|_| AppError::Internal)?);
        let now = Timestamp::now().to_string();
        let mut tx = self.begin_write().await?;

        if let Some(key) = idempotency_key {
            if let Some(case_id) = earlier_request(&mut tx, caller.id, key, &request_fingerprint).await? {
                return Ok(Opened { case: case_by_id(&mut tx, case_id).await?, created: false });
            }
        }

        let number: i64 =
            sqlx::query_scalar("UPDATE case_number_counter SET next = next + 1 WHERE id = 1 RETURNING next - 1")
                .fetch_one(&mut *tx)
                .await?;
        let case_id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (number, organization_id, reporter_id, summary, description, kind, severity, \
             environment, visibility, product, details, status, resolution, version, opened_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'new', 'open', 1, $12, $13) RETURNING id",
        )
        .bind(number)
        .bind(organization_id)
        .bind(reporter.id)
        .bind(&draft.summary)
        .bind(&draft.description)
        .bind(draft.kind.as_str())
        .bind(draft.severity.level() as i64)
        .bind(draft.environment.as_str())
        .bind(draft.visibility.as_str())
        .bind(&draft.product)
        .bind(serde_json::to_string(&draft.details).map_err(|_| AppError::Internal)?)
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let opened = CaseChange::Opened {
            kind: draft.kind,
            severity: draft.severity,
            on_behalf: opened_by.is_some_and(|by| by.id != reporter.id),
            no_sla,
        };
        let mut event_id = append_event(&mut tx, case_id, Some(caller.id), &now, &opened, self.mail_window).await?;
        index_case(&mut tx, event_id, case_id, organization_id, &draft.summary, &draft.description).await?;
        // Files uploaded while the draft was written join the case; an id that is not the
        // reporter's own (or was used already) refuses the whole case.
        for upload_id in &draft.attachments {
            let Some(attachment) = take_upload(&mut tx, *upload_id, caller.id).await? else {
                tracing::info!(upload_id, user = caller.id, "case refused: unknown upload");
                return Err(AppError::invalid("attachments", InvalidReason::NotAllowed));
            };
            event_id = insert_attachment(&mut tx, case_id, caller.id, &attachment, &now, self.mail_window).await?;
        }
        if let Some((engineer_id, reason)) = assignment {
            let name: String = sqlx::query_scalar(
                "UPDATE cases SET assignee_id = $1 WHERE id = $2 \
                 RETURNING (SELECT name FROM users WHERE id = $1)",
            )
            .bind(engineer_id)
            .bind(case_id)
            .fetch_one(&mut *tx)
            .await?;
            let change = CaseChange::Assigned {
                engineer_id: Some(*engineer_id),
                engineer: Some(name),
                reason: Some(reason.clone()),
            };
            event_id = append_event(&mut tx, case_id, None, &now, &change, self.mail_window).await?;
        }
        if let Some(key) = idempotency_key {
            remember_request(&mut tx, caller.id, key, &request_fingerprint, case_id, &now).await?;
        }
        let case = case_by_id(&mut tx, case_id).await?;
        tx.commit().await?;
        self.committed(event_id);
        Ok(Opened { case, created: true })
    }

    /// The cases `scope` may see, newest first (tests on small databases only: lists page by
    /// cursor, `case_page`).
    #[cfg(test)]
    pub async fn list_cases(&self, scope: CaseScope) -> Result<Vec<Case>, AppError> {
        let sql = format!("{CASE_SELECT} WHERE {} ORDER BY c.number DESC", CaseScope::SQL);
        let rows = scope.query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(case_from_row).collect()
    }

    /// One case, if `scope` may see it. A case out of scope is reported exactly like a
    /// missing one, so its existence does not leak.
    pub async fn case_by_number(&self, number: CaseNumber, scope: CaseScope) -> Result<Option<Case>, AppError> {
        let sql = format!("{CASE_SELECT} WHERE c.number = $5 AND {}", CaseScope::SQL);
        let row = scope.query(sql).bind(number.0).fetch_optional(&self.pool).await?;
        row.as_ref().map(case_from_row).transpose()
    }

    /// A case by its internal id (for the mail sender, which acts for the system).
    pub async fn case_by_id(&self, case_id: i64) -> Result<Option<Case>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("{CASE_SELECT} WHERE c.id = $1"));
        let row = sqlx::query(sql).bind(case_id).fetch_optional(&self.pool).await?;
        row.as_ref().map(case_from_row).transpose()
    }

    /// The language of a case's reporter (the case's language).
    pub async fn reporter_language(&self, number: CaseNumber) -> Result<Option<String>, AppError> {
        Ok(sqlx::query_scalar(
            "SELECT u.language FROM cases c JOIN users u ON u.id = c.reporter_id WHERE c.number = $1",
        )
        .bind(number.0)
        .fetch_optional(&self.pool)
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn case_numbers_start_at_1001_and_grow() {
        let f = fixture().await;
        let a = cases::open_case(&f.store, &f.alice, draft("first"), None).await.unwrap();
        let b = cases::open_case(&f.store, &f.bruno, draft("second"), None).await.unwrap();
        assert_eq!(a.case.number, CaseNumber(1001));
        assert_eq!(b.case.number, CaseNumber(1002));
        assert_eq!(a.case.version, 1);
        assert_eq!(a.case.status, Status::New);
        assert_eq!(a.case.resolution, Resolution::Open);
    }

    #[tokio::test]
    async fn a_refused_case_does_not_consume_a_number() {
        let f = fixture().await;
        let too_long = draft(&"x".repeat(201));
        assert!(cases::open_case(&f.store, &f.alice, too_long, None).await.is_err());
        let ok = cases::open_case(&f.store, &f.alice, draft("fine"), None).await.unwrap();
        assert_eq!(ok.case.number, CaseNumber(1001));
    }

    #[tokio::test]
    async fn opening_a_case_appends_an_opened_event_in_the_same_transaction() {
        let f = fixture().await;
        let opened = cases::open_case(&f.store, &f.alice, draft("log me"), None).await.unwrap();
        let events = f.store.case_events(opened.case.number, true).await.unwrap();
        // Opened by Alice, then (same transaction) given to the only engineer by the rule.
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].change.kind(), "opened");
        assert_eq!(events[0].actor.as_deref(), Some("alice@acme.test"));
        assert_eq!(events[1].change.kind(), "assigned");
        assert_eq!(events[1].actor, None);
        assert_eq!(opened.case.assignee_id, Some(f.sam.id));
        // Customers never read the rule's reasons.
        assert_eq!(f.store.case_events(opened.case.number, false).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn idempotent_retry_returns_the_first_case_and_creates_nothing() {
        let f = fixture().await;
        let first = cases::open_case(&f.store, &f.alice, draft("once"), Some("key-1")).await.unwrap();
        let retry = cases::open_case(&f.store, &f.alice, draft("once"), Some("key-1")).await.unwrap();
        assert!(first.created);
        assert!(!retry.created);
        assert_eq!(first.case.number, retry.case.number);
        assert_eq!(f.store.list_cases(CaseScope::Everything).await.unwrap().len(), 1);
        assert_eq!(f.store.case_events(first.case.number, false).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn the_same_key_with_another_draft_is_refused() {
        let f = fixture().await;
        cases::open_case(&f.store, &f.alice, draft("once"), Some("key-1")).await.unwrap();
        let other = cases::open_case(&f.store, &f.alice, draft("something else"), Some("key-1")).await;
        assert_eq!(other.unwrap_err(), AppError::invalid("idempotency_key", InvalidReason::NotAllowed));
    }

    #[tokio::test]
    async fn idempotency_keys_are_per_user() {
        let f = fixture().await;
        let a = cases::open_case(&f.store, &f.alice, draft("same"), Some("shared")).await.unwrap();
        let b = cases::open_case(&f.store, &f.amir, draft("same"), Some("shared")).await.unwrap();
        assert_ne!(a.case.number, b.case.number);
    }

    #[tokio::test]
    async fn support_cannot_open_a_case_as_a_customer_yet() {
        let f = fixture().await;
        assert_eq!(cases::open_case(&f.store, &f.sam, draft("x"), None).await.unwrap_err(), AppError::Forbidden);
    }

    #[tokio::test]
    async fn customer_cannot_read_other_organizations_case() {
        let f = fixture().await;
        let acme_case = cases::open_case(&f.store, &f.alice, draft("acme only"), None).await.unwrap().case;
        assert_eq!(cases::case_for(&f.store, &f.bruno, acme_case.number).await.unwrap_err(), AppError::NotFound);
        assert!(cases::list_cases(&f.store, &f.bruno).await.unwrap().is_empty());
        assert_eq!(cases::case_for(&f.store, &f.sam, acme_case.number).await.unwrap().summary, "acme only");
        assert_eq!(cases::case_for(&f.store, &f.amir, acme_case.number).await.unwrap().summary, "acme only");
    }

    #[tokio::test]
    async fn a_private_case_is_seen_by_its_reporter_the_org_admin_and_support_only() {
        let f = fixture().await;
        let private = CaseDraft { visibility: Visibility::Private, ..draft("private") };
        let case = cases::open_case(&f.store, &f.alice, private, None).await.unwrap().case;
        for (who, sees) in [(&f.alice, true), (&f.olga, true), (&f.sam, true), (&f.amir, false), (&f.bruno, false)] {
            assert_eq!(cases::case_for(&f.store, who, case.number).await.is_ok(), sees, "{}", who.email);
            assert_eq!(cases::list_cases(&f.store, who).await.unwrap().len(), usize::from(sees), "{}", who.email);
        }
    }
}
