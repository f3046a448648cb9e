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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(example = json!({
    "title": "Rotate an API key", "body": "Settings, then **Keys**, then *Rotate*.",
    "product": "Kibana", "tags": ["keys"], "language": "en"
})))]
#[serde(deny_unknown_fields)]
pub struct ArticleDraft {
    /// One line, at most 200 characters.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 200))]
    pub title: String,
    /// Markdown. Rendered to HTML and sanitized on the server when read. At most 64 KiB of UTF-8.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 65536))]
    pub body: String,
    #[serde(default)]
    pub product: String,
    /// At most 20, each at most 50 characters.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(schema_with = article_tags))]
    pub tags: Vec<String>,
    /// A primary language tag: `en`, `fr` or `zh`.
    #[serde(default = "english")]
    #[cfg_attr(feature = "ssr", schema(pattern = "^(en|fr|zh)$", default = "en"))]
    pub language: String,
}

/// The schema of an article's tags: at most 20, each at most 50 characters.
#[cfg(feature = "ssr")]
fn article_tags() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(Type::String).max_length(Some(50)))
        .max_items(Some(20))
        .description(Some("At most 20, each at most 50 characters."))
        .build()
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
    /// `false` for a draft: only support reads it, nobody finds it by searching.
    pub published: bool,
    /// When it was last written or published (RFC 3339).
    pub updated_at: String,
}

/// An article as written (its Markdown), for support's editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleSource {
    pub id: i64,
    pub draft: ArticleDraft,
    pub published: bool,
}

/// One line of the articles list: what a reader picks an article by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    pub id: i64,
    pub title: String,
    pub product: String,
    pub language: String,
    /// When it was last written (RFC 3339).
    pub updated_at: String,
    /// `false` for a draft (listed to support only).
    pub published: bool,
}

/// A page of the articles list, newest first; `next_cursor` continues it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArticleList {
    pub articles: Vec<ArticleSummary>,
    pub next_cursor: Option<String>,
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

/// Chinese, Japanese and Korean are written without spaces between words: the full-text
/// index sees each of their characters as a word of its own, and a search for `数据库`
/// looks for the three characters next to each other (a phrase). Everything else is split
/// on spaces and punctuation as usual. (Mail greets a name in these scripts whole, too.)
pub(crate) fn is_cjk(c: char) -> bool {
    use unicode_script::{Script, UnicodeScript};
    matches!(c.script(), Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo)
}

/// Text as the full-text index stores it: CJK characters apart, the rest unchanged.
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for c in text.chars() {
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// One word of a search: a Latin word (maybe still being typed: a prefix), or a run of CJK
/// characters, each of which the index holds as a word of its own (a phrase).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchTerm {
    pub tokens: Vec<String>,
    pub prefix: bool,
}

impl SearchTerm {
    /// SQLite FTS5 syntax: `"word"`, `"word"*`, `"仪 表 板"`.
    pub fn fts5(&self) -> String {
        format!("\"{}\"{}", self.tokens.join(" "), if self.prefix { "*" } else { "" })
    }

    /// PostgreSQL tsquery syntax: `'word'`, `'word':*`, `'仪' <-> '表' <-> '板'`. Tokens are
    /// letters and digits only, so quoting cannot be broken out of.
    pub fn tsquery(&self) -> String {
        let quoted: Vec<String> = self.tokens.iter().map(|t| format!("'{}'", t.to_lowercase())).collect();
        format!("{}{}", quoted.join(" <-> "), if self.prefix { ":*" } else { "" })
    }
}

/// Turns what someone typed into full-text terms that cannot be a syntax error: the words
/// (letters and digits; a run of CJK characters as a phrase), the last one as a prefix when
/// it has two characters or more, so results come while typing. Empty when nothing
/// searchable is left. The store decides how they combine.
pub fn search_terms(text: &str) -> Result<Vec<SearchTerm>, AppError> {
    if text.chars().count() > SEARCH_MAX_CHARS {
        return Err(AppError::invalid("q", InvalidReason::TooLong { max: SEARCH_MAX_CHARS }));
    }
    // Words, with CJK runs apart from the letters around them: `Kibana仪表板` is two.
    let mut words: Vec<(String, bool)> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut current = String::new();
        let mut current_cjk = false;
        for c in word.chars() {
            let cjk = is_cjk(c);
            if !current.is_empty() && cjk != current_cjk {
                words.push((std::mem::take(&mut current), current_cjk));
            }
            current_cjk = cjk;
            current.push(c);
        }
        if !current.is_empty() {
            words.push((current, current_cjk));
        }
    }
    words.truncate(SEARCH_MAX_WORDS);
    let last = words.len().saturating_sub(1);
    Ok(words
        .into_iter()
        .enumerate()
        .map(|(i, (word, cjk))| {
            if cjk {
                SearchTerm { tokens: word.chars().map(String::from).collect(), prefix: false }
            } else {
                let prefix = i == last && word.chars().count() >= 2;
                SearchTerm { tokens: vec![word], prefix }
            }
        })
        .collect())
}

/// A plain-text excerpt of `body` around the first word of `text` found in it (or its
/// beginning), `max` characters at most, with ellipses where it was cut.
pub fn excerpt(body: &str, text: &str, max: usize) -> String {
    // One lowercase character per character, so positions in both agree.
    let fold = |c: char| c.to_lowercase().next().unwrap_or(c);
    let chars: Vec<char> = body.chars().collect();
    let folded: Vec<char> = chars.iter().map(|&c| fold(c)).collect();
    let at = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .filter_map(|w| {
            let word: Vec<char> = w.chars().map(fold).collect();
            folded.windows(word.len()).position(|window| window == word.as_slice())
        })
        .min()
        .unwrap_or(0);
    let start = at.saturating_sub(max / 3);
    let end = (start + max).min(chars.len());
    let piece: String = chars[start..end].iter().collect();
    format!(
        "{}{}{}",
        if start > 0 { "…" } else { "" },
        piece.split_whitespace().collect::<Vec<_>>().join(" "),
        if end < chars.len() { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_quoted_words_all_required_with_a_prefix_last() {
        let fts5 = |text: &str| search_terms(text).unwrap().iter().map(SearchTerm::fts5).collect::<Vec<_>>();
        assert_eq!(fts5("dashboard slow"), ["\"dashboard\"", "\"slow\"*"]);
        assert!(search_terms("  ").unwrap().is_empty());
        // One letter typed so far is not a prefix yet (it would match most of the index).
        assert_eq!(fts5("dashboard s"), ["\"dashboard\"", "\"s\""]);
        let tsquery = search_terms("Dashboard slo").unwrap().iter().map(SearchTerm::tsquery).collect::<Vec<_>>();
        assert_eq!(tsquery, ["'dashboard'", "'slo':*"]);
    }

    #[test]
    fn query_syntax_and_quotes_in_input_are_only_separators() {
        let q = search_terms("\"a\" NEAR(b) OR c* -- ' ;").unwrap().iter().map(SearchTerm::fts5).collect::<Vec<_>>().join(" ");
        assert_eq!(q, "\"a\" \"NEAR\" \"b\" \"OR\" \"c\"");
        assert!(search_terms(&"x".repeat(501)).is_err());
    }

    #[test]
    fn chinese_and_japanese_are_searched_as_phrases_of_characters() {
        assert_eq!(index_text("Kibana仪表板很慢"), "Kibana 仪  表  板  很  慢 ");
        let fts5 = |text: &str| search_terms(text).unwrap().iter().map(SearchTerm::fts5).collect::<Vec<_>>();
        assert_eq!(fts5("Kibana仪表板"), ["\"Kibana\"", "\"仪 表 板\""]);
        assert_eq!(fts5("ログイン できない"), ["\"ロ グ イ ン\"", "\"で き な い\""]);
        assert_eq!(search_terms("仪表板").unwrap()[0].tsquery(), "'仪' <-> '表' <-> '板'");
        assert_eq!(index_text("café résumé"), "café résumé");
    }

    #[test]
    fn an_excerpt_starts_near_the_first_word_found() {
        let body = format!("{} The ingest key is rotated from the settings page. {}", "intro ".repeat(40), "tail ".repeat(40));
        let e = excerpt(&body, "rotate key", 80);
        assert!(e.starts_with('…') && e.contains("ingest key is rotated"), "{e}");
        assert!(e.ends_with('…'));
        assert_eq!(excerpt("Short body.", "nothing", 80), "Short body.");
        assert!(excerpt("数据库连接失败，请检查配置", "连接", 80).contains("连接失败"));
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
