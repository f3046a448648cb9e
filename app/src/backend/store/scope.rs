//! Which cases a person may see: one rule, as SQL and in memory.

use crate::domain::Visibility;

/// A statement on the store's database, ready for more binds.
pub(super) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

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

    /// A statement whose condition includes [`CaseScope::SQL`], with the scope's four values
    /// bound as `$1`-`$4`; the caller binds the rest from `$5` on.
    pub(super) fn query(self, sql: String) -> AnyQuery<'static> {
        let (kind, organization, user, org_admin) = self.binds();
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(kind).bind(organization).bind(user).bind(org_admin)
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
