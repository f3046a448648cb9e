//! A person as the admin console shows and edits them (`GET/PATCH /api/v1/users/{id}`):
//! account, language and time zone for everyone; organization-admin flag for customers;
//! skills, spoken languages, weekly shifts, lead and on-duty for engineers.

use serde::{Deserialize, Serialize};

use super::people::Role;
use super::shift::Shift;
use crate::error::{AppError, InvalidReason};

/// One person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserProfile {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The customer's organization (slug); `null` for support people.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub organization: Option<String>,
    /// A customer who manages their organization's contacts and seats.
    pub org_admin: bool,
    /// The language of their pages and emails: `en`, `fr` or `zh`.
    pub language: String,
    /// An IANA time zone name (`UTC` when never set).
    pub time_zone: String,
    /// `false` once deactivated: they cannot sign in.
    pub active: bool,
    /// Engineers: the products they know (`null` for others).
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub skills: Option<Vec<String>>,
    /// Engineers: the languages they answer in, ISO 639-1 (`null` for others).
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub languages: Option<Vec<String>>,
    /// Engineers: their weekly shifts, in `time_zone` (`null` for others).
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub shifts: Option<Vec<Shift>>,
    /// Engineers: told of SLA warnings and breaches while on shift (`null` for others).
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub lead: Option<bool>,
    /// Engineers: working now, not away; only they are given new cases (`null` for others).
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub on_duty: Option<bool>,
}

/// A page of people, by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserPage {
    pub users: Vec<UserProfile>,
    /// Send it back as `cursor` for the next page; `null` on the last.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// What `PATCH /api/v1/users/{id}` changes: any of these; a field left out stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({
    "time_zone": "Asia/Shanghai", "languages": ["zh", "en"], "skills": ["Kibana"],
    "shifts": [{"days": ["monday", "tuesday", "wednesday", "thursday", "friday"], "start": "09:00", "end": "18:00"}],
    "lead": true, "on_duty": true
})))]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    /// One line, at most 200 characters.
    #[cfg_attr(feature = "ssr", schema(min_length = 1, max_length = 200))]
    pub name: Option<String>,
    /// `en`, `fr` or `zh`: their pages and emails.
    pub language: Option<String>,
    /// An IANA time zone name, such as `Europe/Paris`; an engineer's shifts stay at the same
    /// civil times in the new zone.
    pub time_zone: Option<String>,
    /// Engineers only: ISO 639-1 codes (`["zh", "en"]`), at most 20.
    pub languages: Option<Vec<String>>,
    /// Engineers only: product names (`["Kibana"]`), at most 50, each at most 100 characters.
    pub skills: Option<Vec<String>>,
    /// Engineers only: 1 to 21 weekly shifts that do not overlap.
    pub shifts: Option<Vec<Shift>>,
    /// Engineers only.
    pub lead: Option<bool>,
    /// Engineers only: `false` while away.
    pub on_duty: Option<bool>,
    /// Customers only: organization admin. Their organization keeps at least one.
    pub org_admin: Option<bool>,
}

impl UserChange {
    /// The engineer-only fields this change sets, by name.
    pub fn engineer_fields(&self) -> Vec<&'static str> {
        [
            ("languages", self.languages.is_some()),
            ("skills", self.skills.is_some()),
            ("shifts", self.shifts.is_some()),
            ("lead", self.lead.is_some()),
            ("on_duty", self.on_duty.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
    }
}

/// The most skills and spoken languages one engineer lists, and the longest skill.
pub const SKILLS_MAX: usize = 50;
pub const SKILL_MAX_CHARS: usize = 100;
pub const SPOKEN_MAX: usize = 20;

/// Skills as given, trimmed, without blanks or repeats (whatever their case); refused on
/// `skills` past the limits.
pub fn check_skills(skills: &[String]) -> Result<Vec<String>, AppError> {
    let mut kept: Vec<String> = Vec::new();
    for skill in skills {
        let skill = skill.trim();
        if skill.chars().count() > SKILL_MAX_CHARS {
            return Err(AppError::invalid("skills", InvalidReason::TooLong { max: SKILL_MAX_CHARS }));
        }
        if skill.chars().any(char::is_control) {
            return Err(AppError::invalid("skills", InvalidReason::Malformed { detail: "control characters".into() }));
        }
        if !skill.is_empty() && !kept.iter().any(|k| k.eq_ignore_ascii_case(skill)) {
            kept.push(skill.to_owned());
        }
    }
    if kept.len() > SKILLS_MAX {
        return Err(AppError::invalid("skills", InvalidReason::TooLong { max: SKILLS_MAX }));
    }
    Ok(kept)
}

/// Spoken languages as ISO 639-1 codes, lowercased, without repeats; an unknown code is
/// refused on `languages`.
pub fn check_spoken(languages: &[String]) -> Result<Vec<String>, AppError> {
    let mut kept: Vec<String> = Vec::new();
    for tag in languages {
        let code = tag.trim().to_ascii_lowercase();
        if !ISO_639_1.contains(&code.as_str()) {
            return Err(AppError::invalid(
                "languages",
                InvalidReason::Malformed { detail: "ISO 639-1 language codes, such as \"en\" or \"zh\"".into() },
            ));
        }
        if !kept.contains(&code) {
            kept.push(code);
        }
    }
    if kept.len() > SPOKEN_MAX {
        return Err(AppError::invalid("languages", InvalidReason::TooLong { max: SPOKEN_MAX }));
    }
    Ok(kept)
}

/// ISO 639-1: the two-letter language codes.
const ISO_639_1: [&str; 183] = [
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi", "bm", "bn", "bo",
    "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo",
    "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi",
    "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka",
    "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng",
    "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn",
    "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su",
    "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur",
    "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spoken_languages_are_iso_codes_and_skills_are_trimmed_and_unique() {
        assert_eq!(check_spoken(&["ZH".into(), "en".into(), "zh".into()]).unwrap(), vec!["zh", "en"]);
        for bad in ["klingon", "xx", "", "e"] {
            assert!(check_spoken(&[bad.into()]).is_err(), "{bad}");
        }
        assert_eq!(check_skills(&[" Kibana ".into(), "kibana".into(), " ".into()]).unwrap(), vec!["Kibana"]);
        assert!(check_skills(&["x".repeat(101)]).is_err());
        let mut sorted = ISO_639_1.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ISO_639_1.len());
    }

    #[test]
    fn the_engineer_fields_of_a_change_are_named() {
        let change =
            UserChange { skills: Some(vec![]), lead: Some(true), name: Some("x".into()), ..Default::default() };
        assert_eq!(change.engineer_fields(), vec!["skills", "lead"]);
    }
}
