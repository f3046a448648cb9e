//! A support case and its vocabulary: number, kind, severity, environment, visibility.

use serde::{Deserialize, Serialize};

use super::details::CaseDetails;
use super::lifecycle::{Resolution, Status};
use super::named::named_enum;

/// The longest one-sentence summary, in characters.
pub const SUMMARY_MAX_CHARS: usize = 200;
/// The longest description, in bytes of UTF-8.
pub const DESCRIPTION_MAX_BYTES: usize = 64 * 1024;

/// The number a customer quotes on the phone. Human, unique, never reused: the store hands
/// them out from a counter that only grows, so a deleted case never frees its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = i64, example = 1042))]
#[serde(transparent)]
pub struct CaseNumber(pub i64);

impl CaseNumber {
    /// The first number handed out: four digits read well on the phone.
    pub const FIRST: CaseNumber = CaseNumber(1001);

    /// Reads a number as a customer might type it: `1042`, `#1042`, ` 1042 `.
    pub fn parse(text: &str) -> Option<CaseNumber> {
        let digits = text.trim().trim_start_matches('#');
        match digits.parse::<i64>() {
            Ok(n) if n > 0 => Some(CaseNumber(n)),
            _ => None,
        }
    }
}

impl std::fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

named_enum! {
    /// Why the customer opened the case (Elastic's list; NAES types map onto it).
    CaseKind {
        /// A bug found in a product.
        Bug = "bug",
        /// A feature to consider.
        FeatureRequest = "feature_request",
        /// A how-to question.
        Question = "question",
        /// An account change: add or remove a user.
        AccountChange = "account_change",
        /// Advance notice of maintenance that may cause new cases.
        Maintenance = "maintenance",
    }
}

named_enum! {
    /// The request types of the NAES tracker, as customers of that tool know them.
    NaesKind {
        Correction = "correction",
        Evolution = "evolution",
        TechnicalAssistance = "technical_assistance",
        MaintenanceTask = "maintenance_task",
    }
}

impl From<NaesKind> for CaseKind {
    fn from(kind: NaesKind) -> CaseKind {
        match kind {
            NaesKind::Correction => CaseKind::Bug,
            NaesKind::Evolution => CaseKind::FeatureRequest,
            NaesKind::TechnicalAssistance => CaseKind::Question,
            NaesKind::MaintenanceTask => CaseKind::Maintenance,
        }
    }
}

named_enum! {
    /// Where the problem happens (Coveo, NAES).
    Environment {
        Production = "production",
        Staging = "staging",
        Test = "test",
        Development = "development",
    }
}

named_enum! {
    /// Who may see a case besides support.
    Visibility {
        /// Every contact of the customer's organization.
        Organization = "organization",
        /// Only the reporter's own team.
        Private = "private",
    }
}

/// Elastic's four severity levels; the API sends them as the integers 1-4.
/// Plans may label them differently (Coveo: Critical, Major, Minor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "u8")]
pub enum Severity {
    /// Production down or severely impaired, no workaround.
    Urgent = 1,
    /// Running but impaired, or an imminent deadline at risk.
    High = 2,
    /// Something does not work as expected, or a general question. The default.
    Normal = 3,
    /// Non-production, not urgent; Development subscriptions only.
    Development = 4,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Urgent, Severity::High, Severity::Normal, Severity::Development];

    pub fn level(self) -> u8 {
        self as u8
    }

    /// The level three questions point to (Elastic's definitions): production down with no
    /// workaround is Urgent; production impaired (with a workaround) or a deadline at risk is
    /// High; anything else Normal. Kept within what the contract `allowed`: the nearest
    /// allowed level, the less urgent one on a tie (a Development subscription gets 4).
    pub fn suggested(answers: SeverityAnswers, allowed: &[Severity]) -> Option<Severity> {
        let wanted = match answers {
            SeverityAnswers { production_down: true, workaround: false, .. } => Severity::Urgent,
            SeverityAnswers { production_down: true, .. } | SeverityAnswers { deadline_at_risk: true, .. } => Severity::High,
            _ => Severity::Normal,
        };
        allowed.iter().copied().min_by_key(|s| ((s.level() as i8 - wanted.level() as i8).abs(), std::cmp::Reverse(s.level())))
    }
}

/// The customer's answers to the severity questions on the new-case form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeverityAnswers {
    /// Is production down or severely impaired?
    pub production_down: bool,
    /// Is there a workaround?
    pub workaround: bool,
    /// Is a deadline at risk (a launch, a demo to the customer's own customers)?
    pub deadline_at_risk: bool,
}

#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for Severity {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(1))
            .maximum(Some(4))
            .description(Some("1 Urgent, 2 High, 3 Normal (default), 4 Development"))
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for Severity {}

impl Default for Severity {
    fn default() -> Self {
        Severity::Normal
    }
}

impl TryFrom<u8> for Severity {
    type Error = String;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Severity::ALL
            .into_iter()
            .find(|s| s.level() == level)
            .ok_or_else(|| format!("severity must be 1, 2, 3 or 4, not {level}"))
    }
}

/// Any JSON integer is read; one that is not a level is an *invalid value* (serde's
/// `invalid_value`), which the API answers as a refused field (422 naming `severity`), not
/// as an unreadable request.
impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let level = i64::deserialize(deserializer)?;
        u8::try_from(level).ok().and_then(|level| Severity::try_from(level).ok()).ok_or_else(|| {
            serde::de::Error::invalid_value(serde::de::Unexpected::Signed(level), &"a severity: 1, 2, 3 or 4")
        })
    }
}

impl From<Severity> for u8 {
    fn from(s: Severity) -> u8 {
        s.level()
    }
}

/// A case as its readers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Case {
    pub number: CaseNumber,
    /// The customer organization's slug.
    pub organization: String,
    pub organization_name: String,
    pub reporter: String,
    pub summary: String,
    pub description: String,
    pub kind: CaseKind,
    pub severity: Severity,
    pub environment: Environment,
    pub visibility: Visibility,
    pub status: Status,
    pub resolution: Resolution,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub product: String,
    /// Version, environment, business impact and contact, as the wizard asked them.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub details: CaseDetails,
    /// The engineer working the case (a name), if any.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub assignee: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub assignee_id: Option<i64>,
    /// Grows by one at every change; a change states the version it saw.
    pub version: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
    pub opened_at: jiff::Timestamp,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
    pub updated_at: jiff::Timestamp,
}

impl Case {
    /// The customer's move: shown with a red marker in the portal.
    pub fn waits_on_customer(&self) -> bool {
        self.status == Status::Feedback
    }

    /// Whether the case answers what a customer typed in "My cases": part of its summary
    /// (in any case) or digits of its number (`#104` finds 1042). Nothing typed finds all.
    pub fn matches(&self, typed: &str) -> bool {
        let needle = typed.trim().to_lowercase();
        needle.is_empty()
            || self.summary.to_lowercase().contains(&needle)
            || self.number.to_string().contains(needle.trim_start_matches('#'))
    }
}

/// A case for the tests of the domain: #1042 of Acme, a Normal bug, New, opened and last
/// updated at the epoch.
#[cfg(test)]
impl Case {
    pub(crate) fn example() -> Case {
        Case {
            number: CaseNumber(1042),
            organization: "acme".into(),
            organization_name: "Acme".into(),
            reporter: "Ada".into(),
            summary: "Dashboard is slow".into(),
            description: String::new(),
            kind: CaseKind::Bug,
            severity: Severity::Normal,
            environment: Environment::Production,
            visibility: Visibility::Organization,
            status: Status::New,
            resolution: Resolution::Open,
            product: String::new(),
            details: CaseDetails::default(),
            assignee: None,
            assignee_id: None,
            version: 1,
            opened_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_answers_suggest_a_severity_the_contract_allows() {
        let production = [Severity::Urgent, Severity::High, Severity::Normal];
        let down = SeverityAnswers { production_down: true, ..Default::default() };
        assert_eq!(Severity::suggested(down, &production), Some(Severity::Urgent));
        let impaired = SeverityAnswers { production_down: true, workaround: true, ..Default::default() };
        assert_eq!(Severity::suggested(impaired, &production), Some(Severity::High));
        let deadline = SeverityAnswers { deadline_at_risk: true, ..Default::default() };
        assert_eq!(Severity::suggested(deadline, &production), Some(Severity::High));
        assert_eq!(Severity::suggested(SeverityAnswers::default(), &production), Some(Severity::Normal));
        // A Development subscription opens severity 4 only, whatever the answers.
        assert_eq!(Severity::suggested(down, &[Severity::Development]), Some(Severity::Development));
        assert_eq!(Severity::suggested(down, &[]), None);
    }

    #[test]
    fn severity_travels_as_an_integer_and_refuses_five() {
        assert_eq!(serde_json::to_string(&Severity::Urgent).unwrap(), "1");
        assert_eq!(serde_json::from_str::<Severity>("4").unwrap(), Severity::Development);
        assert!(serde_json::from_str::<Severity>("5").is_err());
        let refused = serde_json::from_str::<Severity>("7").unwrap_err().to_string();
        assert!(refused.starts_with("invalid value: integer `7`, expected a severity: 1, 2, 3 or 4"), "{refused}");
        assert!(serde_json::from_str::<Severity>("0").is_err());
        assert!(serde_json::from_str::<Severity>("\"3\"").unwrap_err().to_string().starts_with("invalid type"));
    }

    #[test]
    fn kinds_travel_as_snake_case() {
        assert_eq!(serde_json::to_string(&CaseKind::FeatureRequest).unwrap(), "\"feature_request\"");
        assert_eq!(CaseKind::parse("account_change"), Some(CaseKind::AccountChange));
    }

    #[test]
    fn naes_types_map_onto_case_kinds() {
        assert_eq!(CaseKind::from(NaesKind::Correction), CaseKind::Bug);
        assert_eq!(CaseKind::from(NaesKind::Evolution), CaseKind::FeatureRequest);
        assert_eq!(CaseKind::from(NaesKind::TechnicalAssistance), CaseKind::Question);
        assert_eq!(CaseKind::from(NaesKind::MaintenanceTask), CaseKind::Maintenance);
    }

    #[test]
    fn a_case_is_found_by_part_of_its_summary_or_its_number() {
        let case = Case::example();
        assert!(case.matches(""));
        assert!(case.matches("  DASHBOARD "));
        assert!(case.matches("#104"));
        assert!(case.matches("1042"));
        assert!(!case.matches("printer"));
        assert!(!case.matches("#1043"));
    }

    #[test]
    fn case_numbers_are_read_as_customers_type_them() {
        assert_eq!(CaseNumber::parse("#1042"), Some(CaseNumber(1042)));
        assert_eq!(CaseNumber::parse(" 1042 "), Some(CaseNumber(1042)));
        assert_eq!(CaseNumber::parse("0"), None);
        assert_eq!(CaseNumber::parse("abc"), None);
    }
}
