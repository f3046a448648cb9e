//! Server functions, grouped by capability. Each one: who is asking, is it allowed,
//! call one service function, return a typed result or an `AppError`. No rule and no SQL
//! here: the services in `backend` decide.
//! Endpoints are fixed names, so a server and a WASM built elsewhere still meet.

pub mod accounts;
pub mod admin_organizations;
pub mod admin_people;
pub mod cases;
pub mod contacts;
pub mod hours;
pub mod kb;
pub mod maintenance;
pub mod notifications;
pub mod registration;
pub mod reports;
pub mod search;
pub mod settings;
pub mod status;
pub mod support_intake;
pub mod verdict;
pub mod views;

#[cfg(feature = "ssr")]
pub mod request;
