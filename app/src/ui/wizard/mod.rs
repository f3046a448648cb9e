//! The new-case wizard: six steps (request and product, situation, severity, business
//! impact, contact, review) with a progress indicator. Each step is checked by the same
//! rules the server runs (`IntakeStep::check`) before the customer goes on; back and forward
//! keep everything; the draft lives in the browser's storage until it is sent, with its
//! idempotency key, so a reload, a closed tab or a double click never makes two cases.

mod contact;
mod draft;
mod fields;
mod impact;
mod request;
mod review;
mod severity;
mod situation;
mod state;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use contact::ContactStep;
use draft::{DraftStorage, SavedDraft, blank_draft, new_request_key};
use impact::ImpactStep;
use request::RequestStep;
use review::ReviewStep;
use severity::{SeverityDefinitions, SeverityQuestions, SeveritySelect};
use situation::SituationStep;
use state::Wizard;
use crate::api::cases::{OpenCase, my_contract, my_products, read_case};
use crate::domain::{IntakeStep, Severity};
use crate::ui::i18n::{error_text, label_now, move_tr_static, t, t_args};
use crate::ui::session::Session;

#[component]
pub fn NewCasePage() -> impl IntoView {
    let action = ServerAction::<OpenCase>::new();
    let query = use_query_map();
    let contract = Resource::new(|| (), |_| my_contract());
    let products = Resource::new(|| (), |_| my_products());
    let wizard = Wizard {
        draft: RwSignal::new(blank_draft()),
        files: RwSignal::new(Vec::new()),
        step: RwSignal::new(IntakeStep::Request),
        reached: RwSignal::new(IntakeStep::Request),
        problem: RwSignal::new(None),
        contract,
    };
    wizard.clear_when_fixed();
    let Wizard { draft, files, step, reached, problem, .. } = wizard;
    let key = RwSignal::new(String::new());
    let deflected = RwSignal::new(false);
    // The severity pickers work on their own signal; the draft follows it.
    let severity = RwSignal::new(Severity::Normal);
    Effect::new(move |_| {
        let s = severity.get();
        if draft.with_untracked(|d| d.severity != s) {
            draft.update(|d| d.severity = s);
        }
    });
    // The draft is kept per person: another person on this browser never sees it.
    let storage = DraftStorage::of_signed_in(expect_context::<Session>());
    // "Keep report": `?keep=<number>` starts from the product, version, build and
    // environment of that case.
    let kept = Resource::new(
        move || query.read().get("keep").and_then(|n| n.parse::<i64>().ok()),
        |number| async move {
            match number {
                Some(number) => read_case(number).await.ok().map(|d| d.case),
                None => None,
            }
        },
    );
    let restored = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(name) = storage.name() else { return };
        if restored.get_untracked() {
            return;
        }
        let saved = DraftStorage::load(&name);
        // A draft nobody typed in yet gives way to "keep report".
        let saved = saved.filter(|s| s.draft != blank_draft() || !s.files.is_empty());
        match saved {
            Some(saved) => {
                key.set(if saved.key.is_empty() { new_request_key() } else { saved.key });
                severity.set(saved.draft.severity);
                draft.set(saved.draft);
                files.set(saved.files);
                reached.set(saved.reached.max(saved.step));
                step.set(saved.step);
            }
            None => {
                let wants_keep = query.read_untracked().get("keep").is_some();
                match kept.get() {
                    // The case to keep from is still on its way.
                    None if wants_keep => return,
                    Some(Some(case)) => draft.update(|d| {
                        d.kind = case.kind;
                        d.product = case.product.clone();
                        d.environment = case.environment;
                        d.visibility = case.visibility;
                        d.details.version = case.details.version.clone();
                        d.details.build = case.details.build.clone();
                        d.details.os = case.details.os.clone();
                        d.details.architecture = case.details.architecture;
                        d.details.browser = case.details.browser.clone();
                    }),
                    _ => {}
                }
                key.set(new_request_key());
            }
        }
        restored.set(true);
    });
    // Every change is kept in the browser at once.
    Effect::new(move |_| {
        let saved = SavedDraft { key: key.get(), step: step.get(), reached: reached.get(), draft: draft.get(), files: files.get() };
        if !restored.get() {
            return;
        }
        storage.save(&saved);
    });
    // Sent: the draft is done with, and the customer sees their case. Refused: back to the
    // step at fault, with everything as it was typed.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(case)) => {
            restored.set(false);
            storage.forget();
            navigate(&format!("/cases/{}?opened=1", case.number.0), Default::default());
        }
        Some(Err(e)) => wizard.show_problem(e),
        None => {}
    });
    Effect::new(move |_| {
        if deflected.get() {
            restored.set(false);
            storage.forget();
        }
    });
    let submit = move || {
        // Every step again, in order: the first at fault is shown.
        for s in IntakeStep::ALL {
            if let Err(e) = wizard.check(s) {
                wizard.show_problem(e);
                return;
            }
        }
        problem.set(None);
        action.dispatch(OpenCase { draft: draft.get_untracked(), idempotency_key: Some(key.get_untracked()) });
    };
    let error = move || problem.get().map(|e| error_text(&e));
    let step_form = move |s: IntakeStep, body: AnyView| {
        let heading = format!("step-{}", s.as_str());
        let labelled_by = heading.clone();
        let last = s == IntakeStep::Review;
        view! {
            <form class="stack card wizard-step" novalidate hidden=move || step.get() != s
                aria-labelledby=labelled_by
                on:submit=move |ev| { ev.prevent_default(); if last { submit() } else { wizard.next() } }>
                <h2 id=heading tabindex="-1">{t_args("wizard-step-heading", &[("n", s.number().to_string()), ("title", label_now("wizard-step", s.as_str()))])}</h2>
                {body}
                <p class="error" role="alert">{move || (step.get() == s).then(error).flatten()}</p>
                <div class="wizard-buttons">
                    {(s != IntakeStep::Request).then(|| view! {
                        <button type="button" class="secondary" on:click=move |_| wizard.back()>{t("wizard-back")}</button>
                    })}
                    {if last {
                        view! {
                            <button type="submit" class="button" disabled=move || action.pending().get()>
                                {move || if action.pending().get() { t("submitting")() } else { t("submit-case")() }}
                            </button>
                        }.into_any()
                    } else {
                        view! { <button type="submit" class="button">{t("wizard-next")}</button> }.into_any()
                    }}
                </div>
            </form>
        }
    };
    view! {
        <Title text=move_tr_static("new-case-title")/>
        <h1>{t("new-case-title")}</h1>
        <p class="lead">{t("new-case-lead")}</p>
        <Show when=move || deflected.get()>
            <div class="notice" role="status" data-testid="deflected">
                <p>{t("deflect-thanks")}</p>
                <p><A href="/cases">{t("nav-my-cases")}</A></p>
            </div>
        </Show>
        <div class="wizard" hidden=move || deflected.get()>
            <Progress wizard/>
            {step_form(IntakeStep::Request, view! { <RequestStep wizard products/> }.into_any())}
            {step_form(IntakeStep::Situation, view! { <SituationStep wizard deflected/> }.into_any())}
            {step_form(IntakeStep::Severity, view! {
                <SeverityDefinitions contract/>
                <label for="severity">{t("field-severity")}</label>
                <SeveritySelect contract severity/>
                <SeverityQuestions contract severity/>
            }.into_any())}
            {step_form(IntakeStep::Impact, view! { <ImpactStep wizard/> }.into_any())}
            {step_form(IntakeStep::Contact, view! { <ContactStep wizard/> }.into_any())}
            {step_form(IntakeStep::Review, view! { <ReviewStep wizard severity/> }.into_any())}
        </div>
    }
}

/// "Step 2 of 6": the steps by name; those already reached can be gone back (or forward) to.
#[component]
fn Progress(wizard: Wizard) -> impl IntoView {
    let Wizard { step, reached, draft, .. } = wizard;
    // Done (green) is a step passed and complete: its rules hold now, and the request names
    // its product.
    let done = move |s: IntakeStep| {
        draft.track();
        s < reached.get()
            && step.get() != s
            && wizard.check(s).is_ok()
            && (s != IntakeStep::Request || draft.with(|d| !d.product.trim().is_empty()))
    };
    view! {
        <nav aria-label=move_tr_static("wizard-progress")>
            <ol class="wizard-progress">
                {IntakeStep::ALL.into_iter().map(|s| {
                    let name = move || format!("{}. {}", s.number(), label_now("wizard-step", s.as_str()));
                    view! {
                        <li class:current=move || step.get() == s class:done=move || done(s)
                            aria-current=move || (step.get() == s).then_some("step")>
                            {move || if step.get() != s && s <= reached.get() {
                                view! { <button type="button" class="link-button" on:click=move |_| wizard.go_to(s)>{name}</button> }.into_any()
                            } else {
                                view! { <span>{name}</span> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
        <p class="wizard-count" aria-live="polite">
            {move || t_args("wizard-count", &[("n", step.get().number().to_string()), ("total", IntakeStep::ALL.len().to_string())])()}
        </p>
        <p class="hint required-legend"><span class="required-mark" aria-hidden="true">"* "</span>{t("wizard-required-legend")}</p>
    }
}
