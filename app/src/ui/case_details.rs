//! A case's details (version, environment, impact, contact...) as a definition list: on
//! the wizard's review step and on the case page.

use leptos::prelude::*;

use super::i18n::{label, label_now, language_now, t};
use crate::formatting::{self, Width};
use crate::domain::CaseDetails;

/// What the wizard asked beyond the summary, as a list of what was given (nothing for an
/// empty answer). Text is text: nothing here is read as HTML.
#[component]
pub fn DetailsList(details: CaseDetails) -> impl IntoView {
    let mut rows: Vec<(&'static str, String)> = Vec::new();
    let mut line = |field: &'static str, value: String| {
        if !value.trim().is_empty() {
            rows.push((field, value));
        }
    };
    line("version", details.version.clone());
    line("build", details.build.clone());
    line("symptoms", details.symptoms.clone());
    line("error_message", details.error_message.clone());
    line("steps_to_reproduce", details.steps_to_reproduce.clone());
    line("os", details.os.clone());
    line("architecture", details.architecture.map(|a| label_now("architecture", a.as_str())).unwrap_or_default());
    line("browser", details.browser.clone());
    line("impact", details.impact.clone());
    line("stakes", details.stakes.iter().map(|s| label_now("stake", s.as_str())).collect::<Vec<_>>().join(", "));
    line("deadline", details.deadline.map(|d| d.to_string()).unwrap_or_default());
    line("affected", details.affected.clone());
    line("contact_channel", label_now("channel", details.contact_channel.as_str()));
    if let Some(c) = &details.callback {
        let language = language_now();
        let separator = t("list-separator")();
        let days =
            c.days.iter().map(|&d| formatting::weekday(d, &language, Width::Long)).collect::<Vec<_>>().join(&separator);
        line("callback_phone", c.phone.clone());
        line(
            "callback",
            format!("{days}{separator}{}–{} ({})", c.from.strftime("%H:%M"), c.until.strftime("%H:%M"), c.time_zone),
        );
    }
    view! {
        <dl class="case-details" data-testid="case-details">
            {rows.into_iter().map(|(field, value)| view! {
                <dt>{label("field", field)}</dt><dd class="pre">{value}</dd>
            }).collect_view()}
        </dl>
    }
}
