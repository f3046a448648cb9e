//! The case being written: a blank draft, its idempotency key, and the copy the browser
//! keeps of it until it is sent, so a reload or a closed tab loses nothing.

use leptos::prelude::*;

use crate::domain::{CaseDetails, CaseDraft, CaseKind, DraftFile, Environment, IntakeStep, Severity, Visibility};
use crate::ui::session::Session;

/// A fresh idempotency key per case: a double click or a retry files one case.
pub(super) fn new_request_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        if let Some(key) = web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()) {
            return key;
        }
    }
    String::new()
}

pub(super) fn blank_draft() -> CaseDraft {
    CaseDraft {
        summary: String::new(),
        description: String::new(),
        kind: CaseKind::Bug,
        severity: Severity::Normal,
        environment: Environment::Production,
        visibility: Visibility::Organization,
        product: String::new(),
        details: CaseDetails::default(),
        attachments: Vec::new(),
    }
}

/// What the browser keeps of a case being written.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct SavedDraft {
    pub(super) key: String,
    pub(super) step: IntakeStep,
    pub(super) reached: IntakeStep,
    pub(super) draft: CaseDraft,
    pub(super) files: Vec<DraftFile>,
}

/// Where the browser keeps the draft of the person signed in: one per person, so another
/// person on this browser never sees it.
#[derive(Clone, Copy)]
pub(super) struct DraftStorage {
    name: Memo<Option<String>>,
}

impl DraftStorage {
    pub(super) fn of_signed_in(session: Session) -> DraftStorage {
        let name = Memo::new(move |_| {
            session.user.get().and_then(|u| u.ok().flatten()).map(|u| format!("caseboard.new-case.v2.{}", u.id))
        });
        DraftStorage { name }
    }

    /// The name the draft is kept under, once the person is known (tracked).
    pub(super) fn name(self) -> Option<String> {
        self.name.get()
    }

    /// The draft kept under `name`, if any (none on the server).
    pub(super) fn load(name: &str) -> Option<SavedDraft> {
        #[cfg(feature = "hydrate")]
        let saved = local_storage()
            .and_then(|s| s.get_item(name).ok().flatten())
            .and_then(|text| serde_json::from_str::<SavedDraft>(&text).ok());
        #[cfg(not(feature = "hydrate"))]
        let saved = {
            let _ = name;
            None
        };
        saved
    }

    pub(super) fn save(self, saved: &SavedDraft) {
        #[cfg(feature = "hydrate")]
        if let (Some(storage), Some(name), Ok(text)) = (local_storage(), self.name.get_untracked(), serde_json::to_string(saved)) {
            let _ = storage.set_item(&name, &text);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (self, saved);
    }

    pub(super) fn forget(self) {
        #[cfg(feature = "hydrate")]
        if let (Some(storage), Some(name)) = (local_storage(), self.name.get_untracked()) {
            let _ = storage.remove_item(&name);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = self;
    }
}

#[cfg(feature = "hydrate")]
fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
