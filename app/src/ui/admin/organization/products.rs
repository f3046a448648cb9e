//! The organization's products: their versions (newest first) and how many major versions
//! support covers; adding one, and editing one's versions.

use leptos::html;
use leptos::prelude::*;

use super::OrganizationActions;
use crate::api::admin_organizations::SaveOrganizationProduct;
use crate::domain::ProductLine;
use crate::ui::admin::organizations::{field_error, form_error, refusal};
use crate::ui::i18n::{t, t_args};

/// Which product form the latest save came from: the add form, or a product's edit row.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ProductForm {
    Add,
    Edit(String),
}

/// The product being edited (by name) and which form saved last.
#[derive(Clone, Copy)]
struct ProductsState {
    editing: RwSignal<Option<String>>,
    last: RwSignal<Option<ProductForm>>,
}

#[component]
pub(super) fn ProductsSection(products: Vec<ProductLine>) -> impl IntoView {
    let state = ProductsState { editing: RwSignal::new(None), last: RwSignal::new(None) };
    provide_context(state);
    let rows = if products.is_empty() {
        view! { <p class="lead">{t("admin-org-products-none")}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="contacts admin-products">
                    <caption class="visually-hidden">{t("admin-org-products")}</caption>
                    <thead><tr>
                        <th scope="col">{t("field-product")}</th>
                        <th scope="col">{t("field-versions")}</th>
                        <th scope="col">{t("admin-org-latest")}</th>
                        <th scope="col">{t("field-supported_majors")}</th>
                        <th scope="col">{t("admin-org-actions")}</th>
                    </tr></thead>
                    <tbody>
                        {products.into_iter().map(|product| view! { <ProductRow product/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="products-title" class="admin-section">
            <h2 id="products-title">{t("admin-org-products")}</h2>
            <SavedProduct/>
            {rows}
            <AddProductForm/>
        </section>
    }
    .into_any()
}

/// What the latest product save did, above the table (the edit row closes when it succeeds).
#[component]
fn SavedProduct() -> impl IntoView {
    let actions = expect_context::<OrganizationActions>();
    let text = move || {
        actions
            .product
            .value()
            .get()
            .and_then(Result::ok)
            .map(|p| t_args("admin-org-product-saved", &[("name", p.name)])())
    };
    view! { <p role="status" class="saved" data-testid="product-saved">{text}</p> }
}

#[component]
fn ProductRow(product: ProductLine) -> impl IntoView {
    let state = expect_context::<ProductsState>();
    let name = product.name.clone();
    let editing = {
        let name = name.clone();
        move || state.editing.get().as_deref() == Some(name.as_str())
    };
    let start = {
        let name = name.clone();
        move |_| state.editing.set(Some(name.clone()))
    };
    let label = t_args("admin-org-product-edit-named", &[("name", name.clone())]);
    view! {
        <tr data-product=name.clone()>
            <th scope="row">{name.clone()}</th>
            <td>{product.versions.join(", ")}</td>
            <td>{product.latest_version.clone()}</td>
            <td>{product.supported_majors}</td>
            <td>
                <button type="button" class="button small secondary" aria-label=label on:click=start>
                    {t("admin-org-product-edit")}
                </button>
            </td>
        </tr>
        <Show when=editing.clone()>
            <EditProductRow product=product.clone()/>
        </Show>
    }
    .into_any()
}

/// A product's versions and supported majors, saved over what was there.
#[component]
fn EditProductRow(product: ProductLine) -> impl IntoView {
    let actions = expect_context::<OrganizationActions>();
    let state = expect_context::<ProductsState>();
    let save = actions.product;
    let first = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first.get() {
            let _ = input.focus();
        }
    });
    let name = product.name.clone();
    let versions = RwSignal::new(product.versions.join(", "));
    let majors = RwSignal::new(product.supported_majors.to_string());
    let here = {
        let name = name.clone();
        move || state.last.get() == Some(ProductForm::Edit(name.clone()))
    };
    let error = Signal::derive({
        let here = here.clone();
        move || if here() { refusal(save.value().get()) } else { None }
    });
    let versions_error = field_error(error, "versions");
    let majors_error = field_error(error, "supported_majors");
    let other_error = form_error(error, &["versions", "supported_majors"]);
    let submit = {
        let name = name.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            state.last.set(Some(ProductForm::Edit(name.clone())));
            save.dispatch(SaveOrganizationProduct {
                slug: actions.slug.get_untracked(),
                name: name.clone(),
                versions: versions.get_untracked(),
                supported_majors: majors.get_untracked(),
                replace: Some("on".into()),
            });
        }
    };
    let key = name.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    let (versions_id, majors_id, title_id) =
        (format!("edit-{key}-versions"), format!("edit-{key}-majors"), format!("edit-{key}-title"));
    let labelled_by = title_id.clone();
    view! {
        <tr class="editing">
            <td colspan="5">
                <form class="edit-contact" aria-labelledby=labelled_by on:submit=submit>
                    <h3 id=title_id>{t_args("admin-org-product-edit-title", &[("name", name.clone())])}</h3>
                    <div class="fields">
                        <label for=versions_id.clone()>{t("field-versions")}</label>
                        <input id=versions_id.clone() node_ref=first required autocomplete="off" spellcheck="false"
                            prop:value=versions on:input=move |ev| versions.set(event_target_value(&ev))
                            aria-describedby=format!("{versions_id}-hint {versions_id}-error")
                            aria-invalid=move || versions_error().is_some().to_string()/>
                        <small id=format!("{versions_id}-hint")>{t("admin-org-versions-hint")}</small>
                        <p class="error" id=format!("{versions_id}-error") role="alert">{versions_error}</p>
                        <label for=majors_id.clone()>{t("field-supported_majors")}</label>
                        <input id=majors_id.clone() type="number" min="1" max="100" required
                            prop:value=majors on:input=move |ev| majors.set(event_target_value(&ev))
                            aria-describedby=format!("{majors_id}-error")
                            aria-invalid=move || majors_error().is_some().to_string()/>
                        <p class="error" id=format!("{majors_id}-error") role="alert">{majors_error}</p>
                    </div>
                    <p class="error" role="alert">{other_error}</p>
                    <div class="buttons">
                        <button type="submit" class="button" disabled=move || save.pending().get()>{t("admin-org-save")}</button>
                        <button type="button" class="button secondary" on:click=move |_| state.editing.set(None)>
                            {t("admin-org-cancel")}
                        </button>
                    </div>
                </form>
            </td>
        </tr>
    }
    .into_any()
}

/// Adds a product: its name, versions (newest first) and supported majors.
#[component]
fn AddProductForm() -> impl IntoView {
    let actions = expect_context::<OrganizationActions>();
    let state = expect_context::<ProductsState>();
    let save = actions.product;
    let name = RwSignal::new(String::new());
    let versions = RwSignal::new(String::new());
    let majors = RwSignal::new("2".to_owned());
    let error =
        Signal::derive(
            move || {
                if state.last.get() == Some(ProductForm::Add) { refusal(save.value().get()) } else { None }
            },
        );
    let name_error = field_error(error, "name");
    let versions_error = field_error(error, "versions");
    let majors_error = field_error(error, "supported_majors");
    let other_error = form_error(error, &["name", "versions", "supported_majors"]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.last.set(Some(ProductForm::Add));
        save.dispatch(SaveOrganizationProduct {
            slug: actions.slug.get_untracked(),
            name: name.get_untracked(),
            versions: versions.get_untracked(),
            supported_majors: majors.get_untracked(),
            replace: None,
        });
    };
    view! {
        <h3 id="add-product-title">{t("admin-org-product-add")}</h3>
        <form class="stack card admin-form" aria-labelledby="add-product-title" on:submit=submit>
            <label for="product-name">{t("field-product")}</label>
            <input id="product-name" required maxlength="100" autocomplete="off" prop:value=name
                on:input=move |ev| name.set(event_target_value(&ev))
                aria-describedby="product-name-error" aria-invalid=move || name_error().is_some().to_string()/>
            <p class="error" id="product-name-error" role="alert">{name_error}</p>
            <label for="product-versions">{t("field-versions")}</label>
            <input id="product-versions" required autocomplete="off" spellcheck="false" prop:value=versions
                on:input=move |ev| versions.set(event_target_value(&ev))
                aria-describedby="product-versions-hint product-versions-error"
                aria-invalid=move || versions_error().is_some().to_string()/>
            <small id="product-versions-hint">{t("admin-org-versions-hint")}</small>
            <p class="error" id="product-versions-error" role="alert">{versions_error}</p>
            <label for="product-majors">{t("field-supported_majors")}</label>
            <input id="product-majors" type="number" min="1" max="100" required prop:value=majors
                on:input=move |ev| majors.set(event_target_value(&ev))
                aria-describedby="product-majors-hint product-majors-error"
                aria-invalid=move || majors_error().is_some().to_string()/>
            <small id="product-majors-hint">{t("admin-org-majors-hint")}</small>
            <p class="error" id="product-majors-error" role="alert">{majors_error}</p>
            <p class="error" role="alert">{other_error}</p>
            <button type="submit" class="button" disabled=move || save.pending().get()>{t("admin-org-product-add-submit")}</button>
        </form>
    }
    .into_any()
}
