//! What a case says beyond its summary and description, as the new-case wizard asks it
//! (domain.md §1-2, §5): product version and build, the situation, the environment, the
//! business impact, and how the customer wants to hear from support.

use serde::{Deserialize, Serialize};

use super::named::named_enum;
use super::week::DayOfWeek;

named_enum! {
    /// The processor architecture the product runs on (Coveo asks: 32 or 64 bit).
    Architecture {
        #[serde(rename = "32_bit")]
        Bits32 = "32_bit",
        #[serde(rename = "64_bit")]
        Bits64 = "64_bit",
    }
}

named_enum! {
    /// What is at stake for the customer's business.
    Stake {
        Revenue = "revenue",
        Security = "security",
        Brand = "brand",
        /// A deadline: its date goes with it.
        Deadline = "deadline",
    }
}

named_enum! {
    /// How the customer prefers to hear from support.
    ContactChannel {
        /// Replies in the portal (and the notification emails).
        Portal = "portal",
        Email = "email",
        /// A scheduled callback (domain.md §5): not on every plan.
        Phone = "phone",
    }
}

impl Default for ContactChannel {
    fn default() -> Self {
        ContactChannel::Portal
    }
}

/// When the customer can take a callback: days and hours in their own time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Callback {
    pub days: Vec<DayOfWeek>,
    /// `09:00`: the start of the window, local time.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "09:00"))]
    pub from: jiff::civil::Time,
    /// `12:30`: the end of the window, local time, after `from`.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "12:30"))]
    pub until: jiff::civil::Time,
    /// An IANA time zone: `Europe/Paris`.
    pub time_zone: String,
    /// The number to call, with its country code; kept in E.164 (`+33142685300`).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(example = "+33 1 42 68 53 00"))]
    pub phone: String,
}

/// Everything the wizard asks besides the summary and description. Every field may be left
/// out of an API request; the rules below say when one is needed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CaseDetails {
    /// The product's version, `9.1.3`.
    #[cfg_attr(feature = "ssr", schema(max_length = 200))]
    pub version: String,
    #[cfg_attr(feature = "ssr", schema(max_length = 200))]
    pub build: String,
    /// What the customer observes (at most 16 KiB of UTF-8).
    #[cfg_attr(feature = "ssr", schema(max_length = 16384))]
    pub symptoms: String,
    /// The error message, as shown (at most 16 KiB of UTF-8).
    #[cfg_attr(feature = "ssr", schema(max_length = 16384))]
    pub error_message: String,
    /// At most 16 KiB of UTF-8.
    #[cfg_attr(feature = "ssr", schema(max_length = 16384))]
    pub steps_to_reproduce: String,
    /// Server or client OS and its version.
    #[cfg_attr(feature = "ssr", schema(max_length = 200))]
    pub os: String,
    pub architecture: Option<Architecture>,
    /// Browser and device, with versions.
    #[cfg_attr(feature = "ssr", schema(max_length = 200))]
    pub browser: String,
    /// Business impact, in the customer's words (at most 16 KiB of UTF-8; required for severity 1).
    #[cfg_attr(feature = "ssr", schema(max_length = 16384))]
    pub impact: String,
    pub stakes: Vec<Stake>,
    /// The deadline at risk, when `stakes` names one.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = Date))]
    pub deadline: Option<jiff::civil::Date>,
    /// Who is affected: a team, every user, the customer's own customers.
    #[cfg_attr(feature = "ssr", schema(max_length = 200))]
    pub affected: String,
    pub contact_channel: ContactChannel,
    /// The callback windows, with the phone channel.
    pub callback: Option<Callback>,
}

impl CaseDetails {
    /// True when nothing was given (a case opened by email or an old API client).
    pub fn is_empty(&self) -> bool {
        *self == CaseDetails::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::time;

    #[test]
    fn details_travel_as_json_with_every_field_optional() {
        let details: CaseDetails = serde_json::from_str(r#"{"version":"9.1","architecture":"64_bit","stakes":["revenue"]}"#).unwrap();
        assert_eq!(details.version, "9.1");
        assert_eq!(details.architecture, Some(Architecture::Bits64));
        assert_eq!(details.contact_channel, ContactChannel::Portal);
        assert!(CaseDetails::default().is_empty());
        let callback = Callback {
            days: vec![DayOfWeek::Monday],
            from: time(9, 0, 0, 0),
            until: time(12, 30, 0, 0),
            time_zone: "Europe/Paris".into(),
            phone: "+33142685300".into(),
        };
        let callback = serde_json::to_value(callback).unwrap();
        assert_eq!(callback["days"], serde_json::json!(["monday"]));
        assert_eq!(callback["from"], "09:00:00");
        // The serde name is the stable name.
        for a in Architecture::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
    }
}
