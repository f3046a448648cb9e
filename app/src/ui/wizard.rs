//! The new-case wizard: six steps (request and product, situation, severity, business
//! impact, contact, review) with a progress indicator. Each step is checked by the same
//! rules the server runs (`IntakeStep::check`) before the customer goes on; back and forward
//! keep everything; the draft lives in the browser's storage until it is sent, with its
//! idempotency key, so a reload, a closed tab or a double click never makes two cases.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::case_details::DetailsList;
use super::focus::focus_element;
use super::i18n::{error_text, label, label_now, move_tr_static, t, t_args};
use super::local_time::{reader_today, reader_zone, reader_zone_name};
use crate::api::cases::{OpenCase, my_contract, my_products, read_case};
use crate::domain::case::{DESCRIPTION_MAX_BYTES, SUMMARY_MAX_CHARS};
use crate::domain::intake::{LINE_MAX_CHARS, TEXT_MAX_BYTES};
use crate::domain::sla::Contract;
use crate::domain::{
    Architecture, Callback, CaseDetails, CaseDraft, CaseKind, ContactChannel, DraftFile, Environment, IntakeContext,
    IntakeStep, ProductLine, Severity, Stake, VersionSupport, Visibility, DayOfWeek,
};
use crate::error::AppError;

/// A fresh idempotency key per case: a double click or a retry files one case.
fn new_request_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        if let Some(key) = web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()) {
            return key;
        }
    }
    String::new()
}

fn blank_draft() -> CaseDraft {
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
struct SavedDraft {
    key: String,
    step: IntakeStep,
    reached: IntakeStep,
    draft: CaseDraft,
    files: Vec<DraftFile>,
}

#[cfg(feature = "hydrate")]
fn draft_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

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
struct Wizard {
    draft: RwSignal<CaseDraft>,
    files: RwSignal<Vec<DraftFile>>,
    step: RwSignal<IntakeStep>,
    reached: RwSignal<IntakeStep>,
    problem: RwSignal<Option<AppError>>,
    contract: Resource<Result<Contract, AppError>>,
}

impl Wizard {
    fn phone_callback(self) -> bool {
        self.contract.get_untracked().and_then(|c| c.ok()).is_none_or(|c| c.plan_at(jiff::Timestamp::now()).phone_callback)
    }

    /// The step's rules, as the server runs them, plus the plan's check of the severity.
    fn check(self, step: IntakeStep) -> Result<(), AppError> {
        let context = IntakeContext { today: reader_today(), phone_callback: self.phone_callback() };
        let draft = self.draft.get_untracked();
        if step == IntakeStep::Severity
            && let Some(Ok(contract)) = self.contract.get_untracked()
        {
            contract.plan_at(jiff::Timestamp::now()).check_severity(draft.severity)?;
        }
        step.check(draft, context).map(|_| ())
    }

    fn show_problem(self, error: AppError) {
        if let AppError::Invalid { field, .. } = &error {
            self.step.set(IntakeStep::of_field(field));
            focus_element(&element_of(field));
        }
        self.problem.set(Some(error));
    }

    fn go_to(self, step: IntakeStep) {
        self.problem.set(None);
        self.step.set(step);
        self.reached.update(|r| *r = (*r).max(step));
        focus_element(&format!("step-{}", step.as_str()));
    }

    /// Forward, if the step passes its rules.
    fn next(self) {
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

    fn back(self) {
        if let Some(previous) = IntakeStep::from_number(self.step.get_untracked().number() - 1) {
            self.go_to(previous);
        }
    }

    /// The field at fault, to mark it `aria-invalid`.
    fn invalid(self, field: &'static str) -> impl Fn() -> Option<&'static str> + Copy {
        move || {
            self.problem.with(|p| match p {
                Some(AppError::Invalid { field: f, .. }) if f == field => Some("true"),
                _ => None,
            })
        }
    }
}

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
    let session = expect_context::<super::session::Session>();
    // The draft is kept per person: another person on this browser never sees it.
    let storage_key = Memo::new(move |_| {
        session.user.get().and_then(|u| u.ok().flatten()).map(|u| format!("caseboard.new-case.v2.{}", u.id))
    });
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
        let Some(_storage_key) = storage_key.get() else { return };
        if restored.get_untracked() {
            return;
        }
        #[cfg(feature = "hydrate")]
        let saved = draft_storage()
            .and_then(|s| s.get_item(&_storage_key).ok().flatten())
            .and_then(|text| serde_json::from_str::<SavedDraft>(&text).ok());
        #[cfg(not(feature = "hydrate"))]
        let saved: Option<SavedDraft> = None;
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
        #[cfg(feature = "hydrate")]
        if let (Some(storage), Some(name), Ok(text)) = (draft_storage(), storage_key.get_untracked(), serde_json::to_string(&saved)) {
            let _ = storage.set_item(&name, &text);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = saved;
    });
    let forget_draft = move || {
        #[cfg(feature = "hydrate")]
        if let (Some(storage), Some(name)) = (draft_storage(), storage_key.get_untracked()) {
            let _ = storage.remove_item(&name);
        }
    };
    // Sent: the draft is done with, and the customer sees their case. Refused: back to the
    // step at fault, with everything as it was typed.
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(case)) => {
            restored.set(false);
            forget_draft();
            navigate(&format!("/cases/{}?opened=1", case.number.0), Default::default());
        }
        Some(Err(e)) => wizard.show_problem(e),
        None => {}
    });
    Effect::new(move |_| {
        if deflected.get() {
            restored.set(false);
            forget_draft();
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
    let Wizard { step, reached, .. } = wizard;
    view! {
        <nav aria-label=move_tr_static("wizard-progress")>
            <ol class="wizard-progress">
                {IntakeStep::ALL.into_iter().map(|s| {
                    let name = move || format!("{}. {}", s.number(), label_now("wizard-step", s.as_str()));
                    view! {
                        <li class:current=move || step.get() == s class:done=move || s < reached.get() && step.get() != s
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
    }
}

/// A one-line text field bound to the draft.
#[component]
fn LineField(
    wizard: Wizard,
    field: &'static str,
    get: fn(&CaseDraft) -> &String,
    set: fn(&mut CaseDraft, String),
    #[prop(default = LINE_MAX_CHARS)] max: usize,
    #[prop(optional)] hint: bool,
    #[prop(optional)] required: bool,
    #[prop(optional)] list: Option<&'static str>,
) -> impl IntoView {
    let id = field.replace('_', "-");
    let for_id = id.clone();
    let hint_id = format!("{id}-hint");
    view! {
        <label for=for_id>{label("field", field)}</label>
        <input id=id name=field maxlength=max.to_string() required=required list=list
            aria-describedby=hint.then(|| hint_id.clone()) aria-invalid=wizard.invalid(field)
            prop:value=move || wizard.draft.with(|d| get(d).clone())
            on:input=move |ev| wizard.draft.update(|d| set(d, event_target_value(&ev)))/>
        {hint.then(|| view! { <small id=hint_id>{label("hint", field)}</small> })}
    }
}

/// A multi-line text field bound to the draft.
#[component]
fn TextField(
    wizard: Wizard,
    field: &'static str,
    get: fn(&CaseDraft) -> &String,
    set: fn(&mut CaseDraft, String),
    #[prop(default = TEXT_MAX_BYTES)] max: usize,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] hint: bool,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = field.replace('_', "-");
    let for_id = id.clone();
    let hint_id = format!("{id}-hint");
    view! {
        <label for=for_id>{label("field", field)}</label>
        <textarea id=id name=field rows=rows.to_string() maxlength=max.to_string() required=required
            aria-describedby=hint.then(|| hint_id.clone()) aria-invalid=wizard.invalid(field)
            prop:value=move || wizard.draft.with(|d| get(d).clone())
            on:input=move |ev| wizard.draft.update(|d| set(d, event_target_value(&ev)))></textarea>
        {hint.then(|| view! { <small id=hint_id>{label("hint", field)}</small> })}
    }
}

/// A choice among an enum's values, bound to the draft.
#[component]
fn EnumSelect<T>(
    wizard: Wizard,
    field: &'static str,
    values: &'static [T],
    get: fn(&CaseDraft) -> T,
    set: fn(&mut CaseDraft, T),
    value_of: fn(T) -> &'static str,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let id = field.replace('_', "-");
    let for_id = id.clone();
    view! {
        <label for=for_id>{label("field", field)}</label>
        <select id=id name=field
            prop:value=move || value_of(wizard.draft.with(get))
            on:change=move |ev| {
                let chosen = event_target_value(&ev);
                if let Some(v) = values.iter().copied().find(|v| value_of(*v) == chosen) {
                    wizard.draft.update(|d| set(d, v));
                }
            }>
            {values.iter().map(|&v| view! {
                <option value=value_of(v) selected=move || wizard.draft.with(get) == v>{label(field, value_of(v))}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn RequestStep(wizard: Wizard, products: Resource<Result<Vec<ProductLine>, AppError>>) -> impl IntoView {
    let draft = wizard.draft;
    let known = move || products.get().and_then(|p| p.ok()).unwrap_or_default();
    // An unsupported version is said at once, with the advice to upgrade first.
    let version_warning = move || {
        let products = known();
        let (product, version) = draft.with(|d| (d.product.trim().to_owned(), d.details.version.trim().to_owned()));
        let line = products.into_iter().find(|p| p.name.eq_ignore_ascii_case(&product))?;
        match line.support_of(&version) {
            VersionSupport::Unsupported { oldest_major, latest } => Some(t_args(
                "version-unsupported",
                &[("product", line.name.clone()), ("version", version), ("oldest", oldest_major.to_string()), ("latest", latest)],
            )()),
            _ => None,
        }
    };
    view! {
        <EnumSelect wizard field="kind" values=CaseKind::ALL get=|d| d.kind set=|d, v| d.kind = v value_of=CaseKind::as_str/>
        <LineField wizard field="product" hint=true list="product-list" max=crate::domain::product::PRODUCT_MAX_CHARS
            get=|d| &d.product set=|d, v| d.product = v/>
        <datalist id="product-list">
            <Transition fallback=|| ()>
                {move || known().into_iter().map(|p| view! { <option value=p.name.clone()></option> }).collect_view()}
            </Transition>
        </datalist>
        <div class="row">
            <div class="stack">
                <LineField wizard field="version" hint=true get=|d| &d.details.version set=|d, v| d.details.version = v/>
            </div>
            <div class="stack">
                <LineField wizard field="build" get=|d| &d.details.build set=|d, v| d.details.build = v/>
            </div>
        </div>
        <Transition fallback=|| ()>
            {move || version_warning().map(|text| view! {
                <p class="warning" role="status" data-testid="version-warning">{text}</p>
            })}
        </Transition>
    }
}

#[component]
fn SituationStep(wizard: Wizard, deflected: RwSignal<bool>) -> impl IntoView {
    let summary = Signal::derive(move || wizard.draft.with(|d| d.summary.clone()));
    view! {
        <LineField wizard field="summary" hint=true required=true max=SUMMARY_MAX_CHARS get=|d| &d.summary set=|d, v| d.summary = v/>
        <TextField wizard field="description" hint=true required=true rows=6 max=DESCRIPTION_MAX_BYTES
            get=|d| &d.description set=|d, v| d.description = v/>
        <super::deflection::Suggestions summary deflected/>
        <TextField wizard field="symptoms" get=|d| &d.details.symptoms set=|d, v| d.details.symptoms = v/>
        <TextField wizard field="error_message" rows=3 get=|d| &d.details.error_message set=|d, v| d.details.error_message = v/>
        <TextField wizard field="steps_to_reproduce" hint=true get=|d| &d.details.steps_to_reproduce
            set=|d, v| d.details.steps_to_reproduce = v/>
        <div class="row">
            <div class="stack">
                <EnumSelect wizard field="environment" values=Environment::ALL get=|d| d.environment
                    set=|d, v| d.environment = v value_of=Environment::as_str/>
            </div>
            <div class="stack">
                <LineField wizard field="os" get=|d| &d.details.os set=|d, v| d.details.os = v/>
            </div>
            <div class="stack">
                <label for="architecture">{t("field-architecture")}</label>
                <select id="architecture" name="architecture"
                    prop:value=move || wizard.draft.with(|d| d.details.architecture.map(Architecture::as_str).unwrap_or(""))
                    on:change=move |ev| {
                        let chosen = Architecture::parse(&event_target_value(&ev));
                        wizard.draft.update(|d| d.details.architecture = chosen);
                    }>
                    <option value="">{t("architecture-unknown")}</option>
                    {Architecture::ALL.iter().map(|&a| view! {
                        <option value=a.as_str() selected=move || wizard.draft.with(|d| d.details.architecture == Some(a))>
                            {label("architecture", a.as_str())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
        </div>
        <LineField wizard field="browser" hint=true get=|d| &d.details.browser set=|d, v| d.details.browser = v/>
        <super::attach::DraftFiles files=wizard.files draft=wizard.draft/>
    }
}

/// The plan's own words for each severity it offers (Elastic's four, Coveo's three).
#[component]
fn SeverityDefinitions(contract: Resource<Result<Contract, AppError>>) -> impl IntoView {
    let definitions = move || {
        let contract = contract.get()?.ok()?;
        let plan = contract.plan_at(jiff::Timestamp::now()).clone();
        let family = if plan.id == "coveo" {
            "coveo"
        } else if plan.id.starts_with("cloud-avenue") {
            "cloud-avenue"
        } else {
            "elastic"
        };
        Some(
            plan.allowed_severities()
                .into_iter()
                .map(|s| {
                    let word = plan.label(s).map(str::to_owned).unwrap_or_default();
                    view! {
                        <dt>{label("severity", s.level())}{(!word.is_empty()).then(|| format!(" ({word})"))}</dt>
                        <dd>{label_now(&format!("severity-definition-{family}"), s.level())}</dd>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <Transition fallback=|| ()>
            <dl class="severity-definitions" data-testid="severity-definitions">{definitions}</dl>
        </Transition>
    }
}

#[component]
fn ImpactStep(wizard: Wizard) -> impl IntoView {
    let draft = wizard.draft;
    let has_deadline = move || draft.with(|d| d.details.stakes.contains(&Stake::Deadline));
    view! {
        <TextField wizard field="impact" hint=true rows=5 get=|d| &d.details.impact set=|d, v| d.details.impact = v/>
        <fieldset class="stakes" aria-invalid=wizard.invalid("stakes")>
            <legend>{t("field-stakes")}</legend>
            {Stake::ALL.iter().map(|&stake| {
                let id = format!("stake-{}", stake.as_str());
                let for_id = id.clone();
                view! {
                    <label class="check" for=for_id>
                        <input type="checkbox" id=id name="stakes" value=stake.as_str()
                            prop:checked=move || draft.with(|d| d.details.stakes.contains(&stake))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| {
                                    d.details.stakes.retain(|s| *s != stake);
                                    if on { d.details.stakes.push(stake); }
                                });
                            }/>
                        " "{label("stake", stake.as_str())}
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <div class="stack" hidden=move || !has_deadline()>
            <label for="deadline">{t("field-deadline")}</label>
            <input type="date" id="deadline" name="deadline" aria-invalid=wizard.invalid("deadline")
                prop:value=move || draft.with(|d| d.details.deadline.map(|d| d.to_string()).unwrap_or_default())
                on:input=move |ev| {
                    let date = event_target_value(&ev).parse::<jiff::civil::Date>().ok();
                    draft.update(|d| d.details.deadline = date);
                }/>
        </div>
        <LineField wizard field="affected" hint=true get=|d| &d.details.affected set=|d, v| d.details.affected = v/>
    }
}

#[component]
fn ContactStep(wizard: Wizard) -> impl IntoView {
    let draft = wizard.draft;
    let contract = wizard.contract;
    let phone_offered = move || contract.get().and_then(|c| c.ok()).is_none_or(|c| c.plan_at(jiff::Timestamp::now()).phone_callback);
    let channels = move || {
        ContactChannel::ALL.iter().copied().filter(|c| *c != ContactChannel::Phone || phone_offered()).collect::<Vec<_>>()
    };
    let phone = move || draft.with(|d| d.details.contact_channel == ContactChannel::Phone);
    let choose = move |channel: ContactChannel| {
        draft.update(|d| {
            d.details.contact_channel = channel;
            if channel == ContactChannel::Phone && d.details.callback.is_none() {
                d.details.callback = Some(Callback {
                    days: DayOfWeek::WEEKDAYS.to_vec(),
                    from: jiff::civil::time(9, 0, 0, 0),
                    until: jiff::civil::time(17, 0, 0, 0),
                    time_zone: reader_zone_name(),
                });
            }
        });
    };
    view! {
        <fieldset class="channels" aria-invalid=wizard.invalid("contact_channel")>
            <legend>{t("field-contact_channel")}</legend>
            <Transition fallback=|| ()>
                {move || channels().into_iter().map(|channel| {
                    let id = if channel == ContactChannel::Portal { "contact-channel".to_owned() } else { format!("channel-{}", channel.as_str()) };
                    let for_id = id.clone();
                    view! {
                        <label class="check" for=for_id>
                            <input type="radio" id=id name="contact_channel" value=channel.as_str()
                                prop:checked=move || draft.with(|d| d.details.contact_channel == channel)
                                on:change=move |_| choose(channel)/>
                            " "{label("channel", channel.as_str())}
                        </label>
                    }
                }).collect_view()}
                {move || (!phone_offered()).then(|| view! { <p class="hint">{t("channel-phone-not-in-plan")}</p> })}
            </Transition>
        </fieldset>
        <fieldset class="callback" hidden=move || !phone()>
            <legend>{t("callback-title")}</legend>
            <p class="hint">{move || t_args("callback-hint", &[("zone", draft.with(|d| d.details.callback.as_ref().map(|c| c.time_zone.clone()).unwrap_or_default()))])()}</p>
            <div class="days" role="group" aria-label=move_tr_static("field-callback_days")>
                {DayOfWeek::ALL.iter().map(|&day| {
                    let id = format!("callback-{}", day.as_str());
                    let for_id = id.clone();
                    view! {
                        <label class="check" for=for_id>
                            <input type="checkbox" id=id name="callback_days" value=day.as_str()
                                prop:checked=move || draft.with(|d| d.details.callback.as_ref().is_some_and(|c| c.days.contains(&day)))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| if let Some(c) = d.details.callback.as_mut() {
                                        c.days.retain(|x| *x != day);
                                        if on { c.days.push(day); }
                                    });
                                }/>
                            " "{label("weekday", day.as_str())}
                        </label>
                    }
                }).collect_view()}
            </div>
            <div class="row">
                <CallbackTime wizard id="callback-from" label_key="field-callback_from" get=|c| c.from set=|c, at| c.from = at/>
                <CallbackTime wizard id="callback-until" label_key="field-callback_until" get=|c| c.until set=|c, at| c.until = at/>
                <div class="stack">
                    <label for="time-zone">{t("field-time_zone")}</label>
                    <input id="time-zone" aria-invalid=wizard.invalid("time_zone")
                        prop:value=move || draft.with(|d| d.details.callback.as_ref().map(|c| c.time_zone.clone()).unwrap_or_default())
                        on:input=move |ev| {
                            let zone = event_target_value(&ev);
                            draft.update(|d| if let Some(c) = d.details.callback.as_mut() { c.time_zone = zone });
                        }/>
                </div>
            </div>
        </fieldset>
    }
}

/// One end of the callback window, `HH:MM` in the customer's zone.
#[component]
fn CallbackTime(
    wizard: Wizard,
    id: &'static str,
    label_key: &'static str,
    get: fn(&Callback) -> jiff::civil::Time,
    set: fn(&mut Callback, jiff::civil::Time),
) -> impl IntoView {
    let draft = wizard.draft;
    view! {
        <div class="stack">
            <label for=id>{t(label_key)}</label>
            <input type="time" id=id aria-invalid=wizard.invalid("callback_hours")
                prop:value=move || draft.with(|d| d.details.callback.as_ref().map(|c| get(c).strftime("%H:%M").to_string()).unwrap_or_default())
                on:input=move |ev| {
                    if let Ok(at) = event_target_value(&ev).parse::<jiff::civil::Time>() {
                        draft.update(|d| if let Some(c) = d.details.callback.as_mut() { set(c, at) });
                    }
                }/>
        </div>
    }
}

#[component]
fn ReviewStep(wizard: Wizard, severity: RwSignal<Severity>) -> impl IntoView {
    let draft = wizard.draft;
    let change = move |step: IntakeStep| view! {
        <button type="button" class="link-button" on:click=move |_| wizard.go_to(step)>
            {t_args("wizard-change", &[("title", label_now("wizard-step", step.as_str()))])}
        </button>
    };
    view! {
        <section class="review">
            <h3 id="review-request">{label("wizard-step", "request")}</h3>
            <dl>
                <dt>{t("field-kind")}</dt><dd>{move || label_now("kind", draft.with(|d| d.kind.as_str()))}</dd>
                <dt>{t("field-product")}</dt><dd>{move || draft.with(|d| d.product.clone())}</dd>
            </dl>
            {change(IntakeStep::Request)}
        </section>
        <section class="review">
            <h3 id="review-situation">{label("wizard-step", "situation")}</h3>
            <dl>
                <dt>{t("field-summary")}</dt><dd data-testid="review-summary">{move || draft.with(|d| d.summary.clone())}</dd>
                <dt>{t("field-description")}</dt><dd class="pre">{move || draft.with(|d| d.description.clone())}</dd>
                <dt>{t("field-environment")}</dt><dd>{move || label_now("environment", draft.with(|d| d.environment.as_str()))}</dd>
                <dt>{t("field-attachments")}</dt>
                <dd>{move || wizard.files.with(|f| f.iter().map(|f| f.file_name.clone()).collect::<Vec<_>>().join(", "))}</dd>
            </dl>
            {change(IntakeStep::Situation)}
        </section>
        <section class="review">
            <h3 id="review-severity">{label("wizard-step", "severity")}</h3>
            <p>{move || label_now("severity", severity.get().level())}</p>
            {change(IntakeStep::Severity)}
        </section>
        <section class="review">
            <h3 id="review-more">{t("review-more")}</h3>
            {move || view! { <DetailsList details=draft.with(|d| d.details.clone())/> }}
            {change(IntakeStep::Impact)}" "{change(IntakeStep::Contact)}
        </section>
        <SlaPreview contract=wizard.contract severity/>
        <EnumSelect wizard field="visibility" values=Visibility::ALL get=|d| d.visibility set=|d, v| d.visibility = v
            value_of=Visibility::as_str/>
    }
}

/// "Not sure?": three questions suggest a level among those the contract allows; the
/// customer takes the suggestion or keeps their own choice.
#[component]
fn SeverityQuestions(contract: Resource<Result<Contract, AppError>>, severity: RwSignal<Severity>) -> impl IntoView {
    use crate::domain::SeverityAnswers;
    let answers = RwSignal::new(SeverityAnswers::default());
    let suggestion = move || {
        let allowed = contract.get()?.ok()?.plan_at(jiff::Timestamp::now()).allowed_severities();
        Severity::suggested(answers.get(), &allowed)
    };
    let question = move |id: &'static str, set: fn(&mut SeverityAnswers, bool)| view! {
        <label class="check">
            <input type="checkbox" name=id on:change=move |ev| {
                let yes = event_target_checked(&ev);
                answers.update(|a| set(a, yes));
            }/>
            " "{t(id)}
        </label>
    };
    view! {
        <fieldset class="severity-questions">
            <legend>{t("severity-questions")}</legend>
            {question("severity-q-down", |a, yes| a.production_down = yes)}
            {question("severity-q-workaround", |a, yes| a.workaround = yes)}
            {question("severity-q-deadline", |a, yes| a.deadline_at_risk = yes)}
            <Transition fallback=|| ()>
                {move || suggestion().map(|s| view! {
                    <p class="suggested" data-testid="severity-suggestion">
                        <span>{t_args("severity-suggested", &[("severity", label_now("severity", s.level()))])}</span>" "
                        <button type="button" class="link-button" disabled=move || severity.get() == s
                            on:click=move |_| severity.set(s)>{t("severity-use-suggestion")}</button>
                    </p>
                })}
            </Transition>
        </fieldset>
    }
}

/// The severities the contract allows, with the plan's own word where it has one
/// (Coveo: Critical, Major, Minor). The server checks again.
#[component]
fn SeveritySelect(contract: Resource<Result<Contract, AppError>>, severity: RwSignal<Severity>) -> impl IntoView {
    let allowed = move || {
        contract.get().and_then(|c| c.ok()).map(|c| {
            let plan = c.plan_at(jiff::Timestamp::now()).clone();
            plan.allowed_severities().into_iter().map(|s| (s, plan.label(s).map(str::to_owned))).collect::<Vec<_>>()
        })
    };
    view! {
        <Transition fallback=move || view! { <select id="severity" name="severity" disabled=true></select> }>
            {move || allowed().map(|allowed| {
                // A restored choice the contract allows stays; otherwise Normal, or the
                // first level offered.
                let current = severity.get_untracked();
                if !allowed.iter().any(|(s, _)| *s == current) {
                    let default = if allowed.iter().any(|(s, _)| *s == Severity::Normal) {
                        Severity::Normal
                    } else {
                        allowed.first().map(|(s, _)| *s).unwrap_or_default()
                    };
                    severity.set(default);
                }
                view! {
                    <select id="severity" name="severity" prop:value=move || severity.get().level().to_string() on:change=move |ev| {
                        if let Some(s) = event_target_value(&ev).parse::<u8>().ok().and_then(|n| Severity::try_from(n).ok()) {
                            severity.set(s);
                        }
                    }>
                        {allowed.into_iter().map(|(s, vendor)| {
                            let generic = label("severity", s.level());
                            let text = move || match &vendor {
                                Some(word) if !generic().ends_with(word.as_str()) => format!("{} ({word})", generic()),
                                _ => generic(),
                            };
                            view! { <option value=s.level().to_string() selected=move || severity.get() == s>{text}</option> }
                        }).collect_view()}
                    </select>
                }
            })}
        </Transition>
    }
}

/// "First response by 14:32 your time: 30 min, 24x7 on Elastic cloud Premium", computed in
/// the browser by the same `clocks()` the server uses; shown once the page is interactive
/// (the reader's time zone is only known there).
#[component]
fn SlaPreview(contract: Resource<Result<Contract, AppError>>, severity: RwSignal<Severity>) -> impl IntoView {
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let preview = move || {
        if !mounted.get() {
            return None;
        }
        let contract = contract.get()?.ok()?;
        let now = jiff::Timestamp::now();
        let clocks = crate::domain::sla::clocks(&contract, severity.get(), now, &[], now);
        let first = clocks.into_iter().next()?;
        Some(match first.due {
            Some(due) => {
                let local = due.to_zoned(reader_zone()).strftime("%a %H:%M").to_string();
                t_args("sla-preview", &[("time", local), ("explanation", super::sla::terms_words(&first))])()
            }
            None => t("sla-none")(),
        })
    };
    view! { <p class="sla-preview" data-testid="sla-preview" aria-live="polite">{preview}</p> }
}
