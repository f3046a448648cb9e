//! The rules of a support case, pure Rust: no I/O, no leptos, no sqlx.
//! Compiled for the browser and the server; most unit tests live here.

pub mod case;
pub mod event;
pub mod lifecycle;
pub mod people;
pub mod plan;

pub use case::{Case, CaseDraft, CaseKind, CaseNumber, Environment, NaesKind, Severity, Visibility};
pub use event::{CaseChange, CaseEvent};
pub use lifecycle::{Resolution, Status, Transition, TransitionError};
pub use people::{Role, SignedInUser};
