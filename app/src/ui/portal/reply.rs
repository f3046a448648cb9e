//! The reply form, with internal notes for support and the collision check.

use leptos::prelude::*;

use super::timeline::TimelineEntry;
use crate::api::cases::{CaseDetail, ReplyToCase};
use crate::error::AppError;
use crate::ui::attach::PendingFiles;
use crate::ui::i18n::{error_text, t};

/// Reply to the case; support may instead write an internal note, which customers never see.
/// The collision check: the version seen when the draft began goes with the reply; if the
/// case changed since, the server holds a public reply back, the form shows what changed
/// and asks to confirm.
#[component]
pub(super) fn ReplyForm(
    number: Memo<i64>,
    detail: RwSignal<Option<CaseDetail>>,
    support: Signal<bool>,
    action: ServerAction<ReplyToCase>,
    activity: RwSignal<crate::domain::people::Activity>,
) -> impl IntoView {
    use crate::domain::people::Activity;
    let body = RwSignal::new(String::new());
    let internal = RwSignal::new(false);
    // Files chosen, dropped or pasted here go with the reply (uploaded at once, sent by id).
    let files = RwSignal::new(Vec::<crate::domain::DraftFile>::new());
    let uploading = RwSignal::new(None::<u32>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let pasted = RwSignal::new(0u32);
    let upload_ids = move || files.with(|f| f.iter().map(|f| f.id.to_string()).collect::<Vec<_>>().join(","));
    // The case as it was when the draft began: its version and its newest log entry.
    let draft_began = RwSignal::new(None::<(i64, i64)>);
    let current = move || {
        detail.with(|d| d.as_ref().map(|d| (d.case.version, d.timeline.last().map(|e| e.id).unwrap_or(0))))
    };
    let collision = move || matches!(action.value().get(), Some(Err(AppError::Conflict { .. })));
    let changes_since = move || {
        let (_, since) = draft_began.get()?;
        let timeline = detail.get()?.timeline;
        Some(timeline.into_iter().filter(|e| e.id > since).collect::<Vec<_>>())
    };
    let error = move || {
        action.value().get().and_then(|r| r.err()).map(|e| error_text(&e))
    };
    // Sent: the form starts blank again, nothing to resend, no "internal" left ticked.
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            body.set(String::new());
            files.set(Vec::new());
            internal.set(false);
            draft_began.set(None);
            activity.set(Activity::Viewing);
        }
    });
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        if draft_began.get_untracked().is_none() && !text.trim().is_empty() {
            draft_began.set(current());
        }
        body.set(text);
        let doing = if body.with_untracked(|b| b.trim().is_empty()) {
            Activity::Viewing
        } else if internal.get_untracked() {
            Activity::WritingNote
        } else {
            Activity::WritingReply
        };
        if activity.get_untracked() != doing {
            activity.set(doing);
        }
    };
    view! {
        <ActionForm action attr:class="stack reply-form">
            <input type="hidden" name="number" prop:value=move || number.get().to_string()/>
            <input type="hidden" name="seen_version"
                prop:value=move || draft_began.get().or_else(current).map(|(v, _)| v.to_string()).unwrap_or_default()/>
            <label for="reply-body">{t("reply-label")}</label>
            <input type="hidden" name="attachments" prop:value=upload_ids/>
            <textarea id="reply-body" name="body" rows="4" required prop:value=move || body.get() on:input=on_input
                on:paste=move |ev| {
                    if crate::ui::attach::paste_files(&ev, file_input) {
                        ev.prevent_default();
                        pasted.update(|n| *n += 1);
                    }
                }></textarea>
            // Files go with a public reply (customers see them): not with an internal note.
            <div hidden=move || internal.get()>
                <PendingFiles files progress=uploading input_id="reply-files" input=file_input pasted
                    added=Callback::new(|_| ()) removed=Callback::new(|_| ())/>
            </div>
            <label class="check" hidden=move || !support.get()>
                <input type="checkbox" name="internal" value="true" prop:checked=move || internal.get()
                    on:change=move |ev| {
                        internal.set(event_target_checked(&ev));
                        if activity.get_untracked() != crate::domain::people::Activity::Viewing {
                            activity.set(if internal.get_untracked() {
                                crate::domain::people::Activity::WritingNote
                            } else {
                                crate::domain::people::Activity::WritingReply
                            });
                        }
                    }/>
                " "{t("reply-internal")}
            </label>
            <Show when=collision>
                <div class="collision" role="alert" data-testid="collision">
                    <p>{t("reply-collision")}</p>
                    <ol class="timeline">
                        {move || changes_since().unwrap_or_default().into_iter().map(|event| view! { <TimelineEntry event support=support.get_untracked()/> }).collect_view()}
                    </ol>
                    <label class="check">
                        <input type="checkbox" name="confirmed" value="true"/>" "{t("reply-confirm")}
                    </label>
                </div>
            </Show>
            <p class="error" role="alert">{move || (!collision()).then(error).flatten()}</p>
            // A file still on its way holds the reply back, and says so.
            {move || uploading.get().is_some().then(|| view! {
                <p class="hint" data-testid="reply-waits">{t("reply-wait-upload")}</p>
            })}
            // A note and a reply are sent by visibly different buttons.
            <button type="submit" class="button" class:note=move || internal.get()
                disabled=move || uploading.get().is_some() || action.pending().get()>
                {move || if internal.get() { t("reply-submit-note")() } else { t("reply-submit")() }}
            </button>
        </ActionForm>
    }
}
