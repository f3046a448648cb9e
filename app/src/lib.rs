#![recursion_limit = "256"]
//! Caseboard's shared crate: the domain rules, the server functions and the pages.
//! Compiled twice: with `ssr` for the server binary and with `hydrate` for the browser.

pub mod api;
pub mod domain;
pub mod error;
pub mod formatting;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod backend;

pub use error::AppError;
