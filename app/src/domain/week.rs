//! The seven days of the week, as a working week and a callback window list them.

use jiff::civil::Date;

use super::named::named_enum;

named_enum! {
    /// A day of the week (Monday first): the working days of a business calendar, the days a
    /// customer can take a callback.
    #[derive(PartialOrd, Ord)]
    DayOfWeek {
        Monday = "monday",
        Tuesday = "tuesday",
        Wednesday = "wednesday",
        Thursday = "thursday",
        Friday = "friday",
        Saturday = "saturday",
        Sunday = "sunday",
    }
}

impl DayOfWeek {
    /// Monday to Friday: "les jours de semaine" (Coveo), the usual working week.
    pub const WEEKDAYS: [DayOfWeek; 5] =
        [DayOfWeek::Monday, DayOfWeek::Tuesday, DayOfWeek::Wednesday, DayOfWeek::Thursday, DayOfWeek::Friday];

    pub fn of(date: Date) -> DayOfWeek {
        DayOfWeek::ALL[date.weekday().to_monday_zero_offset() as usize]
    }

    /// The three-letter English abbreviation used in explanations ("Mon").
    pub fn short(self) -> &'static str {
        match self {
            DayOfWeek::Monday => "Mon",
            DayOfWeek::Tuesday => "Tue",
            DayOfWeek::Wednesday => "Wed",
            DayOfWeek::Thursday => "Thu",
            DayOfWeek::Friday => "Fri",
            DayOfWeek::Saturday => "Sat",
            DayOfWeek::Sunday => "Sun",
        }
    }

    /// Monday is 0, Sunday 6.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_travel_by_their_lowercase_names_in_week_order() {
        assert_eq!(serde_json::to_string(&DayOfWeek::Monday).unwrap(), "\"monday\"");
        assert_eq!(serde_json::from_str::<DayOfWeek>("\"sunday\"").unwrap(), DayOfWeek::Sunday);
        assert!(DayOfWeek::Monday < DayOfWeek::Sunday);
        assert_eq!(DayOfWeek::of(jiff::civil::date(2026, 11, 24)), DayOfWeek::Tuesday);
    }
}
