//! Opening a store: connecting, per-connection settings, migrations, the search index
//! when it comes from an older version, the installation's mail secret.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

use super::search_index::index_for_search_if_needed;
use super::{AfterCommit, Backend, Store};

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

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
        super::projections::project_if_needed(&pool, backend)
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("building the SLA projections: {e:?}")))?;
        super::report_rollups::roll_up_if_needed(&pool, backend)
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("building the report rollups: {e:?}")))?;
        let mail_secret = mail_secret(&pool).await?.into();
        let instance: Arc<str> = hex::encode(rand::random::<[u8; 8]>()).into();
        let url = (backend == Backend::Postgres).then(|| url.into());
        Ok(Store {
            pool,
            backend,
            instance,
            after_commit: Arc::new(AfterCommit::new(url)),
            mail_secret,
            mail_window: std::time::Duration::ZERO,
        })
    }
}

/// The installation's secret for reply addresses, made at the first start.
async fn mail_secret(pool: &AnyPool) -> Result<Vec<u8>, sqlx::Error> {
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    sqlx::query("INSERT INTO settings (key, value) VALUES ('mail_secret', $1) ON CONFLICT(key) DO NOTHING")
        .bind(&fresh)
        .execute(pool)
        .await?;
    let value: String =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'mail_secret'").fetch_one(pool).await?;
    hex::decode(value).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}
