//! The shelves of "My cases": where a case sits for the customer who follows it.

use super::case::Case;
use super::lifecycle::Status;
use super::named::named_enum;

named_enum! {
    /// Where a case sits in "My cases": still worked by support, waiting on the customer
    /// (information asked for, or a resolution to confirm), or closed.
    #[derive(Default)]
    Shelf {
        #[default]
        Open = "open",
        Waiting = "waiting",
        Closed = "closed",
    }
}

impl Shelf {
    /// The statuses whose cases sit on this shelf (the same rule as [`Shelf::of`]).
    pub fn statuses(self) -> Vec<Status> {
        Status::ALL.iter().copied().filter(|&status| Shelf::of_status(status) == self).collect()
    }

    pub fn of(case: &Case) -> Shelf {
        Shelf::of_status(case.status)
    }

    fn of_status(status: Status) -> Shelf {
        match status {
            Status::Closed => Shelf::Closed,
            Status::Feedback | Status::Resolved => Shelf::Waiting,
            _ => Shelf::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(status: Status) -> Case {
        Case { status, ..Case::example() }
    }

    #[test]
    fn a_case_waits_on_the_customer_in_feedback_and_once_resolved() {
        assert_eq!(Shelf::of(&case(Status::New)), Shelf::Open);
        assert_eq!(Shelf::of(&case(Status::Confirmed)), Shelf::Open);
        assert_eq!(Shelf::of(&case(Status::Assigned)), Shelf::Open);
        assert_eq!(Shelf::of(&case(Status::Feedback)), Shelf::Waiting);
        assert_eq!(Shelf::of(&case(Status::Resolved)), Shelf::Waiting);
        assert_eq!(Shelf::of(&case(Status::Closed)), Shelf::Closed);
    }

    #[test]
    fn shelves_are_named_in_the_url_and_open_is_the_default() {
        assert_eq!(Shelf::parse("waiting"), Some(Shelf::Waiting));
        assert_eq!(Shelf::Closed.as_str(), "closed");
        assert_eq!(Shelf::parse("archive").unwrap_or_default(), Shelf::Open);
    }
}
