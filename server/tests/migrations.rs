//! The two engines' migration folders hold the same migrations: the same numbers and names,
//! so a database of either kind is at the same schema version.

use std::path::Path;

fn names(engine: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/migrations").join(engine);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn sqlite_and_postgres_migrations_have_the_same_numbers_and_names() {
    let (sqlite, postgres) = (names("sqlite"), names("postgres"));
    assert!(!sqlite.is_empty(), "no migrations found");
    for name in &sqlite {
        let (number, rest) = name.split_once('_').unwrap_or_else(|| panic!("{name}: not number_name.sql"));
        assert!(number.len() == 4 && number.bytes().all(|b| b.is_ascii_digit()), "{name}: a four-digit number first");
        assert!(rest.ends_with(".sql") && rest.len() > 4, "{name}: not number_name.sql");
    }
    let only = |a: &[String], b: &[String]| a.iter().filter(|n| !b.contains(n)).cloned().collect::<Vec<_>>();
    assert_eq!(
        sqlite,
        postgres,
        "only in sqlite: {:?}; only in postgres: {:?}",
        only(&sqlite, &postgres),
        only(&postgres, &sqlite)
    );
    let numbers: Vec<&str> = sqlite.iter().map(|n| &n[..4]).collect();
    let mut unique = numbers.clone();
    unique.dedup();
    assert_eq!(numbers, unique, "a number used twice");
}
