//! The knowledge base: articles support writes and customers search before (or instead of)
//! opening a case. Search text from people is turned into a safe full-text query here.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, InvalidReason};

pub const ARTICLE_TITLE_MAX_CHARS: usize = 200;
pub const ARTICLE_BODY_MAX_BYTES: usize = 64 * 1024;
/// The longest search text (a pasted error message fits).
pub const SEARCH_MAX_CHARS: usize = 500;
/// How many words of a search are used.
const SEARCH_MAX_WORDS: usize = 12;

/// What support submits to write an article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleDraft {
    pub title: String,
    /// Markdown. Rendered to HTML and sanitized on the server when read.
    pub body: String,
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// A primary language tag ("en", "fr", "zh").
    #[serde(default = "english")]
    pub language: String,
}

fn english() -> String {
    "en".into()
}

impl ArticleDraft {
    pub fn validated(mut self) -> Result<ArticleDraft, AppError> {
        self.title = self.title.trim().to_owned();
        if self.title.is_empty() {
            return Err(AppError::invalid("title", InvalidReason::Required));
        }
        if self.title.chars().count() > ARTICLE_TITLE_MAX_CHARS || self.title.chars().any(char::is_control) {
            return Err(AppError::invalid("title", InvalidReason::TooLong { max: ARTICLE_TITLE_MAX_CHARS }));
        }
        if self.body.trim().is_empty() {
            return Err(AppError::invalid("body", InvalidReason::Required));
        }
        if self.body.len() > ARTICLE_BODY_MAX_BYTES {
            return Err(AppError::invalid("body", InvalidReason::TooLong { max: ARTICLE_BODY_MAX_BYTES }));
        }
        self.product = self.product.trim().to_owned();
        self.tags = self.tags.iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
        if self.tags.len() > 20 || self.tags.iter().any(|t| t.chars().count() > 50) {
            return Err(AppError::invalid("tags", InvalidReason::TooLong { max: 20 }));
        }
        if !matches!(self.language.as_str(), "en" | "fr" | "zh") {
            return Err(AppError::invalid("language", InvalidReason::NotAllowed));
        }
        Ok(self)
    }
}

/// An article as people read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Article {
    pub id: i64,
    pub title: String,
    /// The Markdown body rendered to sanitized HTML (no script, no event handler, no style).
    pub html: String,
    pub product: String,
    pub tags: Vec<String>,
    pub language: String,
}

/// A search result: an article, or a resolved case of the reader's organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// `article` or `case`.
    pub kind: String,
    /// The article id or the case number.
    pub id: i64,
    pub title: String,
    /// A plain-text excerpt around the match.
    pub excerpt: String,
}

/// Turns what someone typed into a full-text query that cannot be a syntax error: the words
/// (letters and digits), each quoted, any of them matching, the last one as a prefix (so
/// results come while typing). `None` when nothing searchable is left.
pub fn search_query(text: &str) -> Result<Option<String>, AppError> {
    if text.chars().count() > SEARCH_MAX_CHARS {
        return Err(AppError::invalid("q", InvalidReason::TooLong { max: SEARCH_MAX_CHARS }));
    }
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(SEARCH_MAX_WORDS)
        .collect();
    let Some((last, rest)) = words.split_last() else { return Ok(None) };
    let mut terms: Vec<String> = rest.iter().map(|w| format!("\"{w}\"")).collect();
    terms.push(format!("\"{last}\"*"));
    Ok(Some(terms.join(" OR ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_quoted_words_with_a_prefix_last() {
        assert_eq!(search_query("dashboard slow").unwrap().as_deref(), Some("\"dashboard\" OR \"slow\"*"));
        assert_eq!(search_query("  ").unwrap(), None);
    }

    #[test]
    fn query_syntax_and_quotes_in_input_are_only_separators() {
        let q = search_query("\"a\" NEAR(b) OR c* -- ' ;").unwrap().unwrap();
        assert_eq!(q, "\"a\" OR \"NEAR\" OR \"b\" OR \"OR\" OR \"c\"*");
        assert!(search_query(&"x".repeat(501)).is_err());
    }

    #[test]
    fn an_article_needs_a_title_and_a_body_and_a_known_language() {
        let draft = ArticleDraft {
            title: " Reset a password ".into(),
            body: "Go to *Settings*.".into(),
            product: String::new(),
            tags: vec![" account ".into(), "".into()],
            language: "fr".into(),
        };
        let ok = draft.clone().validated().unwrap();
        assert_eq!((ok.title.as_str(), ok.tags.len()), ("Reset a password", 1));
        assert!(ArticleDraft { title: " ".into(), ..draft.clone() }.validated().is_err());
        assert!(ArticleDraft { language: "xx".into(), ..draft }.validated().is_err());
    }
}
