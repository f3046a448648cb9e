//! Phone numbers people type, read with the `phonenumber` crate (libphonenumber's rules and
//! numbering plans) and kept in E.164 (`+33142685300`): a callback number, a plan's
//! support line.

use crate::error::{AppError, InvalidReason};

/// `typed` as an E.164 number, or `field`'s error. Spaces, dots, dashes and brackets are
/// allowed as people write them; the country code is required (`+33 1 42 68 53 00`).
pub fn e164(field: &str, typed: &str) -> Result<String, AppError> {
    let malformed = || {
        AppError::invalid(
            field,
            InvalidReason::Malformed { detail: "an international number with its country code, such as +33 1 42 68 53 00".into() },
        )
    };
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(AppError::invalid(field, InvalidReason::Required));
    }
    if typed.chars().count() > 32 || !typed.starts_with('+') {
        return Err(malformed());
    }
    let number = phonenumber::parse(None, typed).map_err(|_| malformed())?;
    if !phonenumber::is_valid(&number) {
        return Err(malformed());
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_kept_in_e164_and_nonsense_is_refused() {
        assert_eq!(e164("phone", "+33 1 42 68 53 00").unwrap(), "+33142685300");
        assert_eq!(e164("phone", " +86 10 6552 9988 ").unwrap(), "+861065529988");
        assert_eq!(e164("phone", "+1 (212) 555-0199").unwrap(), "+12125550199");
        for bad in ["01 42 68 53 00", "+33 1", "+999 123", "call me", "+33 1 42 68 53 00 <script>", &"+1".repeat(40)] {
            assert!(matches!(e164("phone", bad), Err(AppError::Invalid { .. })), "{bad}");
        }
        assert_eq!(e164("phone", "  "), Err(AppError::invalid("phone", InvalidReason::Required)));
    }
}
