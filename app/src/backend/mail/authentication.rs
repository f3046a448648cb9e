//! What the receiving mail server says about a message's authenticity: its
//! `Authentication-Results` header (RFC 8601). Anyone can write such a header into a
//! message, so only those whose authserv-id is the one configured
//! (`CASEBOARD_MAIL_AUTHSERV_ID`, the receiving MTA's) are believed; every other is ignored.
//! A believed `dmarc=fail` means the From domain's owner disowns the message: it is refused.
//!
//! No maintained crate parses these headers (mail-auth writes them but does not read them;
//! msg-auth-status does not read the dmarc method), so this is a small parser of the RFC's
//! grammar: comments (nested, with quoted pairs) and quoted strings are honoured, so a `;`
//! or `dmarc=pass` inside either is never taken for a result. A believed header that cannot
//! be read counts as a failure (fail closed).

use mail_parser::{HeaderName, Message};

/// How many `Authentication-Results` headers are looked at (more is not a real message).
const MAX_HEADERS: usize = 64;

/// The DMARC verdict of the trusted mail server on a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dmarc {
    /// No believed header says anything about DMARC (or none is configured).
    Unknown,
    /// A believed header says `dmarc=pass` and none says `fail`.
    Pass,
    /// A believed header says `dmarc=fail` (or cannot be read).
    Fail,
}

/// One method's result in a header: `dmarc=fail` is `("dmarc", "fail")`, lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodResult {
    pub method: String,
    pub result: String,
}

/// One `Authentication-Results` header, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthenticationResults {
    /// Who made the checks (compared without regard to ASCII case).
    pub authserv_id: String,
    pub results: Vec<MethodResult>,
}

/// Why a header could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// A comment or quoted string that does not end.
    Unterminated,
    /// No authserv-id.
    NoAuthservId,
    /// A result that is not `method[/version]=result`.
    BadResult,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    /// A run of characters other than white space and `;=/("`.
    Word(String),
    /// A quoted string's content.
    Quoted(String),
    Semicolon,
    Equals,
    Slash,
}

/// Splits a header value into tokens; comments and white space (folding included) separate
/// tokens and are dropped.
fn tokens(value: &str) -> Result<Vec<Token>, Unreadable> {
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            ';' => out.push(Token::Semicolon),
            '=' => out.push(Token::Equals),
            '/' => out.push(Token::Slash),
            '(' => {
                let mut depth = 1;
                while depth > 0 {
                    match chars.next().ok_or(Unreadable::Unterminated)? {
                        '\\' => {
                            chars.next().ok_or(Unreadable::Unterminated)?;
                        }
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                }
            }
            '"' => {
                let mut text = String::new();
                loop {
                    match chars.next().ok_or(Unreadable::Unterminated)? {
                        '\\' => text.push(chars.next().ok_or(Unreadable::Unterminated)?),
                        '"' => break,
                        c => text.push(c),
                    }
                }
                out.push(Token::Quoted(text));
            }
            c => {
                let mut word = String::from(c);
                while let Some(&next) = chars.peek() {
                    if next.is_whitespace() || matches!(next, ';' | '=' | '/' | '(' | '"') {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                out.push(Token::Word(word));
            }
        }
    }
    Ok(out)
}

impl AuthenticationResults {
    /// Reads one header value (what follows `Authentication-Results:`).
    pub fn parse(value: &str) -> Result<AuthenticationResults, Unreadable> {
        let tokens = tokens(value)?;
        let mut groups = tokens.split(|t| *t == Token::Semicolon);
        // authserv-id [version]; anything else before the first `;` is not read (some
        // servers put properties there).
        let authserv_id = match groups.next().and_then(|g| g.first()) {
            Some(Token::Word(id) | Token::Quoted(id)) if !id.is_empty() => id.clone(),
            _ => return Err(Unreadable::NoAuthservId),
        };
        let mut results = Vec::new();
        for group in groups {
            match group {
                // `; none`: no checks were made.
                [Token::Word(none)] if none.eq_ignore_ascii_case("none") => {}
                // method [/ version] = result, then reason and properties, not read.
                [Token::Word(method), Token::Slash, Token::Word(_), Token::Equals, Token::Word(result), ..]
                | [Token::Word(method), Token::Equals, Token::Word(result), ..] => results
                    .push(MethodResult { method: method.to_ascii_lowercase(), result: result.to_ascii_lowercase() }),
                // A trailing `;` leaves an empty group.
                [] => {}
                _ => return Err(Unreadable::BadResult),
            }
        }
        Ok(AuthenticationResults { authserv_id, results })
    }

    fn says(&self, method: &str, result: &str) -> bool {
        self.results.iter().any(|r| r.method == method && r.result == result)
    }
}

/// The DMARC verdict of the headers that `trusted` (the configured authserv-id) wrote, from
/// the raw values of a message's `Authentication-Results` headers. Headers of any other
/// authserv-id are ignored; a trusted one that cannot be read counts as `Fail`.
pub fn dmarc_verdict<'a>(values: impl IntoIterator<Item = &'a str>, trusted: Option<&str>) -> Dmarc {
    let Some(trusted) = trusted.map(str::trim).filter(|t| !t.is_empty()) else { return Dmarc::Unknown };
    let mut verdict = Dmarc::Unknown;
    for value in values.into_iter().take(MAX_HEADERS) {
        match AuthenticationResults::parse(value) {
            Ok(header) if header.authserv_id.eq_ignore_ascii_case(trusted) => {
                if header.says("dmarc", "fail") {
                    return Dmarc::Fail;
                }
                if header.says("dmarc", "pass") {
                    verdict = Dmarc::Pass;
                }
            }
            Ok(_) => {}
            // Unreadable: believed only if it plainly starts with the trusted id.
            Err(error) => {
                let first = value.split([';', ' ', '\t', '\r', '\n', '(']).find(|w| !w.is_empty());
                if first.is_some_and(|id| id.eq_ignore_ascii_case(trusted)) {
                    tracing::warn!(?error, "an Authentication-Results header of the trusted server cannot be read");
                    return Dmarc::Fail;
                }
            }
        }
    }
    verdict
}

/// The DMARC verdict on a parsed message (every `Authentication-Results` header of its top
/// level, read from the raw bytes so that no header escapes for holding invalid UTF-8).
pub fn message_dmarc(message: &Message<'_>, trusted: Option<&str>) -> Dmarc {
    let raw = &message.raw_message;
    let values: Vec<String> = message
        .headers()
        .iter()
        .filter(|h| h.name == HeaderName::AuthenticationResults)
        .take(MAX_HEADERS)
        .map(|h| {
            let bytes = raw.get(h.offset_start as usize..h.offset_end as usize).unwrap_or_default();
            String::from_utf8_lossy(bytes).into_owned()
        })
        .collect();
    dmarc_verdict(values.iter().map(String::as_str), trusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MX: Option<&str> = Some("mx.caseboard.example");

    fn result(method: &str, result: &str) -> MethodResult {
        MethodResult { method: method.into(), result: result.into() }
    }

    #[test]
    fn a_header_of_the_kind_opendmarc_and_rspamd_write_is_read() {
        let header = AuthenticationResults::parse(
            " mx.caseboard.example;\r\n\tdkim=pass (2048-bit key; unprotected) header.d=acme.example header.i=@acme.example \
             header.b=\"Ab/cd+E=\";\r\n\tspf=pass (mx.caseboard.example: domain of alice@acme.example designates \
             192.0.2.1 as permitted sender) smtp.mailfrom=alice@acme.example;\r\n\tdmarc=pass (p=REJECT sp=REJECT \
             dis=NONE) header.from=acme.example",
        )
        .unwrap();
        assert_eq!(header.authserv_id, "mx.caseboard.example");
        assert_eq!(header.results, vec![result("dkim", "pass"), result("spf", "pass"), result("dmarc", "pass")]);
    }

    #[test]
    fn versions_quoted_ids_none_and_odd_spacing_are_read() {
        let header =
            AuthenticationResults::parse("\"mx.example\" 1 ; DMARC / 1 = FAIL header.from=x.example;").unwrap();
        assert_eq!(header.authserv_id, "mx.example");
        assert_eq!(header.results, vec![result("dmarc", "fail")]);
        let none = AuthenticationResults::parse("mx.example 1; none").unwrap();
        assert!(none.results.is_empty());
        let base64 = AuthenticationResults::parse("mx.example; dkim=pass header.b=a/b+c==; dmarc=fail").unwrap();
        assert_eq!(base64.results, vec![result("dkim", "pass"), result("dmarc", "fail")]);
    }

    #[test]
    fn a_semicolon_or_a_result_inside_a_comment_or_quotes_is_not_a_result() {
        let header = AuthenticationResults::parse(
            "mx.example; dmarc=fail (nested (comment; dmarc=pass) \\) still; dmarc=pass) reason=\"x; dmarc=pass\"",
        )
        .unwrap();
        assert_eq!(header.results, vec![result("dmarc", "fail")]);
    }

    #[test]
    fn unreadable_headers_are_named_as_such() {
        assert_eq!(AuthenticationResults::parse("mx.example; dmarc=fail (open"), Err(Unreadable::Unterminated));
        assert_eq!(AuthenticationResults::parse("mx.example; dmarc=\"open"), Err(Unreadable::Unterminated));
        assert_eq!(AuthenticationResults::parse("; dmarc=fail"), Err(Unreadable::NoAuthservId));
        assert_eq!(AuthenticationResults::parse("   "), Err(Unreadable::NoAuthservId));
        assert_eq!(AuthenticationResults::parse("mx.example; dmarc fail"), Err(Unreadable::BadResult));
        assert_eq!(AuthenticationResults::parse("mx.example; =fail"), Err(Unreadable::BadResult));
    }

    #[test]
    fn only_the_trusted_servers_headers_are_believed() {
        let ours_fail = "mx.caseboard.example; spf=pass smtp.mailfrom=x; dmarc=fail header.from=caseboard.example";
        let theirs_fail = "evil.example; dmarc=fail header.from=acme.example";
        let theirs_pass = "mx.caseboard.example.evil.example; dmarc=pass";
        assert_eq!(dmarc_verdict([ours_fail], MX), Dmarc::Fail);
        assert_eq!(dmarc_verdict(["MX.Caseboard.Example; dmarc=fail"], MX), Dmarc::Fail, "ids ignore ASCII case");
        assert_eq!(dmarc_verdict([theirs_fail], MX), Dmarc::Unknown, "another server's word is ignored");
        assert_eq!(dmarc_verdict([theirs_pass], MX), Dmarc::Unknown);
        // A sender's own "pass" under our id does not outweigh our server's "fail", wherever it sits.
        let forged_pass = "mx.caseboard.example; dmarc=pass";
        assert_eq!(dmarc_verdict([ours_fail, forged_pass], MX), Dmarc::Fail);
        assert_eq!(dmarc_verdict([forged_pass, ours_fail], MX), Dmarc::Fail);
        assert_eq!(dmarc_verdict(["mx.caseboard.example; dmarc=pass; dkim=fail"], MX), Dmarc::Pass);
        assert_eq!(dmarc_verdict(["mx.caseboard.example; dmarc=temperror"], MX), Dmarc::Unknown);
        // Nothing configured: nothing believed.
        assert_eq!(dmarc_verdict([ours_fail], None), Dmarc::Unknown);
        assert_eq!(dmarc_verdict([ours_fail], Some("  ")), Dmarc::Unknown);
    }

    #[test]
    fn a_trusted_header_that_cannot_be_read_fails_closed() {
        assert_eq!(dmarc_verdict(["mx.caseboard.example; dmarc=fail (unterminated"], MX), Dmarc::Fail);
        assert_eq!(dmarc_verdict(["mx.caseboard.example;dmarc"], MX), Dmarc::Fail);
        assert_eq!(dmarc_verdict(["evil.example; dmarc=pass (unterminated"], MX), Dmarc::Unknown);
    }

    #[test]
    fn every_header_of_a_message_is_read_even_one_with_invalid_utf8() {
        let mut raw = b"Authentication-Results: mx.caseboard.example; spf=pass smtp.mailfrom=\xff@x.example;\r\n dmarc=fail header.from=caseboard.example\r\n".to_vec();
        raw.extend_from_slice(
            b"Authentication-Results: evil.example; dmarc=pass\r\nFrom: sam@caseboard.example\r\nSubject: x\r\n\r\nbody\r\n",
        );
        let message = mail_parser::MessageParser::default().parse(&raw[..]).unwrap();
        assert_eq!(message_dmarc(&message, MX), Dmarc::Fail);
        assert_eq!(message_dmarc(&message, Some("evil.example")), Dmarc::Pass);
        assert_eq!(message_dmarc(&message, None), Dmarc::Unknown);
    }
}
