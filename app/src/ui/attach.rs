//! Attaching files on a case page: drop files on the zone or choose them, see the upload's
//! progress, read why a file was refused. The browser posts the files to the REST endpoint
//! (the session cookie goes with it); the server checks every file.

use leptos::prelude::*;

use super::i18n::{t, t_args};

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
    let key = web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default();
    if request.open("POST", &format!("/api/v1/cases/{number}/attachments")).is_err() {
        return;
    }
    let _ = request.set_request_header("Idempotency-Key", &key);
    progress.set(Some(0));
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
        if ev.length_computable() && ev.total() > 0.0 {
            progress.set(Some(((ev.loaded() / ev.total()) * 100.0).round() as u32));
        }
    });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let done = request.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        let status = done.status().unwrap_or(0);
        if status == 201 {
            outcome.set(Some(Outcome::Attached));
            chosen.set(Vec::new());
            if let Some(element) = input.get_untracked() {
                element.set_value("");
            }
        } else {
            let text = done.response_text().ok().flatten().unwrap_or_default();
            let message = match serde_json::from_str::<crate::error::AppError>(&text) {
                Ok(error) => super::i18n::error_text(&error),
                Err(_) if status == 413 => t("attach-too-large")(),
                Err(_) => t("attach-failed")(),
            };
            outcome.set(Some(Outcome::Refused(message)));
        }
    });
    let on_error = Closure::<dyn FnMut()>::new(move || {
        progress.set(None);
        outcome.set(Some(Outcome::Refused(t("attach-failed")())));
    });
    request.set_onload(Some(on_load.as_ref().unchecked_ref()));
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The request owns its handlers from here until it ends.
    on_progress.forget();
    on_load.forget();
    on_error.forget();
    if request.send_with_opt_form_data(Some(&form)).is_err() {
        progress.set(None);
        outcome.set(Some(Outcome::Refused(t("attach-failed")())));
    }
}
