//! Case intake: what the six-step wizard asks beyond the summary (domain.md §1-2, §5), and
//! the rules each step must pass. The browser checks a step before it lets the customer go
//! on; the server runs every step again on the whole draft and trusts nothing it was sent.

use serde::{Deserialize, Serialize};

use super::case::{CaseDraft, Severity, named_enum};
use crate::error::{AppError, InvalidReason};

/// The longest one-line answer (version, build, OS, browser, who is affected), in characters.
pub const LINE_MAX_CHARS: usize = 200;
/// The longest free-text answer (symptoms, error message, steps, business impact), in bytes.
pub const TEXT_MAX_BYTES: usize = 16 * 1024;
/// The most files a new case may carry from the wizard.
pub const DRAFT_ATTACHMENTS_MAX: usize = 20;

named_enum! {
    /// The processor architecture the product runs on (Coveo asks: 32 or 64 bit).
    Architecture {
        #[serde(rename = "32_bit")]
        Bits32 = "32_bit",
        #[serde(rename = "64_bit")]
        Bits64 = "64_bit",
    }
}

named_enum! {
    /// What is at stake for the customer's business.
    Stake {
        Revenue = "revenue",
        Security = "security",
        Brand = "brand",
        /// A deadline: its date goes with it.
        Deadline = "deadline",
    }
}

named_enum! {
    /// How the customer prefers to hear from support.
    ContactChannel {
        /// Replies in the portal (and the notification emails).
        Portal = "portal",
        Email = "email",
        /// A scheduled callback (domain.md §5): not on every plan.
        Phone = "phone",
    }
}

impl Default for ContactChannel {
    fn default() -> Self {
        ContactChannel::Portal
    }
}

named_enum! {
    /// A day the customer can take a call.
    Weekday {
        Monday = "monday",
        Tuesday = "tuesday",
        Wednesday = "wednesday",
        Thursday = "thursday",
        Friday = "friday",
        Saturday = "saturday",
        Sunday = "sunday",
    }
}

/// When the customer can take a callback: days and hours in their own time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Callback {
    pub days: Vec<Weekday>,
    /// `09:00`: the start of the window, local time.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "09:00"))]
    pub from: jiff::civil::Time,
    /// `12:30`: the end of the window, local time, after `from`.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "12:30"))]
    pub until: jiff::civil::Time,
    /// An IANA time zone: `Europe/Paris`.
    pub time_zone: String,
}

/// Everything the wizard asks besides the summary and description. Every field may be left
/// out of an API request; the rules below say when one is needed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CaseDetails {
    /// The product's version, `9.1.3`.
    pub version: String,
    pub build: String,
    /// What the customer observes.
    pub symptoms: String,
    /// The error message, as shown.
    pub error_message: String,
    pub steps_to_reproduce: String,
    /// Server or client OS and its version.
    pub os: String,
    pub architecture: Option<Architecture>,
    /// Browser and device, with versions.
    pub browser: String,
    /// Business impact, in the customer's words.
    pub impact: String,
    pub stakes: Vec<Stake>,
    /// The deadline at risk, when `stakes` names one.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = Date))]
    pub deadline: Option<jiff::civil::Date>,
    /// Who is affected: a team, every user, the customer's own customers.
    pub affected: String,
    pub contact_channel: ContactChannel,
    /// The callback windows, with the phone channel.
    pub callback: Option<Callback>,
}

impl CaseDetails {
    /// True when nothing was given (a case opened by email or an old API client).
    pub fn is_empty(&self) -> bool {
        *self == CaseDetails::default()
    }
}

/// A file uploaded for a case not filed yet (`POST /api/v1/uploads`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DraftFile {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// The wizard's steps, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeStep {
    /// The kind of request, the product, its version and build.
    Request,
    /// Summary, description, symptoms, environment, attachments.
    Situation,
    Severity,
    /// Business impact: what is at stake, the deadline, who is affected.
    Impact,
    /// Preferred channel and callback windows.
    Contact,
    /// Everything on one page, the SLA preview, visibility.
    Review,
}

/// What the rules need to know besides the draft: the day it is for the customer, and
/// whether the plan offers scheduled callbacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntakeContext {
    pub today: jiff::civil::Date,
    pub phone_callback: bool,
}

impl IntakeStep {
    pub const ALL: [IntakeStep; 6] = [
        IntakeStep::Request,
        IntakeStep::Situation,
        IntakeStep::Severity,
        IntakeStep::Impact,
        IntakeStep::Contact,
        IntakeStep::Review,
    ];

    /// 1 to 6, as the progress indicator counts.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    pub fn from_number(n: usize) -> Option<IntakeStep> {
        IntakeStep::ALL.get(n.checked_sub(1)?).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IntakeStep::Request => "request",
            IntakeStep::Situation => "situation",
            IntakeStep::Severity => "severity",
            IntakeStep::Impact => "impact",
            IntakeStep::Contact => "contact",
            IntakeStep::Review => "review",
        }
    }

    /// Checks the fields this step asks for and returns the draft with them tidied (trimmed).
    /// The first field at fault is named in the error.
    pub fn check(self, mut draft: CaseDraft, context: IntakeContext) -> Result<CaseDraft, AppError> {
        let d = &mut draft.details;
        match self {
            IntakeStep::Request => {
                draft.product = one_line("product", &draft.product, super::assignment::PRODUCT_MAX_CHARS)?;
                d.version = one_line("version", &d.version, LINE_MAX_CHARS)?;
                d.build = one_line("build", &d.build, LINE_MAX_CHARS)?;
            }
            IntakeStep::Situation => {
                draft.summary = one_line("summary", &draft.summary, super::case::SUMMARY_MAX_CHARS)?;
                if draft.summary.is_empty() {
                    return Err(AppError::invalid("summary", InvalidReason::Required));
                }
                if draft.description.trim().is_empty() {
                    return Err(AppError::invalid("description", InvalidReason::Required));
                }
                if draft.description.len() > super::case::DESCRIPTION_MAX_BYTES {
                    return Err(AppError::invalid(
                        "description",
                        InvalidReason::TooLong { max: super::case::DESCRIPTION_MAX_BYTES },
                    ));
                }
                text("symptoms", &d.symptoms)?;
                text("error_message", &d.error_message)?;
                text("steps_to_reproduce", &d.steps_to_reproduce)?;
                d.os = one_line("os", &d.os, LINE_MAX_CHARS)?;
                d.browser = one_line("browser", &d.browser, LINE_MAX_CHARS)?;
                if draft.attachments.len() > DRAFT_ATTACHMENTS_MAX {
                    return Err(AppError::invalid("attachments", InvalidReason::TooLong { max: DRAFT_ATTACHMENTS_MAX }));
                }
            }
            // The contract's own rule is the server's (it knows the plan in force).
            IntakeStep::Severity => {}
            IntakeStep::Impact => {
                text("impact", &d.impact)?;
                // An Urgent case is worked around the clock, and Urgent means revenue, security
                // or brand is affected: support needs the customer's words for it.
                if draft.severity == Severity::Urgent && d.impact.trim().is_empty() {
                    return Err(AppError::invalid("impact", InvalidReason::Required));
                }
                d.stakes.sort_by_key(|s| s.as_str());
                d.stakes.dedup();
                match (d.stakes.contains(&Stake::Deadline), d.deadline) {
                    (true, None) => return Err(AppError::invalid("deadline", InvalidReason::Required)),
                    (true, Some(date)) if date < context.today => {
                        return Err(AppError::invalid(
                            "deadline",
                            InvalidReason::Malformed { detail: "the date has passed".into() },
                        ));
                    }
                    (false, Some(_)) => d.deadline = None,
                    _ => {}
                }
                d.affected = one_line("affected", &d.affected, LINE_MAX_CHARS)?;
            }
            IntakeStep::Contact => match (d.contact_channel, &mut d.callback) {
                (ContactChannel::Phone, _) if !context.phone_callback => {
                    return Err(AppError::invalid("contact_channel", InvalidReason::NotAllowed));
                }
                (ContactChannel::Phone, None) => return Err(AppError::invalid("callback", InvalidReason::Required)),
                (ContactChannel::Phone, Some(callback)) => {
                    if callback.days.is_empty() {
                        return Err(AppError::invalid("callback_days", InvalidReason::Required));
                    }
                    callback.days.sort_by_key(|day| Weekday::ALL.iter().position(|w| w == day));
                    callback.days.dedup();
                    if callback.from >= callback.until {
                        return Err(AppError::invalid(
                            "callback_hours",
                            InvalidReason::Malformed { detail: "the window must end after it starts".into() },
                        ));
                    }
                    callback.time_zone = callback.time_zone.trim().to_owned();
                    if jiff::tz::TimeZone::get(&callback.time_zone).is_err() {
                        return Err(AppError::invalid(
                            "time_zone",
                            InvalidReason::Malformed { detail: "an IANA time zone such as Europe/Paris".into() },
                        ));
                    }
                }
                // Callback windows only go with the phone.
                (_, callback) => *callback = None,
            },
            IntakeStep::Review => {}
        }
        Ok(draft)
    }
}

/// One line: trimmed, without control characters, at most `max` characters.
fn one_line(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(AppError::invalid(field, InvalidReason::TooLong { max }));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::invalid(
            field,
            InvalidReason::Malformed { detail: "one line without control characters".into() },
        ));
    }
    Ok(value.to_owned())
}

fn text(field: &str, value: &str) -> Result<(), AppError> {
    if value.len() > TEXT_MAX_BYTES {
        return Err(AppError::invalid(field, InvalidReason::TooLong { max: TEXT_MAX_BYTES }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CaseKind, Environment, Visibility};
    use jiff::civil::{date, time};

    fn context() -> IntakeContext {
        IntakeContext { today: date(2037, 3, 10), phone_callback: true }
    }

    fn draft() -> CaseDraft {
        CaseDraft {
            summary: "Dashboard is slow".into(),
            description: "The executive dashboard takes 40 s to load.".into(),
            kind: CaseKind::Bug,
            severity: Severity::Normal,
            environment: Environment::Production,
            visibility: Visibility::Organization,
            product: "Kibana".into(),
            details: CaseDetails::default(),
            attachments: vec![],
        }
    }

    #[test]
    fn steps_count_from_one_to_six() {
        assert_eq!(IntakeStep::Request.number(), 1);
        assert_eq!(IntakeStep::from_number(6), Some(IntakeStep::Review));
        assert_eq!(IntakeStep::from_number(0), None);
        assert_eq!(IntakeStep::from_number(7), None);
    }

    #[test]
    fn the_request_step_trims_the_version_and_refuses_two_lines() {
        let mut d = draft();
        d.details.version = " 9.1.3 ".into();
        assert_eq!(IntakeStep::Request.check(d.clone(), context()).unwrap().details.version, "9.1.3");
        d.details.build = "a\nb".into();
        let err = IntakeStep::Request.check(d, context()).unwrap_err();
        assert!(matches!(err, AppError::Invalid { field, .. } if field == "build"));
    }

    #[test]
    fn the_situation_step_needs_a_summary_and_a_description() {
        let d = CaseDraft { summary: " ".into(), ..draft() };
        assert_eq!(IntakeStep::Situation.check(d, context()), Err(AppError::invalid("summary", InvalidReason::Required)));
        let d = CaseDraft { description: "\n".into(), ..draft() };
        assert_eq!(
            IntakeStep::Situation.check(d, context()),
            Err(AppError::invalid("description", InvalidReason::Required))
        );
        let mut d = draft();
        d.details.error_message = "x".repeat(TEXT_MAX_BYTES + 1);
        assert!(matches!(IntakeStep::Situation.check(d, context()), Err(AppError::Invalid { field, .. }) if field == "error_message"));
    }

    #[test]
    fn an_urgent_case_must_say_its_business_impact() {
        let urgent = CaseDraft { severity: Severity::Urgent, ..draft() };
        assert_eq!(IntakeStep::Impact.check(urgent.clone(), context()), Err(AppError::invalid("impact", InvalidReason::Required)));
        let mut told = urgent;
        told.details.impact = "The dashboard is shown to our own customers on Friday.".into();
        assert!(IntakeStep::Impact.check(told, context()).is_ok());
        assert!(IntakeStep::Impact.check(CaseDraft { severity: Severity::High, ..draft() }, context()).is_ok());
    }

    #[test]
    fn a_deadline_at_stake_needs_a_date_that_has_not_passed() {
        let mut d = draft();
        d.details.stakes = vec![Stake::Deadline, Stake::Brand, Stake::Deadline];
        assert_eq!(IntakeStep::Impact.check(d.clone(), context()), Err(AppError::invalid("deadline", InvalidReason::Required)));
        d.details.deadline = Some(date(2037, 3, 9));
        assert!(matches!(IntakeStep::Impact.check(d.clone(), context()), Err(AppError::Invalid { field, .. }) if field == "deadline"));
        d.details.deadline = Some(date(2037, 3, 10));
        let checked = IntakeStep::Impact.check(d, context()).unwrap();
        assert_eq!(checked.details.stakes, vec![Stake::Brand, Stake::Deadline]);
        // A date without the deadline stake is dropped.
        let mut d = draft();
        d.details.deadline = Some(date(2037, 4, 1));
        assert_eq!(IntakeStep::Impact.check(d, context()).unwrap().details.deadline, None);
    }

    fn callback() -> Callback {
        Callback {
            days: vec![Weekday::Friday, Weekday::Monday],
            from: time(9, 0, 0, 0),
            until: time(12, 30, 0, 0),
            time_zone: "Europe/Paris".into(),
        }
    }

    #[test]
    fn a_callback_needs_days_a_window_and_a_real_time_zone() {
        let mut d = draft();
        d.details.contact_channel = ContactChannel::Phone;
        assert_eq!(IntakeStep::Contact.check(d.clone(), context()), Err(AppError::invalid("callback", InvalidReason::Required)));
        d.details.callback = Some(callback());
        let ok = IntakeStep::Contact.check(d.clone(), context()).unwrap();
        assert_eq!(ok.details.callback.unwrap().days, vec![Weekday::Monday, Weekday::Friday]);
        let mut empty = d.clone();
        empty.details.callback.as_mut().unwrap().days.clear();
        assert!(matches!(IntakeStep::Contact.check(empty, context()), Err(AppError::Invalid { field, .. }) if field == "callback_days"));
        let mut backwards = d.clone();
        backwards.details.callback.as_mut().unwrap().until = time(8, 0, 0, 0);
        assert!(matches!(IntakeStep::Contact.check(backwards, context()), Err(AppError::Invalid { field, .. }) if field == "callback_hours"));
        let mut nowhere = d.clone();
        nowhere.details.callback.as_mut().unwrap().time_zone = "Mars/Olympus".into();
        assert!(matches!(IntakeStep::Contact.check(nowhere, context()), Err(AppError::Invalid { field, .. }) if field == "time_zone"));
    }

    #[test]
    fn a_plan_without_phone_support_refuses_a_callback() {
        let mut d = draft();
        d.details.contact_channel = ContactChannel::Phone;
        d.details.callback = Some(callback());
        let limited = IntakeContext { phone_callback: false, ..context() };
        assert_eq!(
            IntakeStep::Contact.check(d, limited),
            Err(AppError::invalid("contact_channel", InvalidReason::NotAllowed))
        );
    }

    #[test]
    fn callback_windows_are_dropped_when_the_channel_is_not_the_phone() {
        let mut d = draft();
        d.details.callback = Some(callback());
        assert_eq!(IntakeStep::Contact.check(d, context()).unwrap().details.callback, None);
    }

    #[test]
    fn details_travel_as_json_with_every_field_optional() {
        let details: CaseDetails = serde_json::from_str(r#"{"version":"9.1","architecture":"64_bit","stakes":["revenue"]}"#).unwrap();
        assert_eq!(details.version, "9.1");
        assert_eq!(details.architecture, Some(Architecture::Bits64));
        assert_eq!(details.contact_channel, ContactChannel::Portal);
        assert!(CaseDetails::default().is_empty());
        let callback = serde_json::to_value(callback()).unwrap();
        assert_eq!(callback["from"], "09:00:00");
        // The serde name is the stable name.
        for a in Architecture::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
    }
}
