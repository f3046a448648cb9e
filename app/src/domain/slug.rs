//! Slugs: the short names organizations and custom plans are known by in URLs.

use crate::error::{AppError, InvalidReason};

pub const SLUG_MAX_CHARS: usize = 63;

/// A slug: lowercase letters, digits and dashes, starting with a letter or digit.
pub fn check_slug(slug: &str) -> Result<(), AppError> {
    if slug.is_empty() {
        return Err(AppError::invalid("slug", InvalidReason::Required));
    }
    if slug.len() > SLUG_MAX_CHARS {
        return Err(AppError::invalid("slug", InvalidReason::TooLong { max: SLUG_MAX_CHARS }));
    }
    let ok = slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') && !slug.starts_with('-');
    if !ok {
        return Err(AppError::invalid(
            "slug",
            InvalidReason::Malformed { detail: "lowercase letters, digits and dashes".into() },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_letters_digits_and_dashes() {
        assert!(check_slug("acme-analytics").is_ok());
        assert!(check_slug("").is_err());
        assert!(check_slug("-acme").is_err());
        assert!(check_slug("Acme").is_err());
        assert!(check_slug("acme analytics").is_err());
        assert!(check_slug(&"a".repeat(SLUG_MAX_CHARS + 1)).is_err());
    }
}
