//! Opaque cursors: where the next page of a list starts, as a client sends it back. The
//! text inside is ours (a list kind and a position); a cursor that does not decode to the
//! expected kind is refused as malformed, never trusted.

use crate::domain::CaseNumber;
use crate::error::{AppError, InvalidReason};

/// The longest cursor a client may send.
const CURSOR_MAX: usize = 256;

fn malformed() -> AppError {
    AppError::invalid("cursor", InvalidReason::Malformed { detail: "not a cursor this list gave".into() })
}

fn encode(text: &str) -> String {
    hex::encode(text.as_bytes())
}

fn decode(cursor: &str) -> Result<String, AppError> {
    if cursor.len() > CURSOR_MAX {
        return Err(malformed());
    }
    let bytes = hex::decode(cursor).map_err(|_| malformed())?;
    String::from_utf8(bytes).map_err(|_| malformed())
}

/// A cursor after `number` in a newest-first list.
pub fn newest_after(number: CaseNumber) -> String {
    encode(&format!("n:{}", number.0))
}

/// The case number a newest-first cursor stops before.
pub fn parse_newest(cursor: &str) -> Result<i64, AppError> {
    let text = decode(cursor)?;
    text.strip_prefix("n:").and_then(|n| n.parse::<i64>().ok()).filter(|n| *n > 0).ok_or_else(malformed)
}

/// A cursor after a card in a most-urgent-first column.
pub fn urgency_after(severity: u8, opened_at: &str, number: CaseNumber) -> String {
    encode(&format!("u:{severity}:{}:{opened_at}", number.0))
}

/// (severity, opened_at, number) of an urgency cursor.
pub fn parse_urgency(cursor: &str) -> Result<(u8, String, i64), AppError> {
    let text = decode(cursor)?;
    let rest = text.strip_prefix("u:").ok_or_else(malformed)?;
    let mut parts = rest.splitn(3, ':');
    let severity = parts.next().and_then(|s| s.parse::<u8>().ok()).filter(|s| (1..=4).contains(s));
    let number = parts.next().and_then(|n| n.parse::<i64>().ok());
    let opened_at = parts.next().filter(|t| t.parse::<jiff::Timestamp>().is_ok());
    match (severity, number, opened_at) {
        (Some(severity), Some(number), Some(opened_at)) => Ok((severity, opened_at.to_string(), number)),
        _ => Err(malformed()),
    }
}

/// A cursor after a row of a list ordered by (name, id): contacts.
pub fn name_after(kind: char, name: &str, id: i64) -> String {
    encode(&format!("{kind}:{id}:{name}"))
}

/// (name, id) of a by-name cursor of `kind`.
pub fn parse_name(kind: char, cursor: &str) -> Result<(String, i64), AppError> {
    let text = decode(cursor)?;
    let rest = text.strip_prefix(kind).and_then(|r| r.strip_prefix(':')).ok_or_else(malformed)?;
    let (id, name) = rest.split_once(':').ok_or_else(malformed)?;
    Ok((name.to_string(), id.parse().map_err(|_| malformed())?))
}

/// A cursor after the row numbered `id` in a newest-first list of `kind` (articles).
pub fn id_before(kind: char, id: i64) -> String {
    encode(&format!("{kind}:{id}"))
}

/// The id a newest-first cursor of `kind` stops before.
pub fn parse_id(kind: char, cursor: &str) -> Result<i64, AppError> {
    let text = decode(cursor)?;
    let rest = text.strip_prefix(kind).and_then(|r| r.strip_prefix(':')).ok_or_else(malformed)?;
    rest.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        assert_eq!(parse_newest(&newest_after(CaseNumber(1234))).unwrap(), 1234);
        let urgency = urgency_after(2, "2026-01-01T10:00:00Z", CaseNumber(77));
        assert_eq!(parse_urgency(&urgency).unwrap(), (2, "2026-01-01T10:00:00Z".to_string(), 77));
        for bad in ["", "zz", "6e3a", &urgency, &"a".repeat(300), &hex::encode("n:-4")] {
            assert!(parse_newest(bad).is_err(), "{bad}");
        }
        assert!(parse_urgency(&newest_after(CaseNumber(5))).is_err());
        assert!(parse_urgency(&hex::encode("u:9:1:2026-01-01T10:00:00Z")).is_err());
        assert!(parse_urgency(&hex::encode("u:1:1:'; DROP TABLE cases")).is_err());
        let contact = name_after('c', "Zoë: the admin", 42);
        assert_eq!(parse_name('c', &contact).unwrap(), ("Zoë: the admin".to_string(), 42));
        assert!(parse_name('a', &contact).is_err());
        assert_eq!(parse_id('a', &id_before('a', 9)).unwrap(), 9);
        assert!(parse_id('a', &contact).is_err());
    }
}
