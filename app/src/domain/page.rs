//! Lists read a page at a time: a page of items with the cursor of the next one, and
//! counts that stop at a bound rather than read a whole table.

use serde::{Deserialize, Serialize};

/// A count that stopped at a bound: `more` says there are more than `n` (shown "10,000+").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoundedCount {
    pub n: u64,
    pub more: bool,
}

/// A page of a list and where the next one starts (`None`: this was the last page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A page of `GET /api/v1/cases`: newest first; `next_cursor` gives the next page (`null`:
/// this was the last). Stable under concurrent inserts: a case opened meanwhile comes
/// before the first page, never inside a later one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseList {
    pub cases: Vec<crate::domain::Case>,
    #[cfg_attr(feature = "ssr", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// A shelf of "My cases": a page of its cases and how many each shelf holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShelfPage {
    pub cases: Vec<crate::domain::Case>,
    pub next_cursor: Option<String>,
    pub counts: Vec<(crate::domain::Shelf, BoundedCount)>,
}
