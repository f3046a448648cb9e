//! Step 1: the kind of request, the product, its version and build (and whether support
//! still covers that version).

use leptos::prelude::*;

use super::fields::{EnumSelect, LineField};
use super::state::Wizard;
use crate::domain::product::PRODUCT_MAX_CHARS;
use crate::domain::{CaseKind, ProductLine, VersionSupport};
use crate::error::AppError;
use crate::ui::i18n::t_args;

#[component]
pub(super) fn RequestStep(wizard: Wizard, products: Resource<Result<Vec<ProductLine>, AppError>>) -> impl IntoView {
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
        <LineField wizard field="product" hint=true list="product-list" max=PRODUCT_MAX_CHARS
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
