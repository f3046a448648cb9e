//! Searching cases: what a search asks (the words, the filters, a page), the checks it
//! passes before any query runs, the cursor that continues it, and the answer's shape.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::case::{Case, Severity};
use super::kb::{SearchTerm, index_text, search_terms};
use super::lifecycle::Status;
use super::named::named_enum;
use crate::error::{AppError, InvalidReason};

/// The longest search text (characters).
pub const CASE_SEARCH_MAX_CHARS: usize = 200;
/// Results per page unless asked otherwise, and the most a page may hold.
pub const CASE_SEARCH_DEFAULT_LIMIT: u32 = 25;
pub const CASE_SEARCH_MAX_LIMIT: u32 = 100;

/// A search as it arrives (query string or server function): every value is text, checked
/// by [`CaseSearchQuery::validated`], so a bad one is a 422 naming its field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct CaseSearchQuery {
    /// What to look for (1 to 200 characters); Chinese and Japanese need no spaces.
    #[cfg_attr(feature = "ssr", param(required = true, max_length = 200, example = "dashboard slow"))]
    pub q: Option<String>,
    /// One status or several, comma-separated: `new,confirmed`.
    #[cfg_attr(feature = "ssr", param(example = "new,confirmed"))]
    pub status: Option<String>,
    /// An organization's slug (support only; a customer's own organization is implied).
    pub organization: Option<String>,
    /// A severity level, 1 (most urgent) to 4.
    #[cfg_attr(feature = "ssr", param(example = "1"))]
    pub severity: Option<String>,
    /// An engineer's email, `me`, or `none` (unassigned).
    #[cfg_attr(feature = "ssr", param(example = "me"))]
    pub assignee: Option<String>,
    /// The product, as the case names it.
    pub product: Option<String>,
    /// Opened at or after this instant (RFC 3339) or day (`2024-05-01`, UTC).
    #[cfg_attr(feature = "ssr", param(example = "2024-05-01"))]
    pub opened_after: Option<String>,
    /// Opened before this instant or day.
    pub opened_before: Option<String>,
    /// Last changed at or after this instant or day.
    pub updated_after: Option<String>,
    /// Last changed before this instant or day.
    pub updated_before: Option<String>,
    /// Results per page, 1 to 100 (25 by default).
    #[cfg_attr(feature = "ssr", param(example = "25"))]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page of the same search.
    pub cursor: Option<String>,
}

/// Whose cases: an engineer's (by email), the searcher's own, or nobody's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssigneeChoice {
    Email(String),
    Me,
    Nobody,
}

/// A checked search.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseSearch {
    /// The text as typed (trimmed): the snippet is cut around its first word.
    pub text: String,
    pub terms: Vec<SearchTerm>,
    pub statuses: Vec<Status>,
    pub organization: Option<String>,
    pub severity: Option<Severity>,
    pub assignee: Option<AssigneeChoice>,
    pub product: Option<String>,
    pub opened_after: Option<Timestamp>,
    pub opened_before: Option<Timestamp>,
    pub updated_after: Option<Timestamp>,
    pub updated_before: Option<Timestamp>,
    pub limit: u32,
    pub cursor: Option<SearchCursor>,
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn malformed(field: &str, detail: &str) -> AppError {
    AppError::invalid(field, InvalidReason::Malformed { detail: detail.into() })
}

/// An instant (RFC 3339) or a day (`YYYY-MM-DD`, its start in UTC), to the second.
fn instant(field: &str, value: &Option<String>) -> Result<Option<Timestamp>, AppError> {
    let Some(text) = present(value) else { return Ok(None) };
    let parsed = text.parse::<Timestamp>().ok().or_else(|| {
        text.parse::<jiff::civil::Date>().ok().and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok()).map(|z| z.timestamp())
    });
    let at = parsed.ok_or_else(|| malformed(field, "an RFC 3339 instant or a YYYY-MM-DD day"))?;
    Ok(Some(Timestamp::from_second(at.as_second()).map_err(|_| malformed(field, "out of range"))?))
}

impl CaseSearchQuery {
    /// Checks every field; the first wrong one is refused by name.
    pub fn validated(&self) -> Result<CaseSearch, AppError> {
        let text = self.q.as_deref().unwrap_or("").trim().to_owned();
        if text.is_empty() {
            return Err(AppError::invalid("q", InvalidReason::Required));
        }
        if text.chars().count() > CASE_SEARCH_MAX_CHARS {
            return Err(AppError::invalid("q", InvalidReason::TooLong { max: CASE_SEARCH_MAX_CHARS }));
        }
        let terms = search_terms(&text)?;
        if terms.is_empty() {
            return Err(malformed("q", "no letters or digits to look for"));
        }
        let mut statuses = Vec::new();
        if let Some(list) = present(&self.status) {
            for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let status = Status::parse(name).ok_or_else(|| malformed("status", "unknown status"))?;
                if !statuses.contains(&status) {
                    statuses.push(status);
                }
            }
        }
        let severity = match present(&self.severity) {
            None => None,
            Some(level) => Some(
                level
                    .parse::<u8>()
                    .ok()
                    .and_then(|l| Severity::try_from(l).ok())
                    .ok_or_else(|| malformed("severity", "a level from 1 to 4"))?,
            ),
        };
        let assignee = present(&self.assignee).map(|a| match a.to_lowercase().as_str() {
            "me" => AssigneeChoice::Me,
            "none" => AssigneeChoice::Nobody,
            email => AssigneeChoice::Email(email.to_owned()),
        });
        if let Some(AssigneeChoice::Email(email)) = &assignee
            && (!email.contains('@') || email.chars().count() > 254)
        {
            return Err(malformed("assignee", "an email, me or none"));
        }
        let organization = present(&self.organization).map(str::to_owned);
        if organization.as_ref().is_some_and(|o| o.chars().count() > 100) {
            return Err(AppError::invalid("organization", InvalidReason::TooLong { max: 100 }));
        }
        let product = present(&self.product).map(str::to_owned);
        if product.as_ref().is_some_and(|p| p.chars().count() > 200) {
            return Err(AppError::invalid("product", InvalidReason::TooLong { max: 200 }));
        }
        let limit = match present(&self.limit) {
            None => CASE_SEARCH_DEFAULT_LIMIT,
            Some(n) => n
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=CASE_SEARCH_MAX_LIMIT).contains(n))
                .ok_or_else(|| malformed("limit", "a number from 1 to 100"))?,
        };
        let mut search = CaseSearch {
            text,
            terms,
            statuses,
            organization,
            severity,
            assignee,
            product,
            opened_after: instant("opened_after", &self.opened_after)?,
            opened_before: instant("opened_before", &self.opened_before)?,
            updated_after: instant("updated_after", &self.updated_after)?,
            updated_before: instant("updated_before", &self.updated_before)?,
            limit,
            cursor: None,
        };
        if let Some(cursor) = present(&self.cursor) {
            let cursor = SearchCursor::decode(cursor).ok_or_else(|| malformed("cursor", "not a cursor of this search"))?;
            if cursor.fingerprint != search.fingerprint() {
                return Err(malformed("cursor", "not a cursor of this search"));
            }
            search.cursor = Some(cursor);
        }
        Ok(search)
    }
}

impl CaseSearch {
    /// What makes two searches the same search (not the page): a cursor carries it, so a
    /// cursor is only good for the search that made it.
    pub fn fingerprint(&self) -> u64 {
        let statuses: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
        let key = format!(
            "{}\u{1}{}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{:?}",
            self.text.to_lowercase(),
            statuses.join(","),
            self.organization,
            self.severity.map(|s| s.level()),
            self.assignee,
            self.product,
            self.opened_after,
            self.opened_before,
            self.updated_after,
            self.updated_before,
        );
        // FNV-1a: stable across builds and platforms (the cursor outlives a deploy).
        key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
    }
}

/// Where the next page of a search starts: after result `position` (0-based count of the
/// results already given), which was case `last`; `step` is which of the search plan's
/// expressions the pages come from. No score is in it: a customer's cursor says nothing
/// of other organizations' cases, nor of internal notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchCursor {
    pub step: u8,
    pub position: u32,
    pub last: i64,
    pub fingerprint: u64,
}

impl SearchCursor {
    /// Opaque to clients: `v1` and the fields, in hex.
    pub fn encode(&self) -> String {
        let text = format!("v1.{}.{}.{}.{:016x}", self.step, self.position, self.last, self.fingerprint);
        text.bytes().map(|b| format!("{b:02x}")).collect()
    }

    pub fn decode(cursor: &str) -> Option<SearchCursor> {
        if cursor.len() > 128 || cursor.len() % 2 != 0 {
            return None;
        }
        let bytes: Option<Vec<u8>> =
            (0..cursor.len()).step_by(2).map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok()).collect();
        let text = String::from_utf8(bytes?).ok()?;
        let mut parts = text.split('.');
        if parts.next()? != "v1" {
            return None;
        }
        let step = parts.next()?.parse().ok().filter(|s| *s <= 1)?;
        let position = parts.next()?.parse().ok()?;
        let last = parts.next()?.parse().ok().filter(|n| *n > 0)?;
        let fingerprint = u64::from_str_radix(parts.next()?, 16).ok()?;
        parts.next().is_none().then_some(SearchCursor { step, position, last, fingerprint })
    }
}

named_enum! {
    /// Where a case matched, the best place first: its summary, its description, a public
    /// reply, or an internal note (support only).
    MatchedIn {
        Summary = "summary",
        Description = "description",
        Reply = "reply",
        Note = "note",
    }
}

/// One case found: the case as lists show it, where it matched, and a plain-text snippet
/// of the text that matched (escaped where it is shown, like any case text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseSearchHit {
    #[serde(flatten)]
    pub case: Case,
    pub matched_in: MatchedIn,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

/// A page of results, best first; `next_cursor` continues the same search (`None`: no more).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseSearchPage {
    pub results: Vec<CaseSearchHit>,
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// Whether one of `terms` is in `text` as the index would find it (its words, case
/// ignored; the last term as a prefix when typed as one): tells a summary match from a
/// description match.
pub fn text_has_term(text: &str, terms: &[SearchTerm]) -> bool {
    let words: Vec<String> = index_text(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    terms.iter().any(|term| {
        let tokens: Vec<String> = term.tokens.iter().map(|t| t.to_lowercase()).collect();
        let Some(last) = tokens.len().checked_sub(1) else { return false };
        words.windows(tokens.len()).any(|window| {
            window.iter().zip(&tokens).enumerate().all(|(i, (word, token))| {
                if i == last && term.prefix { word.starts_with(token.as_str()) } else { word == token }
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> CaseSearchQuery {
        CaseSearchQuery { q: Some(q.into()), ..Default::default() }
    }

    fn field_of(e: AppError) -> String {
        match e {
            AppError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_search_needs_words_of_at_most_two_hundred_characters() {
        assert_eq!(field_of(query("  ").validated().unwrap_err()), "q");
        assert_eq!(field_of(query("--- ;").validated().unwrap_err()), "q");
        assert_eq!(field_of(query(&"x".repeat(201)).validated().unwrap_err()), "q");
        assert_eq!(query(&"x".repeat(200)).validated().unwrap().limit, CASE_SEARCH_DEFAULT_LIMIT);
    }

    #[test]
    fn filters_are_checked_by_name() {
        let with = |f: fn(&mut CaseSearchQuery)| {
            let mut q = query("dashboard");
            f(&mut q);
            q.validated()
        };
        assert_eq!(field_of(with(|q| q.status = Some("new,lost".into())).unwrap_err()), "status");
        assert_eq!(field_of(with(|q| q.limit = Some("0".into())).unwrap_err()), "limit");
        assert_eq!(field_of(with(|q| q.limit = Some("101".into())).unwrap_err()), "limit");
        assert_eq!(field_of(with(|q| q.severity = Some("5".into())).unwrap_err()), "severity");
        assert_eq!(field_of(with(|q| q.opened_after = Some("yesterday".into())).unwrap_err()), "opened_after");
        assert_eq!(field_of(with(|q| q.assignee = Some("sam".into())).unwrap_err()), "assignee");
        assert_eq!(field_of(with(|q| q.cursor = Some("zz".into())).unwrap_err()), "cursor");
        let s = with(|q| {
            q.status = Some("new, confirmed,new".into());
            q.opened_after = Some("2024-05-01".into());
            q.updated_before = Some("2024-05-02T10:00:00.75Z".into());
            q.assignee = Some("ME".into());
            q.limit = Some("100".into());
        })
        .unwrap();
        assert_eq!(s.statuses, [Status::New, Status::Confirmed]);
        assert_eq!(s.opened_after.unwrap().to_string(), "2024-05-01T00:00:00Z");
        assert_eq!(s.updated_before.unwrap().to_string(), "2024-05-02T10:00:00Z");
        assert_eq!(s.assignee, Some(AssigneeChoice::Me));
        assert_eq!(s.limit, 100);
    }

    #[test]
    fn a_cursor_continues_only_the_search_that_made_it() {
        let first = query("dashboard").validated().unwrap();
        let cursor = SearchCursor { step: 0, position: 25, last: 1042, fingerprint: first.fingerprint() }.encode();
        let next = CaseSearchQuery { cursor: Some(cursor.clone()), ..query("dashboard") }.validated().unwrap();
        assert_eq!(next.cursor.unwrap().position, 25);
        let other = CaseSearchQuery { cursor: Some(cursor.clone()), ..query("printer") };
        assert_eq!(field_of(other.validated().unwrap_err()), "cursor");
        let filtered = CaseSearchQuery { cursor: Some(cursor), status: Some("new".into()), ..query("dashboard") };
        assert_eq!(field_of(filtered.validated().unwrap_err()), "cursor");
        assert_eq!(SearchCursor::decode("763"), None);
        assert_eq!(SearchCursor::decode(&"76312e302e312e31".repeat(20)), None);
    }

    #[test]
    fn a_summary_match_is_told_from_a_description_match() {
        let terms = search_terms("kiban").unwrap();
        assert!(text_has_term("Kibana dashboard slow", &terms));
        assert!(!text_has_term("Dashboard slow", &terms));
        let cjk = search_terms("仪表板").unwrap();
        assert!(text_has_term("Kibana仪表板很慢", &cjk));
        assert!(!text_has_term("仪表很慢", &cjk));
    }
}
