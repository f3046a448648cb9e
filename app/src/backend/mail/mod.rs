//! Email: notifications through a transactional outbox (recipients chosen in the
//! transaction of the log entry, rendered and sent after commit, retried until the mail
//! server takes them), and replies by email, threaded by a reply address signed for the
//! case and the one person it was sent to (`thread`), accepted only from that person and
//! never against the receiving mail server's DMARC verdict (`authentication`).

pub mod authentication;
pub mod hours;
pub mod inbound;
pub mod password_reset;
pub mod quote;
pub mod registration;
pub mod render;
pub mod sender;
pub mod thread;

use std::path::PathBuf;
use std::time::Duration;

pub use thread::{ReplyKey, ReplyTag, TagLookup};

/// Where mail goes.
#[derive(Clone, Debug)]
pub enum MailTransport {
    /// `CASEBOARD_SMTP_URL`, e.g. `smtp://127.0.0.1:2525`.
    Smtp(String),
    /// No SMTP server configured: each message is written as an `.eml` file in this
    /// directory (the data directory's `outbox/`), so nothing is lost and the demo works.
    Files(PathBuf),
}

/// How long a case notification waits for more news of the same case by default.
pub const DEFAULT_COALESCE_WINDOW: Duration = Duration::from_secs(120);

/// How this instance sends and receives mail.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `CASEBOARD_MAIL_FROM`: the support address notifications come from; replies go to it
    /// with a signed tag, and known contacts write to it to open cases.
    pub from: lettre::message::Mailbox,
    pub transport: MailTransport,
    /// `CASEBOARD_PUBLIC_URL`: where links in emails point (no trailing slash).
    pub public_url: String,
    /// The product name in footers.
    pub app_name: String,
    /// The longest wait between two attempts to send one message.
    pub retry_max: Duration,
    /// `CASEBOARD_MAIL_COALESCE_SECS`: a case notification waits this long for more news of
    /// the same case to the same person, and everything in that window goes as one message
    /// (a reply and the status change a minute later: one mail). Zero sends each at once.
    pub coalesce_window: Duration,
    /// `CASEBOARD_MAILGATE_TOKEN`: the bearer token the mail gateway must present; without
    /// it inbound mail is refused.
    pub mailgate_token: Option<String>,
    /// The largest inbound message, in bytes.
    pub max_message_bytes: usize,
    /// The largest attachment, in bytes (by email or the portal).
    pub max_attachment_bytes: usize,
    /// `CASEBOARD_MAIL_AUTHSERV_ID`: the authserv-id of the receiving mail server's
    /// `Authentication-Results` headers (RFC 8601). Only headers naming it are believed
    /// (anyone can write the others); unset, no such header is believed.
    pub authserv_id: Option<String>,
}

impl MailSettings {
    /// Settings for a data directory's file outbox (tests and the demo).
    pub fn file_outbox(dir: PathBuf, public_url: &str) -> MailSettings {
        MailSettings {
            from: "Caseboard Support <support@caseboard.example>".parse().expect("a valid mailbox"),
            transport: MailTransport::Files(dir),
            public_url: public_url.trim_end_matches('/').to_owned(),
            app_name: "Caseboard".into(),
            retry_max: Duration::from_secs(300),
            coalesce_window: DEFAULT_COALESCE_WINDOW,
            mailgate_token: None,
            max_message_bytes: 25 * 1024 * 1024,
            max_attachment_bytes: 10 * 1024 * 1024,
            authserv_id: None,
        }
    }
}

/// The signed address through which the person `recipient_id` (and only they) replies to
/// case `number`; `None` while inbound mail is off (no gateway token), since a reply there
/// would go nowhere.
pub fn reply_address(
    store: &crate::backend::Store,
    settings: &MailSettings,
    number: crate::domain::CaseNumber,
    recipient_id: i64,
) -> Option<String> {
    settings.mailgate_token.as_ref()?;
    reply_key(store).reply_address(&settings.from.email, number, recipient_id).map(|a| a.to_string())
}

/// The key that signs and checks reply addresses (the secret lives in the database).
pub fn reply_key(store: &crate::backend::Store) -> ReplyKey {
    ReplyKey::new(store.mail_secret().to_vec())
}
