//! Who uses Caseboard: customers (contacts of one organization), support engineers, admins.
//! Only the role is decided here; identities and sessions live in the backend.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, InvalidReason};

/// The longest name of a person or an organization, in characters.
pub const NAME_MAX_CHARS: usize = 200;

/// A person's or an organization's name, refused on `field` unless it is one line of 1 to
/// [`NAME_MAX_CHARS`] characters.
pub fn check_name(field: &str, name: &str) -> Result<(), AppError> {
    if name.trim().is_empty() {
        return Err(AppError::invalid(field, InvalidReason::Required));
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(AppError::invalid(field, InvalidReason::TooLong { max: NAME_MAX_CHARS }));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::invalid(field, InvalidReason::Malformed { detail: "control characters".into() }));
    }
    Ok(())
}

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
    pub status: ContactStatus,
}

/// Where a contact's account stands: signed up, or still to choose a password from an
/// invitation link (live, expired or revoked).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactStatus {
    /// Has a password: signs in.
    Active,
    /// Invited: the emailed link works until it expires (seven days).
    Invited,
    /// Invited, but the link has expired: the admin may send a new one.
    InvitationExpired,
    /// Invited, but the admin revoked the link: it no longer works.
    InvitationRevoked,
}

impl ContactStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactStatus::Active => "active",
            ContactStatus::Invited => "invited",
            ContactStatus::InvitationExpired => "invitation_expired",
            ContactStatus::InvitationRevoked => "invitation_revoked",
        }
    }

    /// A contact's status from what the store knows: whether they still have to choose a
    /// password, and their latest invitation (when it expires, whether it was revoked).
    pub fn of(awaiting_password: bool, latest: Option<(jiff::Timestamp, bool)>, now: jiff::Timestamp) -> ContactStatus {
        match (awaiting_password, latest) {
            (false, _) => ContactStatus::Active,
            (true, Some((_, true))) => ContactStatus::InvitationRevoked,
            (true, Some((expires, false))) if expires > now => ContactStatus::Invited,
            // No invitation at all (an account made without a password): as good as expired.
            (true, _) => ContactStatus::InvitationExpired,
        }
    }

    /// Whether an invitation can be sent again (a new link, the old one no longer works):
    /// only to someone who has not yet chosen a password.
    pub fn awaits_invitation(self) -> bool {
        self != ContactStatus::Active
    }

    /// Whether there is a live link to revoke.
    pub fn revocable(self) -> bool {
        self == ContactStatus::Invited
    }
}

/// An organization's contacts and its seats (`None`: every contact may open cases).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contacts {
    /// A page of the contacts, by name.
    pub contacts: Vec<Contact>,
    /// Where the next page starts (`?cursor=`); `null` on the last page.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
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
    fn a_contact_is_invited_until_the_link_expires_or_is_revoked_and_active_once_they_chose_a_password() {
        let now = jiff::Timestamp::from_second(1_800_000_000).unwrap();
        let later = now + jiff::SignedDuration::from_hours(1);
        let earlier = now - jiff::SignedDuration::from_hours(1);
        assert_eq!(ContactStatus::of(true, Some((later, false)), now), ContactStatus::Invited);
        assert_eq!(ContactStatus::of(true, Some((earlier, false)), now), ContactStatus::InvitationExpired);
        assert_eq!(ContactStatus::of(true, Some((later, true)), now), ContactStatus::InvitationRevoked);
        assert_eq!(ContactStatus::of(true, None, now), ContactStatus::InvitationExpired);
        assert_eq!(ContactStatus::of(false, Some((later, false)), now), ContactStatus::Active);
        assert!(!ContactStatus::Active.awaits_invitation());
        assert!(ContactStatus::InvitationRevoked.awaits_invitation());
        assert!(ContactStatus::Invited.revocable() && !ContactStatus::InvitationExpired.revocable());
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
