//! Case intake: the draft a customer submits to open a case, the six steps of the wizard
//! that asks it, and the rules each step must pass. The browser checks a step before it
//! lets the customer go on; the server runs every step again on the whole draft and trusts
//! nothing it was sent.

use serde::{Deserialize, Serialize};

use super::case::{CaseKind, DESCRIPTION_MAX_BYTES, Environment, SUMMARY_MAX_CHARS, Severity, Visibility};
use super::details::{CaseDetails, ContactChannel, Stake};
use super::product::PRODUCT_MAX_CHARS;
use crate::error::{AppError, InvalidReason};

/// The longest one-line answer (version, build, OS, browser, who is affected), in characters.
pub const LINE_MAX_CHARS: usize = 200;
/// The longest free-text answer (symptoms, error message, steps, business impact), in bytes.
pub const TEXT_MAX_BYTES: usize = 16 * 1024;
/// The most files a new case may carry from the wizard.
pub const DRAFT_ATTACHMENTS_MAX: usize = 20;

/// What a customer submits to open a case.
/// Unknown fields are refused (400): a misspelt optional field is not silently dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(example = json!({
    "summary": "Exports fail", "description": "HTTP 500 on every CSV export since Monday.",
    "kind": "bug", "severity": 3, "environment": "staging", "product": "Kibana"
})))]
#[serde(deny_unknown_fields)]
pub struct CaseDraft {
    /// One line, at most 200 characters.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 200))]
    pub summary: String,
    /// At most 64 KiB of UTF-8.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 65536))]
    pub description: String,
    pub kind: CaseKind,
    #[serde(default)]
    pub severity: Severity,
    pub environment: Environment,
    #[serde(default = "default_visibility")]
    pub visibility: Visibility,
    /// The product or project concerned, as the customer names it (may be empty).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 100))]
    pub product: String,
    /// What the wizard asks beyond this: version, environment, impact, contact.
    #[serde(default)]
    pub details: CaseDetails,
    /// Files uploaded beforehand (`POST /api/v1/uploads`), by id: they join the case.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_items = 20))]
    pub attachments: Vec<i64>,
}

fn default_visibility() -> Visibility {
    Visibility::Organization
}

impl CaseDraft {
    /// Checks the draft, every wizard step in turn, and returns it tidied (trimmed). The
    /// server calls this on every path; the browser calls one step at a time, and is never
    /// trusted.
    pub fn validated(self, context: IntakeContext) -> Result<CaseDraft, AppError> {
        IntakeStep::ALL.into_iter().try_fold(self, |draft, step| step.check(draft, context))
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

    /// The step that asks for a field, by the field's API name: an error on that field sends
    /// the customer back there. Fields the server alone checks have theirs too (the kind,
    /// the severity, the visibility, the idempotency key); any other field (summary,
    /// description, environment, OS, attachments and their files) is the situation's.
    pub fn of_field(field: &str) -> IntakeStep {
        match field {
            "kind" | "product" | "version" | "build" => IntakeStep::Request,
            "severity" => IntakeStep::Severity,
            "impact" | "stakes" | "deadline" | "affected" => IntakeStep::Impact,
            "contact_channel" | "callback" | "callback_phone" | "callback_days" | "callback_hours" | "time_zone" => {
                IntakeStep::Contact
            }
            "visibility" | "idempotency_key" => IntakeStep::Review,
            _ => IntakeStep::Situation,
        }
    }

    /// Checks the fields this step asks for and returns the draft with them tidied (trimmed).
    /// The first field at fault is named in the error, always a field of this step
    /// ([`IntakeStep::of_field`]).
    pub fn check(self, draft: CaseDraft, context: IntakeContext) -> Result<CaseDraft, AppError> {
        let checked = self.check_fields(draft, context);
        if let Err(AppError::Invalid { field, .. }) = &checked {
            debug_assert_eq!(IntakeStep::of_field(field), self, "the {field} field belongs to another step");
        }
        checked
    }

    fn check_fields(self, mut draft: CaseDraft, context: IntakeContext) -> Result<CaseDraft, AppError> {
        let d = &mut draft.details;
        match self {
            IntakeStep::Request => {
                draft.product = one_line("product", &draft.product, PRODUCT_MAX_CHARS)?;
                d.version = one_line("version", &d.version, LINE_MAX_CHARS)?;
                d.build = one_line("build", &d.build, LINE_MAX_CHARS)?;
            }
            IntakeStep::Situation => {
                draft.summary = one_line("summary", &draft.summary, SUMMARY_MAX_CHARS)?;
                if draft.summary.is_empty() {
                    return Err(AppError::invalid("summary", InvalidReason::Required));
                }
                if draft.description.trim().is_empty() {
                    return Err(AppError::invalid("description", InvalidReason::Required));
                }
                if draft.description.len() > DESCRIPTION_MAX_BYTES {
                    return Err(AppError::invalid(
                        "description",
                        InvalidReason::TooLong { max: DESCRIPTION_MAX_BYTES },
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
                    // The number's own rules (E.164, the country's plan) are the server's.
                    callback.phone = callback.phone.trim().to_owned();
                    if callback.phone.is_empty() {
                        return Err(AppError::invalid("callback_phone", InvalidReason::Required));
                    }
                    if callback.days.is_empty() {
                        return Err(AppError::invalid("callback_days", InvalidReason::Required));
                    }
                    callback.days.sort();
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

/// An organization support may open a case for (support's intake form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationChoice {
    pub slug: String,
    pub name: String,
}

/// A contact of that organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactChoice {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::details::Callback;
    use crate::domain::week::DayOfWeek;
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

    /// A draft as typed: spaces around the summary and the product.
    fn untidy_draft() -> CaseDraft {
        CaseDraft {
            summary: "  Dashboard is slow  ".into(),
            description: "The executive dashboard takes 40 s to load.".into(),
            kind: CaseKind::Bug,
            severity: Severity::High,
            environment: Environment::Production,
            visibility: Visibility::Organization,
            product: " Kibana ".into(),
            details: CaseDetails::default(),
            attachments: vec![],
        }
    }

    #[test]
    fn a_product_is_trimmed_and_limited_to_one_short_line() {
        assert_eq!(untidy_draft().validated(context()).unwrap().product, "Kibana");
        let long = CaseDraft { product: "p".repeat(101), ..untidy_draft() };
        assert!(matches!(long.validated(context()), Err(AppError::Invalid { field, .. }) if field == "product"));
        let two_lines = CaseDraft { product: "a\nb".into(), ..untidy_draft() };
        assert!(two_lines.validated(context()).is_err());
    }

    #[test]
    fn a_valid_draft_is_accepted_with_its_summary_trimmed() {
        assert_eq!(untidy_draft().validated(context()).unwrap().summary, "Dashboard is slow");
    }

    #[test]
    fn an_empty_summary_is_refused_as_required() {
        let d = CaseDraft { summary: "   ".into(), ..untidy_draft() };
        assert_eq!(d.validated(context()), Err(AppError::invalid("summary", InvalidReason::Required)));
    }

    #[test]
    fn a_summary_of_201_characters_is_refused_and_200_accepted() {
        let ok = CaseDraft { summary: "é".repeat(200), ..untidy_draft() };
        assert!(ok.validated(context()).is_ok());
        let long = CaseDraft { summary: "é".repeat(201), ..untidy_draft() };
        assert_eq!(long.validated(context()), Err(AppError::invalid("summary", InvalidReason::TooLong { max: 200 })));
    }

    #[test]
    fn a_description_over_64_kib_is_refused() {
        let d = CaseDraft { description: "x".repeat(DESCRIPTION_MAX_BYTES + 1), ..untidy_draft() };
        assert!(matches!(d.validated(context()), Err(AppError::Invalid { field, .. }) if field == "description"));
    }

    #[test]
    fn a_summary_with_a_newline_is_malformed() {
        let d = CaseDraft { summary: "two\nlines".into(), ..untidy_draft() };
        assert!(matches!(d.validated(context()), Err(AppError::Invalid { reason: InvalidReason::Malformed { .. }, .. })));
    }

    #[test]
    fn steps_count_from_one_to_six() {
        assert_eq!(IntakeStep::Request.number(), 1);
        assert_eq!(IntakeStep::from_number(6), Some(IntakeStep::Review));
        assert_eq!(IntakeStep::from_number(0), None);
        assert_eq!(IntakeStep::from_number(7), None);
    }

    #[test]
    fn each_field_belongs_to_the_step_that_asks_it() {
        assert_eq!(IntakeStep::of_field("product"), IntakeStep::Request);
        assert_eq!(IntakeStep::of_field("kind"), IntakeStep::Request);
        assert_eq!(IntakeStep::of_field("summary"), IntakeStep::Situation);
        assert_eq!(IntakeStep::of_field("attachments"), IntakeStep::Situation);
        assert_eq!(IntakeStep::of_field("file report.pdf"), IntakeStep::Situation);
        assert_eq!(IntakeStep::of_field("severity"), IntakeStep::Severity);
        assert_eq!(IntakeStep::of_field("deadline"), IntakeStep::Impact);
        assert_eq!(IntakeStep::of_field("callback_hours"), IntakeStep::Contact);
        assert_eq!(IntakeStep::of_field("idempotency_key"), IntakeStep::Review);
    }

    #[test]
    fn every_field_a_step_refuses_sends_the_customer_back_to_that_step() {
        let mut broken = Vec::new();
        let mut d = draft();
        d.product = "a\nb".into();
        broken.push(d);
        let mut d = draft();
        d.details.version = "v".repeat(LINE_MAX_CHARS + 1);
        broken.push(d);
        broken.push(CaseDraft { summary: String::new(), ..draft() });
        broken.push(CaseDraft { description: String::new(), ..draft() });
        broken.push(CaseDraft { attachments: vec![1; DRAFT_ATTACHMENTS_MAX + 1], ..draft() });
        broken.push(CaseDraft { severity: Severity::Urgent, ..draft() });
        let mut d = draft();
        d.details.stakes = vec![Stake::Deadline];
        broken.push(d);
        let mut d = draft();
        d.details.contact_channel = ContactChannel::Phone;
        broken.push(d.clone());
        d.details.callback = Some(Callback { days: vec![], ..callback() });
        broken.push(d);
        for draft in broken {
            let Err(AppError::Invalid { field, .. }) = draft.clone().validated(context()) else {
                panic!("{draft:?} should be refused");
            };
            let step = IntakeStep::of_field(&field);
            assert!(step.check(draft, context()).is_err(), "{field} is not checked on {step:?}");
        }
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
            days: vec![DayOfWeek::Friday, DayOfWeek::Monday],
            from: time(9, 0, 0, 0),
            until: time(12, 30, 0, 0),
            time_zone: "Europe/Paris".into(),
            phone: "+33 1 42 68 53 00".into(),
        }
    }

    #[test]
    fn a_callback_needs_days_a_window_and_a_real_time_zone() {
        let mut d = draft();
        d.details.contact_channel = ContactChannel::Phone;
        assert_eq!(IntakeStep::Contact.check(d.clone(), context()), Err(AppError::invalid("callback", InvalidReason::Required)));
        d.details.callback = Some(callback());
        let ok = IntakeStep::Contact.check(d.clone(), context()).unwrap();
        assert_eq!(ok.details.callback.unwrap().days, vec![DayOfWeek::Monday, DayOfWeek::Friday]);
        let mut empty = d.clone();
        empty.details.callback.as_mut().unwrap().days.clear();
        assert!(matches!(IntakeStep::Contact.check(empty, context()), Err(AppError::Invalid { field, .. }) if field == "callback_days"));
        let mut backwards = d.clone();
        backwards.details.callback.as_mut().unwrap().until = time(8, 0, 0, 0);
        assert!(matches!(IntakeStep::Contact.check(backwards, context()), Err(AppError::Invalid { field, .. }) if field == "callback_hours"));
        let mut nowhere = d.clone();
        nowhere.details.callback.as_mut().unwrap().time_zone = "Mars/Olympus".into();
        assert!(matches!(IntakeStep::Contact.check(nowhere, context()), Err(AppError::Invalid { field, .. }) if field == "time_zone"));
        // A callback with no number to call is no callback.
        let mut unreachable = d.clone();
        unreachable.details.callback.as_mut().unwrap().phone = "  ".into();
        assert_eq!(
            IntakeStep::Contact.check(unreachable, context()),
            Err(AppError::invalid("callback_phone", InvalidReason::Required))
        );
        assert_eq!(IntakeStep::of_field("callback_phone"), IntakeStep::Contact);
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
}
