//! A support case and its vocabulary: number, kind, severity, environment, visibility,
//! and the rules a new case must pass before it is filed.

use serde::{Deserialize, Serialize};

use super::intake::{CaseDetails, IntakeContext, IntakeStep};
use super::lifecycle::{Resolution, Status};
use crate::error::AppError;

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

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable API and database name (lowercase snake_case).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use named_enum;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
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

impl From<Severity> for u8 {
    fn from(s: Severity) -> u8 {
        s.level()
    }
}

/// What a customer submits to open a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseDraft {
    pub summary: String,
    pub description: String,
    pub kind: CaseKind,
    #[serde(default)]
    pub severity: Severity,
    pub environment: Environment,
    #[serde(default = "default_visibility")]
    pub visibility: Visibility,
    /// The product or project concerned, as the customer names it (may be empty).
    #[serde(default)]
    pub product: String,
    /// What the wizard asks beyond this: version, environment, impact, contact.
    #[serde(default)]
    pub details: CaseDetails,
    /// Files uploaded beforehand (`POST /api/v1/uploads`), by id: they join the case.
    #[serde(default)]
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
    pub product: String,
    /// Version, environment, business impact and contact, as the wizard asked them.
    #[serde(default)]
    pub details: CaseDetails,
    /// The engineer working the case (a name), if any.
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::InvalidReason;

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

    fn draft() -> CaseDraft {
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

    fn context() -> IntakeContext {
        IntakeContext { today: jiff::civil::date(2037, 1, 1), phone_callback: true }
    }

    #[test]
    fn a_product_is_trimmed_and_limited_to_one_short_line() {
        assert_eq!(draft().validated(context()).unwrap().product, "Kibana");
        let long = CaseDraft { product: "p".repeat(101), ..draft() };
        assert!(matches!(long.validated(context()), Err(AppError::Invalid { field, .. }) if field == "product"));
        let two_lines = CaseDraft { product: "a\nb".into(), ..draft() };
        assert!(two_lines.validated(context()).is_err());
    }

    #[test]
    fn a_valid_draft_is_accepted_with_its_summary_trimmed() {
        assert_eq!(draft().validated(context()).unwrap().summary, "Dashboard is slow");
    }

    #[test]
    fn an_empty_summary_is_refused_as_required() {
        let d = CaseDraft { summary: "   ".into(), ..draft() };
        assert_eq!(d.validated(context()), Err(AppError::invalid("summary", InvalidReason::Required)));
    }

    #[test]
    fn a_summary_of_201_characters_is_refused_and_200_accepted() {
        let ok = CaseDraft { summary: "é".repeat(200), ..draft() };
        assert!(ok.validated(context()).is_ok());
        let long = CaseDraft { summary: "é".repeat(201), ..draft() };
        assert_eq!(long.validated(context()), Err(AppError::invalid("summary", InvalidReason::TooLong { max: 200 })));
    }

    #[test]
    fn a_description_over_64_kib_is_refused() {
        let d = CaseDraft { description: "x".repeat(DESCRIPTION_MAX_BYTES + 1), ..draft() };
        assert!(matches!(d.validated(context()), Err(AppError::Invalid { field, .. }) if field == "description"));
    }

    #[test]
    fn a_summary_with_a_newline_is_malformed() {
        let d = CaseDraft { summary: "two\nlines".into(), ..draft() };
        assert!(matches!(d.validated(context()), Err(AppError::Invalid { reason: InvalidReason::Malformed { .. }, .. })));
    }

    #[test]
    fn severity_travels_as_an_integer_and_refuses_five() {
        assert_eq!(serde_json::to_string(&Severity::Urgent).unwrap(), "1");
        assert_eq!(serde_json::from_str::<Severity>("4").unwrap(), Severity::Development);
        assert!(serde_json::from_str::<Severity>("5").is_err());
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
    fn case_numbers_are_read_as_customers_type_them() {
        assert_eq!(CaseNumber::parse("#1042"), Some(CaseNumber(1042)));
        assert_eq!(CaseNumber::parse(" 1042 "), Some(CaseNumber(1042)));
        assert_eq!(CaseNumber::parse("0"), None);
        assert_eq!(CaseNumber::parse("abc"), None);
    }
}
