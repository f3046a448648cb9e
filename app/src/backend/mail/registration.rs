//! The words of the registration mails: the verification link (to an address with no
//! account: the request's own language, and no word of what the requester typed, which
//! could be anyone's), the note to an address that already has an account, the approval
//! (the link to choose a password) and the rejection (the admin's reason, quoted). Every
//! text reaches the HTML part escaped (`MailText::html`).

use super::MailSettings;
use super::render::{Block, MailText, Texts, greeting, one_line};
use crate::backend::language::supported;
use crate::backend::store::UserRecord;
use crate::backend::store::outbox::OutboxItem;
use crate::domain::Role;

/// The kinds of outbox rows this module writes the words of.
pub const KINDS: [&str; 4] =
    ["registration_verify", "registration_existing", "registration_approved", "registration_rejected"];

/// Who a mail without an account goes to: its address, and the name and language its
/// payload carries (the request's), as a person the renderer can greet.
pub fn addressee(item: &OutboxItem, payload: &serde_json::Value) -> UserRecord {
    let language = payload["language"].as_str().and_then(supported).unwrap_or("en");
    UserRecord {
        id: 0,
        email: item.to_address.clone(),
        name: one_line(payload["name"].as_str().unwrap_or("")),
        role: Role::Customer,
        organization_id: None,
        organization_slug: None,
        org_admin: false,
        password_hash: String::new(),
        language: language.to_owned(),
        language_chosen: false,
        phone: None,
        opens_cases: false,
    }
}

/// The mail of `kind` (one of [`KINDS`]) to `recipient`; `payload` holds its links and words.
pub fn registration_text(
    settings: &MailSettings,
    kind: &str,
    recipient: &UserRecord,
    payload: &serde_json::Value,
) -> MailText {
    let t = Texts::new(&recipient.language);
    let field = |name: &str| one_line(payload[name].as_str().unwrap_or(""));
    let app = ("app", settings.app_name.clone());
    let (subject, blocks) = match kind {
        "registration_verify" => {
            let url = field("url");
            (
                t.get("mail-registration-verify-subject", &[app.clone()]),
                vec![
                    Block::Paragraph(t.get("mail-registration-hello", &[])),
                    Block::Paragraph(t.get("mail-registration-verify-lead", &[app])),
                    Block::Button {
                        label: t.get("mail-registration-verify-button", &[]),
                        text: t.get("mail-registration-verify-link", &[("url", url.clone())]),
                        url,
                    },
                    Block::Paragraph(t.get("mail-registration-verify-not-you", &[])),
                ],
            )
        }
        "registration_existing" => (
            t.get("mail-registration-existing-subject", &[app.clone()]),
            vec![
                greeting(&t, recipient),
                Block::Paragraph(t.get("mail-registration-existing-lead", &[app])),
                Block::Paragraph(t.get(
                    "mail-registration-existing-next",
                    &[("sign_in", field("sign_in")), ("reset", field("reset"))],
                )),
                Block::Paragraph(t.get("mail-registration-existing-not-you", &[])),
            ],
        ),
        "registration_approved" => {
            let url = field("url");
            let args = [app, ("organization", field("organization")), ("expires", field("expires"))];
            (
                t.get("mail-registration-approved-subject", &args),
                vec![
                    greeting(&t, recipient),
                    Block::Paragraph(t.get("mail-registration-approved-lead", &args)),
                    Block::Button {
                        label: t.get("mail-registration-approved-button", &[]),
                        text: t.get("mail-registration-approved-link", &[("url", url.clone())]),
                        url,
                    },
                ],
            )
        }
        _ => (
            t.get("mail-registration-rejected-subject", &[app.clone()]),
            vec![
                greeting(&t, recipient),
                Block::Paragraph(t.get("mail-registration-rejected-lead", &[app])),
                Block::Quote(payload["reason"].as_str().unwrap_or("").to_owned()),
                Block::Paragraph(t.get("mail-registration-rejected-next", &[])),
            ],
        ),
    };
    MailText { subject: one_line(&subject), blocks, footer: settings.app_name.clone(), from_name: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MailSettings {
        MailSettings::file_outbox(std::path::PathBuf::from("/tmp/outbox"), "http://127.0.0.1:3000")
    }

    fn item(kind: &str) -> OutboxItem {
        OutboxItem {
            id: 1,
            event_id: None,
            case_id: None,
            recipient_id: None,
            to_address: "dana@initrode.example".into(),
            kind: kind.into(),
            payload: "{}".into(),
            message_id: "m".into(),
            attempts: 0,
        }
    }

    #[test]
    fn every_registration_mail_is_written_in_the_request_language() {
        for language in ["en", "fr", "zh"] {
            let payload = serde_json::json!({"language": language, "name": "Dana", "url": "http://x/register/verify/ab",
                "reason": "r", "organization": "Initrode", "expires": "2026-12-08", "sign_in": "s", "reset": "p"});
            let to = addressee(&item("registration_verify"), &payload);
            assert_eq!(to.language, language);
            for kind in KINDS {
                let text = registration_text(&settings(), kind, &to, &payload);
                let plain = text.plain();
                assert!(!text.subject.is_empty() && !plain.contains("mail-registration"), "{language} {kind}: {plain}");
            }
        }
        let fr = registration_text(
            &settings(),
            "registration_verify",
            &addressee(&item("x"), &serde_json::json!({"language": "fr"})),
            &serde_json::json!({"url": "u"}),
        );
        let en = registration_text(
            &settings(),
            "registration_verify",
            &addressee(&item("x"), &serde_json::json!({})),
            &serde_json::json!({"url": "u"}),
        );
        assert_ne!(fr.subject, en.subject, "French differs from English");
    }

    #[test]
    fn a_rejection_reason_is_escaped_in_the_html_part() {
        let payload =
            serde_json::json!({"language": "en", "name": "Dana <b>", "reason": "<script>alert(1)</script> & co"});
        let to = addressee(&item("registration_rejected"), &payload);
        let html = registration_text(&settings(), "registration_rejected", &to, &payload).html();
        assert!(!html.contains("<script>") && !html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), "{html}");
    }
}
