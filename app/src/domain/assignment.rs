//! Who works a case. Engineers take cases or are given them; new cases go automatically to
//! the best engineer available now: on shift in their own time zone (follow the sun), who
//! knows the product, speaks the customer's language, and carries the lightest load.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::shift::WorkingWeek;

/// An engineer as the assignment rule sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EngineerProfile {
    pub id: i64,
    pub name: String,
    /// Products they know, as customers name them ("Elasticsearch", "Coveo").
    pub skills: Vec<String>,
    /// Languages they answer in (BCP 47 primary tags: "en", "fr", "zh").
    pub languages: Vec<String>,
    /// Their working week (one or more weekly shifts), in their own time zone.
    pub hours: WorkingWeek,
    /// Working now (not away): only they are given new cases.
    pub on_duty: bool,
}

impl EngineerProfile {
    pub fn knows(&self, product: &str) -> bool {
        let product = product.trim();
        !product.is_empty() && self.skills.iter().any(|s| s.trim().eq_ignore_ascii_case(product))
    }

    pub fn speaks(&self, language: &str) -> bool {
        self.languages.iter().any(|l| l.eq_ignore_ascii_case(language))
    }
}

/// What a case needs from its engineer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignmentNeed {
    pub product: String,
    pub language: String,
}

/// Why a case went to its engineer: kept in the log and shown on the case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AssignmentReason {
    /// On shift when the case came in; otherwise the one whose shift starts first.
    pub on_shift: bool,
    /// The product they know, when it decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill: Option<String>,
    /// The customer's language, when they speak it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Their open cases before this one.
    pub load: u32,
    /// Their time zone (to explain "on shift").
    pub time_zone: String,
}

/// Picks the engineer for a new case among `candidates` (each with their current load of
/// open cases), at `now`. Ranking, first difference wins: on shift now (else the soonest
/// shift start), knows the product, speaks the language, lightest load, lowest id (stable).
/// `None` only when there is nobody to choose.
pub fn choose_engineer(
    candidates: &[(EngineerProfile, u32)],
    need: &AssignmentNeed,
    now: Timestamp,
) -> Option<(i64, AssignmentReason)> {
    candidates
        .iter()
        .filter(|(profile, _)| profile.on_duty)
        .filter_map(|(profile, load)| {
            // An engineer whose week does not build (bad zone) is skipped, not chosen blindly.
            let shift_starts = profile.hours.next_start(now)?;
            let on_shift = profile.hours.on_shift(now);
            let shift_starts = if on_shift { now } else { shift_starts };
            let knows = profile.knows(&need.product);
            let speaks = profile.speaks(&need.language);
            let rank = (!on_shift, shift_starts, !knows, !speaks, *load, profile.id);
            let reason = AssignmentReason {
                on_shift,
                skill: knows.then(|| need.product.trim().to_owned()),
                language: speaks.then(|| need.language.clone()),
                load: *load,
                time_zone: profile.hours.time_zone().to_owned(),
            };
            Some((rank, profile.id, reason))
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, id, reason)| (id, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engineer(id: i64, zone: &str, skills: &[&str], languages: &[&str]) -> EngineerProfile {
        EngineerProfile {
            id,
            name: format!("engineer {id}"),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            languages: languages.iter().map(|s| s.to_string()).collect(),
            hours: crate::domain::BusinessCalendar::weekdays(zone, "09:00", "18:00").into(),
            on_duty: true,
        }
    }

    fn need(product: &str, language: &str) -> AssignmentNeed {
        AssignmentNeed { product: product.into(), language: language.into() }
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    /// Sam in Paris, Mei in Shanghai; both know Elasticsearch.
    fn team() -> Vec<(EngineerProfile, u32)> {
        vec![
            (engineer(1, "Europe/Paris", &["Elasticsearch", "Coveo"], &["en", "fr"]), 0),
            (engineer(2, "Asia/Shanghai", &["Elasticsearch"], &["en", "zh"]), 0),
        ]
    }

    #[test]
    fn follows_the_sun_a_case_at_night_in_paris_goes_to_shanghai() {
        // Tuesday 03:00 in Paris is 10:00 in Shanghai.
        let (id, reason) = choose_engineer(&team(), &need("Elasticsearch", "fr"), at("2026-11-24T02:00:00Z")).unwrap();
        assert_eq!(id, 2);
        assert!(reason.on_shift);
        assert_eq!(reason.language, None, "Mei does not speak French, but she is the one awake");
        assert_eq!(reason.time_zone, "Asia/Shanghai");
    }

    #[test]
    fn during_the_overlap_the_product_and_then_the_language_decide() {
        // Tuesday 09:30 in Paris is 16:30 in Shanghai: both on shift.
        let now = at("2026-11-24T08:30:00Z");
        assert_eq!(choose_engineer(&team(), &need("Coveo", "en"), now).unwrap().0, 1);
        assert_eq!(choose_engineer(&team(), &need("Elasticsearch", "zh"), now).unwrap().0, 2);
        let (id, reason) = choose_engineer(&team(), &need("elasticsearch", "fr"), now).unwrap();
        assert_eq!(id, 1);
        assert_eq!(reason.skill.as_deref(), Some("elasticsearch"));
        assert_eq!(reason.language.as_deref(), Some("fr"));
    }

    #[test]
    fn the_lighter_load_wins_between_equals() {
        let now = at("2026-11-24T08:30:00Z");
        let mut team = team();
        team[0].1 = 5;
        team[1].1 = 2;
        let (id, reason) = choose_engineer(&team, &need("Elasticsearch", "en"), now).unwrap();
        assert_eq!(id, 2);
        assert_eq!(reason.load, 2);
    }

    #[test]
    fn when_nobody_is_on_shift_the_first_shift_to_start_takes_it() {
        // Saturday 12:00 UTC: nobody works; Mei's Monday 09:00 comes before Sam's.
        let (id, reason) = choose_engineer(&team(), &need("Coveo", "fr"), at("2026-11-28T12:00:00Z")).unwrap();
        assert_eq!(id, 2);
        assert!(!reason.on_shift);
    }

    #[test]
    fn nobody_to_choose_is_none_and_a_broken_calendar_is_skipped() {
        assert_eq!(choose_engineer(&[], &need("x", "en"), at("2026-11-24T08:30:00Z")), None);
        let broken = vec![(engineer(9, "Mars/Olympus", &[], &[]), 0), (engineer(3, "UTC", &[], &[]), 7)];
        assert_eq!(choose_engineer(&broken, &need("x", "en"), at("2026-11-24T08:30:00Z")).unwrap().0, 3);
    }

    #[test]
    fn an_engineer_away_is_given_nothing_even_on_shift() {
        let mut team = team();
        team[0].0.on_duty = false;
        // Tuesday 09:30 in Paris: Sam (away) knows Coveo; Mei, off shift, takes it.
        let (id, reason) = choose_engineer(&team, &need("Coveo", "fr"), at("2026-11-24T08:30:00Z")).unwrap();
        assert_eq!(id, 2);
        assert!(reason.on_shift, "16:30 in Shanghai");
        team[1].0.on_duty = false;
        assert_eq!(choose_engineer(&team, &need("Coveo", "fr"), at("2026-11-24T08:30:00Z")), None);
    }

    #[test]
    fn an_empty_product_is_nobodys_skill() {
        assert!(!engineer(1, "UTC", &[""], &[]).knows(" "));
        assert!(engineer(1, "UTC", &["Kibana"], &[]).knows(" kibana "));
    }
}
