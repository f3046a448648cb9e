//! The customer portal: my cases, opening a case, and a case's page.

mod case_page;
mod links;
mod my_cases;
mod presence;
mod reply;
mod timeline;
mod verdict;

pub use case_page::CasePage;
pub use my_cases::MyCasesPage;
