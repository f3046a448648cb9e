//! Who uses Caseboard: customers (contacts of one organization), support engineers, admins.
//! Only the role is decided here; identities and sessions live in the backend.

use serde::{Deserialize, Serialize};

/// A user's role, checked by the server on every call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A contact of one customer organization.
    Customer,
    /// A support engineer: sees every organization's cases and works them.
    Engineer,
    /// Runs the Caseboard installation: organizations, users, contracts.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Customer, Role::Engineer, Role::Admin];

    /// Support people (engineers and admins) see every organization and work cases.
    pub fn is_support(self) -> bool {
        matches!(self, Role::Engineer | Role::Admin)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Engineer => "engineer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What the browser knows about the person signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SignedInUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The customer's organization (slug); `None` for support people.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub organization: Option<String>,
    /// An organization admin manages the organization's contacts and seats.
    pub org_admin: bool,
    /// The language they chose for their pages and emails ("en", "fr", "zh"); `null` when
    /// they have not chosen (pages follow the browser's `Accept-Language`).
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub language: Option<String>,
    /// The number they last gave for a callback (E.164), offered again in the new-case form.
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub phone: Option<String>,
}

/// A contact of an organization, as its admin manages them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub org_admin: bool,
    /// Holds one of the organization's seats: may open cases (the others read and reply).
    pub opens_cases: bool,
}

/// An organization's contacts and its seats (`None`: every contact may open cases).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contacts {
    pub contacts: Vec<Contact>,
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub seats: Option<u32>,
    pub seats_taken: u32,
}

impl Contacts {
    /// Whether one more contact may be given a seat.
    pub fn seat_free(&self) -> bool {
        self.seats.is_none_or(|seats| self.seats_taken < seats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engineers_and_admins_are_support_customers_are_not() {
        assert!(Role::Engineer.is_support());
        assert!(Role::Admin.is_support());
        assert!(!Role::Customer.is_support());
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}

/// What a support person is doing on a case page, for the others there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Viewing,
    WritingReply,
    WritingNote,
    Left,
}

impl Activity {
    pub fn as_str(self) -> &'static str {
        match self {
            Activity::Viewing => "viewing",
            Activity::WritingReply => "writing_reply",
            Activity::WritingNote => "writing_note",
            Activity::Left => "left",
        }
    }
}

/// Someone else on a case page, as the page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Present {
    pub name: String,
    pub activity: Activity,
}
