//! Files that go with what is being written (a new case, a reply): chosen, dropped or pasted,
//! each is uploaded at once with its progress (`POST /api/v1/uploads`; the session cookie
//! goes with it, the server checks every file), listed with a way to take it off, and joins
//! the case or the reply when it is sent, by id.

use leptos::prelude::*;

use super::i18n::{move_tr_static, t, t_args};
use crate::domain::{CaseDraft, DraftFile};

/// Posts the files of `input` as `file` parts to `url`, reporting progress; `done` gets the
/// response body (201) or a person-readable refusal. The input is emptied on success.
#[cfg(feature = "hydrate")]
fn post_files(
    url: &str,
    idempotency_key: &str,
    input: NodeRef<leptos::html::Input>,
    progress: RwSignal<Option<u32>>,
    done: impl Fn(Result<String, String>) + 'static,
) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let Some(element) = input.get_untracked() else { return };
    let Some(files) = element.files() else { return };
    let (Ok(form), Ok(request)) = (web_sys::FormData::new(), web_sys::XmlHttpRequest::new()) else { return };
    for i in 0..files.length() {
        if let Some(file) = files.get(i) {
            let _ = form.append_with_blob_and_filename("file", &file, &file.name());
        }
    }
    if request.open("POST", url).is_err() {
        return;
    }
    if !idempotency_key.is_empty() {
        let _ = request.set_request_header("Idempotency-Key", idempotency_key);
    }
    progress.set(Some(0));
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
        if ev.length_computable() && ev.total() > 0.0 {
            progress.set(Some(((ev.loaded() / ev.total()) * 100.0).round() as u32));
        }
    });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let done = std::rc::Rc::new(done);
    let finished = request.clone();
    let on_load_done = done.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        let status = finished.status().unwrap_or(0);
        let text = finished.response_text().ok().flatten().unwrap_or_default();
        if status == 201 {
            if let Some(element) = input.get_untracked() {
                element.set_value("");
            }
            on_load_done(Ok(text));
        } else {
            let message = match serde_json::from_str::<crate::error::AppError>(&text) {
                Ok(error) => super::i18n::error_text(&error),
                Err(_) if status == 413 => t("attach-too-large")(),
                Err(_) => t("attach-failed")(),
            };
            on_load_done(Err(message));
        }
    });
    let on_error_done = done.clone();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        on_error_done(Err(t("attach-failed")()));
    });
    request.set_onload(Some(on_load.as_ref().unchecked_ref()));
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The request owns its handlers from here until it ends.
    on_progress.forget();
    on_load.forget();
    on_error.forget();
    if request.send_with_opt_form_data(Some(&form)).is_err() {
        progress.set(None);
        done(Err(t("attach-failed")()));
    }
}

/// Files for a case not filed yet (the wizard's situation step): they join the case when it
/// is opened (`CaseDraft::attachments`).
#[component]
pub fn DraftFiles(files: RwSignal<Vec<DraftFile>>, draft: RwSignal<CaseDraft>) -> impl IntoView {
    let progress = RwSignal::new(None::<u32>);
    let added = Callback::new(move |ids: Vec<i64>| draft.update(|d| d.attachments.extend(ids)));
    let removed = Callback::new(move |id: i64| draft.update(|d| d.attachments.retain(|a| *a != id)));
    view! { <PendingFiles files progress input_id="draft-files" added removed/> }
}

/// Uploads `files` of a `paste` event (a screenshot copied to the clipboard), as a drop does.
pub fn paste_files(ev: &leptos::ev::ClipboardEvent, input: NodeRef<leptos::html::Input>) -> bool {
    #[cfg(feature = "hydrate")]
    if let (Some(files), Some(element)) = (ev.clipboard_data().and_then(|d| d.files()), input.get_untracked())
        && files.length() > 0
    {
        element.set_files(Some(&files));
        return true;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, input);
    false
}

/// Files being added to something written: each choice, drop or paste (through `input`) is
/// uploaded at once with its progress (`progress` is `Some` while one is on its way); a
/// refused file is said at once, naming it, and nothing else on the form changes.
#[component]
pub fn PendingFiles(
    files: RwSignal<Vec<DraftFile>>,
    progress: RwSignal<Option<u32>>,
    input_id: &'static str,
    added: Callback<Vec<i64>>,
    removed: Callback<i64>,
    #[prop(optional)] input: Option<NodeRef<leptos::html::Input>>,
    #[prop(optional)] pasted: Option<RwSignal<u32>>,
) -> impl IntoView {
    let refused = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    let input = input.unwrap_or_default();
    let upload = move || {
        refused.set(None);
        #[cfg(feature = "hydrate")]
        post_files("/api/v1/uploads", "", input, progress, move |result| match result {
            Ok(body) => match serde_json::from_str::<Vec<DraftFile>>(&body) {
                Ok(new) => {
                    added.run(new.iter().map(|f| f.id).collect());
                    files.update(|f| f.extend(new));
                }
                Err(_) => refused.set(Some(t("attach-failed")())),
            },
            Err(message) => refused.set(Some(message)),
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = added;
    };
    // A paste in the text beside it put files in `input`: upload them.
    if let Some(pasted) = pasted {
        Effect::new(move |previous: Option<u32>| {
            let now = pasted.get();
            if previous.is_some_and(|p| p != now) {
                upload();
            }
            now
        });
    }
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        #[cfg(feature = "hydrate")]
        if let (Some(dropped), Some(element)) = (ev.data_transfer().and_then(|d| d.files()), input.get_untracked()) {
            element.set_files(Some(&dropped));
        }
        upload();
    };
    let remove = move |id: i64| {
        files.update(|f| f.retain(|f| f.id != id));
        removed.run(id);
        #[cfg(feature = "hydrate")]
        if let Ok(request) = web_sys::XmlHttpRequest::new()
            && request.open("DELETE", &format!("/api/v1/uploads/{id}")).is_ok()
        {
            let _ = request.send();
        }
    };
    let hint_id = format!("{input_id}-hint");
    view! {
        <div class="stack pending-files">
            <div class="drop-zone" class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
                data-testid=format!("{input_id}-drop-zone")>
                <label for=input_id>{t("field-attachments")}</label>
                <input id=input_id type="file" multiple node_ref=input aria-describedby=hint_id.clone()
                    on:change=move |_| upload()/>
                <small id=hint_id>{t("hint-attachments")}</small>
            </div>
            <p role="status" class="attach-status">
                {move || progress.get().map(|p| view! {
                    <progress max="100" value=p.to_string() aria-label=move_tr_static("field-attachments")></progress>
                    " "{t_args("attach-progress", &[("percent", p.to_string())])}
                })}
            </p>
            {move || refused.get().map(|text| view! { <p class="error" role="alert" data-testid="upload-refused">{text}</p> })}
            <ul class="chosen" data-testid=input_id>
                {move || files.get().into_iter().map(|f| {
                    let id = f.id;
                    let name = f.file_name.clone();
                    view! {
                        <li>
                            {f.file_name.clone()}" "<small>{format_size(f.size)}</small>" "
                            <button type="button" class="link-button" on:click=move |_| remove(id)>
                                {t_args("attach-remove", &[("name", name.clone())])}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// `2.4 MB`, `310 KB`, `12 B` ("2,4 Mo" in French), in the reader's language.
pub fn format_size(bytes: i64) -> String {
    let bytes = bytes.max(0);
    match bytes {
        b if b >= 1_000_000 => {
            let tenths = (b + 50_000) / 100_000;
            t_args("size-mb", &[("whole", (tenths / 10).to_string()), ("tenth", (tenths % 10).to_string())])()
        }
        b if b >= 1_000 => t_args("size-kb", &[("size", (b / 1_000).to_string())])(),
        b => t_args("size-b", &[("size", b.to_string())])(),
    }
}
