//! A database of its own for a test, on either engine: the store tests and the HTTP tests
//! (and benchmarks) ask here, so both engines are set up one way.

use std::path::Path;

/// Names a PostgreSQL server (`postgres://postgres@127.0.0.1:5432`): tests then run on it.
pub const POSTGRES_SERVER_VAR: &str = "CASEBOARD_TEST_POSTGRES";

/// Every test database on PostgreSQL starts with this (`scripts/test` drops leftovers by it).
pub const NAME_PREFIX: &str = "caseboard_test_";

/// The file in the test's directory that remembers its database.
const REMEMBERED: &str = "database_url";

/// The database URL for a test working in `dir`: a SQLite file in `dir`, or, when
/// `CASEBOARD_TEST_POSTGRES` names a PostgreSQL server, a fresh database there named
/// `caseboard_test_<random>`. Asking again with the same `dir` gives the same database, so a
/// test that restarts its store (or runs a second instance) reopens it.
pub async fn url(dir: &Path) -> Result<String, sqlx::Error> {
    let remembered = dir.join(REMEMBERED);
    if let Ok(url) = std::fs::read_to_string(&remembered) {
        return Ok(url);
    }
    let url = match std::env::var(POSTGRES_SERVER_VAR) {
        Ok(server) => postgres(&server).await?,
        Err(_) => format!("sqlite://{}?mode=rwc", dir.join("caseboard.sqlite").display()),
    };
    std::fs::create_dir_all(dir)?;
    std::fs::write(&remembered, &url)?;
    Ok(url)
}

/// A freshly created, empty database `caseboard_test_<random>` on the PostgreSQL `server`
/// (`postgres://user@host:port`); its URL.
pub async fn postgres(server: &str) -> Result<String, sqlx::Error> {
    use sqlx::Connection;
    let server = server.trim_end_matches('/');
    let name = format!("{NAME_PREFIX}{}", uuid::Uuid::new_v4().simple());
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres")).await?;
    // The name is ours (prefix and hex digits): nothing from outside reaches the statement.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
    admin.close().await?;
    Ok(format!("{server}/{name}"))
}
