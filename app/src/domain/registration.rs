//! Registration with approval (NAES): someone without an account asks for one; once they
//! have verified their address, the request waits for an admin, who approves it (a customer
//! account in an organization) or rejects it (with a reason). What a request and its list
//! look like, and the rules of its fields.

use serde::{Deserialize, Serialize};

use super::people::check_name;
use crate::error::{AppError, InvalidReason};

/// The longest organization name a request may give.
pub const ORGANIZATION_NAME_MAX_CHARS: usize = 200;
/// The longest message a request may carry.
pub const MESSAGE_MAX_CHARS: usize = 4000;
/// The longest reason an admin may give for a rejection.
pub const REASON_MAX_CHARS: usize = 2000;

/// Where a request stands. An unverified request (its link not used yet) is no admin's
/// business and is never listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// Verified, waiting for an admin's decision.
    Pending,
    /// Approved: a customer account was made.
    Approved,
    /// Rejected, with a reason emailed to the person.
    Rejected,
}

impl RegistrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Pending => "pending",
            RegistrationStatus::Approved => "approved",
            RegistrationStatus::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<RegistrationStatus> {
        match text {
            "pending" => Some(RegistrationStatus::Pending),
            "approved" => Some(RegistrationStatus::Approved),
            "rejected" => Some(RegistrationStatus::Rejected),
            _ => None,
        }
    }
}

/// One verified request, as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Registration {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// The organization the person says they belong to (their words; the admin chooses the
    /// organization on approval).
    pub organization_name: String,
    pub message: String,
    /// When they asked, RFC 3339.
    #[cfg_attr(feature = "ssr", schema(format = DateTime, example = "2026-12-01T14:05:00Z"))]
    pub requested_at: String,
    /// When they used the emailed link, RFC 3339.
    #[cfg_attr(feature = "ssr", schema(format = DateTime, example = "2026-12-01T14:09:00Z"))]
    pub verified_at: String,
    pub status: RegistrationStatus,
}

/// A page of requests, oldest first (a queue).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RegistrationPage {
    pub registrations: Vec<Registration>,
    /// Send it back as `cursor` for the next page; `null`: this was the last.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// Text of at most `max` characters, required when `required`, one line unless `lines`.
fn check_text(field: &str, text: &str, max: usize, required: bool, lines: bool) -> Result<(), AppError> {
    if required && text.trim().is_empty() {
        return Err(AppError::invalid(field, InvalidReason::Required));
    }
    if text.chars().count() > max {
        return Err(AppError::invalid(field, InvalidReason::TooLong { max }));
    }
    let refused = |c: char| c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t'));
    if text.chars().any(refused) {
        return Err(AppError::invalid(field, InvalidReason::Malformed { detail: "control characters".into() }));
    }
    Ok(())
}

/// The fields of a request other than its email (checked as a person's address): a name,
/// an organization name (one line each), a message (may be empty, may hold lines).
pub fn check_request(name: &str, organization_name: &str, message: &str) -> Result<(), AppError> {
    check_name("name", name)?;
    check_text("organization_name", organization_name, ORGANIZATION_NAME_MAX_CHARS, true, false)?;
    check_text("message", message, MESSAGE_MAX_CHARS, false, true)
}

/// A rejection's reason: required, at most [`REASON_MAX_CHARS`], lines allowed.
pub fn check_reason(reason: &str) -> Result<(), AppError> {
    check_text("reason", reason, REASON_MAX_CHARS, true, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(result: Result<(), AppError>) -> String {
        match result {
            Err(AppError::Invalid { field, .. }) => field,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn each_field_is_refused_by_its_name() {
        assert!(check_request("Dana Reed", "Initrode", "").is_ok());
        assert!(check_request("Dana Reed", "Initrode", "We use Kibana.\nPlease.").is_ok());
        assert_eq!(field(check_request(" ", "Initrode", "")), "name");
        assert_eq!(field(check_request("Dana", "", "")), "organization_name");
        assert_eq!(field(check_request("Dana", &"x".repeat(201), "")), "organization_name");
        assert_eq!(field(check_request("Dana", "Init\nrode", "")), "organization_name");
        assert_eq!(field(check_request("Dana", "Initrode", &"x".repeat(4001))), "message");
        assert_eq!(field(check_request("Dana", "Initrode", "nul\0")), "message");
        assert_eq!(field(check_reason("")), "reason");
        assert!(check_reason("We only serve customers under contract.").is_ok());
    }

    #[test]
    fn statuses_read_back_as_written() {
        for status in [RegistrationStatus::Pending, RegistrationStatus::Approved, RegistrationStatus::Rejected] {
            assert_eq!(RegistrationStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(RegistrationStatus::parse("unverified"), None);
    }
}
