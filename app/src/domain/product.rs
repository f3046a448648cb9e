//! The products an organization runs, and which of their versions support still covers
//! (Coveo: "only the last two major versions: on 7.x, 6.x is supported and 5.x is not").

use serde::{Deserialize, Serialize};

use crate::error::{AppError, InvalidReason};

/// The longest product name (or engineer's skill, which names a product), in characters.
pub const PRODUCT_MAX_CHARS: usize = 100;

/// How many major versions are supported when nothing else is said.
pub const DEFAULT_SUPPORTED_MAJORS: u32 = 2;

/// A product of an organization, with its newest version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductLine {
    pub name: String,
    /// The newest version, `9.1.3`; empty for a service without versions.
    pub latest_version: String,
    /// How many major versions, counting the newest, are supported.
    pub supported_majors: u32,
    /// The versions support knows of, as the admin listed them (newest first); empty for a
    /// product saved before they were kept, or a service without versions.
    #[serde(default)]
    pub versions: Vec<String>,
}

/// The most versions one product lists.
pub const VERSIONS_MAX: usize = 100;
/// The longest version, in characters (`2026.1.0-lts`).
pub const VERSION_MAX_CHARS: usize = 40;
/// The most major versions a product may say are supported.
pub const SUPPORTED_MAJORS_MAX: u32 = 100;

/// The parts of a version that order it: `v9.10.2` → [9, 10, 2]; `None` for one without a
/// leading number.
fn version_key(version: &str) -> Option<Vec<u64>> {
    major_of(version)?;
    let version = version.trim();
    let version = version.strip_prefix(['v', 'V']).unwrap_or(version);
    Some(
        version
            .split('.')
            .map_while(|part| {
                let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .collect(),
    )
}

/// What support says about a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionSupport {
    Supported,
    /// Too old: the oldest supported major and the newest version, to upgrade to.
    Unsupported { oldest_major: u64, latest: String },
    /// Not a version we can read (`latest`, `n/a`), or a product without versions.
    Unknown,
}

/// The major version: the leading digits, after an optional `v`: `7.2.1` → 7, `v10` → 10.
pub fn major_of(version: &str) -> Option<u64> {
    let version = version.trim();
    let version = version.strip_prefix(['v', 'V']).unwrap_or(version);
    let digits: String = version.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

impl ProductLine {
    /// A product as an admin describes it, checked: a name (`name`), one to [`VERSIONS_MAX`]
    /// distinct versions (`versions`), at least one supported major (`supported_majors`).
    /// The newest version is the highest of those that start with a number (the first
    /// listed when none does).
    pub fn described(name: &str, versions: &[String], supported_majors: u32) -> Result<ProductLine, AppError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("name", InvalidReason::Required));
        }
        if name.chars().count() > PRODUCT_MAX_CHARS {
            return Err(AppError::invalid("name", InvalidReason::TooLong { max: PRODUCT_MAX_CHARS }));
        }
        if name.chars().any(char::is_control) {
            return Err(AppError::invalid("name", InvalidReason::Malformed { detail: "control characters".into() }));
        }
        if versions.is_empty() {
            return Err(AppError::invalid("versions", InvalidReason::Required));
        }
        if versions.len() > VERSIONS_MAX {
            return Err(AppError::invalid("versions", InvalidReason::TooLong { max: VERSIONS_MAX }));
        }
        let mut kept: Vec<String> = Vec::with_capacity(versions.len());
        for version in versions {
            let version = version.trim();
            if version.is_empty() {
                return Err(AppError::invalid("versions", InvalidReason::Required));
            }
            if version.chars().count() > VERSION_MAX_CHARS {
                return Err(AppError::invalid("versions", InvalidReason::TooLong { max: VERSION_MAX_CHARS }));
            }
            if version.chars().any(|c| c.is_control() || c.is_whitespace()) {
                return Err(AppError::invalid(
                    "versions",
                    InvalidReason::Malformed { detail: "a version has no spaces or control characters".into() },
                ));
            }
            if kept.iter().any(|k| k == version) {
                return Err(AppError::invalid(
                    "versions",
                    InvalidReason::Malformed { detail: "a version is listed twice".into() },
                ));
            }
            kept.push(version.to_owned());
        }
        if !(1..=SUPPORTED_MAJORS_MAX).contains(&supported_majors) {
            return Err(AppError::invalid(
                "supported_majors",
                InvalidReason::Malformed { detail: format!("a number from 1 to {SUPPORTED_MAJORS_MAX}") },
            ));
        }
        let latest = kept
            .iter()
            .filter_map(|v| version_key(v).map(|key| (key, v)))
            .max_by(|a, b| a.0.cmp(&b.0))
            .map_or_else(|| kept[0].clone(), |(_, v)| v.clone());
        Ok(ProductLine { name: name.to_owned(), latest_version: latest, supported_majors, versions: kept })
    }

    pub fn support_of(&self, version: &str) -> VersionSupport {
        let (Some(latest), Some(major)) = (major_of(&self.latest_version), major_of(version)) else {
            return VersionSupport::Unknown;
        };
        let oldest_major = latest.saturating_sub(u64::from(self.supported_majors.max(1)) - 1);
        if major >= oldest_major {
            VersionSupport::Supported
        } else {
            VersionSupport::Unsupported { oldest_major, latest: self.latest_version.clone() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coveo_on_7() -> ProductLine {
        ProductLine {
            name: "Coveo for Sitecore".into(),
            latest_version: "7.4".into(),
            supported_majors: 2,
            versions: vec!["7.4".into(), "6.9".into()],
        }
    }

    #[test]
    fn the_last_two_major_versions_are_supported() {
        assert_eq!(coveo_on_7().support_of("7.0.1"), VersionSupport::Supported);
        assert_eq!(coveo_on_7().support_of("6.9"), VersionSupport::Supported);
        assert_eq!(
            coveo_on_7().support_of("5.0.1"),
            VersionSupport::Unsupported { oldest_major: 6, latest: "7.4".into() }
        );
    }

    #[test]
    fn unreadable_versions_are_neither_supported_nor_refused() {
        assert_eq!(coveo_on_7().support_of("latest"), VersionSupport::Unknown);
        assert_eq!(coveo_on_7().support_of(""), VersionSupport::Unknown);
        let service = ProductLine { latest_version: String::new(), ..coveo_on_7() };
        assert_eq!(service.support_of("5.0"), VersionSupport::Unknown);
    }

    #[test]
    fn majors_are_read_as_people_write_them() {
        assert_eq!(major_of("v10.2"), Some(10));
        assert_eq!(major_of(" 8 "), Some(8));
        assert_eq!(major_of("x8"), None);
    }

    #[test]
    fn one_supported_major_means_only_the_newest() {
        let strict = ProductLine { supported_majors: 1, ..coveo_on_7() };
        assert!(matches!(strict.support_of("6.9"), VersionSupport::Unsupported { .. }));
        let zero = ProductLine { supported_majors: 0, ..coveo_on_7() };
        assert_eq!(zero.support_of("7.0"), VersionSupport::Supported);
    }

    #[test]
    fn a_described_product_is_checked_and_knows_its_newest_version() {
        let versions = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let product = ProductLine::described(" Kibana ", &versions(&["9.0", "9.10", "8.19"]), 2).unwrap();
        assert_eq!((product.name.as_str(), product.latest_version.as_str()), ("Kibana", "9.10"));
        assert_eq!(product.versions, versions(&["9.0", "9.10", "8.19"]));
        let field = |e: AppError| match e {
            AppError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(ProductLine::described(" ", &versions(&["1"]), 2).unwrap_err()), "name");
        assert_eq!(field(ProductLine::described("K", &[], 2).unwrap_err()), "versions");
        assert_eq!(field(ProductLine::described("K", &versions(&["1", ""]), 2).unwrap_err()), "versions");
        assert_eq!(field(ProductLine::described("K", &versions(&["1", "1"]), 2).unwrap_err()), "versions");
        assert_eq!(field(ProductLine::described("K", &versions(&[&"9".repeat(41)]), 2).unwrap_err()), "versions");
        assert_eq!(field(ProductLine::described("K", &versions(&["1"]), 0).unwrap_err()), "supported_majors");
        assert_eq!(ProductLine::described("SaaS", &versions(&["current"]), 1).unwrap().latest_version, "current");
    }
}
