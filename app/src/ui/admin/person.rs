//! `/admin/people/:id`: one person's profile, every field an admin may change (name,
//! language, time zone; an engineer's spoken languages, skills, weekly shifts, team lead
//! and on duty; a customer's organization-admin flag), saved all or nothing, and their
//! deactivation or reactivation after a confirmation. The server checks every field and
//! names the one it refuses; the message goes next to it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::field_error::{FieldError, FormError, invalid};
use super::shifts::{ShiftRow, ShiftsEditor, rows_of, shifts_of};
use super::{AdminNav, AdminOnly};
use crate::api::admin_people::{ChangePerson, DeactivatePerson, ReactivatePerson, admin_person};
use crate::domain::Role;
use crate::domain::profile::{UserChange, UserProfile};
use crate::error::AppError;
use crate::ui::error_view::error_view;
use crate::ui::i18n::{label, move_tr_static, t, t_args};

/// Time zones offered as one types (any IANA name is accepted; the server checks it).
const COMMON_ZONES: [&str; 32] = [
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Brussels",
    "Europe/Zurich",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Casablanca",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
];

/// The fields the profile form shows, by the server's names.
const PROFILE_FIELDS: &[&str] =
    &["name", "language", "time_zone", "languages", "skills", "shifts", "lead", "on_duty", "org_admin"];

/// The page's state: the latest outcome of each part, and the actions.
#[derive(Clone, Copy)]
struct PersonBoard {
    /// What the latest action did (the status region).
    status: RwSignal<Option<String>>,
    save_error: RwSignal<Option<AppError>>,
    account_error: RwSignal<Option<AppError>>,
    /// Bumped when a change is made: the profile is read again.
    reload: RwSignal<u32>,
    confirming: RwSignal<bool>,
    save: ServerAction<ChangePerson>,
    deactivate: ServerAction<DeactivatePerson>,
    reactivate: ServerAction<ReactivatePerson>,
}

impl PersonBoard {
    /// An action starts: what the last one said goes.
    fn start(&self) {
        self.status.set(None);
        self.save_error.set(None);
        self.account_error.set(None);
    }
}

/// Tells one action's outcome when its answer comes.
fn tell(
    value: MappedSignal<Option<Result<UserProfile, AppError>>>,
    board: PersonBoard,
    success: &'static str,
    error: RwSignal<Option<AppError>>,
) {
    let success = t(success);
    Effect::new(move |_| match value.get() {
        Some(Ok(_)) => {
            board.status.set(Some(success()));
            board.confirming.set(false);
            board.reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<i64>().ok()));
    let board = PersonBoard {
        status: RwSignal::new(None),
        save_error: RwSignal::new(None),
        account_error: RwSignal::new(None),
        reload: RwSignal::new(0),
        confirming: RwSignal::new(false),
        save: ServerAction::new(),
        deactivate: ServerAction::new(),
        reactivate: ServerAction::new(),
    };
    tell(board.save.value(), board, "person-saved", board.save_error);
    tell(board.deactivate.value(), board, "person-deactivated", board.account_error);
    tell(board.reactivate.value(), board, "person-reactivated", board.account_error);
    provide_context(board);
    let person = Resource::new(
        move || (id.get(), board.reload.get()),
        |(id, _)| async move {
            match id {
                Some(id) => admin_person(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=move_tr_static("person-title")/>
        <AdminOnly>
            <AdminNav/>
            <p><A href="/admin/people">{t("person-back")}</A></p>
            <p role="status" class="saved" data-testid="person-status">{move || board.status.get()}</p>
            <Transition fallback=move || view! { <p>{t("loading")}</p> }>
                {move || person.get().map(|result| match result {
                    Err(AppError::NotFound) => view! { <p class="error" role="alert">{t("person-not-found")}</p> }.into_any(),
                    Err(e) => error_view(e),
                    Ok(profile) => view! { <Person profile/> }.into_any(),
                })}
            </Transition>
        </AdminOnly>
    }
}

#[component]
fn Person(profile: UserProfile) -> impl IntoView {
    let organization = profile.organization.clone().map(|slug| {
        view! {
            <dt>{t("field-organization")}</dt>
            <dd>{slug}</dd>
        }
    });
    view! {
        <h1>{profile.name.clone()}</h1>
        <dl class="facts person-facts">
            <dt>{t("field-email")}</dt>
            <dd>{profile.email.clone()}</dd>
            <dt>{t("field-role")}</dt>
            <dd>{label("people-role", profile.role.as_str())}</dd>
            {organization}
            <dt>{t("people-status")}</dt>
            <dd>{if profile.active { t("people-active")() } else { t("people-deactivated")() }}</dd>
        </dl>
        <ProfileForm profile=profile.clone()/>
        <Account profile/>
    }
}

/// The profile as typed so far.
#[derive(Clone, Copy)]
struct Draft {
    name: RwSignal<String>,
    language: RwSignal<String>,
    time_zone: RwSignal<String>,
    /// Spoken languages, as typed: `zh, en`.
    languages: RwSignal<String>,
    /// Skills, one per line.
    skills: RwSignal<String>,
    shifts: RwSignal<Vec<ShiftRow>>,
    lead: RwSignal<bool>,
    on_duty: RwSignal<bool>,
    org_admin: RwSignal<bool>,
}

impl Draft {
    fn of(profile: &UserProfile) -> Draft {
        Draft {
            name: RwSignal::new(profile.name.clone()),
            language: RwSignal::new(profile.language.clone()),
            time_zone: RwSignal::new(profile.time_zone.clone()),
            languages: RwSignal::new(profile.languages.clone().unwrap_or_default().join(", ")),
            skills: RwSignal::new(profile.skills.clone().unwrap_or_default().join("\n")),
            shifts: RwSignal::new(rows_of(profile.shifts.as_deref().unwrap_or_default())),
            lead: RwSignal::new(profile.lead.unwrap_or(false)),
            on_duty: RwSignal::new(profile.on_duty.unwrap_or(true)),
            org_admin: RwSignal::new(profile.org_admin),
        }
    }

    fn typed(&self) -> Typed {
        Typed {
            name: self.name.get_untracked(),
            language: self.language.get_untracked(),
            time_zone: self.time_zone.get_untracked(),
            languages: self.languages.get_untracked(),
            skills: self.skills.get_untracked(),
            shifts: shifts_of(&self.shifts.get_untracked()),
            lead: self.lead.get_untracked(),
            on_duty: self.on_duty.get_untracked(),
            org_admin: self.org_admin.get_untracked(),
        }
    }
}

/// What the form holds when it is sent.
#[derive(Clone, Debug, Default)]
struct Typed {
    name: String,
    language: String,
    time_zone: String,
    languages: String,
    skills: String,
    shifts: Vec<crate::domain::shift::Shift>,
    lead: bool,
    on_duty: bool,
    org_admin: bool,
}

/// The change a form makes to `profile`: only the fields that differ (so saving a name
/// does not, say, fix the person's language as chosen), and only the fields of their role.
fn change_of(profile: &UserProfile, typed: &Typed) -> UserChange {
    fn differs<T: PartialEq + Clone>(now: &T, typed: T) -> Option<T> {
        (*now != typed).then_some(typed)
    }
    let mut change = UserChange {
        name: differs(&profile.name, typed.name.clone()),
        language: differs(&profile.language, typed.language.clone()),
        time_zone: differs(&profile.time_zone, typed.time_zone.trim().to_owned()),
        ..UserChange::default()
    };
    match profile.role {
        Role::Engineer => {
            let languages: Vec<String> = typed
                .languages
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            let skills: Vec<String> =
                typed.skills.lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
            change.languages = differs(&profile.languages.clone().unwrap_or_default(), languages);
            change.skills = differs(&profile.skills.clone().unwrap_or_default(), skills);
            change.shifts = differs(&profile.shifts.clone().unwrap_or_default(), typed.shifts.clone());
            change.lead = differs(&profile.lead.unwrap_or(false), typed.lead);
            change.on_duty = differs(&profile.on_duty.unwrap_or(true), typed.on_duty);
        }
        Role::Customer => change.org_admin = differs(&profile.org_admin, typed.org_admin),
        Role::Admin => {}
    }
    change
}

#[component]
fn ProfileForm(profile: UserProfile) -> impl IntoView {
    let board = expect_context::<PersonBoard>();
    let draft = Draft::of(&profile);
    let error: Signal<Option<AppError>> = board.save_error.into();
    let id = profile.id;
    let role = profile.role;
    let profile = StoredValue::new(profile);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        board.start();
        let change = profile.with_value(|p| change_of(p, &draft.typed()));
        if change == UserChange::default() {
            board.status.set(Some(t("person-unchanged")()));
            return;
        }
        board.save.dispatch(ChangePerson { id, change });
    };
    let languages = leptos::prelude::expect_context::<leptos_fluent::I18n>().languages;
    view! {
        <form class="stack card person-profile" aria-labelledby="person-profile-title" on:submit=on_submit>
            <h2 id="person-profile-title">{t("person-profile")}</h2>
            <label for="person-name">{t("field-name")}</label>
            <input id="person-name" required maxlength="200" autocomplete="off" prop:value=draft.name
                aria-describedby="person-name-error" aria-invalid=invalid(error, "name")
                on:input=move |ev| draft.name.set(event_target_value(&ev))/>
            <FieldError id="person-name-error" field="name" error/>
            <label for="person-language">{t("field-language")}</label>
            <select id="person-language" aria-describedby="person-language-hint person-language-error"
                aria-invalid=invalid(error, "language")
                on:change=move |ev| draft.language.set(event_target_value(&ev))>
                {languages.iter().map(|lang| {
                    let code = lang.id.to_string();
                    let selected = draft.language.get_untracked() == code;
                    view! { <option value=code selected=selected>{lang.name}</option> }
                }).collect_view()}
            </select>
            <small id="person-language-hint">{t("person-language-hint")}</small>
            <FieldError id="person-language-error" field="language" error/>
            <label for="person-zone">{t("field-time_zone")}</label>
            <input id="person-zone" list="person-zones" required autocomplete="off" spellcheck="false"
                prop:value=draft.time_zone aria-describedby="person-zone-hint person-zone-error"
                aria-invalid=invalid(error, "time_zone")
                on:input=move |ev| draft.time_zone.set(event_target_value(&ev))/>
            <datalist id="person-zones">
                {COMMON_ZONES.iter().map(|zone| view! { <option value=*zone></option> }).collect_view()}
            </datalist>
            <small id="person-zone-hint">{t("person-zone-hint")}</small>
            <FieldError id="person-zone-error" field="time_zone" error/>
            {(role == Role::Engineer).then(|| view! { <EngineerFields draft error/> })}
            {(role == Role::Customer).then(|| view! {
                <div class="preference">
                    <input type="checkbox" id="person-org-admin" aria-describedby="person-org-admin-hint person-org-admin-error"
                        prop:checked=draft.org_admin on:change=move |ev| draft.org_admin.set(event_target_checked(&ev))/>
                    <label for="person-org-admin">{t("field-org_admin")}</label>
                    <small id="person-org-admin-hint">{t("contacts-org-admin-hint")}</small>
                </div>
                <FieldError id="person-org-admin-error" field="org_admin" error/>
            })}
            <FormError error shown=PROFILE_FIELDS/>
            <button type="submit" class="button" disabled=move || board.save.pending().get()>{t("person-save")}</button>
        </form>
    }
}

#[component]
fn EngineerFields(draft: Draft, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <label for="person-languages">{t("field-languages")}</label>
        <input id="person-languages" autocomplete="off" spellcheck="false" prop:value=draft.languages
            aria-describedby="person-languages-hint person-languages-error" aria-invalid=invalid(error, "languages")
            on:input=move |ev| draft.languages.set(event_target_value(&ev))/>
        <small id="person-languages-hint">{t("person-languages-hint")}</small>
        <FieldError id="person-languages-error" field="languages" error/>
        <label for="person-skills">{t("field-skills")}</label>
        <textarea id="person-skills" rows="4" prop:value=draft.skills
            aria-describedby="person-skills-hint person-skills-error" aria-invalid=invalid(error, "skills")
            on:input=move |ev| draft.skills.set(event_target_value(&ev))></textarea>
        <small id="person-skills-hint">{t("person-skills-hint")}</small>
        <FieldError id="person-skills-error" field="skills" error/>
        <ShiftsEditor rows=draft.shifts error/>
        <div class="preference">
            <input type="checkbox" id="person-lead" aria-describedby="person-lead-hint person-lead-error"
                prop:checked=draft.lead on:change=move |ev| draft.lead.set(event_target_checked(&ev))/>
            <label for="person-lead">{t("field-lead")}</label>
            <small id="person-lead-hint">{t("person-lead-hint")}</small>
        </div>
        <FieldError id="person-lead-error" field="lead" error/>
        <div class="preference">
            <input type="checkbox" id="person-on-duty" aria-describedby="person-on-duty-hint person-on-duty-error"
                prop:checked=draft.on_duty on:change=move |ev| draft.on_duty.set(event_target_checked(&ev))/>
            <label for="person-on-duty">{t("field-on_duty")}</label>
            <small id="person-on-duty-hint">{t("person-on-duty-hint")}</small>
        </div>
        <FieldError id="person-on-duty-error" field="on_duty" error/>
    }
}

/// Whether the person can sign in, and the way to change it (after a confirmation).
#[component]
fn Account(profile: UserProfile) -> impl IntoView {
    let board = expect_context::<PersonBoard>();
    let id = profile.id;
    let active = profile.active;
    let name = profile.name.clone();
    let error: Signal<Option<AppError>> = board.account_error.into();
    let ask = move |_| {
        board.start();
        board.confirming.set(true);
    };
    let confirm = move |_| {
        board.start();
        if active {
            board.deactivate.dispatch(DeactivatePerson { id });
        } else {
            board.reactivate.dispatch(ReactivatePerson { id });
        }
    };
    let cancel = move |_| board.confirming.set(false);
    let busy = move || board.deactivate.pending().get() || board.reactivate.pending().get();
    let (ask_id, question_id, confirm_id, consequences_id) = if active {
        (
            "person-deactivate",
            "person-deactivate-question",
            "person-deactivate-confirm",
            "person-deactivate-consequences",
        )
    } else {
        (
            "person-reactivate",
            "person-reactivate-question",
            "person-reactivate-confirm",
            "person-reactivate-consequences",
        )
    };
    view! {
        <section class="card person-account" aria-labelledby="person-account-title">
            <h2 id="person-account-title">{t("person-account")}</h2>
            <p>{if active { t("person-is-active")() } else { t("person-is-deactivated")() }}</p>
            <Show when=move || !board.confirming.get()>
                <button type="button" class=if active { "button danger" } else { "button secondary" } on:click=ask>
                    {t(ask_id)}
                </button>
            </Show>
            <Show when=move || board.confirming.get()>
                <div role="group" aria-labelledby="person-account-question" class="confirm-removal">
                    <p id="person-account-question">{t_args(question_id, &[("name", name.clone())])}</p>
                    <p class="lead">{t(consequences_id)}</p>
                    <div class="buttons">
                        <button type="button" class=if active { "button danger" } else { "button" } on:click=confirm disabled=busy>
                            {t_args(confirm_id, &[("name", name.clone())])}
                        </button>
                        <button type="button" class="button secondary" on:click=cancel>{t("contacts-cancel")}</button>
                    </div>
                </div>
            </Show>
            <FormError error shown=&[]/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shift::Shift;
    use crate::domain::week::DayOfWeek;

    fn engineer() -> UserProfile {
        UserProfile {
            id: 7,
            email: "noor@caseboard.example".into(),
            name: "Noor".into(),
            role: Role::Engineer,
            organization: None,
            org_admin: false,
            language: "en".into(),
            time_zone: "UTC".into(),
            active: true,
            skills: Some(vec!["Kibana".into()]),
            languages: Some(vec!["en".into()]),
            shifts: Some(vec![Shift {
                days: DayOfWeek::WEEKDAYS.to_vec(),
                start: "09:00".into(),
                end: "18:00".into(),
            }]),
            lead: Some(false),
            on_duty: Some(true),
        }
    }

    fn typed(profile: &UserProfile) -> Typed {
        Typed {
            name: profile.name.clone(),
            language: profile.language.clone(),
            time_zone: profile.time_zone.clone(),
            languages: profile.languages.clone().unwrap_or_default().join(", "),
            skills: profile.skills.clone().unwrap_or_default().join("\n"),
            shifts: profile.shifts.clone().unwrap_or_default(),
            lead: profile.lead.unwrap_or(false),
            on_duty: profile.on_duty.unwrap_or(true),
            org_admin: profile.org_admin,
        }
    }

    #[test]
    fn an_untouched_form_changes_nothing_and_a_touched_one_only_what_differs() {
        let noor = engineer();
        assert_eq!(change_of(&noor, &typed(&noor)), UserChange::default());
        let mut form = typed(&noor);
        form.time_zone = " Asia/Shanghai ".into();
        form.languages = "zh,  en".into();
        form.skills = "Kibana\n\n Elasticsearch \n".into();
        form.on_duty = false;
        let change = change_of(&noor, &form);
        assert_eq!(change.time_zone.as_deref(), Some("Asia/Shanghai"));
        assert_eq!(change.languages, Some(vec!["zh".to_owned(), "en".to_owned()]));
        assert_eq!(change.skills, Some(vec!["Kibana".to_owned(), "Elasticsearch".to_owned()]));
        assert_eq!((change.on_duty, change.lead, change.name, change.shifts), (Some(false), None, None, None));
    }

    #[test]
    fn a_customer_form_sends_no_engineer_field() {
        let mut olga = engineer();
        olga.role = Role::Customer;
        (olga.skills, olga.languages, olga.shifts, olga.lead, olga.on_duty) = (None, None, None, None, None);
        let mut form = typed(&olga);
        form.org_admin = true;
        form.skills = "Kibana".into();
        let change = change_of(&olga, &form);
        assert_eq!(change, UserChange { org_admin: Some(true), ..UserChange::default() });
    }
}
