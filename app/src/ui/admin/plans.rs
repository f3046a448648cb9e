//! `/admin/plans`: the preset support plans, read-only with their targets per severity,
//! and the custom plans, each with an editor of its targets; a new custom plan starts as a
//! copy of another plan. The server checks a plan whole before saving it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::field_error::{FieldError, FormError, invalid};
use super::{AdminNav, AdminOnly};
use crate::api::admin_people::{SaveCustomPlan, support_plans};
use crate::domain::plan::{SeverityTerms, SlaTarget, SupportPlan, is_preset_plan};
use crate::error::AppError;
use crate::ui::error_view::error_view;
use crate::ui::i18n::{label, move_tr_static, t, t_args};

/// Where the latest save came from: a custom plan's editor (its id) or the creation form.
const NEW_PLAN: &str = "";

#[derive(Clone, Copy)]
struct PlansBoard {
    save: ServerAction<SaveCustomPlan>,
    /// The form whose save is the latest.
    saving: RwSignal<Option<String>>,
    status: RwSignal<Option<String>>,
    error: RwSignal<Option<AppError>>,
    reload: RwSignal<u32>,
}

impl PlansBoard {
    fn dispatch(&self, from: &str, plan: SupportPlan) {
        self.status.set(None);
        self.error.set(None);
        self.saving.set(Some(from.to_owned()));
        self.save.dispatch(SaveCustomPlan { plan });
    }

    /// The latest error, when it came from `from`'s form.
    fn error_of(&self, from: String) -> Signal<Option<AppError>> {
        let board = *self;
        Signal::derive(move || board.error.get().filter(|_| board.saving.get().as_deref() == Some(from.as_str())))
    }
}

#[component]
pub fn PlansPage() -> impl IntoView {
    let board = PlansBoard {
        save: ServerAction::new(),
        saving: RwSignal::new(None),
        status: RwSignal::new(None),
        error: RwSignal::new(None),
        reload: RwSignal::new(0),
    };
    Effect::new(move |_| match board.save.value().get() {
        Some(Ok(plan)) => {
            board.status.set(Some(t_args("plans-saved", &[("name", plan.name.clone())])()));
            board.reload.update(|n| *n += 1);
        }
        Some(Err(e)) => board.error.set(Some(e)),
        None => {}
    });
    provide_context(board);
    let plans = Resource::new(move || board.reload.get(), |_| support_plans());
    view! {
        <Title text=move_tr_static("admin-plans")/>
        <h1>{t("admin-plans")}</h1>
        <AdminOnly>
            <AdminNav/>
            <p role="status" class="saved" data-testid="plans-status">{move || board.status.get()}</p>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || plans.get().map(|result| match result {
                    Err(e) => error_view(e),
                    Ok(plans) => view! { <Plans plans/> }.into_any(),
                })}
            </Transition>
        </AdminOnly>
    }
}

#[component]
fn Plans(plans: Vec<SupportPlan>) -> impl IntoView {
    let (presets, custom): (Vec<_>, Vec<_>) = plans.iter().cloned().partition(|p| is_preset_plan(&p.id));
    let no_custom = custom.is_empty();
    view! {
        <section aria-labelledby="plans-custom-title">
            <h2 id="plans-custom-title">{t("plans-custom")}</h2>
            {no_custom.then(|| view! { <p>{t("plans-custom-none")}</p> })}
            {custom.into_iter().map(|plan| view! { <PlanEditor plan/> }).collect_view()}
            <NewPlanForm plans/>
        </section>
        <section aria-labelledby="plans-presets-title">
            <h2 id="plans-presets-title">{t("plans-presets")}</h2>
            <p class="lead">{t("plans-presets-lead")}</p>
            {presets.into_iter().map(|plan| view! { <PresetPlan plan/> }).collect_view()}
        </section>
    }
}

/// A target in the reader's words: "30 min, around the clock", "4 business hours", "No
/// commitment".
fn target_text(target: Option<SlaTarget>) -> String {
    target.map_or_else(|| t("plans-no-commitment")(), crate::ui::sla::target_words)
}

#[component]
fn PresetPlan(plan: SupportPlan) -> impl IntoView {
    let heading = format!("plan-{}-title", plan.id);
    let labelled_by = heading.clone();
    view! {
        <article class="plan" aria-labelledby=labelled_by>
            <h3 id=heading>{plan.name.clone()}" "<code>{plan.id.clone()}</code></h3>
            <div class="table-scroll">
                <table class="plan-targets">
                    <thead><tr>
                        <th scope="col">{t("field-severity")}</th>
                        <th scope="col">{t("plans-initial-response")}</th>
                        <th scope="col">{t("plans-restore")}</th>
                    </tr></thead>
                    <tbody>
                        {plan.severities.iter().map(|terms| view! {
                            <tr>
                                <th scope="row">{label("severity", terms.severity.level())}" ("{terms.label.clone()}")"</th>
                                <td>{target_text(terms.initial_response)}</td>
                                <td>{target_text(terms.restore)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </article>
    }
}

/// A target as the editor holds it: its kind (empty: no commitment) and its number
/// (minutes for 24x7, else hours or days).
#[derive(Clone, Copy)]
struct TargetDraft {
    kind: RwSignal<String>,
    value: RwSignal<String>,
}

impl TargetDraft {
    fn of(target: Option<SlaTarget>) -> TargetDraft {
        let (kind, value) = match target {
            None => ("", String::new()),
            Some(SlaTarget::Duration24x7(d)) => ("duration_24x7", d.as_mins().to_string()),
            Some(SlaTarget::BusinessHours(n)) => ("business_hours", n.to_string()),
            Some(SlaTarget::BusinessDays(n)) => ("business_days", n.to_string()),
        };
        TargetDraft { kind: RwSignal::new(kind.to_owned()), value: RwSignal::new(value) }
    }

    /// The target as typed; a number that is not one is 0, which the server refuses.
    fn target(&self) -> Option<SlaTarget> {
        let value = self.value.get_untracked();
        let n = value.trim().parse::<u32>().unwrap_or(0);
        match self.kind.get_untracked().as_str() {
            "duration_24x7" => Some(SlaTarget::minutes_24x7(i64::from(n))),
            "business_hours" => Some(SlaTarget::BusinessHours(n)),
            "business_days" => Some(SlaTarget::BusinessDays(n)),
            _ => None,
        }
    }
}

#[component]
fn TargetInput(draft: TargetDraft, id: String, #[prop(into)] name: Signal<String>) -> impl IntoView {
    let kinds = [
        ("", "plans-kind-none"),
        ("duration_24x7", "plans-kind-24x7"),
        ("business_hours", "plans-kind-business-hours"),
        ("business_days", "plans-kind-business-days"),
    ];
    let value_id = format!("{id}-value");
    view! {
        <select id=id aria-label=move || name.get() on:change=move |ev| draft.kind.set(event_target_value(&ev))>
            {kinds.into_iter().map(|(kind, text)| view! {
                <option value=kind selected=move || draft.kind.get() == kind>{t(text)}</option>
            }).collect_view()}
        </select>
        <Show when=move || !draft.kind.get().is_empty()>
            <input id=value_id.clone() type="number" min="1" step="1" required class="target-value"
                aria-label=move || t_args("plans-value-of", &[("target", name.get())])()
                prop:value=draft.value on:input=move |ev| draft.value.set(event_target_value(&ev))/>
        </Show>
    }
}

/// A custom plan's targets per severity, saved together.
#[component]
fn PlanEditor(plan: SupportPlan) -> impl IntoView {
    let board = expect_context::<PlansBoard>();
    let id = plan.id.clone();
    let heading = format!("plan-{id}-title");
    let rows: Vec<(SeverityTerms, TargetDraft, TargetDraft)> = plan
        .severities
        .iter()
        .map(|terms| (terms.clone(), TargetDraft::of(terms.initial_response), TargetDraft::of(terms.restore)))
        .collect();
    let drafts: Vec<(TargetDraft, TargetDraft)> = rows.iter().map(|(_, a, b)| (*a, *b)).collect();
    let plan = StoredValue::new(plan);
    let on_submit = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut edited = plan.get_value();
            for (terms, (initial, restore)) in edited.severities.iter_mut().zip(&drafts) {
                terms.initial_response = initial.target();
                terms.restore = restore.target();
            }
            board.dispatch(&id, edited);
        }
    };
    let error = board.error_of(id.clone());
    let labelled_by = heading.clone();
    let data_plan = id.clone();
    view! {
        <form class="plan card stack" aria-labelledby=labelled_by on:submit=on_submit data-plan=data_plan>
            <h3 id=heading>{plan.with_value(|p| p.name.clone())}" "<code>{id.clone()}</code></h3>
            <div class="table-scroll">
                <table class="plan-targets">
                    <thead><tr>
                        <th scope="col">{t("field-severity")}</th>
                        <th scope="col">{t("plans-initial-response")}</th>
                        <th scope="col">{t("plans-restore")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(terms, initial, restore)| {
                            let level = terms.severity.level();
                            let severity = format!("{} ({})", level, terms.label);
                            let initial_name = {
                                let severity = severity.clone();
                                Signal::derive(move || t_args("plans-initial-of", &[("severity", severity.clone())])())
                            };
                            let restore_name = {
                                let severity = severity.clone();
                                Signal::derive(move || t_args("plans-restore-of", &[("severity", severity.clone())])())
                            };
                            view! {
                                <tr>
                                    <th scope="row">{label("severity", level)}" ("{terms.label.clone()}")"</th>
                                    <td><TargetInput draft=initial id=format!("plan-{id}-{level}-initial") name=initial_name/></td>
                                    <td><TargetInput draft=restore id=format!("plan-{id}-{level}-restore") name=restore_name/></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <FormError error shown=&[]/>
            <button type="submit" class="button" disabled=move || board.save.pending().get()>
                {t_args("plans-save", &[("name", plan.with_value(|p| p.name.clone()))])}
            </button>
        </form>
    }
}

/// A new custom plan: its id and name, and the plan whose terms it starts with (edited
/// afterwards in its own editor).
#[component]
fn NewPlanForm(plans: Vec<SupportPlan>) -> impl IntoView {
    let board = expect_context::<PlansBoard>();
    let id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let base = RwSignal::new(plans.first().map(|p| p.id.clone()).unwrap_or_default());
    let options: Vec<(String, String)> = plans.iter().map(|p| (p.id.clone(), p.name.clone())).collect();
    let plans = StoredValue::new(plans);
    let error = board.error_of(NEW_PLAN.to_owned());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let base_id = base.get_untracked();
        let Some(mut plan) = plans.with_value(|all| all.iter().find(|p| p.id == base_id).cloned()) else { return };
        plan.id = id.get_untracked().trim().to_owned();
        plan.name = name.get_untracked().trim().to_owned();
        plan.accepts_new_customers = true;
        board.dispatch(NEW_PLAN, plan);
    };
    view! {
        <form class="stack card new-plan" aria-labelledby="new-plan-title" on:submit=on_submit>
            <h3 id="new-plan-title">{t("plans-new")}</h3>
            <label for="new-plan-id">{t("plans-id")}</label>
            <input id="new-plan-id" required maxlength="63" autocomplete="off" spellcheck="false" prop:value=id
                aria-describedby="new-plan-id-hint new-plan-id-error" aria-invalid=invalid(error, "id")
                on:input=move |ev| id.set(event_target_value(&ev))/>
            <small id="new-plan-id-hint">{t("plans-id-hint")}</small>
            <FieldError id="new-plan-id-error" field="id" error/>
            <label for="new-plan-name">{t("field-name")}</label>
            <input id="new-plan-name" required maxlength="200" autocomplete="off" prop:value=name
                aria-describedby="new-plan-name-error" aria-invalid=invalid(error, "name")
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <FieldError id="new-plan-name-error" field="name" error/>
            <label for="new-plan-base">{t("plans-base")}</label>
            <select id="new-plan-base" on:change=move |ev| base.set(event_target_value(&ev))>
                {options.into_iter().map(|(value, text)| {
                    let selected = base.get_untracked() == value;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <FormError error shown=&["id", "name"]/>
            <button type="submit" class="button" disabled=move || board.save.pending().get()>{t("plans-create")}</button>
        </form>
    }
}
