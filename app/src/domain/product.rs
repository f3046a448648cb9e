//! The products an organization runs, and which of their versions support still covers
//! (Coveo: "only the last two major versions: on 7.x, 6.x is supported and 5.x is not").

use serde::{Deserialize, Serialize};

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
        ProductLine { name: "Coveo for Sitecore".into(), latest_version: "7.4".into(), supported_majors: 2 }
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
}
