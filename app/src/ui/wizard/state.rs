//! The wizard's shared state and how it moves: which step is shown, how far the customer
//! got, the problem to show, and the checks that stand between two steps.

use leptos::prelude::*;

use crate::domain::sla::Contract;
use crate::domain::{CaseDraft, DraftFile, IntakeContext, IntakeStep};
use crate::error::AppError;
use crate::ui::focus::focus_element;
use crate::ui::local_time::reader_today;

/// The element an error on `field` puts the focus on.
fn element_of(field: &str) -> String {
    match field {
        "callback" | "callback_days" => "callback-monday".into(),
        "callback_hours" => "callback-from".into(),
        "attachments" => "draft-files".into(),
        f if f.starts_with("file ") => "draft-files".into(),
        f => f.replace('_', "-"),
    }
}

/// The wizard's shared state, handed to every step.
#[derive(Clone, Copy)]
pub(super) struct Wizard {
    pub(super) draft: RwSignal<CaseDraft>,
    pub(super) files: RwSignal<Vec<DraftFile>>,
    pub(super) step: RwSignal<IntakeStep>,
    pub(super) reached: RwSignal<IntakeStep>,
    pub(super) problem: RwSignal<Option<AppError>>,
    pub(super) contract: Resource<Result<Contract, AppError>>,
}

impl Wizard {
    fn phone_callback(self) -> bool {
        self.contract.get_untracked().and_then(|c| c.ok()).is_none_or(|c| c.plan_at(jiff::Timestamp::now()).phone_callback)
    }

    /// The step's rules, as the server runs them, plus the plan's check of the severity.
    pub(super) fn check(self, step: IntakeStep) -> Result<(), AppError> {
        let context = IntakeContext { today: reader_today(), phone_callback: self.phone_callback() };
        let draft = self.draft.get_untracked();
        if step == IntakeStep::Severity
            && let Some(Ok(contract)) = self.contract.get_untracked()
        {
            contract.plan_at(jiff::Timestamp::now()).check_severity(draft.severity)?;
        }
        step.check(draft, context).map(|_| ())
    }

    pub(super) fn show_problem(self, error: AppError) {
        if let AppError::Invalid { field, .. } = &error {
            self.step.set(IntakeStep::of_field(field));
            focus_element(&element_of(field));
        }
        self.problem.set(Some(error));
    }

    pub(super) fn go_to(self, step: IntakeStep) {
        self.problem.set(None);
        self.step.set(step);
        self.reached.update(|r| *r = (*r).max(step));
        focus_element(&format!("step-{}", step.as_str()));
    }

    /// Forward, if the step passes its rules.
    pub(super) fn next(self) {
        let current = self.step.get_untracked();
        match self.check(current) {
            Ok(()) => {
                if let Some(next) = IntakeStep::from_number(current.number() + 1) {
                    self.go_to(next);
                }
            }
            Err(e) => self.show_problem(e),
        }
    }

    pub(super) fn back(self) {
        if let Some(previous) = IntakeStep::from_number(self.step.get_untracked().number() - 1) {
            self.go_to(previous);
        }
    }

    /// A problem on a field goes as soon as the field is right: the step's rules are run
    /// again at every change of the draft (files' own errors stay until the files change).
    pub(super) fn clear_when_fixed(self) {
        Effect::new(move |_| {
            self.draft.track();
            let Some(AppError::Invalid { field, .. }) = self.problem.get_untracked() else { return };
            if field == "attachments" || field.starts_with("file") {
                return;
            }
            let still = matches!(self.check(IntakeStep::of_field(&field)), Err(AppError::Invalid { field: f, .. }) if f == field);
            if !still {
                self.problem.set(None);
            }
        });
    }

    /// The field at fault, to mark it `aria-invalid`.
    pub(super) fn invalid(self, field: &'static str) -> impl Fn() -> Option<&'static str> + Copy {
        move || {
            self.problem.with(|p| match p {
                Some(AppError::Invalid { field: f, .. }) if f == field => Some("true"),
                _ => None,
            })
        }
    }
}
