//! The organization admin's page: its contacts (role, seat, status), who may open cases
//! within the plan's seats (Coveo: two), editing and removing contacts, and invitations
//! (send, send again, revoke). Whoever may not manage contacts sees only the refusal.
//!
//! Every action says what it did, or why not, in place; what an earlier action said goes
//! as soon as another one starts.

use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;

use super::error_view::error_view;
use super::i18n::{error_text, label, move_tr_static, t, t_args};
use crate::api::contacts::{
    EditContact, InviteContact, RemoveContact, ResendInvitation, RevokeInvitation, SetCaseOpener, organization_contacts,
};
use crate::domain::people::{Contact, Contacts};
use crate::error::AppError;

/// Where an action's outcome is told: above the list (seats, invitations, removals), in a
/// contact's edit form, or in the invitation form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    List,
    Edit(i64),
    Invite,
}

/// The outcome of the latest action: what it did, or why it was refused.
#[derive(Clone, Debug)]
struct Feedback {
    place: Place,
    outcome: Result<String, AppError>,
}

/// The contact being edited, as typed so far (kept across the list being read again).
#[derive(Clone, Debug, PartialEq, Eq)]
struct EditDraft {
    id: i64,
    name: String,
    org_admin: bool,
    opens_cases: bool,
}

/// The page's shared state: what is being edited or confirmed, and the latest outcome.
#[derive(Clone, Copy)]
struct Board {
    feedback: RwSignal<Option<Feedback>>,
    /// Told on success: set when an action starts (the message needs what was asked).
    success: RwSignal<Option<(Place, String)>>,
    editing: RwSignal<Option<EditDraft>>,
    confirming: RwSignal<Option<i64>>,
    change: ServerAction<SetCaseOpener>,
    edit: ServerAction<EditContact>,
    remove: ServerAction<RemoveContact>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
}

impl Board {
    /// An action starts: what the last one said goes, and what this one will say on
    /// success is kept.
    fn start(&self, place: Place, success: String) {
        self.feedback.set(None);
        self.success.set(Some((place, success)));
    }
}

/// Tells the outcome of one action when its answer comes; `on_success` runs then too.
fn tell(
    value: MappedSignal<Option<Result<Contacts, AppError>>>,
    board: Board,
    failure_place: impl Fn() -> Place + Send + Sync + 'static,
    on_success: impl Fn() + Send + Sync + 'static,
) {
    Effect::new(move |_| match value.get() {
        Some(Ok(_)) => {
            if let Some((place, text)) = board.success.get_untracked() {
                board.feedback.set(Some(Feedback { place, outcome: Ok(text) }));
            }
            on_success();
        }
        Some(Err(e)) => board.feedback.set(Some(Feedback { place: failure_place(), outcome: Err(e) })),
        None => {}
    });
}

#[component]
pub fn ContactsPage() -> impl IntoView {
    let board = Board {
        feedback: RwSignal::new(None),
        success: RwSignal::new(None),
        editing: RwSignal::new(None),
        confirming: RwSignal::new(None),
        change: ServerAction::new(),
        edit: ServerAction::new(),
        remove: ServerAction::new(),
        resend: ServerAction::new(),
        revoke: ServerAction::new(),
    };
    let invite = ServerAction::<InviteContact>::new();
    let contacts = Resource::new(
        move || {
            (
                board.change.version().get(),
                invite.version().get(),
                board.edit.version().get(),
                board.remove.version().get(),
                board.resend.version().get(),
                board.revoke.version().get(),
            )
        },
        |_| organization_contacts(String::new()),
    );
    let status_line = NodeRef::<html::P>::new();
    let focus_status = move || {
        if let Some(line) = status_line.get_untracked() {
            let _ = line.focus();
        }
    };
    tell(board.change.value(), board, || Place::List, || {});
    tell(
        board.edit.value(),
        board,
        move || board.editing.get_untracked().map_or(Place::List, |d| Place::Edit(d.id)),
        move || {
            board.editing.set(None);
            focus_status();
        },
    );
    tell(board.remove.value(), board, || Place::List, focus_status);
    tell(board.resend.value(), board, || Place::List, focus_status);
    tell(board.revoke.value(), board, || Place::List, focus_status);
    let invite_draft = InviteDraft { name: RwSignal::new(String::new()), email: RwSignal::new(String::new()) };
    tell_invitation(invite, invite_draft, board);
    provide_context(board);
    let list_feedback = move || board.feedback.get().filter(|f| f.place == Place::List).map(|f| f.outcome);
    view! {
        <Title text=move_tr_static("contacts-title")/>
        <h1>{t("contacts-title")}</h1>
        <Transition fallback=|| ()>
            // Kept while the list is read again after each action (a message outlives it),
            // and only for those who may manage contacts: the others see the refusal alone.
            <Show when=move || contacts.get().is_some_and(|r| r.is_ok())>
                <div class="contacts-feedback">
                    <p role="status" class="saved" tabindex="-1" node_ref=status_line data-testid="contacts-feedback">
                        {move || list_feedback().and_then(Result::ok)}
                    </p>
                    <p role="alert" class="error" data-testid="contacts-error">
                        {move || list_feedback().and_then(Result::err).map(|e| contacts_error_text(&e))}
                    </p>
                </div>
            </Show>
            {move || contacts.get().map(|result| match result {
                // Only the refusal: no list, no form, for whoever may not manage contacts.
                Err(AppError::Forbidden) => view! { <p class="error" role="alert">{t("contacts-forbidden")}</p> }.into_any(),
                Err(e) => error_view(e),
                Ok(list) => view! {
                    <ContactList list/>
                    <p class="lead">{t("contacts-others")}</p>
                    <InviteForm invite draft=invite_draft/>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ContactList(list: Contacts) -> impl IntoView {
    let seats = match list.seats {
        Some(seats) => {
            t_args("contacts-seats", &[("taken", list.seats_taken.to_string()), ("seats", seats.to_string())])()
        }
        None => t("contacts-seats-unlimited")(),
    };
    let free = list.seat_free();
    // The first page came with the list; "Show more" adds the next ones.
    let more: RwSignal<Vec<Contact>> = RwSignal::new(Vec::new());
    let next = RwSignal::new(list.next_cursor.clone());
    let loading = RwSignal::new(false);
    let show_more = move |_| {
        let Some(cursor) = next.get_untracked() else { return };
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Ok(page) = organization_contacts(cursor).await {
                more.update(|more| more.extend(page.contacts));
                next.set(page.next_cursor);
            }
            loading.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = cursor;
    };
    view! {
        <p data-testid="seats">{seats}</p>
        <div class="table-scroll">
            <table class="contacts">
                <caption class="visually-hidden">{t("contacts-caption")}</caption>
                <thead><tr>
                    <th scope="col">{t("contacts-name")}</th>
                    <th scope="col">{t("sign-in-email")}</th>
                    <th scope="col">{t("contacts-role")}</th>
                    <th scope="col" id="seat-head">{t("contacts-opens-cases")}</th>
                    <th scope="col">{t("contacts-status")}</th>
                    <th scope="col">{t("contacts-actions")}</th>
                </tr></thead>
                <tbody>
                    {list.contacts.into_iter().map(|contact| view! { <ContactRow contact free/> }).collect_view()}
                    {move || more.get().into_iter().map(|contact| view! { <ContactRow contact free/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Show when=move || next.with(Option::is_some)>
            <button type="button" class="button secondary show-more" on:click=show_more disabled=move || loading.get()>
                {t("contacts-show-more")}
            </button>
        </Show>
    }
}

/// One contact: their facts, their seat switch and what can be done; below it, when asked
/// for, their edit form or the confirmation of their removal.
#[component]
fn ContactRow(contact: Contact, free: bool) -> impl IntoView {
    let board = expect_context::<Board>();
    let id = contact.id;
    let name_id = format!("contact-{id}");
    let name = contact.name.clone();
    let email = contact.email.clone();
    let status = contact.status;
    let toggle_seat = {
        let name = name.clone();
        move |ev: leptos::ev::Event| {
            let opens = event_target_checked(&ev);
            let id_ = if opens { "contacts-seat-given" } else { "contacts-seat-taken-back" };
            board.start(Place::List, t_args(id_, &[("name", name.clone())])());
            board.change.dispatch(SetCaseOpener { user_id: id, opens });
        }
    };
    let start_edit = {
        let contact = contact.clone();
        move |_| {
            board.feedback.set(None);
            board.confirming.set(None);
            board.editing.set(Some(EditDraft {
                id,
                name: contact.name.clone(),
                org_admin: contact.org_admin,
                opens_cases: contact.opens_cases,
            }));
        }
    };
    let resend = {
        let email = email.clone();
        move |_| {
            board.start(Place::List, t_args("contacts-resent", &[("email", email.clone())])());
            board.resend.dispatch(ResendInvitation { user_id: id });
        }
    };
    let revoke = {
        let email = email.clone();
        move |_| {
            board.start(Place::List, t_args("contacts-revoked", &[("email", email.clone())])());
            board.revoke.dispatch(RevokeInvitation { user_id: id });
        }
    };
    let confirm_removal = move |_| {
        board.feedback.set(None);
        board.editing.set(None);
        board.confirming.set(Some(id));
    };
    let busy = move || {
        board.change.pending().get()
            || board.edit.pending().get()
            || board.remove.pending().get()
            || board.resend.pending().get()
            || board.revoke.pending().get()
    };
    let named = |key: &'static str| t_args(key, &[("name", contact.name.clone())]);
    view! {
        <tr data-contact=id>
            <th scope="row" id=name_id.clone()>{contact.name.clone()}</th>
            <td class="email">{contact.email.clone()}</td>
            <td>{if contact.org_admin { t("contacts-role-admin")() } else { t("contacts-role-contact")() }}</td>
            <td>
                <input type="checkbox" aria-labelledby=format!("seat-head {name_id}") prop:checked=contact.opens_cases
                    disabled=move || (!contact.opens_cases && !free) || busy()
                    on:change=toggle_seat/>
            </td>
            <td><span class=format!("contact-status {}", status.as_str())>{label("contact-status", status.as_str())}</span></td>
            <td class="actions">
                <div class="action-buttons">
                    <button type="button" class="button small secondary" aria-label=named("contacts-edit-named") on:click=start_edit>
                        {t("contacts-edit")}
                    </button>
                    {status.awaits_invitation().then(|| view! {
                        <button type="button" class="button small secondary" aria-label=named("contacts-resend-named")
                            disabled=busy on:click=resend>
                            {t("contacts-resend")}
                        </button>
                    })}
                    {status.revocable().then(|| view! {
                        <button type="button" class="button small secondary" aria-label=named("contacts-revoke-named")
                            disabled=busy on:click=revoke>
                            {t("contacts-revoke")}
                        </button>
                    })}
                    <button type="button" class="button small danger" aria-label=named("contacts-remove-named") on:click=confirm_removal>
                        {t("contacts-remove")}
                    </button>
                </div>
            </td>
        </tr>
        {move || board.editing.get().filter(|d| d.id == id).map(|_| view! { <EditRow id/> })}
        {
            let (name, email) = (name.clone(), email.clone());
            move || (board.confirming.get() == Some(id)).then(|| view! { <ConfirmRemoval id name=name.clone() email=email.clone()/> })
        }
    }
}

/// A contact's name, admin role and seat, changed together ("Save") or not at all.
#[component]
fn EditRow(id: i64) -> impl IntoView {
    let board = expect_context::<Board>();
    let first = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let draft = move || board.editing.get().filter(|d| d.id == id);
    let update = move |f: &dyn Fn(&mut EditDraft)| {
        board.editing.update(|d| {
            if let Some(d) = d.as_mut().filter(|d| d.id == id) {
                f(d)
            }
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(d) = draft() else { return };
        let on = |b: bool| b.then(|| "on".to_owned());
        board.start(Place::List, t_args("contacts-saved", &[("name", d.name.trim().to_owned())])());
        board.edit.dispatch(EditContact {
            user_id: id,
            name: d.name,
            org_admin: on(d.org_admin),
            opens_cases: on(d.opens_cases),
        });
    };
    let cancel = move |_| {
        board.feedback.set(None);
        board.editing.set(None);
    };
    let error = move || {
        board
            .feedback
            .get()
            .filter(|f| f.place == Place::Edit(id))
            .and_then(|f| f.outcome.err())
            .map(|e| contacts_error_text(&e))
    };
    let heading = format!("edit-{id}-title");
    let labelled_by = heading.clone();
    view! {
        <tr class="editing">
            <td colspan="6">
                <form class="edit-contact" aria-labelledby=labelled_by on:submit=on_submit>
                    <h2 id=heading>{move || draft().map(|_| t("contacts-edit-title")())}</h2>
                    <div class="fields">
                        <label for=format!("edit-{id}-name")>{t("contacts-name")}</label>
                        <input id=format!("edit-{id}-name") node_ref=first required maxlength="200" autocomplete="off"
                            prop:value=move || draft().map(|d| d.name).unwrap_or_default()
                            on:input=move |ev| { let v = event_target_value(&ev); update(&|d| d.name = v.clone()) }/>
                        <div class="preference">
                            <input type="checkbox" id=format!("edit-{id}-admin") aria-describedby=format!("edit-{id}-admin-hint")
                                prop:checked=move || draft().is_some_and(|d| d.org_admin)
                                on:change=move |ev| { let v = event_target_checked(&ev); update(&|d| d.org_admin = v) }/>
                            <label for=format!("edit-{id}-admin")>{t("contacts-org-admin")}</label>
                            <small id=format!("edit-{id}-admin-hint")>{t("contacts-org-admin-hint")}</small>
                        </div>
                        <div class="preference">
                            <input type="checkbox" id=format!("edit-{id}-seat") aria-describedby=format!("edit-{id}-seat-hint")
                                prop:checked=move || draft().is_some_and(|d| d.opens_cases)
                                on:change=move |ev| { let v = event_target_checked(&ev); update(&|d| d.opens_cases = v) }/>
                            <label for=format!("edit-{id}-seat")>{t("contacts-opens-cases")}</label>
                            <small id=format!("edit-{id}-seat-hint")>{t("contacts-seat-hint")}</small>
                        </div>
                    </div>
                    <p class="error" role="alert">{error}</p>
                    <div class="buttons">
                        <button type="submit" class="button" disabled=move || board.edit.pending().get()>{t("contacts-save")}</button>
                        <button type="button" class="button secondary" on:click=cancel>{t("contacts-cancel")}</button>
                    </div>
                </form>
            </td>
        </tr>
    }
}

/// The confirmation a removal needs: what it does, and the two ways out.
#[component]
fn ConfirmRemoval(id: i64, name: String, email: String) -> impl IntoView {
    let board = expect_context::<Board>();
    let cancel_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = cancel_button.get() {
            let _ = button.focus();
        }
    });
    let question = format!("remove-{id}-question");
    let labelled_by = question.clone();
    let confirm = {
        let name = name.clone();
        move |_| {
            board.start(Place::List, t_args("contacts-removed", &[("name", name.clone()), ("email", email.clone())])());
            board.confirming.set(None);
            board.remove.dispatch(RemoveContact { user_id: id });
        }
    };
    let cancel = move |_| board.confirming.set(None);
    view! {
        <tr class="confirm">
            <td colspan="6">
                <div role="group" aria-labelledby=labelled_by class="confirm-removal">
                    <p id=question>{t_args("contacts-remove-question", &[("name", name.clone())])}</p>
                    <p class="lead">{t("contacts-remove-consequences")}</p>
                    <div class="buttons">
                        <button type="button" class="button danger" on:click=confirm disabled=move || board.remove.pending().get()>
                            {t_args("contacts-remove-confirm", &[("name", name.clone())])}
                        </button>
                        <button type="button" class="button secondary" node_ref=cancel_button on:click=cancel>
                            {t("contacts-cancel")}
                        </button>
                    </div>
                </div>
            </td>
        </tr>
    }
}

/// What the invitation form holds: kept by the page, so the form can be drawn again with
/// the list (after each action) without losing what was typed.
#[derive(Clone, Copy)]
struct InviteDraft {
    name: RwSignal<String>,
    email: RwSignal<String>,
}

/// Tells the outcome of an invitation (once, when its answer comes); a sent one empties the
/// form. Sending starts: whatever an earlier action said goes.
fn tell_invitation(invite: ServerAction<InviteContact>, draft: InviteDraft, board: Board) {
    Effect::new(move |_| {
        if invite.pending().get() {
            board.feedback.set(None);
        }
    });
    Effect::new(move |_| match invite.value().get() {
        Some(Ok(_)) => {
            let sent = t_args("invite-sent", &[("email", draft.email.get_untracked().trim().to_owned())])();
            board.feedback.set(Some(Feedback { place: Place::Invite, outcome: Ok(sent) }));
            draft.email.set(String::new());
            draft.name.set(String::new());
        }
        Some(Err(e)) => board.feedback.set(Some(Feedback { place: Place::Invite, outcome: Err(e) })),
        None => {}
    });
}

/// Invites a new contact: they are emailed a link to choose their password.
#[component]
fn InviteForm(invite: ServerAction<InviteContact>, draft: InviteDraft) -> impl IntoView {
    let board = expect_context::<Board>();
    let InviteDraft { name, email } = draft;
    let here = move || board.feedback.get().filter(|f| f.place == Place::Invite).map(|f| f.outcome);
    view! {
        <h2 id="invite-title">{t("invite-title")}</h2>
        <ActionForm action=invite attr:class="stack card invite" attr:aria-labelledby="invite-title">
            <label for="invite-name">{t("contacts-name")}</label>
            <input id="invite-name" name="name" required maxlength="200" autocomplete="off" prop:value=name
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="invite-email">{t("sign-in-email")}</label>
            <input id="invite-email" name="email" type="email" required autocomplete="off" prop:value=email
                aria-describedby="invite-email-hint"
                aria-invalid=move || matches!(here(), Some(Err(AppError::Invalid { ref field, .. })) if field == "email").to_string()
                on:input=move |ev| email.set(event_target_value(&ev))/>
            <small id="invite-email-hint">{t("invite-email-hint")}</small>
            <label class="check" for="invite-opens">
                <input id="invite-opens" type="checkbox" name="opens_cases" value="on"/>" "{t("invite-opens-cases")}
            </label>
            <p class="error" role="alert">{move || here().and_then(Result::err).map(|e| contacts_error_text(&e))}</p>
            <button type="submit" class="button" disabled=move || invite.pending().get()>{t("invite-submit")}</button>
            <p role="status">{move || here().and_then(Result::ok)}</p>
        </ActionForm>
    }
}

/// Why an action on this page was refused, in the page's words where the general ones
/// would be vague ("Seats is too long").
fn contacts_error_text(error: &AppError) -> String {
    use crate::error::InvalidReason;
    match error {
        AppError::Invalid { field, reason: InvalidReason::Malformed { .. } } if field == "email" => {
            t("invite-email-invalid")()
        }
        AppError::Invalid { field, reason: InvalidReason::NotAllowed } if field == "email" => t("invite-email-taken")(),
        AppError::Invalid { field, reason: InvalidReason::TooLong { max } } if field == "opens_cases" => {
            t_args("invite-seats-full", &[("seats", max.to_string())])()
        }
        other => error_text(other),
    }
}
