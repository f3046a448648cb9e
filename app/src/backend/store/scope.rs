//! Which cases a person may see: one rule, as SQL and in memory.

use crate::domain::Visibility;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseScope {
    Everything,
    Customer { organization_id: i64, user_id: i64, org_admin: bool },
    Nothing,
}

impl CaseScope {
    /// SQL condition on `c` (cases) with three binds: scope kind, organization, user.
    pub(super) const SQL: &'static str = "($1 = 'all' OR ($1 = 'customer' AND c.organization_id = $2 \
         AND (c.visibility = 'organization' OR c.reporter_id = $3 OR $4 = 1)))";

    /// The same rule as [`CaseScope::SQL`], for a case already in memory.
    pub fn allows(&self, organization_id: i64, reporter_id: i64, visibility: Visibility) -> bool {
        match *self {
            CaseScope::Everything => true,
            CaseScope::Customer { organization_id: own, user_id, org_admin } => {
                organization_id == own
                    && (visibility == Visibility::Organization || reporter_id == user_id || org_admin)
            }
            CaseScope::Nothing => false,
        }
    }

    /// The four values `SQL` reads: a kind, the organization, the user, and org admin as 0/1.
    pub(super) fn binds(&self) -> (&'static str, i64, i64, i64) {
        match *self {
            CaseScope::Everything => ("all", 0, 0, 0),
            CaseScope::Customer { organization_id, user_id, org_admin } => {
                ("customer", organization_id, user_id, i64::from(org_admin))
            }
            CaseScope::Nothing => ("none", 0, 0, 0),
        }
    }
}
