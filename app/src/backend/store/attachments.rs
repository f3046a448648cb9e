//! Attachments of cases, and uploads waiting for their case.

use jiff::Timestamp;
use sqlx::Row;

use super::changes::append_event;
use super::Tx;
use super::scope::CaseScope;
use super::idempotency::{earlier_request, remember_request};
use super::{Store, fingerprint};
use crate::domain::DraftFile;
use crate::domain::{Case, CaseChange, CaseNumber};
use crate::error::AppError;

/// A file checked (type from its bytes, size) and ready to be kept with a case.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A stored attachment, as it is served.
#[derive(Clone, Debug)]
pub struct StoredAttachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}


/// Stores one attachment and appends its log entry; returns the entry's id.
pub(super) async fn insert_attachment(
    tx: &mut Tx,
    case_id: i64,
    actor_id: i64,
    attachment: &NewAttachment,
    now: &str,
    mail_window: std::time::Duration,
) -> Result<i64, AppError> {
    let size = attachment.content.len() as i64;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO attachments (case_id, file_name, content_type, size, sha256, content, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(case_id)
    .bind(&attachment.file_name)
    .bind(&attachment.content_type)
    .bind(size)
    .bind(fingerprint(&attachment.content))
    .bind(&attachment.content)
    .bind(actor_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let change = CaseChange::Attached {
        attachment_id: id,
        file_name: attachment.file_name.clone(),
        content_type: attachment.content_type.clone(),
        size,
    };
    append_event(tx, case_id, Some(actor_id), now, &change, mail_window).await
}

/// Takes one of `user_id`'s uploads out of the waiting room, to attach it; `None` when it is
/// not theirs or was used already.
pub(super) async fn take_upload(tx: &mut Tx, upload_id: i64, user_id: i64) -> Result<Option<NewAttachment>, AppError> {
    let row = sqlx::query("DELETE FROM uploads WHERE id = $1 AND user_id = $2 RETURNING file_name, content_type, content")
        .bind(upload_id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|row| {
        Ok(NewAttachment {
            file_name: row.try_get("file_name")?,
            content_type: row.try_get("content_type")?,
            content: row.try_get("content")?,
        })
    })
    .transpose()
}

/// The most files one upload (or one reply) may carry.
pub const FILES_PER_UPLOAD_MAX: usize = 10;

/// How long an upload waits for its case.
pub const UPLOAD_KEPT_FOR: jiff::SignedDuration = jiff::SignedDuration::from_hours(7 * 24);

impl Store {
    /// A reply (or a change like it) and the files its writer uploaded for it, by upload id,
    /// in one transaction: an upload that is not the writer's own, or was used already,
    /// refuses the whole reply and nothing changes.
    pub async fn append_with_uploads(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        actor_id: i64,
        change: &CaseChange,
        expected_version: Option<i64>,
        uploads: &[i64],
    ) -> Result<Case, AppError> {
        let mut write = self.write_case(number, scope, expected_version).await?;
        write.append(Some(actor_id), change).await?;
        for upload_id in uploads {
            let Some(attachment) = take_upload(&mut write.tx, *upload_id, actor_id).await? else {
                tracing::info!(upload_id, user = actor_id, "reply refused: unknown upload");
                return Err(AppError::invalid("attachments", crate::error::InvalidReason::NotAllowed));
            };
            let attached =
                insert_attachment(&mut write.tx, write.case_id, actor_id, &attachment, &write.now, self.mail_window).await?;
            write.appended(attached);
        }
        write.commit(self).await
    }

    /// Attaches files to a case `scope` may see (each with its log entry), in one transaction.
    /// With an idempotency key, a retry of the same upload adds nothing and returns the case;
    /// the same key with other files is refused.
    pub async fn add_attachments(
        &self,
        number: CaseNumber,
        scope: CaseScope,
        actor_id: i64,
        attachments: &[NewAttachment],
        idempotency_key: Option<&str>,
    ) -> Result<Case, AppError> {
        let mut write = self.write_case(number, scope, None).await?;
        let upload_fingerprint = fingerprint(
            attachments
                .iter()
                .map(|a| format!("{}:{}", a.file_name, fingerprint(&a.content)))
                .collect::<Vec<_>>()
                .join("/")
                .as_bytes(),
        );
        let key = idempotency_key.map(|k| format!("upload:{k}"));
        if let Some(key) = &key
            && earlier_request(&mut write.tx, actor_id, key, &upload_fingerprint).await?.is_some()
        {
            return Ok(write.case);
        }
        for attachment in attachments {
            let attached =
                insert_attachment(&mut write.tx, write.case_id, actor_id, attachment, &write.now, write.mail_window)
                    .await?;
            write.appended(attached);
        }
        if let Some(key) = &key {
            remember_request(&mut write.tx, actor_id, key, &upload_fingerprint, write.case_id, &write.now).await?;
        }
        write.commit(self).await
    }

    /// An attachment of case `number` (the caller has checked the case is in scope).
    pub async fn attachment(&self, number: CaseNumber, id: i64) -> Result<Option<StoredAttachment>, AppError> {
        let row = sqlx::query(
            "SELECT a.file_name, a.content_type, a.content FROM attachments a JOIN cases c ON c.id = a.case_id \
             WHERE a.id = $1 AND c.number = $2",
        )
        .bind(id)
        .bind(number.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(StoredAttachment {
                file_name: r.try_get("file_name")?,
                content_type: r.try_get("content_type")?,
                content: r.try_get("content")?,
            })
        })
        .transpose()
    }

    /// Keeps files for `user`'s next case, and forgets their uploads older than a week that
    /// no case took.
    pub async fn add_uploads(&self, user_id: i64, files: &[NewAttachment]) -> Result<Vec<DraftFile>, AppError> {
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        let stale = now.checked_sub(UPLOAD_KEPT_FOR).map_err(|_| AppError::Internal)?;
        sqlx::query("DELETE FROM uploads WHERE user_id = $1 AND created_at < $2")
            .bind(user_id)
            .bind(stale.to_string())
            .execute(&mut *tx)
            .await?;
        let mut uploads = Vec::with_capacity(files.len());
        for file in files {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO uploads (user_id, file_name, content_type, size, sha256, content, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(user_id)
            .bind(&file.file_name)
            .bind(&file.content_type)
            .bind(file.content.len() as i64)
            .bind(fingerprint(&file.content))
            .bind(&file.content)
            .bind(now.to_string())
            .fetch_one(&mut *tx)
            .await?;
            uploads.push(DraftFile {
                id,
                file_name: file.file_name.clone(),
                content_type: file.content_type.clone(),
                size: file.content.len() as i64,
            });
        }
        tx.commit().await?;
        Ok(uploads)
    }

    /// Drops one of `user_id`'s uploads (the customer took it off the draft).
    pub async fn remove_upload(&self, user_id: i64, id: i64) -> Result<bool, AppError> {
        let done = sqlx::query("DELETE FROM uploads WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
