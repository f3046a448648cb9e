//! The store: every read and write of Caseboard's data, on SQLite through sqlx.
//! A change to a case and its event-log entry are written in one transaction.

use std::path::Path;
use std::str::FromStr;

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};

use crate::domain::kb::SearchTerm;
use crate::domain::{
    AssignmentReason, CaseLink, EngineerProfile, LinkKind, Case, CaseChange, CaseDraft, CaseEvent, CaseKind, CaseNumber, Environment, Resolution, Role, Severity,
    SignedInUser, Status, Transition, Visibility,
};
use crate::error::{AppError, InvalidReason};

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

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
    instance: std::sync::Arc<str>,
    /// This instance's live feed: told of every commit to the log.
    feed: std::sync::Arc<super::feed::Feed>,
    /// Wakes this instance's mail sender after a commit that may have queued mail.
    mail_wake: std::sync::Arc<tokio::sync::Notify>,
    /// Signs reply addresses (the secret lives in the database: every instance shares it).
    reply_key: super::mail::ReplyKey,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Organization {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub plan: String,
}

/// A user as the server knows them (with the password hash, which never leaves the backend).
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub organization_slug: Option<String>,
    pub org_admin: bool,
    pub password_hash: String,
    /// The language they read and write ("en", "fr", "zh").
    pub language: String,
    /// A customer holding one of the organization's seats may open cases; the others read and reply.
    pub opens_cases: bool,
}

impl UserRecord {
    pub fn signed_in(&self) -> SignedInUser {
        SignedInUser {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            organization: self.organization_slug.clone(),
            org_admin: self.org_admin,
        }
    }

    /// Which cases this user may see: support sees all, a customer their organization's,
    /// minus the private cases of others (unless they administer the organization).
    pub fn case_scope(&self) -> CaseScope {
        match (self.role.is_support(), self.organization_id) {
            (true, _) => CaseScope::Everything,
            (false, Some(organization_id)) => {
                CaseScope::Customer { organization_id, user_id: self.id, org_admin: self.org_admin }
            }
            // A customer without an organization cannot exist (schema CHECK); see nothing.
            (false, None) => CaseScope::Nothing,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseScope {
    Everything,
    Customer { organization_id: i64, user_id: i64, org_admin: bool },
    Nothing,
}

impl CaseScope {
    /// SQL condition on `c` (cases) with three binds: scope kind, organization, user.
    const SQL: &'static str = "($1 = 'all' OR ($1 = 'customer' AND c.organization_id = $2 \
         AND (c.visibility = 'organization' OR c.reporter_id = $3 OR $4 = 1)))";

    /// The same rule as [`CaseScope::SQL`], for a case already in memory.
    pub fn allows(&self, organization_id: i64, reporter_id: i64, visibility: Visibility) -> bool {
        match *self {
            CaseScope::Everything => true,
            CaseScope::Customer { organization_id: own, user_id, org_admin } => {
                organization_id == own && (visibility == Visibility::Organization || reporter_id == user_id || org_admin)
            }
            CaseScope::Nothing => false,
        }
    }

    /// The four values `SQL` reads: a kind, the organization, the user, and org admin as 0/1.
    fn binds(&self) -> (&'static str, i64, i64, i64) {
        match *self {
            CaseScope::Everything => ("all", 0, 0, 0),
            CaseScope::Customer { organization_id, user_id, org_admin } => {
                ("customer", organization_id, user_id, i64::from(org_admin))
            }
            CaseScope::Nothing => ("none", 0, 0, 0),
        }
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub organization_id: Option<i64>,
    pub org_admin: bool,
    pub password_hash: &'a str,
    pub time_zone: Option<&'a str>,
    /// A primary language tag ("en", "fr", "zh"); `None` is English.
    pub language: Option<&'a str>,
}

/// The result of opening a case: `created` is false when an idempotent retry found it.
#[derive(Clone, Debug)]
pub struct Opened {
    pub case: Case,
    pub created: bool,
}

const CASE_SELECT: &str = "SELECT c.id, c.number, o.slug AS organization, o.name AS organization_name, \
     u.name AS reporter, c.summary, c.description, c.kind, c.severity, c.environment, c.visibility, \
     c.status, c.resolution, c.product, c.details, c.assignee_id, a.name AS assignee, c.version, c.opened_at, c.updated_at \
     FROM cases c JOIN organizations o ON o.id = c.organization_id JOIN users u ON u.id = c.reporter_id \
     LEFT JOIN users a ON a.id = c.assignee_id";

const USER_SELECT: &str = "SELECT u.id, u.email, u.name, u.role, u.organization_id, o.slug AS organization_slug, \
     u.org_admin, u.password_hash, u.language, u.opens_cases FROM users u LEFT JOIN organizations o ON o.id = u.organization_id";

fn corrupt(what: &str, value: &str) -> AppError {
    tracing::error!(what, value, "unreadable value in the database");
    AppError::Internal
}

fn timestamp(text: &str) -> Result<Timestamp, AppError> {
    text.parse().map_err(|_| corrupt("timestamp", text))
}

fn case_from_row(row: &sqlx::any::AnyRow) -> Result<Case, AppError> {
    let text = |name: &str| -> Result<String, AppError> { Ok(row.try_get::<String, _>(name)?) };
    let kind = text("kind")?;
    let environment = text("environment")?;
    let visibility = text("visibility")?;
    let status = text("status")?;
    let resolution = text("resolution")?;
    let severity: i64 = row.try_get("severity")?;
    Ok(Case {
        number: CaseNumber(row.try_get("number")?),
        organization: text("organization")?,
        organization_name: text("organization_name")?,
        reporter: text("reporter")?,
        summary: text("summary")?,
        description: text("description")?,
        kind: CaseKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        severity: u8::try_from(severity)
            .ok()
            .and_then(|s| Severity::try_from(s).ok())
            .ok_or_else(|| corrupt("severity", &severity.to_string()))?,
        environment: Environment::parse(&environment).ok_or_else(|| corrupt("environment", &environment))?,
        visibility: Visibility::parse(&visibility).ok_or_else(|| corrupt("visibility", &visibility))?,
        status: Status::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        resolution: Resolution::parse(&resolution).ok_or_else(|| corrupt("resolution", &resolution))?,
        product: text("product")?,
        details: {
            let details = text("details")?;
            serde_json::from_str(&details).map_err(|_| corrupt("case details", &details))?
        },
        assignee: row.try_get("assignee")?,
        assignee_id: row.try_get("assignee_id")?,
        version: row.try_get("version")?,
        opened_at: timestamp(&text("opened_at")?)?,
        updated_at: timestamp(&text("updated_at")?)?,
    })
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<UserRecord, AppError> {
    let role: String = row.try_get("role")?;
    Ok(UserRecord {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
        organization_id: row.try_get("organization_id")?,
        organization_slug: row.try_get("organization_slug")?,
        org_admin: flag(row, "org_admin")?,
        password_hash: row.try_get("password_hash")?,
        language: row.try_get("language")?,
        opens_cases: flag(row, "opens_cases")?,
    })
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
    /// Opens (creating if needed) the SQLite file with durable commits and migrates it.
    pub async fn open_sqlite(path: &Path) -> Result<Store, sqlx::Error> {
        Self::open_with(&format!("sqlite://{}?mode=rwc", path.display())).await
    }

    /// Opens a `sqlite:` or `postgres://` database URL and migrates it.
    pub async fn connect(url: &str) -> Result<Store, sqlx::Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Self::open_with(url).await;
        }
        if !url.starts_with("sqlite:") {
            return Err(sqlx::Error::Configuration(
                format!(
                    "unsupported DATABASE_URL scheme (expected sqlite: or postgres://): {}",
                    url.split(':').next().unwrap_or("")
                )
                .into(),
            ));
        }
        // Like the SQLite file of the default configuration: created when missing.
        if url.contains("mode=") || url.contains(":memory:") {
            Self::open_with(url).await
        } else {
            let joiner = if url.contains('?') { '&' } else { '?' };
            Self::open_with(&format!("{url}{joiner}mode=rwc")).await
        }
    }

    async fn open_with(url: &str) -> Result<Store, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres };
        let options = sqlx::any::AnyConnectOptions::from_str(url)?;
        let mut pool_options = AnyPoolOptions::new().max_connections(8);
        if backend == Backend::Sqlite {
            pool_options = pool_options.after_connect(|connection, _| {
                Box::pin(async move {
                    // WAL; an acknowledged case must survive a power cut; wait for the writer.
                    sqlx::raw_sql(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 10000;",
                    )
                    .execute(connection)
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = pool_options.connect_with(options).await?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATOR.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATOR.run(&pool).await?,
        }
        index_for_search_if_needed(&pool, backend).await?;
        let newest: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM case_events").fetch_one(&pool).await?;
        let listen = (backend == Backend::Postgres).then(|| url.to_owned());
        let feed = super::feed::Feed::start(pool.clone(), newest, listen);
        let reply_key = super::mail::ReplyKey::new(mail_secret(&pool).await?);
        let instance: std::sync::Arc<str> = hex::encode(rand::random::<[u8; 8]>()).into();
        Ok(Store { pool, backend, instance, feed, mail_wake: Default::default(), reply_key })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn instance_id(&self) -> String {
        self.instance.to_string()
    }

    /// Tells the other instances (PostgreSQL) that a support person is on a case.
    pub fn share_presence(&self, case: i64, user_id: i64, name: &str, activity: crate::domain::people::Activity) {
        if self.backend != Backend::Postgres {
            return;
        }
        let report = super::presence::SharedPresence {
            instance: self.instance.to_string(),
            case,
            user_id,
            name: name.to_owned(),
            activity,
        };
        let Ok(payload) = serde_json::to_string(&report) else { return };
        let pool = self.pool.clone();
        tokio::spawn(async move {
            let sent = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(super::feed::PRESENCE_CHANNEL)
                .bind(payload)
                .execute(&pool)
                .await;
            if let Err(e) = sent {
                tracing::warn!(error = %e, "could not tell other instances of a presence");
            }
        });
    }

    /// Presence reports of other instances, as they arrive (JSON).
    pub fn remote_presence(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.feed.remote_presence()
    }

    /// A write transaction: SQLite takes its write lock at the start (`BEGIN IMMEDIATE`, no
    /// upgrade deadlock); PostgreSQL takes the store's advisory lock (see [`WRITE_LOCK`]).
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
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

    pub fn reply_key(&self) -> &super::mail::ReplyKey {
        &self.reply_key
    }

    /// Tells the mail sender there may be mail to send.
    pub fn wake_mail(&self) {
        self.mail_wake.notify_one();
    }

    pub fn mail_wakeups(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.mail_wake.clone()
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

    // ---- organizations ----

    pub async fn create_organization(&self, slug: &str, name: &str, plan: &str) -> Result<Organization, AppError> {
        let result =
            sqlx::query("INSERT INTO organizations (slug, name, plan, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(slug)
                .bind(name)
                .bind(plan)
                .bind(Timestamp::now().to_string())
                .fetch_one(&self.pool)
                .await;
        match result {
            Ok(row) => {
                Ok(Organization { id: row.try_get("id")?, slug: slug.into(), name: name.into(), plan: plan.into() })
            }
            Err(e) if unique_violation(&e) => Err(AppError::invalid("slug", InvalidReason::NotAllowed)),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn organization_by_slug(&self, slug: &str) -> Result<Option<Organization>, AppError> {
        Ok(sqlx::query_as("SELECT id, slug, name, plan FROM organizations WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn count_organizations(&self) -> Result<i64, AppError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM organizations").fetch_one(&self.pool).await?)
    }

    pub async fn organization_by_id(&self, id: i64) -> Result<Option<Organization>, AppError> {
        Ok(sqlx::query_as("SELECT id, slug, name, plan FROM organizations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    // ---- contracts and custom plans ----

    /// The organization's contract changes, oldest first: (effective_at, plan JSON, calendar JSON).
    pub async fn contract_changes(&self, organization_id: i64) -> Result<Vec<(Timestamp, String, String)>, AppError> {
        let rows = sqlx::query(
            "SELECT effective_at, plan, calendar FROM contract_changes WHERE organization_id = $1 ORDER BY id",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((timestamp(&r.try_get::<String, _>("effective_at")?)?, r.try_get("plan")?, r.try_get("calendar")?))
            })
            .collect()
    }

    /// Records a contract change and makes its plan the organization's current one.
    pub async fn add_contract_change(
        &self,
        organization_id: i64,
        plan_id: &str,
        plan_json: &str,
        calendar_json: &str,
        changed_by: Option<i64>,
    ) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO contract_changes (organization_id, effective_at, plan, calendar, changed_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(organization_id)
        .bind(Timestamp::now().to_string())
        .bind(plan_json)
        .bind(calendar_json)
        .bind(changed_by)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE organizations SET plan = $1 WHERE id = $2")
            .bind(plan_id)
            .bind(organization_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn custom_plan(&self, id: &str) -> Result<Option<String>, AppError> {
        Ok(sqlx::query_scalar("SELECT definition FROM custom_plans WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn custom_plans(&self) -> Result<Vec<String>, AppError> {
        Ok(sqlx::query_scalar("SELECT definition FROM custom_plans ORDER BY id").fetch_all(&self.pool).await?)
    }

    /// Creates or replaces a custom plan (organizations keep the snapshot they signed).
    pub async fn save_custom_plan(&self, id: &str, definition: &str) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO custom_plans (id, definition, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT(id) DO UPDATE SET definition = excluded.definition",
        )
        .bind(id)
        .bind(definition)
        .bind(Timestamp::now().to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    // ---- users ----

    pub async fn create_user(&self, user: NewUser<'_>) -> Result<UserRecord, AppError> {
        let result = sqlx::query(
            "INSERT INTO users (email, name, role, organization_id, org_admin, password_hash, time_zone, language, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(user.email)
        .bind(user.name)
        .bind(user.role.as_str())
        .bind(user.organization_id)
        .bind(i64::from(user.org_admin))
        .bind(user.password_hash)
        .bind(user.time_zone)
        .bind(user.language.unwrap_or("en"))
        .bind(Timestamp::now().to_string())
        .fetch_one(&self.pool)
        .await;
        match result {
            Ok(row) => {
                let id: i64 = row.try_get("id")?;
                self.user_by_id(id).await?.ok_or(AppError::Internal)
            }
            Err(e) if unique_violation(&e) => Err(AppError::invalid("email", InvalidReason::NotAllowed)),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn set_password_hash(&self, user_id: i64, hash: &str) -> Result<(), AppError> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRecord>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("{USER_SELECT} WHERE u.id = $1"));
        let row = sqlx::query(sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("{USER_SELECT} WHERE lower(u.email) = lower($1)"));
        let row = sqlx::query(sql).bind(email.trim()).fetch_optional(&self.pool).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    // ---- sessions and API tokens (only hashes of the secrets are stored) ----

    pub async fn create_session(&self, user_id: i64, token_hash: &str, expires_at: Timestamp) -> Result<(), AppError> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(Timestamp::now().to_string())
            .bind(expires_at.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), AppError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn user_by_session(&self, token_hash: &str) -> Result<Option<UserRecord>, AppError> {
        self.user_by_secret("sessions", token_hash).await
    }

    pub async fn create_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: Timestamp,
    ) -> Result<(), AppError> {
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user_id)
            .bind(Timestamp::now().to_string())
            .bind(expires_at.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<UserRecord>, AppError> {
        self.user_by_secret("api_tokens", token_hash).await
    }

    async fn user_by_secret(&self, table: &'static str, token_hash: &str) -> Result<Option<UserRecord>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT t.user_id, t.expires_at FROM {table} t WHERE t.token_hash = $1"));
        let Some(row) = sqlx::query(sql).bind(token_hash).fetch_optional(&self.pool).await? else {
            return Ok(None);
        };
        let expires_at: String = row.try_get("expires_at")?;
        if timestamp(&expires_at)? <= Timestamp::now() {
            return Ok(None);
        }
        self.user_by_id(row.try_get("user_id")?).await
    }

    // ---- cases ----

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
        let request_fingerprint = fingerprint(&serde_json::to_vec(draft).map_err(|_| AppError::Internal)?);
        let now = Timestamp::now().to_string();
        let mut tx = self.begin_write().await?;

        if let Some(key) = idempotency_key {
            if let Some(case_id) = earlier_request(&mut tx, reporter.id, key, &request_fingerprint).await? {
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
        index_case(&mut tx, self.backend, case_id, organization_id, &draft.summary, &draft.description).await?;
        let mut event_id = append_event(
            &mut tx,
            case_id,
            Some(reporter.id),
            &now,
            &CaseChange::Opened { kind: draft.kind, severity: draft.severity },
        )
        .await?;
        // Files uploaded while the draft was written join the case; an id that is not the
        // reporter's own (or was used already) refuses the whole case.
        for upload_id in &draft.attachments {
            let row = sqlx::query("DELETE FROM uploads WHERE id = $1 AND user_id = $2 RETURNING file_name, content_type, content")
                .bind(upload_id)
                .bind(reporter.id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                tracing::info!(upload_id, user = reporter.id, "case refused: unknown upload");
                return Err(AppError::invalid("attachments", InvalidReason::NotAllowed));
            };
            let attachment = NewAttachment {
                file_name: row.try_get("file_name")?,
                content_type: row.try_get("content_type")?,
                content: row.try_get("content")?,
            };
            event_id = insert_attachment(&mut tx, case_id, reporter.id, &attachment, &now).await?;
        }
        if let Some((engineer_id, reason)) = assignment {
            let name: String = sqlx::query_scalar("UPDATE cases SET assignee_id = $1 WHERE id = $2 \
                 RETURNING (SELECT name FROM users WHERE id = $1)")
                .bind(engineer_id)
                .bind(case_id)
                .fetch_one(&mut *tx)
                .await?;
            let change = CaseChange::Assigned {
                engineer_id: Some(*engineer_id),
                engineer: Some(name),
                reason: Some(reason.clone()),
            };
            event_id = append_event(&mut tx, case_id, None, &now, &change).await?;
        }
        if let Some(key) = idempotency_key {
            remember_request(&mut tx, reporter.id, key, &request_fingerprint, case_id, &now).await?;
        }
        let case = case_by_id(&mut tx, case_id).await?;
        tx.commit().await?;
        self.published(event_id);
        Ok(Opened { case, created: true })
    }

    /// The cases `scope` may see, newest first.
    pub async fn list_cases(&self, scope: CaseScope) -> Result<Vec<Case>, AppError> {
        let (kind, org, user, org_admin) = scope.binds();
        let sql = sqlx::AssertSqlSafe(format!("{CASE_SELECT} WHERE {} ORDER BY c.number DESC", CaseScope::SQL));
        let rows = sqlx::query(sql).bind(kind).bind(org).bind(user).bind(org_admin).fetch_all(&self.pool).await?;
        rows.iter().map(case_from_row).collect()
    }

    /// The event logs of every case `scope` may see, grouped by case (one query, not one per
    /// case); internal entries only when asked for.
    pub async fn events_by_case(
        &self,
        scope: CaseScope,
        include_internal: bool,
    ) -> Result<std::collections::HashMap<CaseNumber, Vec<CaseEvent>>, AppError> {
        let events = self.events_after(0, i64::MAX, scope, include_internal, i64::MAX).await?;
        let mut by_case: std::collections::HashMap<CaseNumber, Vec<CaseEvent>> = std::collections::HashMap::new();
        for event in events {
            by_case.entry(event.case).or_default().push(event);
        }
        Ok(by_case)
    }

    /// One case, if `scope` may see it. A case out of scope is reported exactly like a
    /// missing one, so its existence does not leak.
    pub async fn case_by_number(&self, number: CaseNumber, scope: CaseScope) -> Result<Option<Case>, AppError> {
        let (kind, org, user, org_admin) = scope.binds();
        let sql = sqlx::AssertSqlSafe(format!("{CASE_SELECT} WHERE c.number = $5 AND {}", CaseScope::SQL));
        let row = sqlx::query(sql)
            .bind(kind)
            .bind(org)
            .bind(user)
            .bind(org_admin)
            .bind(number.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(case_from_row).transpose()
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
        let mut tx = self.begin_write().await?;
        let (case_id, case) = case_in(&mut tx, number, scope).await?;
        if case.version != expected_version {
            return Err(conflict(&mut tx, case_id, case.version).await?);
        }
        let transition = decide(&case)?;
        let now = Timestamp::now().to_string();
        let updated = sqlx::query(
            "UPDATE cases SET status = $1, resolution = $2, version = version + 1, updated_at = $3 \
             WHERE id = $4 AND version = $5",
        )
        .bind(transition.to.as_str())
        .bind(transition.resolution.as_str())
        .bind(&now)
        .bind(case_id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(conflict(&mut tx, case_id, case.version).await?);
        }
        let mut event_id = append_event(
            &mut tx,
            case_id,
            Some(actor_id),
            &now,
            &CaseChange::StatusChanged { from: case.status, to: transition.to, resolution: transition.resolution },
        )
        .await?;
        if let Some(other) = duplicate_of {
            // In the same transaction: a Duplicate always points at what it duplicates.
            let other_id = visible_case_id(&mut tx, other, scope).await?.ok_or_else(|| {
                AppError::invalid("duplicate_of", InvalidReason::NotAllowed)
            })?;
            event_id = insert_link(&mut tx, case_id, other_id, other, LinkKind::DuplicateOf, actor_id, &now).await?;
        }
        let case = case_by_id(&mut tx, case_id).await?;
        tx.commit().await?;
        self.published(event_id);
        Ok(case)
    }

    /// Links case `number` to `other` (both visible to `scope`), bumping the case's version.
    pub async fn link_cases(
        &self,
        number: CaseNumber,
        other: CaseNumber,
        kind: LinkKind,
        scope: CaseScope,
        actor_id: i64,
    ) -> Result<Case, AppError> {
        let mut tx = self.begin_write().await?;
        let case_id = visible_case_id(&mut tx, number, scope).await?.ok_or(AppError::NotFound)?;
        let other_id = visible_case_id(&mut tx, other, scope)
            .await?
            .ok_or_else(|| AppError::invalid("other", InvalidReason::NotAllowed))?;
        if case_id == other_id {
            return Err(AppError::invalid("other", InvalidReason::NotAllowed));
        }
        let now = Timestamp::now().to_string();
        let event_id = insert_link(&mut tx, case_id, other_id, other, kind, actor_id, &now).await?;
        touch_case(&mut tx, case_id, &now).await?;
        let case = case_by_id(&mut tx, case_id).await?;
        tx.commit().await?;
        self.published(event_id);
        Ok(case)
    }

    /// The links of a case, both ways, with the other case's summary.
    pub async fn case_links(&self, number: CaseNumber) -> Result<Vec<CaseLink>, AppError> {
        let rows = sqlx::query(
            "SELECT l.kind, o.number, o.summary, 0 AS incoming FROM case_links l \
             JOIN cases c ON c.id = l.case_id JOIN cases o ON o.id = l.other_id WHERE c.number = $1 \
             UNION ALL \
             SELECT l.kind, o.number, o.summary, 1 AS incoming FROM case_links l \
             JOIN cases c ON c.id = l.other_id JOIN cases o ON o.id = l.case_id WHERE c.number = $1 \
             ORDER BY 2",
        )
        .bind(number.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(CaseLink {
                    kind: LinkKind::parse(&kind).ok_or_else(|| corrupt("link kind", &kind))?,
                    other: CaseNumber(row.try_get("number")?),
                    other_summary: row.try_get("summary")?,
                    incoming: row.try_get::<i64, _>("incoming")? == 1,
                })
            })
            .collect()
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
        let mut tx = self.begin_write().await?;
        let (case_id, case) = case_in(&mut tx, number, scope).await?;
        if expected_version.is_some_and(|v| v != case.version) {
            return Err(conflict(&mut tx, case_id, case.version).await?);
        }
        let engineer_id = engineer.map(|e| e.id);
        if case.assignee_id == engineer_id {
            // Already so: nothing to record (a double click on "Take" is harmless).
            return Ok(case);
        }
        let now = Timestamp::now().to_string();
        sqlx::query("UPDATE cases SET assignee_id = $1, version = version + 1, updated_at = $2 WHERE id = $3")
            .bind(engineer_id)
            .bind(&now)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        let change = CaseChange::Assigned { engineer_id, engineer: engineer.map(|e| e.name.clone()), reason };
        let event_id = append_event(&mut tx, case_id, actor_id, &now, &change).await?;
        let case = case_by_id(&mut tx, case_id).await?;
        tx.commit().await?;
        self.published(event_id);
        Ok(case)
    }

    /// Every engineer with what automatic assignment weighs, and their load (open cases
    /// assigned to them). An engineer without a profile works office hours in their zone,
    /// in their own language, with no declared skill.
    pub async fn engineers(&self) -> Result<Vec<(EngineerProfile, u32)>, AppError> {
        let rows = sqlx::query(
            "SELECT u.id, u.name, u.time_zone, u.language, p.skills, p.languages, p.hours, \
             (SELECT COUNT(*) FROM cases c WHERE c.assignee_id = u.id AND c.status NOT IN ('resolved', 'closed')) AS load \
             FROM users u LEFT JOIN engineer_profiles p ON p.user_id = u.id WHERE u.role = 'engineer' ORDER BY u.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let json_list = |name: &str| -> Result<Option<Vec<String>>, AppError> {
                    let text: Option<String> = row.try_get(name)?;
                    text.map(|t| serde_json::from_str(&t).map_err(|_| corrupt(name, &t))).transpose()
                };
                let language: String = row.try_get("language")?;
                let zone: Option<String> = row.try_get("time_zone")?;
                let hours: Option<String> = row.try_get("hours")?;
                let hours = match hours {
                    Some(text) => serde_json::from_str(&text).map_err(|_| corrupt("hours", &text))?,
                    None => crate::domain::BusinessCalendar::office_hours(zone.as_deref().unwrap_or("UTC")),
                };
                let load: i64 = row.try_get("load")?;
                Ok((
                    EngineerProfile {
                        id: row.try_get("id")?,
                        name: row.try_get("name")?,
                        skills: json_list("skills")?.unwrap_or_default(),
                        languages: json_list("languages")?.filter(|l| !l.is_empty()).unwrap_or_else(|| vec![language]),
                        hours,
                    },
                    u32::try_from(load).unwrap_or(u32::MAX),
                ))
            })
            .collect()
    }

    /// Records what automatic assignment knows of an engineer.
    pub async fn set_engineer_profile(
        &self,
        user_id: i64,
        skills: &[String],
        languages: &[String],
        hours: &crate::domain::BusinessCalendar,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO engineer_profiles (user_id, skills, languages, hours) VALUES ($1, $2, $3, $4) \
             ON CONFLICT(user_id) DO UPDATE SET skills = excluded.skills, languages = excluded.languages, \
             hours = excluded.hours",
        )
        .bind(user_id)
        .bind(serde_json::to_string(skills).map_err(|_| AppError::Internal)?)
        .bind(serde_json::to_string(languages).map_err(|_| AppError::Internal)?)
        .bind(serde_json::to_string(hours).map_err(|_| AppError::Internal)?)
        .execute(&self.pool)
        .await?;
        Ok(())
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

    /// The organization id of a case the scope may see.
    pub async fn case_organization(&self, number: CaseNumber, scope: CaseScope) -> Result<Option<i64>, AppError> {
        let (kind, org, user, org_admin) = scope.binds();
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT c.organization_id FROM cases c WHERE c.number = $5 AND {}",
            CaseScope::SQL
        ));
        Ok(sqlx::query_scalar(sql)
            .bind(kind)
            .bind(org)
            .bind(user)
            .bind(org_admin)
            .bind(number.0)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A case's event log, oldest first; internal entries only when asked for.
    pub async fn case_events(&self, number: CaseNumber, include_internal: bool) -> Result<Vec<CaseEvent>, AppError> {
        let rows = sqlx::query(
            "SELECT e.id, e.at, e.data, u.name AS actor FROM case_events e JOIN cases c ON c.id = e.case_id \
             LEFT JOIN users u ON u.id = e.actor_id WHERE c.number = $1 AND (e.internal = 0 OR $2 = 1) ORDER BY e.id",
        )
        .bind(number.0)
        .bind(i64::from(include_internal))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| event_from_row(number, row)).collect()
    }
}

impl Store {
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
        let (kind, org, user, org_admin) = scope.binds();
        let mut tx = self.begin_write().await?;
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT c.id, c.version FROM cases c WHERE c.number = $5 AND {}",
            CaseScope::SQL
        ));
        let row = sqlx::query(sql)
            .bind(kind)
            .bind(org)
            .bind(user)
            .bind(org_admin)
            .bind(number.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
        let case_id: i64 = row.try_get("id")?;
        let version: i64 = row.try_get("version")?;
        if expected_version.is_some_and(|v| v != version) {
            return Err(conflict(&mut tx, case_id, version).await?);
        }
        let now = Timestamp::now().to_string();
        touch_case(&mut tx, case_id, &now).await?;
        let event_id = append_event(&mut tx, case_id, Some(actor_id), &now, change).await?;
        let case = case_by_id(&mut tx, case_id).await?;
        tx.commit().await?;
        self.published(event_id);
        Ok(case)
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
        let event_id = append_event(&mut tx, case_id, None, &Timestamp::now().to_string(), change).await?;
        tx.commit().await?;
        self.published(event_id);
        Ok(true)
    }
}

impl Store {
    pub async fn create_article(&self, draft: &crate::domain::kb::ArticleDraft, author_id: i64) -> Result<i64, AppError> {
        let now = Timestamp::now().to_string();
        let tags = draft.tags.join(", ");
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO kb_articles (title, body, product, tags, language, author_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&draft.title)
        .bind(&draft.body)
        .bind(&draft.product)
        .bind(&tags)
        .bind(&draft.language)
        .bind(author_id)
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        index_article(&mut tx, self.backend, id, &draft.title, &draft.body, &tags, &draft.product).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Indexes again every article and case (after a bulk load that bypassed the store).
    pub async fn rebuild_search_index(&self) -> Result<(), AppError> {
        sqlx::query("DELETE FROM settings WHERE key = 'search_index'").execute(&self.pool).await?;
        Ok(index_for_search_if_needed(&self.pool, self.backend).await?)
    }

    /// An article's stored draft (Markdown) and id.
    pub async fn article(&self, id: i64) -> Result<Option<(crate::domain::kb::ArticleDraft, i64)>, AppError> {
        let row = sqlx::query("SELECT id, title, body, product, tags, language FROM kb_articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let tags: String = row.try_get("tags")?;
            Ok((
                crate::domain::kb::ArticleDraft {
                    title: row.try_get("title")?,
                    body: row.try_get("body")?,
                    product: row.try_get("product")?,
                    tags: tags.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
                    language: row.try_get("language")?,
                },
                row.try_get("id")?,
            ))
        })
        .transpose()
    }

    /// The full-text expressions a search tries, most precise first: every selective word
    /// (all of them), then any of them. A word in more than [`COMMON_WORD_DOCS`] documents
    /// of `within` barely tells them apart, and ranking every document that has it is what
    /// makes a search slow: it is left out (unless every word is common, then all must
    /// match). A word found nowhere (a typo, "how", "please") is left out too, so a
    /// question typed as a sentence still finds the article that answers it.
    async fn search_plan(&self, within: SearchIn, terms: &[SearchTerm]) -> Result<Vec<String>, AppError> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let (table, matching) = match (self.backend, within) {
            (Backend::Sqlite, SearchIn::Articles) => ("kb_search", "kb_search MATCH"),
            (Backend::Sqlite, SearchIn::Cases { .. }) => ("case_search", "case_search MATCH"),
            (Backend::Postgres, SearchIn::Articles) => ("kb_search", "document @@ to_tsquery('simple',"),
            (Backend::Postgres, SearchIn::Cases { .. }) => ("case_search", "document @@ to_tsquery('simple',"),
        };
        let close = if self.backend == Backend::Postgres { ")" } else { "" };
        let extra = match (self.backend, within) {
            (Backend::Postgres, SearchIn::Cases { organization_id }) => format!(" AND organization_id = {organization_id}"),
            _ => String::new(),
        };
        let sql = sqlx::AssertSqlSafe(
            (0..terms.len())
                .map(|i| {
                    format!(
                        "SELECT {i} AS i, (SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {matching} ${}{close}{extra} \
                         LIMIT {}) t) AS n",
                        i + 1,
                        COMMON_WORD_DOCS + 1
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL "),
        );
        let mut query = sqlx::query(sql);
        for term in terms {
            query = query.bind(self.scoped(within, &self.term_text(term)));
        }
        let mut selective = Vec::new();
        let mut common = Vec::new();
        for row in query.fetch_all(&self.pool).await? {
            let (i, n): (i64, i64) = (row.try_get("i")?, row.try_get("n")?);
            let term = self.term_text(&terms[i as usize]);
            match n {
                0 => {}
                n if n > COMMON_WORD_DOCS => common.push(term),
                _ => selective.push(term),
            }
        }
        let (and, or) = match self.backend {
            Backend::Sqlite => (" ", " OR "),
            Backend::Postgres => (" & ", " | "),
        };
        let group = |terms: &[String], op: &str| format!("({})", terms.join(op));
        Ok(match (selective.len(), common.is_empty()) {
            (0, true) => Vec::new(),
            (0, false) => vec![group(&common, and)],
            (1, _) => vec![group(&selective, and)],
            _ => vec![group(&selective, and), group(&selective, or)],
        })
    }

    fn term_text(&self, term: &SearchTerm) -> String {
        match self.backend {
            Backend::Sqlite => term.fts5(),
            Backend::Postgres => term.tsquery(),
        }
    }

    /// A full-text expression limited to what this search may see (SQLite: the
    /// organization's token; PostgreSQL filters on the column instead).
    fn scoped(&self, within: SearchIn, expression: &str) -> String {
        match (self.backend, within) {
            (Backend::Sqlite, SearchIn::Cases { organization_id }) => {
                format!("organization : {} AND ({expression})", organization_token(organization_id))
            }
            _ => expression.to_owned(),
        }
    }

    /// Articles matching `terms` (from `search_terms`), best first; the excerpt is cut around
    /// the first of the `words` typed.
    pub async fn search_articles(
        &self,
        terms: &[SearchTerm],
        words: &str,
        limit: i64,
    ) -> Result<Vec<crate::domain::kb::SearchHit>, AppError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT a.id, a.title, a.body FROM \
                 (SELECT rowid, bm25(kb_search, 5.0, 1.0, 2.0, 2.0) AS score FROM kb_search WHERE kb_search MATCH $1 \
                  ORDER BY score LIMIT $2) m JOIN kb_articles a ON a.id = m.rowid ORDER BY m.score"
            }
            Backend::Postgres => {
                "SELECT a.id, a.title, a.body FROM \
                 (SELECT id, ts_rank(document, to_tsquery('simple', $1)) AS score FROM kb_search \
                  WHERE document @@ to_tsquery('simple', $1) ORDER BY score DESC LIMIT $2) m \
                 JOIN kb_articles a ON a.id = m.id ORDER BY m.score DESC"
            }
        };
        let mut hits: Vec<crate::domain::kb::SearchHit> = Vec::new();
        for expression in self.search_plan(SearchIn::Articles, terms).await? {
            let rows = sqlx::query(sql).bind(&expression).bind(limit + hits.len() as i64).fetch_all(&self.pool).await?;
            for row in &rows {
                let id: i64 = row.try_get("id")?;
                if hits.len() < limit as usize && !hits.iter().any(|h| h.id == id) {
                    hits.push(crate::domain::kb::SearchHit {
                        kind: "article".into(),
                        id,
                        title: row.try_get("title")?,
                        excerpt: crate::domain::kb::excerpt(&row.try_get::<String, _>("body")?, words, 160),
                    });
                }
            }
            if hits.len() >= limit as usize {
                break;
            }
        }
        Ok(hits)
    }

    /// Resolved or closed cases of an organization (as `scope` may see them) matching `terms`.
    /// The organization is part of the full-text match, so other organizations' cases are
    /// never counted nor ranked.
    pub async fn search_resolved_cases(
        &self,
        organization_id: i64,
        scope: CaseScope,
        terms: &[SearchTerm],
        words: &str,
        limit: i64,
    ) -> Result<Vec<crate::domain::kb::SearchHit>, AppError> {
        let within = SearchIn::Cases { organization_id };
        let (kind, org, user, org_admin) = scope.binds();
        let matches = match self.backend {
            Backend::Sqlite => "SELECT rowid AS id, rank AS score FROM case_search WHERE case_search MATCH $5",
            Backend::Postgres => {
                "SELECT id, -ts_rank(document, to_tsquery('simple', $5)) AS score FROM case_search \
                 WHERE organization_id = $7 AND document @@ to_tsquery('simple', $5)"
            }
        };
        // SQLite: CROSS JOIN keeps the full-text match first (the planner would otherwise run
        // it once per case); PostgreSQL plans it well and knows no CROSS JOIN … ON.
        let join = if self.backend == Backend::Sqlite { "CROSS JOIN" } else { "JOIN" };
        let sql = format!(
            "SELECT c.number, c.summary, c.description FROM ({matches}) m \
             {join} cases c ON c.id = m.id WHERE c.status IN ('resolved', 'closed') AND c.organization_id = $7 AND {} \
             ORDER BY m.score LIMIT $6",
            CaseScope::SQL
        );
        let mut hits: Vec<crate::domain::kb::SearchHit> = Vec::new();
        for expression in self.search_plan(within, terms).await? {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(kind)
                .bind(org)
                .bind(user)
                .bind(org_admin)
                .bind(self.scoped(within, &expression))
                .bind(limit + hits.len() as i64)
                .bind(organization_id)
                .fetch_all(&self.pool)
                .await?;
            for row in &rows {
                let id: i64 = row.try_get("number")?;
                if hits.len() < limit as usize && !hits.iter().any(|h| h.id == id) {
                    hits.push(crate::domain::kb::SearchHit {
                        kind: "case".into(),
                        id,
                        title: row.try_get("summary")?,
                        excerpt: crate::domain::kb::excerpt(&row.try_get::<String, _>("description")?, words, 160),
                    });
                }
            }
            if hits.len() >= limit as usize {
                break;
            }
        }
        Ok(hits)
    }
}

/// Where a search looks: the knowledge base, or one organization's cases.
#[derive(Clone, Copy, Debug)]
enum SearchIn {
    Articles,
    Cases { organization_id: i64 },
}

/// A word in more documents than this counts as common (see `Store::search_plan`).
const COMMON_WORD_DOCS: i64 = 1000;


impl Store {
    /// Tells this instance's live feed that `event_id` is committed (the feed reads it, and
    /// anything before it not yet sent, from the log).
    fn published(&self, event_id: i64) {
        self.feed.committed();
        self.wake_mail();
        // Other instances on the same PostgreSQL database hear of it and read it from the log.
        if self.backend == Backend::Postgres && event_id > 0 {
            let pool = self.pool.clone();
            tokio::spawn(async move {
                let notified = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(super::feed::CHANNEL)
                    .bind(event_id.to_string())
                    .execute(&pool)
                    .await;
                if let Err(e) = notified {
                    tracing::warn!(error = %e, event_id, "could not tell other instances of a commit");
                }
            });
        }
    }

    /// Log entries committed from now on, in id order, for a live stream to filter.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<std::sync::Arc<super::feed::FeedItem>> {
        self.feed.subscribe()
    }

    /// The newest event id in the log (0 when empty).
    pub async fn last_event_id(&self) -> Result<i64, AppError> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM case_events").fetch_one(&self.pool).await?)
    }

    /// Events with `after < id <= up_to` of the cases `scope` may see, oldest first, at most
    /// `limit`; internal entries only when asked for. What live streams send and replay.
    pub async fn events_after(
        &self,
        after: i64,
        up_to: i64,
        scope: CaseScope,
        include_internal: bool,
        limit: i64,
    ) -> Result<Vec<CaseEvent>, AppError> {
        let (kind, org, user, org_admin) = scope.binds();
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT c.number, e.id, e.at, e.data, u.name AS actor FROM case_events e JOIN cases c ON c.id = e.case_id \
             LEFT JOIN users u ON u.id = e.actor_id WHERE {} AND (e.internal = 0 OR $5 = 1) AND e.id > $6 AND e.id <= $7 \
             ORDER BY e.id LIMIT $8",
            CaseScope::SQL
        ));
        let rows = sqlx::query(sql)
            .bind(kind)
            .bind(org)
            .bind(user)
            .bind(org_admin)
            .bind(i64::from(include_internal))
            .bind(after)
            .bind(up_to)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| event_from_row(CaseNumber(row.try_get("number")?), row)).collect()
    }
}

/// Every log entry after `after` (at most `limit`) with what a live stream filters on.
pub(crate) async fn feed_after(
    pool: &AnyPool,
    after: i64,
    limit: i64,
) -> Result<Vec<super::feed::FeedItem>, AppError> {
    let rows = sqlx::query(
        "SELECT c.number, c.organization_id, c.reporter_id, c.visibility, e.id, e.at, e.data, u.name AS actor \
         FROM case_events e JOIN cases c ON c.id = e.case_id LEFT JOIN users u ON u.id = e.actor_id \
         WHERE e.id > $1 ORDER BY e.id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let event = event_from_row(CaseNumber(row.try_get("number")?), row)?;
            let visibility: String = row.try_get("visibility")?;
            Ok(super::feed::FeedItem {
                json: serde_json::to_string(&event).map_err(|_| AppError::Internal)?,
                event,
                organization_id: row.try_get("organization_id")?,
                reporter_id: row.try_get("reporter_id")?,
                visibility: Visibility::parse(&visibility).ok_or_else(|| corrupt("visibility", &visibility))?,
            })
        })
        .collect()
}

fn event_from_row(number: CaseNumber, row: &sqlx::any::AnyRow) -> Result<CaseEvent, AppError> {
    let data: String = row.try_get("data")?;
    Ok(CaseEvent {
        id: row.try_get("id")?,
        case: number,
        at: timestamp(&row.try_get::<String, _>("at")?)?,
        actor: row.try_get("actor")?,
        change: serde_json::from_str(&data).map_err(|_| corrupt("case event", &data))?,
    })
}

/// A case `scope` may see, read inside the transaction that will change it; `NotFound`
/// when it does not exist or is out of scope.
async fn case_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    number: CaseNumber,
    scope: CaseScope,
) -> Result<(i64, Case), AppError> {
    let (kind, org, user, org_admin) = scope.binds();
    let sql = sqlx::AssertSqlSafe(format!("{CASE_SELECT} WHERE c.number = $5 AND {}", CaseScope::SQL));
    let row = sqlx::query(sql)
        .bind(kind)
        .bind(org)
        .bind(user)
        .bind(org_admin)
        .bind(number.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((row.try_get("id")?, case_from_row(&row)?))
}

/// A case as it is now inside the transaction (after a change, before the commit).
async fn case_by_id(tx: &mut sqlx::Transaction<'static, sqlx::Any>, case_id: i64) -> Result<Case, AppError> {
    let sql = sqlx::AssertSqlSafe(format!("{CASE_SELECT} WHERE c.id = $1"));
    let row = sqlx::query(sql).bind(case_id).fetch_one(&mut **tx).await?;
    case_from_row(&row)
}

/// The id of a case `scope` may see.
async fn visible_case_id(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    number: CaseNumber,
    scope: CaseScope,
) -> Result<Option<i64>, AppError> {
    let (kind, org, user, org_admin) = scope.binds();
    let sql = sqlx::AssertSqlSafe(format!("SELECT c.id FROM cases c WHERE c.number = $5 AND {}", CaseScope::SQL));
    Ok(sqlx::query_scalar(sql)
        .bind(kind)
        .bind(org)
        .bind(user)
        .bind(org_admin)
        .bind(number.0)
        .fetch_optional(&mut **tx)
        .await?)
}

/// Records a link (again: the newer kind wins) and its log entry; returns the entry's id.
async fn insert_link(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    case_id: i64,
    other_id: i64,
    other: CaseNumber,
    kind: LinkKind,
    actor_id: i64,
    now: &str,
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
    append_event(tx, case_id, Some(actor_id), now, &CaseChange::Linked { kind, other }).await
}

/// The conflict error for a case now at `current_version`, naming who made the last change
/// and how long ago.
async fn conflict(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    case_id: i64,
    current_version: i64,
) -> Result<AppError, AppError> {
    let last = sqlx::query(
        "SELECT u.name, e.at FROM case_events e LEFT JOIN users u ON u.id = e.actor_id \
         WHERE e.case_id = $1 ORDER BY e.id DESC LIMIT 1",
    )
    .bind(case_id)
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

/// Appends a log entry and, in the same transaction, the mail it causes (the outbox).
async fn append_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    case_id: i64,
    actor_id: Option<i64>,
    at: &str,
    change: &CaseChange,
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
    super::mail::outbox::enqueue(tx, case_id, event_id, actor_id, change, at).await?;
    Ok(event_id)
}

/// The version of what the full-text tables hold; a new one re-indexes everything at start.
const SEARCH_INDEX_VERSION: &str = "2";

/// Fills the full-text tables from the articles and cases when they were made by an older
/// version (the migration that changed them leaves them empty).
async fn index_for_search_if_needed(pool: &AnyPool, backend: Backend) -> Result<(), sqlx::Error> {
    let version: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'search_index'").fetch_optional(pool).await?;
    if version.as_deref() == Some(SEARCH_INDEX_VERSION) {
        return Ok(());
    }
    let started = std::time::Instant::now();
    // Under the write lock, and checked again: instances started together build it once.
    let mut tx = match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
            tx
        }
    };
    let version: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'search_index'").fetch_optional(&mut *tx).await?;
    if version.as_deref() == Some(SEARCH_INDEX_VERSION) {
        return Ok(());
    }
    sqlx::query("DELETE FROM kb_search").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM case_search").execute(&mut *tx).await?;
    let articles = sqlx::query("SELECT id, title, body, tags, product FROM kb_articles").fetch_all(&mut *tx).await?;
    for row in &articles {
        index_article(&mut tx, backend, row.try_get("id")?, &row.try_get::<String, _>("title")?, &row.try_get::<String, _>("body")?,
            &row.try_get::<String, _>("tags")?, &row.try_get::<String, _>("product")?).await?;
    }
    let cases = sqlx::query("SELECT id, organization_id, summary, description FROM cases").fetch_all(&mut *tx).await?;
    for row in &cases {
        index_case(&mut tx, backend, row.try_get("id")?, row.try_get("organization_id")?, &row.try_get::<String, _>("summary")?,
            &row.try_get::<String, _>("description")?).await?;
    }
    sqlx::query("INSERT INTO settings (key, value) VALUES ('search_index', $1) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(SEARCH_INDEX_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(articles = articles.len(), cases = cases.len(), ms = started.elapsed().as_millis() as u64, "search index built");
    Ok(())
}

/// The organization token a case carries in the index: `o12`.
fn organization_token(organization_id: i64) -> String {
    format!("o{organization_id}")
}

async fn index_article(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    id: i64,
    title: &str,
    body: &str,
    tags: &str,
    product: &str,
) -> Result<(), sqlx::Error> {
    use crate::domain::kb::index_text;
    let sql = match backend {
        Backend::Sqlite => "INSERT INTO kb_search (rowid, title, body, tags, product) VALUES ($1, $2, $3, $4, $5)",
        // Title first, then tags and product, then the body (ts_rank weighs A > B > D).
        Backend::Postgres => {
            "INSERT INTO kb_search (id, document) VALUES ($1, setweight(to_tsvector('simple', $2), 'A') || \
             to_tsvector('simple', $3) || setweight(to_tsvector('simple', $4), 'B') || \
             setweight(to_tsvector('simple', $5), 'B'))"
        }
    };
    sqlx::query(sql)
        .bind(id)
        .bind(index_text(title))
        .bind(index_text(body))
        .bind(index_text(tags))
        .bind(index_text(product))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn index_case(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    id: i64,
    organization_id: i64,
    summary: &str,
    description: &str,
) -> Result<(), sqlx::Error> {
    use crate::domain::kb::index_text;
    match backend {
        Backend::Sqlite => {
            sqlx::query("INSERT INTO case_search (rowid, summary, description, organization) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(index_text(summary))
                .bind(index_text(description))
                .bind(organization_token(organization_id))
                .execute(&mut **tx)
                .await?;
        }
        Backend::Postgres => {
            sqlx::query(
                "INSERT INTO case_search (id, organization_id, document) VALUES ($1, $2, \
                 setweight(to_tsvector('simple', $3), 'A') || to_tsvector('simple', $4))",
            )
            .bind(id)
            .bind(organization_id)
            .bind(index_text(summary))
            .bind(index_text(description))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// The installation's secret for reply addresses, made at the first start.
async fn mail_secret(pool: &AnyPool) -> Result<Vec<u8>, sqlx::Error> {
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    sqlx::query("INSERT INTO settings (key, value) VALUES ('mail_secret', $1) ON CONFLICT(key) DO NOTHING")
        .bind(&fresh)
        .execute(pool)
        .await?;
    let value: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'mail_secret'").fetch_one(pool).await?;
    hex::decode(value).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A file checked (type from its bytes, size) and ready to be kept with a case.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

impl Store {
    pub async fn create_invitation(
        &self,
        user_id: i64,
        token_hash: &str,
        invited_by: i64,
        now: Timestamp,
        expires: Timestamp,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO invitations (user_id, token_hash, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user_id)
        .bind(token_hash)
        .bind(invited_by)
        .bind(now.to_string())
        .bind(expires.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Uses an invitation (once, before it expires) and sets its person's password, in one
    /// transaction; `None` when the link is unknown, used or expired.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Option<UserRecord>, AppError> {
        let mut tx = self.begin_write().await?;
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE invitations SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL AND expires_at > $1 \
             RETURNING user_id",
        )
        .bind(now.to_string())
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(user_id) = user_id else { return Ok(None) };
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.user_by_id(user_id).await
    }
}

/// A stored attachment, as it is served.
#[derive(Clone, Debug)]
pub struct StoredAttachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

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
        let mut tx = self.begin_write().await?;
        let seen: Option<String> = sqlx::query_scalar("SELECT outcome FROM mail_inbound WHERE message_id = $1")
            .bind(message_id)
            .fetch_optional(&mut *tx)
            .await?;
        if seen.is_some() {
            return Ok(None);
        }
        let case_id = visible_case_id(&mut tx, number, scope).await?.ok_or(AppError::NotFound)?;
        let now = Timestamp::now().to_string();
        touch_case(&mut tx, case_id, &now).await?;
        let mut event_id = 0;
        if let Some(change) = change {
            event_id = append_event(&mut tx, case_id, Some(actor_id), &now, change).await?;
        }
        for attachment in attachments {
            event_id = insert_attachment(&mut tx, case_id, actor_id, attachment, &now).await?;
        }
        sqlx::query(
            "INSERT INTO mail_inbound (message_id, received_at, sender, outcome, case_number) VALUES ($1, $2, $3, 'reply', $4)",
        )
        .bind(message_id)
        .bind(&now)
        .bind(sender)
        .bind(number.0)
        .execute(&mut *tx)
        .await?;
        let case = case_by_id(&mut tx, case_id).await?;
        tx.commit().await?;
        self.published(event_id);
        Ok(Some(case))
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
        let mut tx = self.begin_write().await?;
        let case_id = visible_case_id(&mut tx, number, scope).await?.ok_or(AppError::NotFound)?;
        let upload_fingerprint = fingerprint(
            attachments.iter().map(|a| format!("{}:{}", a.file_name, fingerprint(&a.content))).collect::<Vec<_>>().join("/").as_bytes(),
        );
        let key = idempotency_key.map(|k| format!("upload:{k}"));
        if let Some(key) = &key
            && earlier_request(&mut tx, actor_id, key, &upload_fingerprint).await?.is_some()
        {
            return case_by_id(&mut tx, case_id).await;
        }
        let now = Timestamp::now().to_string();
        touch_case(&mut tx, case_id, &now).await?;
        let mut event_id = 0;
        for attachment in attachments {
            event_id = insert_attachment(&mut tx, case_id, actor_id, attachment, &now).await?;
        }
        if let Some(key) = &key {
            remember_request(&mut tx, actor_id, key, &upload_fingerprint, case_id, &now).await?;
        }
        let case = case_by_id(&mut tx, case_id).await?;
        tx.commit().await?;
        self.published(event_id);
        Ok(case)
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
        let mut tx = self.begin_write().await?;
        let (case_id, case) = case_in(&mut tx, number, scope).await?;
        if case.version != expected_version {
            return Err(conflict(&mut tx, case_id, case.version).await?);
        }
        decide(&case)?;
        let now = Timestamp::now().to_string();
        sqlx::query("UPDATE cases SET severity = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4")
            .bind(to.level() as i64)
            .bind(&now)
            .bind(case_id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
        let change = CaseChange::SeverityChanged { from: case.severity, to };
        let event_id = append_event(&mut tx, case_id, Some(actor_id), &now, &change).await?;
        let case = case_by_id(&mut tx, case_id).await?;
        tx.commit().await?;
        self.published(event_id);
        Ok(case)
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

    /// Whether the organization's known contacts may open cases by email.
    pub async fn email_intake(&self, organization_id: i64) -> Result<bool, AppError> {
        let allowed: Option<i64> = sqlx::query_scalar("SELECT email_intake FROM organizations WHERE id = $1")
            .bind(organization_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(allowed.is_some_and(|a| a != 0))
    }

    pub async fn set_email_intake(&self, organization_id: i64, allowed: bool) -> Result<(), AppError> {
        sqlx::query("UPDATE organizations SET email_intake = $1 WHERE id = $2")
            .bind(i64::from(allowed))
            .bind(organization_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Makes an engineer a lead (told of SLA warnings and breaches while on shift), or not.
    pub async fn set_engineer_lead(&self, user_id: i64, lead: bool) -> Result<(), AppError> {
        sqlx::query("UPDATE engineer_profiles SET lead = $1 WHERE user_id = $2")
            .bind(i64::from(lead))
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A log entry by id, with its case's internal id.
    pub async fn event_by_id(&self, event_id: i64) -> Result<Option<CaseEvent>, AppError> {
        let row = sqlx::query(
            "SELECT c.number, e.id, e.at, e.data, u.name AS actor FROM case_events e JOIN cases c ON c.id = e.case_id \
             LEFT JOIN users u ON u.id = e.actor_id WHERE e.id = $1",
        )
        .bind(event_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| event_from_row(CaseNumber(row.try_get("number")?), &row)).transpose()
    }

    /// A case by its internal id (for the mail sender, which acts for the system).
    pub async fn case_by_id(&self, case_id: i64) -> Result<Option<Case>, AppError> {
        let sql = sqlx::AssertSqlSafe(format!("{CASE_SELECT} WHERE c.id = $1"));
        let row = sqlx::query(sql).bind(case_id).fetch_optional(&self.pool).await?;
        row.as_ref().map(case_from_row).transpose()
    }
}

/// A change others must see before they act on the case: its version goes up.
async fn touch_case(tx: &mut sqlx::Transaction<'static, sqlx::Any>, case_id: i64, now: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE cases SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The case a request with this idempotency key made before, if any; the same key with a
/// different request is refused.
async fn earlier_request(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    key: &str,
    request_fingerprint: &str,
) -> Result<Option<i64>, AppError> {
    let found = sqlx::query("SELECT case_id, fingerprint FROM idempotency_keys WHERE user_id = $1 AND key = $2")
        .bind(user_id)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = found else { return Ok(None) };
    if row.try_get::<String, _>("fingerprint")? != request_fingerprint {
        return Err(AppError::invalid("idempotency_key", InvalidReason::NotAllowed));
    }
    Ok(Some(row.try_get("case_id")?))
}

async fn remember_request(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
    key: &str,
    request_fingerprint: &str,
    case_id: i64,
    now: &str,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO idempotency_keys (user_id, key, fingerprint, case_id, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(key)
        .bind(request_fingerprint)
        .bind(case_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Stores one attachment and appends its log entry; returns the entry's id.
async fn insert_attachment(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    case_id: i64,
    actor_id: i64,
    attachment: &NewAttachment,
    now: &str,
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
    append_event(tx, case_id, Some(actor_id), now, &change).await
}

pub use crate::domain::DraftFile;

/// How long an upload waits for its case.
pub const UPLOAD_KEPT_FOR: jiff::SignedDuration = jiff::SignedDuration::from_hours(7 * 24);

impl Store {
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
        let done = sqlx::query("DELETE FROM uploads WHERE id = $1 AND user_id = $2").bind(id).bind(user_id).execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }

    /// The products an organization runs, by name.
    pub async fn products(&self, organization_id: i64) -> Result<Vec<crate::domain::ProductLine>, AppError> {
        let rows = sqlx::query(
            "SELECT name, latest_version, supported_majors FROM products WHERE organization_id = $1 ORDER BY name",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(crate::domain::ProductLine {
                    name: r.try_get("name")?,
                    latest_version: r.try_get("latest_version")?,
                    supported_majors: u32::try_from(r.try_get::<i64, _>("supported_majors")?).unwrap_or(2),
                })
            })
            .collect()
    }

    /// Adds a product to an organization, or updates its newest version and support span.
    pub async fn put_product(&self, organization_id: i64, product: &crate::domain::ProductLine) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO products (organization_id, name, latest_version, supported_majors) VALUES ($1, $2, $3, $4) \
             ON CONFLICT(organization_id, name) DO UPDATE SET latest_version = excluded.latest_version, \
             supported_majors = excluded.supported_majors",
        )
        .bind(organization_id)
        .bind(&product.name)
        .bind(&product.latest_version)
        .bind(i64::from(product.supported_majors))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn record_deflection(
        &self,
        user_id: i64,
        organization_id: i64,
        hit_kind: &str,
        hit_id: i64,
        query: &str,
    ) -> Result<(), AppError> {
        sqlx::query(
            "INSERT INTO deflections (user_id, organization_id, hit_kind, hit_id, query, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user_id)
        .bind(organization_id)
        .bind(hit_kind)
        .bind(hit_id)
        .bind(query)
        .bind(Timestamp::now().to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deflections since `since`: (by an article, by a solved case).
    pub async fn deflection_counts(&self, since: Timestamp) -> Result<(i64, i64), AppError> {
        let row = sqlx::query(
            "SELECT COUNT(*) FILTER (WHERE hit_kind = 'article') AS articles, COUNT(*) FILTER (WHERE hit_kind = 'case') AS cases \
             FROM deflections WHERE created_at >= $1",
        )
        .bind(since.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("articles")?, row.try_get("cases")?))
    }
}

use crate::domain::people::Contact;

impl Store {
    pub async fn contacts(&self, organization_id: i64) -> Result<Vec<Contact>, AppError> {
        let rows = sqlx::query(
            "SELECT id, name, email, org_admin, opens_cases FROM users WHERE organization_id = $1 AND role = 'customer' ORDER BY name",
        )
        .bind(organization_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Contact {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    email: row.try_get("email")?,
                    org_admin: flag(row, "org_admin")?,
                    opens_cases: flag(row, "opens_cases")?,
                })
            })
            .collect()
    }

    /// Gives a contact a seat (may open cases) or takes it back, within `seats`: counted in
    /// the same transaction, so two admins cannot both take the last seat.
    pub async fn set_case_opener(
        &self,
        organization_id: i64,
        user_id: i64,
        opens: bool,
        seats: Option<u32>,
    ) -> Result<(), AppError> {
        let mut tx = self.begin_write().await?;
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND organization_id = $2 AND role = 'customer'")
                .bind(user_id)
                .bind(organization_id)
                .fetch_optional(&mut *tx)
                .await?;
        if found.is_none() {
            return Err(AppError::NotFound);
        }
        if let (true, Some(seats)) = (opens, seats) {
            let taken: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users WHERE organization_id = $1 AND role = 'customer' AND opens_cases = 1 AND id <> $2",
            )
            .bind(organization_id)
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
            if taken >= i64::from(seats) {
                return Err(AppError::invalid("opens_cases", InvalidReason::TooLong { max: seats as usize }));
            }
        }
        sqlx::query("UPDATE users SET opens_cases = $1 WHERE id = $2").bind(i64::from(opens)).bind(user_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
