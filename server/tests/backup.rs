//! `caseboard backup <file>`, run as an operator runs it (the binary, beside a running
//! `caseboard serve`): a copy taken while clients keep opening cases holds every case
//! acknowledged before the backup began, intact, passes SQLite's integrity check, and a fresh
//! server starts on it. An existing file, a PostgreSQL database or a missing database are
//! refused, and nothing is written.
//! Always on SQLite (the command copies SQLite files; PostgreSQL has pg_dump, see the README).

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Api, case_body};
use reqwest::StatusCode;
use sqlx::Connection;

const BINARY: &str = env!("CARGO_BIN_EXE_caseboard");
const WRITERS: usize = 4;

/// `caseboard backup <file>` with this configuration, as an operator runs it.
fn backup(data_dir: &Path, database_url: Option<&str>, file: &Path) -> Output {
    let mut command = Command::new(BINARY);
    command.arg("backup").arg(file).env("CASEBOARD_DATA_DIR", data_dir).env_remove("DATABASE_URL");
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    command.output().expect("caseboard runs")
}

fn said(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// A case as its 201 answer said it was.
struct Acknowledged {
    sent: Instant,
    at: Instant,
    number: i64,
    summary: String,
    version: i64,
}

/// Waits (bounded) until `count` cases are acknowledged.
async fn until_acknowledged(acknowledged: &Mutex<Vec<Acknowledged>>, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while acknowledged.lock().unwrap().len() < count {
        assert!(Instant::now() < deadline, "the writers stalled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_the_server_writes_holds_every_case_acknowledged_before_it_began() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("caseboard.sqlite").display());
    let live = common::instance::start(BINARY, &database, dir.path().join("live"), true, 3600).await;
    let alice = Api::new(&live.base).demo("alice@acme.example").await;

    // Clients keep opening cases, each on a connection of its own, until told to stop.
    let acknowledged = Arc::new(Mutex::new(Vec::<Acknowledged>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (api, acknowledged, stop) = (alice.own_client(), acknowledged.clone(), stop.clone());
            tokio::spawn(async move {
                for i in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let summary = format!("Opened during a backup, writer {w} case {i}");
                    let sent = Instant::now();
                    let answer = api.open_case(&case_body(&summary), None).await;
                    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
                    let (number, version) = (answer.number(), answer.version());
                    acknowledged.lock().unwrap().push(Acknowledged {
                        sent,
                        at: Instant::now(),
                        number,
                        summary,
                        version,
                    });
                }
            })
        })
        .collect();
    until_acknowledged(&acknowledged, 40).await;

    // The operator's backup, in the middle of the writes.
    let copy = dir.path().join("backup.sqlite");
    let began = Instant::now();
    let output = {
        let (data_dir, database, copy) = (dir.path().join("live"), database.clone(), copy.clone());
        tokio::task::spawn_blocking(move || backup(&data_dir, Some(&database), &copy)).await.unwrap()
    };
    let ended = Instant::now();
    assert!(output.status.success(), "{}", said(&output));
    assert!(said(&output).contains("backed up"), "{}", said(&output));
    // The writers went on during and after it.
    let before = acknowledged.lock().unwrap().iter().filter(|a| a.at < began).count();
    let at_end = acknowledged.lock().unwrap().len();
    until_acknowledged(&acknowledged, at_end + 20).await;
    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = std::mem::take(&mut *acknowledged.lock().unwrap());
    let during = acknowledged.iter().filter(|a| a.at >= began && a.at <= ended).count();
    eprintln!(
        "{before} cases acknowledged before the backup began, {during} during its {} ms, {} in all; {}",
        (ended - began).as_millis(),
        acknowledged.len(),
        said(&output).trim()
    );

    // The copy is a sound SQLite database (read-only: checked as it was written).
    let mut check = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", copy.display())).await.unwrap();
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut check).await.unwrap();
    assert_eq!(integrity, ["ok"]);
    check.close().await.unwrap();

    // A fresh server on the copy: every case acknowledged before the backup began is there as
    // it was acknowledged (Alice's token is in the copy too); one asked for after it ended is
    // not (the copy is one moment in between); the others are there intact or not at all.
    let restored = common::instance::start(
        BINARY,
        &format!("sqlite://{}", copy.display()),
        dir.path().join("restored"),
        false,
        3600,
    )
    .await;
    let from_copy = alice.on(&restored.base);
    let mut asked_after = 0;
    for case in &acknowledged {
        let answer = from_copy.get_case(case.number).await;
        if case.sent > ended {
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "case {} was asked for after the backup", case.number);
            asked_after += 1;
            continue;
        }
        if case.at >= began && answer.status == StatusCode::NOT_FOUND {
            continue;
        }
        assert_eq!(answer.status, StatusCode::OK, "case {} lost: {}", case.number, answer.text());
        assert_eq!(answer.body["summary"], case.summary.as_str(), "case {}", case.number);
        assert_eq!(answer.version(), case.version, "case {}", case.number);
    }
    assert!(asked_after > 0);
    // The live server still has them all.
    for case in acknowledged.iter().rev().take(5) {
        assert_eq!(alice.get_case(case.number).await.status, StatusCode::OK);
    }
}

#[test]
fn a_backup_never_overwrites_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut migrate = Command::new(BINARY);
    migrate.arg("migrate").env("CASEBOARD_DATA_DIR", dir.path()).env_remove("DATABASE_URL");
    assert!(migrate.output().unwrap().status.success());
    let existing = dir.path().join("yesterday.sqlite");
    std::fs::write(&existing, b"yesterday's backup").unwrap();

    let output = backup(dir.path(), None, &existing);
    assert!(!output.status.success());
    assert!(said(&output).contains("exists"), "{}", said(&output));
    assert_eq!(std::fs::read(&existing).unwrap(), b"yesterday's backup");

    // The same command to a new name works (the database of the default configuration).
    let output = backup(dir.path(), None, &dir.path().join("today.sqlite"));
    assert!(output.status.success(), "{}", said(&output));
}

#[test]
fn a_postgres_database_is_refused_with_the_way_to_back_it_up() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.sqlite");
    let output = backup(dir.path(), Some("postgres://caseboard@db.internal:5432/caseboard"), &file);
    assert!(!output.status.success());
    let text = said(&output);
    assert!(text.contains("PostgreSQL") && text.contains("pg_dump") && text.contains("README"), "{text}");
    assert!(!file.exists());
}

#[test]
fn no_database_no_backup_and_none_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.sqlite");
    let output = backup(dir.path(), None, &file);
    assert!(!output.status.success());
    assert!(said(&output).contains("no SQLite database"), "{}", said(&output));
    assert!(!file.exists() && !dir.path().join("caseboard.sqlite").exists());
}
