//! Attaching files on a case page: drop files on the zone or choose them, see the upload's
//! progress, read why a file was refused. The browser posts the files to the REST endpoint
//! (the session cookie goes with it); the server checks every file.

use leptos::prelude::*;

use super::i18n::{move_tr_static, t, t_args};
use crate::domain::{CaseDraft, DraftFile};

/// What the form says after an upload.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Outcome {
    Attached,
    Refused(String),
}

#[component]
pub fn AttachFiles(number: Memo<i64>) -> impl IntoView {
    let progress = RwSignal::new(None::<u32>);
    let outcome = RwSignal::new(None::<Outcome>);
    let chosen = RwSignal::new(Vec::<String>::new());
    let dragging = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();

    let names_of = move || -> Vec<String> {
        #[cfg(feature = "hydrate")]
        if let Some(files) = input.get_untracked().and_then(|i| i.files()) {
            return (0..files.length()).filter_map(|i| files.get(i)).map(|f| f.name()).collect();
        }
        Vec::new()
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        #[cfg(feature = "hydrate")]
        if let (Some(files), Some(input)) = (ev.data_transfer().and_then(|d| d.files()), input.get_untracked()) {
            input.set_files(Some(&files));
        }
        chosen.set(names_of());
        outcome.set(None);
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if names_of().is_empty() {
            outcome.set(Some(Outcome::Refused(t("attach-choose")())));
            return;
        }
        #[cfg(feature = "hydrate")]
        send(number.get_untracked(), input, progress, outcome, chosen);
        #[cfg(not(feature = "hydrate"))]
        let _ = number;
    };
    view! {
        <form class="stack attach-form" on:submit=on_submit>
            <h2 id="attach-title">{t("attach-title")}</h2>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
                data-testid="drop-zone"
            >
                <label for="attach-files">{t("attach-help")}</label>
                <input id="attach-files" type="file" name="file" multiple node_ref=input
                    on:change=move |_| { chosen.set(names_of()); outcome.set(None); }/>
                <ul class="chosen">
                    {move || chosen.get().into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}
                </ul>
            </div>
            <button type="submit" disabled=move || progress.get().is_some()>{t("attach-submit")}</button>
            <p role="status" class="attach-status">
                {move || progress.get().map(|p| view! {
                    <progress max="100" value=p.to_string() aria-labelledby="attach-title"></progress>
                    " "{t_args("attach-progress", &[("percent", p.to_string())])}
                })}
                {move || match outcome.get() {
                    Some(Outcome::Attached) => t("attach-done")(),
                    _ => String::new(),
                }}
            </p>
            {move || match outcome.get() {
                Some(Outcome::Refused(text)) => Some(view! { <p class="error" role="alert">{text}</p> }),
                _ => None,
            }}
        </form>
    }
}

/// Posts the chosen files with their progress; a retry of the same choice carries the same
/// idempotency key, so it attaches nothing twice.
#[cfg(feature = "hydrate")]
fn send(
    number: i64,
    input: NodeRef<leptos::html::Input>,
    progress: RwSignal<Option<u32>>,
    outcome: RwSignal<Option<Outcome>>,
    chosen: RwSignal<Vec<String>>,
) {
    let key = web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default();
    post_files(&format!("/api/v1/cases/{number}/attachments"), &key, input, progress, move |result| match result {
        Ok(_) => {
            outcome.set(Some(Outcome::Attached));
            chosen.set(Vec::new());
        }
        Err(message) => outcome.set(Some(Outcome::Refused(message))),
    });
}

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

/// Files for a case not filed yet (the wizard's situation step): each choice or drop is
/// uploaded at once, with its progress; a refused file is said at once and nothing else on
/// the form changes. The files join the case when it is opened.
#[component]
pub fn DraftFiles(files: RwSignal<Vec<DraftFile>>, draft: RwSignal<CaseDraft>) -> impl IntoView {
    let progress = RwSignal::new(None::<u32>);
    let refused = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let upload = move || {
        refused.set(None);
        #[cfg(feature = "hydrate")]
        post_files("/api/v1/uploads", "", input, progress, move |result| match result {
            Ok(body) => match serde_json::from_str::<Vec<DraftFile>>(&body) {
                Ok(added) => {
                    draft.update(|d| d.attachments.extend(added.iter().map(|f| f.id)));
                    files.update(|f| f.extend(added));
                }
                Err(_) => refused.set(Some(t("attach-failed")())),
            },
            Err(message) => refused.set(Some(message)),
        });
    };
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
        draft.update(|d| d.attachments.retain(|a| *a != id));
        #[cfg(feature = "hydrate")]
        if let Ok(request) = web_sys::XmlHttpRequest::new()
            && request.open("DELETE", &format!("/api/v1/uploads/{id}")).is_ok()
        {
            let _ = request.send();
        }
    };
    view! {
        <div class="stack">
            <div class="drop-zone" class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
                data-testid="draft-drop-zone">
                <label for="draft-files">{t("field-attachments")}</label>
                <input id="draft-files" type="file" name="file" multiple node_ref=input aria-describedby="draft-files-hint"
                    on:change=move |_| upload()/>
                <small id="draft-files-hint">{t("hint-attachments")}</small>
            </div>
            <p role="status" class="attach-status">
                {move || progress.get().map(|p| view! {
                    <progress max="100" value=p.to_string() aria-label=move_tr_static("field-attachments")></progress>
                    " "{t_args("attach-progress", &[("percent", p.to_string())])}
                })}
            </p>
            {move || refused.get().map(|text| view! { <p class="error" role="alert" data-testid="upload-refused">{text}</p> })}
            <ul class="chosen" data-testid="draft-files">
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

/// `2.4 MB`, `310 KB`, `12 B`.
fn format_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1_000_000.0),
        b if b >= 1_000 => format!("{} KB", b / 1_000),
        b => format!("{b} B"),
    }
}
