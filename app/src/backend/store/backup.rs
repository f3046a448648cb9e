//! `caseboard backup`: a consistent copy of the SQLite database, taken while a server keeps
//! writing to it. `VACUUM INTO` reads the database in one read transaction (in WAL mode
//! writers go on meanwhile) and writes a compact copy: every transaction committed before
//! it began is in the copy, none after. PostgreSQL has its own tools (`pg_dump`, PITR).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

/// A copy made.
#[derive(Debug)]
pub struct Backup {
    /// The database file copied.
    pub source: PathBuf,
    /// The copy's size.
    pub bytes: u64,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "the configured database is PostgreSQL: back it up with pg_dump (or continuous archiving), \
         see \"Backup and restore\" in the README"
    )]
    Postgres,
    #[error("{0} exists: a backup never overwrites a file, name a new one")]
    TargetExists(PathBuf),
    #[error("no SQLite database at {0}")]
    NoDatabase(PathBuf),
    #[error("cannot write {path}: {error}")]
    Target { path: PathBuf, error: std::io::Error },
    #[error("the database: {0}")]
    Database(#[from] sqlx::Error),
}

/// Copies the SQLite database at `database_url` (a `sqlite:` URL) into the new file `into`,
/// without changing the database (it is opened read-only, never created).
pub async fn backup_sqlite(database_url: &str, into: &Path) -> Result<Backup, BackupError> {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        return Err(BackupError::Postgres);
    }
    let started = Instant::now();
    // A server may hold the write lock for a moment: wait for it as the server does.
    let options = SqliteConnectOptions::from_str(database_url)?
        .create_if_missing(false)
        .read_only(true)
        .busy_timeout(Duration::from_secs(10));
    let source = options.get_filename().to_path_buf();
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source));
    }
    let target = |error| BackupError::Target { path: into.to_path_buf(), error };
    let Some(into_text) = into.to_str() else {
        return Err(target(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path is not UTF-8")));
    };
    // Claimed atomically: an existing file is refused, never overwritten. `VACUUM INTO`
    // accepts the empty file this leaves.
    match std::fs::OpenOptions::new().write(true).create_new(true).open(into) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(BackupError::TargetExists(into.to_path_buf()));
        }
        Err(e) => return Err(target(e)),
    }
    let copied = async {
        let mut connection = options.connect().await?;
        sqlx::query("VACUUM INTO $1").bind(into_text).execute(&mut connection).await?;
        sqlx::Connection::close(connection).await?;
        // On disk before we say so: the copy, and its name in the directory.
        std::fs::File::open(into).and_then(|f| f.sync_all()).map_err(target)?;
        if let Some(directory) = into.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::File::open(directory).and_then(|d| d.sync_all()).map_err(target)?;
        }
        Ok::<_, BackupError>(())
    }
    .await;
    if let Err(e) = copied {
        // The file is ours (created empty above): leave nothing half written.
        let _ = std::fs::remove_file(into);
        return Err(e);
    }
    let bytes = std::fs::metadata(into).map_err(target)?.len();
    Ok(Backup { source, bytes, elapsed: started.elapsed() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_copy_holds_what_was_committed_and_the_source_is_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::backend::Store::open_sqlite(&dir.path().join("db.sqlite")).await.unwrap();
        store.raw_execute("INSERT INTO settings (key, value) VALUES ('backup_probe', 'kept')").await.unwrap();
        let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
        let into = dir.path().join("copy.sqlite");

        let backup = backup_sqlite(&url, &into).await.unwrap();
        assert_eq!(backup.source, dir.path().join("db.sqlite"));
        assert_eq!(backup.bytes, std::fs::metadata(&into).unwrap().len());
        let copy = crate::backend::Store::open_sqlite(&into).await.unwrap();
        let probe: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'backup_probe'")
            .fetch_one(copy.pool())
            .await
            .unwrap();
        assert_eq!(probe, "kept");
    }

    #[tokio::test]
    async fn an_existing_file_a_missing_database_and_postgres_are_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        crate::backend::Store::open_sqlite(&dir.path().join("db.sqlite")).await.unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("db.sqlite").display());
        let existing = dir.path().join("existing");
        std::fs::write(&existing, b"keep me").unwrap();

        let refused = backup_sqlite(&url, &existing).await.unwrap_err();
        assert!(matches!(refused, BackupError::TargetExists(_)), "{refused}");
        assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

        // `mode=rwc` in the URL does not create a database that is not there.
        let missing = dir.path().join("missing.sqlite");
        let refused = backup_sqlite(&format!("sqlite://{}?mode=rwc", missing.display()), &dir.path().join("a"))
            .await
            .unwrap_err();
        assert!(matches!(refused, BackupError::NoDatabase(_)), "{refused}");
        assert!(!missing.exists() && !dir.path().join("a").exists());

        let refused = backup_sqlite("postgres://caseboard@db:5432/caseboard", &dir.path().join("b")).await.unwrap_err();
        assert!(matches!(refused, BackupError::Postgres));
        assert!(refused.to_string().contains("pg_dump"));
        assert!(!dir.path().join("b").exists());
    }
}
