//! A new installation's first-run checklist, as the admin's home page and the REST API show it.

use serde::{Deserialize, Serialize};

/// Where a new installation stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FirstRunChecklist {
    /// At least one customer organization exists.
    pub organization: bool,
    /// At least one custom plan exists (optional: the presets may do).
    pub custom_plan: bool,
    /// At least one active engineer exists.
    pub engineer: bool,
    pub mail: MailSummary,
}

impl FirstRunChecklist {
    /// The steps a customer's first case needs are done (a custom plan is optional).
    pub fn done(&self) -> bool {
        self.organization && self.engineer
    }
}

/// Where email goes, as the server was started (set by environment variables; no secret shown).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailSummary {
    /// The support address notifications come from (`CASEBOARD_MAIL_FROM`).
    pub from: String,
    /// `smtp` (`CASEBOARD_SMTP_URL` set) or `files` (written to the data directory's outbox).
    pub transport: String,
    /// Where links in emails point (`CASEBOARD_PUBLIC_URL`).
    pub public_url: String,
    /// Customers can write to the support address (`CASEBOARD_MAILGATE_TOKEN` set).
    pub inbound: bool,
}

