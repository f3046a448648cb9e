//! Inbound mail: which messages were handled, and replies that came by email.

use jiff::Timestamp;
use sqlx::Row;

use super::attachments::{NewAttachment, insert_attachment};
use super::{CaseScope, Store};
use crate::domain::{Case, CaseChange, CaseNumber};
use crate::error::AppError;

impl Store {
    /// How an inbound message (by Message-ID) was handled already, if it was:
    /// (outcome, case number).
    pub async fn inbound_handled(&self, message_id: &str) -> Result<Option<(String, Option<i64>)>, AppError> {
        let row = sqlx::query("SELECT outcome, case_number FROM mail_inbound WHERE message_id = $1")
            .bind(message_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((r.try_get("outcome")?, r.try_get("case_number")?))).transpose()
    }

    /// Remembers an inbound message's outcome (the first one stays).
    pub async fn record_inbound(
        &self,
        message_id: &str,
        sender: &str,
        outcome: &str,
        case_number: Option<CaseNumber>,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO mail_inbound (message_id, received_at, sender, outcome, case_number) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT(message_id) DO NOTHING",
        )
        .bind(message_id)
        .bind(Timestamp::now().to_string())
        .bind(sender)
        .bind(outcome)
        .bind(case_number.map(|n| n.0))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A reply that came by email, with its attachments, in one transaction with the record
    /// of its Message-ID: `None` when that message was handled before (nothing changes).
    pub async fn add_mail_reply(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        actor_id: i64,
        change: Option<&CaseChange>,
        attachments: &[NewAttachment],
        message_id: &str,
        sender: &str,
    ) -> Result<Option<Case>, AppError> {
        let mut write = self.write_case(number, scope, None).await?;
        let seen: Option<String> = sqlx::query_scalar("SELECT outcome FROM mail_inbound WHERE message_id = $1")
            .bind(message_id)
            .fetch_optional(&mut *write.tx)
            .await?;
        if seen.is_some() {
            return Ok(None);
        }
        if let Some(change) = change {
            write.append(Some(actor_id), change).await?;
        }
        for attachment in attachments {
            let attached =
                insert_attachment(&mut write.tx, write.case_id, actor_id, attachment, &write.now, write.mail_window)
                    .await?;
            write.appended(attached);
        }
        sqlx::query(
            "INSERT INTO mail_inbound (message_id, received_at, sender, outcome, case_number) VALUES ($1, $2, $3, 'reply', $4)",
        )
        .bind(message_id)
        .bind(&write.now)
        .bind(sender)
        .bind(number.0)
        .execute(&mut *write.tx)
        .await?;
        Ok(Some(write.commit(self).await?))
    }
}
