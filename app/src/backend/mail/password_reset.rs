//! The words of a password reset mail: the link (a button, and the address in the plain
//! part), how long it works, and what to do when the person did not ask.

use super::MailSettings;
use super::render::{Block, MailText, Texts, greeting, one_line};
use crate::backend::store::UserRecord;

/// The reset mail, in the recipient's language; `payload` holds the link (`url`).
pub fn password_reset_text(settings: &MailSettings, recipient: &UserRecord, payload: &serde_json::Value) -> MailText {
    let t = Texts::new(&recipient.language);
    let url = one_line(payload["url"].as_str().unwrap_or(""));
    let app = [("app", settings.app_name.clone())];
    MailText {
        subject: one_line(&t.get("mail-password-reset-subject", &app)),
        blocks: vec![
            greeting(&t, recipient),
            Block::Paragraph(t.get("mail-password-reset-lead", &app)),
            Block::Button {
                label: t.get("mail-password-reset-button", &[]),
                text: t.get("mail-password-reset-link", &[("url", url.clone())]),
                url,
            },
            Block::Paragraph(t.get("mail-password-reset-not-you", &[])),
        ],
        footer: settings.app_name.clone(),
        from_name: None,
    }
}
