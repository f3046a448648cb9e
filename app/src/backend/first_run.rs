//! The first-run checklist: what a new installation still needs before a customer can open a
//! case (an organization, a plan of its own if the presets do not fit, an engineer), and where
//! its email goes. Shown to the admin on the home page until it is done; every fact is one
//! bounded query.

use super::mail::{MailSettings, MailTransport};
use super::store::{Store, UserRecord};
use crate::domain::Role;
use crate::domain::first_run::{FirstRunChecklist, MailSummary};
use crate::error::AppError;

/// Where email goes, from the server's settings.
pub fn mail_summary(settings: &MailSettings) -> MailSummary {
    MailSummary {
        from: settings.from.to_string(),
        transport: match settings.transport {
            MailTransport::Smtp(_) => "smtp".into(),
            MailTransport::Files(_) => "files".into(),
        },
        public_url: settings.public_url.clone(),
        inbound: settings.mailgate_token.is_some(),
    }
}

/// The checklist (admins only).
pub async fn checklist(store: &Store, actor: &UserRecord, mail: &MailSettings) -> Result<FirstRunChecklist, AppError> {
    if actor.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let (organization, custom_plan, engineer) = store.first_run_facts().await?;
    Ok(FirstRunChecklist { organization, custom_plan, engineer, mail: mail_summary(mail) })
}
