//! The store: every read and write of Caseboard's data, through sqlx on SQLite or
//! PostgreSQL, one file per resource. This file holds what they share: the pool, the
//! engine, write transactions and the after-commit hook. A change to a case and its
//! event-log entry are written in one transaction (`changes.rs`).

mod attachments;
pub mod audit;
mod backup;
pub mod bulk;
mod cases;
mod changes;
mod contracts;
mod events;
#[cfg(test)]
pub(crate) mod fixture;
pub mod hour_bank;
mod idempotency;
mod inbound;
mod kb;
mod links;
mod listing;
mod maintenance;
mod notifications;
mod open;
mod organization_admin;
mod organizations;
pub mod people;
mod password_resets;
pub mod privacy;
pub mod outbox;
mod projections;
mod report_rollups;
pub mod reports;
pub mod registrations;
mod rows;
mod scope;
mod case_search;
mod search;
mod search_index;
mod sessions;
pub mod status;
pub use kb::StoredArticle;
pub use sessions::{ApiTokenRecord, SessionRecord};
mod users;
mod views;
pub use views::{StoredView, ViewChange};

use std::sync::{Arc, RwLock};

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Row};

use crate::error::AppError;

pub use crate::domain::DraftFile;
pub use backup::{Backup, BackupError, backup_sqlite};
pub use attachments::{FILES_PER_UPLOAD_MAX, NewAttachment, StoredAttachment, UPLOAD_KEPT_FOR};
pub use cases::{Opened, Opening};
pub use events::FeedItem;
pub use organization_admin::OrganizationRecord;
pub use organizations::Organization;
pub use projections::DueCheck;
pub use listing::{COUNT_BOUND, CaseFilter, CaseOrder};
pub use scope::CaseScope;
pub use users::{AWAITING_PASSWORD, CONTACTS_SHOWN, ContactChange, NewUser, UserRecord};


/// A write transaction.
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Who is told after a commit: each listener gets the id of the newest log entry the commit
/// wrote (0 when it wrote none, e.g. mail queued outside a case). Listeners must be quick
/// (wake a task, send on a channel); the store holds none of their state.
pub type CommitListener = Box<dyn Fn(i64) + Send + Sync>;

struct AfterCommit {
    listeners: RwLock<Vec<CommitListener>>,
    /// PostgreSQL: other instances hear of each commit (`NOTIFY`) and read the log themselves.
    notify_url: Option<Arc<str>>,
}

impl AfterCommit {
    fn new(notify_url: Option<Arc<str>>) -> AfterCommit {
        AfterCommit { listeners: RwLock::new(Vec::new()), notify_url }
    }
}

/// The channel on which instances sharing a PostgreSQL database tell each other of commits
/// (the payload is the newest log entry's id).
pub const COMMIT_CHANNEL: &str = "caseboard_log";



/// The database engine behind the store: one set of SQL statements, a few places where the
/// engines differ (write transactions, full-text search, connection settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The key of the advisory lock every PostgreSQL write transaction takes: writes are made
/// one at a time, as SQLite makes them, so log entries commit in id order and the live feed
/// (which reads the log after the last id it sent) never skips one committed late.
const WRITE_LOCK: i64 = 0x4361_7365_626f_6172; // "Caseboar"

/// The longest idempotency key a client may send.
pub const IDEMPOTENCY_KEY_MAX: usize = 128;

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// This process among the instances sharing the database (random, per start).
    instance: Arc<str>,
    /// Who is told after each commit (the live feed, the mail sender…): they subscribe,
    /// the store owns none of them.
    after_commit: Arc<AfterCommit>,
    /// The installation's secret for reply addresses (every instance shares it).
    mail_secret: Arc<[u8]>,
    /// How long a case notification waits for more news of the same case to the same
    /// person before it is sent (`outbox`); zero sends each at once.
    mail_window: std::time::Duration,
}

fn corrupt(what: &str, value: &str) -> AppError {
    tracing::error!(what, value, "unreadable value in the database");
    AppError::Internal
}

fn timestamp(text: &str) -> Result<Timestamp, AppError> {
    text.parse().map_err(|_| corrupt("timestamp", text))
}

/// A yes/no column: stored as an integer (0 or 1) on every backend, so the same statements
/// bind and read it on SQLite and PostgreSQL.
pub(crate) fn flag(row: &sqlx::any::AnyRow, name: &str) -> Result<bool, AppError> {
    Ok(row.try_get::<i64, _>(name)? != 0)
}

/// Hex SHA-256: how secrets (session and API tokens) and request fingerprints are kept.
pub fn fingerprint(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}


impl Store {



    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn instance_id(&self) -> String {
        self.instance.to_string()
    }

    /// A write transaction: SQLite takes its write lock at the start (`BEGIN IMMEDIATE`, no
    /// upgrade deadlock); PostgreSQL takes the store's advisory lock (see [`WRITE_LOCK`]).
    pub(crate) async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
                Ok(tx)
            }
        }
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Calls `listener` after every commit of this store (and its clones), from now on.
    pub fn after_commit(&self, listener: impl Fn(i64) + Send + Sync + 'static) {
        self.after_commit.listeners.write().unwrap_or_else(|p| p.into_inner()).push(Box::new(listener));
    }

    /// Tells the listeners (and, on PostgreSQL, the other instances) that a commit wrote
    /// log entries up to `event_id` (0: none).
    pub(crate) fn committed(&self, event_id: i64) {
        for listener in self.after_commit.listeners.read().unwrap_or_else(|p| p.into_inner()).iter() {
            listener(event_id);
        }
        if event_id > 0 && self.after_commit.notify_url.is_some() {
            self.notify(COMMIT_CHANNEL, event_id.to_string());
        }
    }

    /// Sends `payload` on a PostgreSQL notification channel (nothing on SQLite: one
    /// instance only). Fire and forget: a lost notification is made up for by polling.
    pub fn notify(&self, channel: &'static str, payload: String) {
        if self.backend != Backend::Postgres {
            return;
        }
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let sent = sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(payload).execute(&pool).await;
            if let Err(e) = sent {
                tracing::warn!(error = %e, channel, "could not notify the other instances");
            }
        });
    }

    /// The database URL, for a listening connection (PostgreSQL).
    pub fn listen_url(&self) -> Option<&str> {
        self.after_commit.notify_url.as_deref()
    }

    /// The installation's secret for signing reply addresses.
    pub fn mail_secret(&self) -> &[u8] {
        &self.mail_secret
    }

    pub async fn ping(&self) -> Result<(), AppError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// `(journal_mode, synchronous)` as SQLite reports them (2 = FULL).
    pub async fn durability_settings(&self) -> Result<(String, i64), AppError> {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&self.pool).await?;
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&self.pool).await?;
        Ok((mode, sync))
    }

    #[cfg(test)]
    pub(crate) async fn raw_execute(&self, sql: &'static str) -> Result<(), sqlx::Error> {
        sqlx::query(sql).execute(&self.pool).await.map(|_| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use crate::backend::store::fixture::*;

    #[tokio::test]
    async fn database_runs_in_wal_mode_with_full_synchronous_commits() {
        let f = fixture().await;
        if f.store.backend() != crate::backend::store::Backend::Sqlite {
            return; // PostgreSQL's durability is the server's configuration (README, "Scaling out")
        }
        let (mode, sync) = f.store.durability_settings().await.unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous=FULL");
    }

    #[tokio::test]
    async fn a_file_reopened_keeps_its_cases_and_numbering() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reopen.sqlite");
        {
            let f = fixture_at(&path, "elastic-cloud-basic").await;
            cases::open_case(&f.0, &f.1, draft("before restart"), None).await.unwrap();
            f.0.close().await;
        }
        let store = open_store(&path).await;
        let alice = store.user_by_email("alice@acme.test").await.unwrap().unwrap();
        let next = cases::open_case(&store, &alice, draft("after restart"), None).await.unwrap();
        assert_eq!(next.case.number, CaseNumber(1002));
        assert_eq!(store.list_cases(CaseScope::Everything).await.unwrap().len(), 2);
    }
}
