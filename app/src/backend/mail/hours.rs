//! The words of the hour bank's warning to an organization's admins: 80 % or 100 % of the
//! month's expertise hours used, what is left, and where to read the ledger.

use super::MailSettings;
use super::render::{Block, MailText, Texts, greeting, one_line};
use crate::backend::store::UserRecord;

/// `2 h 30 min`, `45 min`, `4 h`.
fn hours_words(minutes: i64) -> String {
    crate::domain::plan::duration_in_words(jiff::SignedDuration::from_mins(minutes.max(0)))
}

/// The warning, in the recipient's language; `payload` holds the threshold (80 or 100), the
/// month's grant and what is left of it, the organization's name and the case that crossed it.
pub fn hours_warning_text(settings: &MailSettings, recipient: &UserRecord, payload: &serde_json::Value) -> MailText {
    let t = Texts::new(&recipient.language);
    let number = |name: &str| payload[name].as_i64().unwrap_or(0);
    let full = number("threshold") >= 100;
    let args = [
        ("organization", one_line(payload["organization"].as_str().unwrap_or(""))),
        ("granted", hours_words(number("granted_minutes"))),
        ("remaining", hours_words(number("remaining_minutes"))),
        ("case", number("case").to_string()),
        ("app", settings.app_name.clone()),
    ];
    let (subject, lead) = if full {
        ("mail-hours-exhausted-subject", "mail-hours-exhausted-lead")
    } else {
        ("mail-hours-warning-subject", "mail-hours-warning-lead")
    };
    let url = format!("{}/organization/hours", settings.public_url);
    MailText {
        subject: one_line(&t.get(subject, &args)),
        blocks: vec![
            greeting(&t, recipient),
            Block::Paragraph(t.get(lead, &args)),
            Block::Button {
                label: t.get("mail-hours-button", &[]),
                text: t.get("mail-hours-link", &[("url", url.clone())]),
                url,
            },
        ],
        footer: settings.app_name.clone(),
        from_name: None,
    }
}
