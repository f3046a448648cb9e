//! Support plans an organization can be on: the presets of domain.md §3 (Elastic cloud and
//! self-managed, Coveo, Cloud Avenue) and custom ones, with severities, targets and entitlements.

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use super::calendar::BusinessCalendar;
use super::case::Severity;
use crate::error::{AppError, InvalidReason};

/// The preset plans of domain.md §3, by their stable API ids.
pub const PRESET_PLAN_IDS: &[&str] = &[
    "elastic-cloud-limited",
    "elastic-cloud-basic",
    "elastic-cloud-enhanced",
    "elastic-cloud-premium",
    "elastic-sm-gold",
    "elastic-sm-platinum",
    "elastic-sm-enterprise",
    "elastic-sm-development",
    "coveo",
    "cloud-avenue-standard",
    "cloud-avenue-bronze",
    "cloud-avenue-silver",
    "cloud-avenue-gold",
];

pub fn is_preset_plan(id: &str) -> bool {
    PRESET_PLAN_IDS.contains(&id)
}

/// The time zone the presets other than Coveo start with; the organization chooses its own
/// ("les heures d'ouverture sont définies par l'emplacement de votre entreprise").
pub const DEFAULT_TIME_ZONE: &str = "Europe/Paris";

/// How long support may take, and how that time is counted. Elastic's words:
/// "30 minutes (24 h/24, 7 j/7)", "4 heures ouvrables", "1 jour ouvrable".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum SlaTarget {
    /// Real time, nights and weekends included ("24 h/24, 7 j/7").
    #[serde(rename = "duration_24x7")]
    Duration24x7(SignedDuration),
    /// Hours counted in the contract's business calendar ("heures ouvrables").
    BusinessHours(u32),
    /// Days of business time, each the calendar's nominal working day ("jours ouvrables"):
    /// on 09:00-18:00, one business day from Tuesday 10:00 is Wednesday 10:00.
    BusinessDays(u32),
}

/// `{"kind": "duration_24x7", "value": "PT30M"}` (an ISO 8601 duration),
/// `{"kind": "business_hours", "value": 4}`, `{"kind": "business_days", "value": 1}`; every
/// target is longer than zero.
#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for SlaTarget {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
        let target = |kind: &str, value: ObjectBuilder| {
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .property("kind", ObjectBuilder::new().schema_type(Type::String).enum_values(Some([kind])))
                .property("value", value)
                .required("kind")
                .required("value")
                .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        };
        let count = || ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(u32::MAX));
        OneOfBuilder::new()
            .item(target(
                "duration_24x7",
                ObjectBuilder::new().schema_type(Type::String).description(Some("ISO 8601, e.g. PT30M")),
            ))
            .item(target("business_hours", count()))
            .item(target("business_days", count()))
            .description(Some("How long support may take, and how that time is counted."))
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for SlaTarget {}

impl SlaTarget {
    pub fn minutes_24x7(minutes: i64) -> SlaTarget {
        SlaTarget::Duration24x7(SignedDuration::from_mins(minutes))
    }

    pub fn hours_24x7(hours: i64) -> SlaTarget {
        SlaTarget::Duration24x7(SignedDuration::from_hours(hours))
    }

    /// Counted in business time (as opposed to 24x7).
    pub fn counts_business_time(self) -> bool {
        !matches!(self, SlaTarget::Duration24x7(_))
    }

    /// The amount of time to count: real time for 24x7 targets, business time otherwise.
    pub fn budget(self, working_time_per_day: SignedDuration) -> SignedDuration {
        match self {
            SlaTarget::Duration24x7(d) => d,
            SlaTarget::BusinessHours(hours) => SignedDuration::from_hours(i64::from(hours)),
            SlaTarget::BusinessDays(days) => {
                SignedDuration::from_secs(working_time_per_day.as_secs().saturating_mul(i64::from(days)))
            }
        }
    }

    fn is_positive(self) -> bool {
        match self {
            SlaTarget::Duration24x7(d) => d.is_positive(),
            SlaTarget::BusinessHours(n) | SlaTarget::BusinessDays(n) => n > 0,
        }
    }

    /// English words: `30 min, 24x7`, `4 business hours`, `1 business day`.
    pub fn describe(self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for SlaTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            SlaTarget::Duration24x7(d) => write!(f, "{}, 24x7", DurationWords(d)),
            SlaTarget::BusinessHours(1) => f.write_str("1 business hour"),
            SlaTarget::BusinessHours(n) => write!(f, "{n} business hours"),
            SlaTarget::BusinessDays(1) => f.write_str("1 business day"),
            SlaTarget::BusinessDays(n) => write!(f, "{n} business days"),
        }
    }
}

/// `2 h 10 min`, `45 min`, `4 h`, `0 min` (seconds are dropped); negative durations get a minus.
pub fn duration_in_words(d: SignedDuration) -> String {
    DurationWords(d).to_string()
}

/// [`duration_in_words`] without the allocation.
pub(crate) struct DurationWords(pub(crate) SignedDuration);

impl std::fmt::Display for DurationWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0.is_negative() { "-" } else { "" };
        let minutes = self.0.as_mins().unsigned_abs();
        match (minutes / 60, minutes % 60) {
            (0, m) => write!(f, "{sign}{m} min"),
            (h, 0) => write!(f, "{sign}{h} h"),
            (h, m) => write!(f, "{sign}{h} h {m} min"),
        }
    }
}

/// What a plan promises for one severity, and the vendor's word for it (Elastic: Urgent,
/// High, Normal, Development; Coveo: Critical, Major, Minor).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeverityTerms {
    pub severity: Severity,
    pub label: String,
    /// "Temps de réponse initial"; `None`: no commitment.
    #[serde(default)]
    pub initial_response: Option<SlaTarget>,
    /// Time to restore service (Cloud Avenue: "GTR ticket P1"); `None`: no commitment.
    #[serde(default)]
    pub restore: Option<SlaTarget>,
}

/// Expert help included in a plan. Cloud Avenue: "Accès privilégié aux experts" and
/// "Nombre d'heures d'expertise comprises dans le forfait: N/A; 2h / mois, les 3 premiers
/// mois; 2h / mois; 4h / mois".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExpertiseAllowance {
    pub privileged_access: bool,
    pub hours_per_month: u32,
    /// Only for the first months of the subscription (Bronze: 3); `None`: while it runs.
    #[serde(default)]
    pub first_months: Option<u32>,
}

impl ExpertiseAllowance {
    pub const NONE: ExpertiseAllowance =
        ExpertiseAllowance { privileged_access: false, hours_per_month: 0, first_months: None };

    fn applies_in(self, month: u32) -> bool {
        self.first_months.is_none_or(|first| month <= first)
    }

    /// Expertise hours included in the given month of the subscription (the first is 1).
    pub fn hours_in_month(self, month: u32) -> u32 {
        if self.applies_in(month) { self.hours_per_month } else { 0 }
    }

    /// Whether the customer reaches the experts directly in that month (the first is 1).
    pub fn privileged_access_in_month(self, month: u32) -> bool {
        self.privileged_access && self.applies_in(month)
    }
}

/// A support plan: the severities a customer may open and what support promises for each.
/// Elastic: "Severities 1-3 apply only to production support levels; Development
/// subscriptions may open severity 4 only." Coveo names its severities but gives no
/// durations. Cloud Avenue promises a restore time for P1 only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(example = json!({
    "id": "acme-custom", "name": "Acme custom", "production": true,
    "severities": [
        {"severity": 1, "label": "Urgent", "initial_response": {"kind": "duration_24x7", "value": "PT1H"}},
        {"severity": 2, "label": "High", "initial_response": {"kind": "business_hours", "value": 4}},
        {"severity": 3, "label": "Normal", "initial_response": {"kind": "business_days", "value": 1}}
    ],
    "pauses_in_feedback": true,
    "calendar": {"time_zone": "Europe/Paris", "working_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "windows": [{"start": "09:00", "end": "18:00"}]}
})))]
pub struct SupportPlan {
    /// A stable id: a preset's (`elastic-cloud-premium`), or a custom plan's slug.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 63, pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: String,
    #[cfg_attr(feature = "ssr", schema(min_length = 1))]
    pub name: String,
    /// A production support level (severities 1-3) rather than a Development subscription
    /// (severity 4 only).
    pub production: bool,
    /// Elastic self-managed Gold: "n'est plus proposé pour les nouveaux clients".
    #[serde(default = "yes")]
    pub accepts_new_customers: bool,
    /// The severities that may be opened, in order, with their labels and targets.
    #[cfg_attr(feature = "ssr", schema(min_items = 1, max_items = 4))]
    pub severities: Vec<SeverityTerms>,
    /// Clocks stop while the case waits on the customer (status Feedback).
    pub pauses_in_feedback: bool,
    #[serde(default)]
    pub expertise: ExpertiseAllowance,
    /// The calendar an organization starts with on this plan (Coveo: "de 6 heures à
    /// 18 heures, heure de l'est, les jours de semaine"; others 09:00-18:00 Mon-Fri).
    pub calendar: BusinessCalendar,
    /// How many of an organization's contacts may open cases (Coveo: "deux utilisateurs
    /// par entreprise"); `None`: every contact. The others read and reply.
    #[serde(default)]
    pub case_openers: Option<u32>,
    /// Phone support as a scheduled callback (domain.md §5: "not offered on Limited").
    #[serde(default = "yes")]
    pub phone_callback: bool,
    /// The support phone line (E.164, `+15550100199`) customers call for the most urgent
    /// severity, where the plan says to call (Coveo: "Critical … call the phone line as
    /// well"); shown with that severity's definition and promises. `None`: no line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(pattern = r"^\+[1-9][0-9]{6,14}$", example = "+15550100199"))]
    pub phone_line: Option<String>,
}

fn yes() -> bool {
    true
}

fn elastic_labels(severity: Severity) -> &'static str {
    match severity {
        Severity::Urgent => "Urgent",
        Severity::High => "High",
        Severity::Normal => "Normal",
        Severity::Development => "Development",
    }
}

fn coveo_labels(severity: Severity) -> &'static str {
    match severity {
        Severity::Urgent => "Critical",
        Severity::High => "Major",
        Severity::Normal => "Minor",
        Severity::Development => "Development",
    }
}

fn cloud_avenue_labels(severity: Severity) -> &'static str {
    match severity {
        Severity::Urgent => "P1",
        Severity::High => "P2",
        Severity::Normal => "P3",
        Severity::Development => "P4",
    }
}

impl SupportPlan {
    /// The preset with this id, with exactly the tables of domain.md §3.
    pub fn preset(id: &str) -> Option<SupportPlan> {
        use Severity::{Development, High, Normal, Urgent};
        use SlaTarget::{BusinessDays as Days, BusinessHours as Hours};
        let none = None;
        let (name, production, initial): (&str, bool, Vec<(Severity, Option<SlaTarget>)>) = match id {
            "elastic-cloud-limited" => {
                ("Elastic cloud Limited", true, vec![(Urgent, none), (High, none), (Normal, none)])
            }
            "elastic-cloud-basic" => (
                "Elastic cloud Basic",
                true,
                vec![(Urgent, Some(Hours(4))), (High, Some(Days(1))), (Normal, Some(Days(2)))],
            ),
            "elastic-cloud-enhanced" => (
                "Elastic cloud Enhanced",
                true,
                vec![
                    (Urgent, Some(SlaTarget::hours_24x7(1))),
                    (High, Some(SlaTarget::hours_24x7(4))),
                    (Normal, Some(Days(1))),
                ],
            ),
            "elastic-cloud-premium" => (
                "Elastic cloud Premium",
                true,
                vec![
                    (Urgent, Some(SlaTarget::minutes_24x7(30))),
                    (High, Some(SlaTarget::hours_24x7(4))),
                    (Normal, Some(Days(1))),
                ],
            ),
            "elastic-sm-enterprise" | "elastic-sm-platinum" => (
                if id == "elastic-sm-enterprise" {
                    "Elastic self-managed Enterprise"
                } else {
                    "Elastic self-managed Platinum"
                },
                true,
                vec![
                    (Urgent, Some(SlaTarget::hours_24x7(1))),
                    (High, Some(SlaTarget::hours_24x7(4))),
                    (Normal, Some(Days(1))),
                ],
            ),
            "elastic-sm-gold" => (
                "Elastic self-managed Gold",
                true,
                vec![(Urgent, Some(Hours(4))), (High, Some(Days(1))), (Normal, Some(Days(2)))],
            ),
            "elastic-sm-development" => ("Elastic self-managed Development", false, vec![(Development, Some(Days(2)))]),
            "coveo" => ("Coveo", true, vec![(Urgent, none), (High, none), (Normal, none)]),
            "cloud-avenue-standard" | "cloud-avenue-bronze" | "cloud-avenue-silver" | "cloud-avenue-gold" => {
                return Some(SupportPlan::cloud_avenue(id));
            }
            _ => return None,
        };
        let labels = if id == "coveo" { coveo_labels } else { elastic_labels };
        let calendar = if id == "coveo" {
            BusinessCalendar::weekdays("America/New_York", "06:00", "18:00")
        } else {
            BusinessCalendar::office_hours(DEFAULT_TIME_ZONE)
        };
        Some(SupportPlan {
            id: id.into(),
            name: name.into(),
            production,
            accepts_new_customers: id != "elastic-sm-gold",
            severities: initial
                .into_iter()
                .map(|(severity, initial_response)| SeverityTerms {
                    severity,
                    label: labels(severity).into(),
                    initial_response,
                    restore: None,
                })
                .collect(),
            pauses_in_feedback: true,
            expertise: ExpertiseAllowance::NONE,
            calendar,
            case_openers: (id == "coveo").then_some(2),
            phone_callback: id != "elastic-cloud-limited",
            phone_line: None,
        })
    }

    /// Cloud Avenue tiers: no initial response time in the table; "GTR ticket P1: Aucun, 8h,
    /// 8h, 4h", counted 24x7 ("Les tickets sont pris en compte en 24x7"); P1 is severity 1.
    fn cloud_avenue(id: &str) -> SupportPlan {
        let (name, restore, expertise) = match id {
            "cloud-avenue-bronze" => (
                "Cloud Avenue Bronze",
                Some(SlaTarget::hours_24x7(8)),
                ExpertiseAllowance { privileged_access: true, hours_per_month: 2, first_months: Some(3) },
            ),
            "cloud-avenue-silver" => (
                "Cloud Avenue Silver",
                Some(SlaTarget::hours_24x7(8)),
                ExpertiseAllowance { privileged_access: true, hours_per_month: 2, first_months: None },
            ),
            "cloud-avenue-gold" => (
                "Cloud Avenue Gold",
                Some(SlaTarget::hours_24x7(4)),
                ExpertiseAllowance { privileged_access: true, hours_per_month: 4, first_months: None },
            ),
            _ => ("Cloud Avenue Standard", None, ExpertiseAllowance::NONE),
        };
        let terms = |severity: Severity, restore: Option<SlaTarget>| SeverityTerms {
            severity,
            label: cloud_avenue_labels(severity).into(),
            initial_response: None,
            restore,
        };
        SupportPlan {
            id: id.into(),
            name: name.into(),
            production: true,
            accepts_new_customers: true,
            severities: vec![
                terms(Severity::Urgent, restore),
                terms(Severity::High, None),
                terms(Severity::Normal, None),
            ],
            pauses_in_feedback: true,
            expertise,
            calendar: BusinessCalendar::office_hours(DEFAULT_TIME_ZONE),
            case_openers: None,
            phone_callback: true,
            phone_line: None,
        }
    }

    /// All thirteen presets, in the order of [`PRESET_PLAN_IDS`].
    pub fn presets() -> Vec<SupportPlan> {
        PRESET_PLAN_IDS.iter().filter_map(|id| SupportPlan::preset(id)).collect()
    }

    pub fn terms(&self, severity: Severity) -> Option<&SeverityTerms> {
        self.severities.iter().find(|t| t.severity == severity)
    }

    /// The severities a customer may open on this plan.
    pub fn allowed_severities(&self) -> Vec<Severity> {
        self.severities.iter().map(|t| t.severity).collect()
    }

    /// The vendor's word for a severity on this plan ("Critical" on Coveo).
    pub fn label(&self, severity: Severity) -> Option<&str> {
        self.terms(severity).map(|t| t.label.as_str())
    }

    /// The plan's own name for a severity when it is not the generic one ("Critical" for
    /// Coveo's 1, "P1" for Cloud Avenue's; `None` for Elastic's "Urgent", which the generic
    /// "1 – Urgent" already says).
    pub fn own_label(&self, severity: Severity) -> Option<&str> {
        self.label(severity).filter(|label| !label.is_empty() && *label != elastic_labels(severity))
    }

    pub fn initial_response_target(&self, severity: Severity) -> Option<SlaTarget> {
        self.terms(severity).and_then(|t| t.initial_response)
    }

    pub fn restore_target(&self, severity: Severity) -> Option<SlaTarget> {
        self.terms(severity).and_then(|t| t.restore)
    }

    /// May a case of this severity be opened? "Development subscriptions may open severity 4
    /// only; severities 1-3 apply only to production support levels." Refused on the
    /// "severity" field.
    pub fn check_severity(&self, severity: Severity) -> Result<(), AppError> {
        let development = severity == Severity::Development;
        if development == self.production || self.terms(severity).is_none() {
            return Err(AppError::invalid("severity", InvalidReason::NotAllowed));
        }
        Ok(())
    }

    /// Checks a custom plan: an id and a name; severities listed once each and fitting the
    /// level (1-3 for production, 4 for Development: "severities"); every target longer than
    /// zero ("targets"); a valid calendar (its own fields).
    pub fn validate(&self) -> Result<(), AppError> {
        if self.id.trim().is_empty() {
            return Err(AppError::invalid("id", InvalidReason::Required));
        }
        if self.name.trim().is_empty() {
            return Err(AppError::invalid("name", InvalidReason::Required));
        }
        if self.severities.is_empty() {
            return Err(AppError::invalid("severities", InvalidReason::Required));
        }
        for (i, terms) in self.severities.iter().enumerate() {
            if self.severities[..i].iter().any(|t| t.severity == terms.severity) {
                return Err(AppError::invalid(
                    "severities",
                    InvalidReason::Malformed { detail: format!("severity {} is listed twice", terms.severity.level()) },
                ));
            }
            if (terms.severity == Severity::Development) == self.production {
                return Err(AppError::invalid("severities", InvalidReason::NotAllowed));
            }
            if terms.initial_response.into_iter().chain(terms.restore).any(|t| !t.is_positive()) {
                return Err(AppError::invalid(
                    "targets",
                    InvalidReason::Malformed { detail: "a target must be longer than zero".into() },
                ));
            }
        }
        self.calendar.validate()
    }
}

#[cfg(test)]
mod tests;
