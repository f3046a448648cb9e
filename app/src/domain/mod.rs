//! The rules of a support case, pure Rust: no I/O, no leptos, no sqlx.
//! Compiled for the browser and the server; most unit tests live here.

pub mod account;
pub mod assignment;
pub mod audit;
pub mod board;
pub mod calendar;
pub mod case;
pub mod case_search;
pub mod details;
pub mod event;
pub mod first_run;
pub mod hour_bank;
pub mod intake;
pub mod kb;
pub mod lifecycle;
pub mod maintenance;
#[cfg(feature = "ssr")]
pub mod maintenance_checks;
pub mod metrics;
mod named;
pub mod notification;
pub mod organization;
pub mod page;
pub mod people;
pub mod plan;
pub mod product;
pub mod profile;
#[cfg(feature = "ssr")]
pub mod recurrence;
pub mod registration;
pub mod saved_view;
pub mod shelf;
pub mod shift;
pub mod sla;
pub mod slug;
pub mod status;
pub mod week;
pub mod workspace;

pub use assignment::{AssignmentNeed, AssignmentReason, EngineerProfile, choose_engineer};
pub use board::{AssigneeFilter, BoardFilter, BoardLane, WipLimits};
pub use calendar::{BusinessCalendar, BusinessSchedule, WorkingWindow};
pub use case::{Case, CaseKind, CaseNumber, Environment, NaesKind, Severity, SeverityAnswers, Visibility};
pub use details::{Architecture, Callback, CaseDetails, ContactChannel, Stake};
pub use intake::{CaseDraft, DraftFile, IntakeContext, IntakeStep};
pub use event::{CaseChange, CaseEvent, CaseLink, LinkKind};
pub use lifecycle::{Resolution, Status, Transition, TransitionError, Verdict};
pub use notification::{Audience, NotificationGroup, NotificationKind, first_name, notifications_for};
pub use people::{Role, SignedInUser};
pub use product::{ProductLine, VersionSupport};
pub use organization::{OrganizationSummary, Organizations};
pub use page::{BoundedCount, CaseList, Page, ShelfPage};
pub use saved_view::{SavedView, ViewFilter};
pub use shelf::Shelf;
pub use shift::{Shift, WorkingWeek};
pub use plan::{ExpertiseAllowance, SeverityTerms, SlaTarget, SupportPlan};
pub use sla::{
    Contract, ContractTerms, PlanChange, SlaClock, SlaClockKind, SlaClockState, SlaEvent, SlaEventKind, clock, clocks,
    warning_at,
};
pub use week::DayOfWeek;
