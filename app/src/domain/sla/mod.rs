//! SLA clocks: when a case's initial response and restore are due under its contract, how
//! much time is left, whether they were met, and an English account of why.

mod clock;
mod contract;
mod event;
mod projection;
mod tracker;

pub use clock::{SlaClock, SlaClockKind, SlaClockState, warning_at};
pub use contract::{Contract, ContractTerms, PlanChange};
pub use event::{SlaEvent, SlaEventKind};
pub use projection::{SlaProjection, changes_projection};
pub use tracker::{clock, clocks};

#[cfg(test)]
mod tests;
