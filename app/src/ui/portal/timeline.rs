//! One entry of a case's timeline, in words: who did what, and the message or file.

use leptos::prelude::*;

use crate::domain::{CaseChange, CaseEvent, Resolution};
use crate::ui::assignment::reason_words;
use crate::ui::i18n::{label_now, status_label_now, t, t_args};
use crate::ui::local_time::LocalTime;
use crate::ui::sla::kind_id;

#[component]
pub(super) fn TimelineEntry(event: CaseEvent, #[prop(optional)] support: bool) -> impl IntoView {
    let actor = event.actor.clone();
    let change = event.change.clone();
    let event_actor = event.actor.clone();
    let text = move || {
        let actor = actor.clone().unwrap_or_else(|| t("someone")());
        match &change {
            CaseChange::Opened { no_sla: true, .. } => t_args("event-opened-maintenance", &[("actor", actor)])(),
            CaseChange::Opened { on_behalf: true, .. } => t_args("event-opened-for", &[("actor", actor)])(),
            CaseChange::Opened { .. } => t_args("event-opened", &[("actor", actor)])(),
            // The resolution is said once there is one ("Open" says nothing).
            CaseChange::StatusChanged { from, to, resolution } if *resolution == Resolution::Open => t_args(
                "event-status-moved",
                &[("actor", actor), ("from", status_label_now(*from, !support)), ("to", status_label_now(*to, !support))],
            )(),
            CaseChange::StatusChanged { from, to, resolution } => t_args(
                "event-status-changed",
                &[
                    ("actor", actor),
                    ("from", status_label_now(*from, !support)),
                    ("to", status_label_now(*to, !support)),
                    ("resolution", label_now("resolution", resolution)),
                ],
            )(),
            CaseChange::Reply { internal: true, .. } => t_args("event-internal-note", &[("actor", actor)])(),
            CaseChange::Reply { .. } => t_args("event-reply", &[("actor", actor)])(),
            CaseChange::Assigned { engineer: Some(engineer), reason: Some(reason), .. } => t_args(
                "event-assigned-auto",
                &[("engineer", engineer.clone()), ("reason", reason_words(reason))],
            )(),
            // Someone who assigns the case to themselves took it.
            CaseChange::Assigned { engineer: Some(engineer), .. } if event_actor.as_ref() == Some(engineer) => {
                t_args("event-took", &[("actor", actor)])()
            }
            CaseChange::Assigned { engineer: Some(engineer), .. } => {
                t_args("event-assigned", &[("actor", actor), ("engineer", engineer.clone())])()
            }
            CaseChange::Assigned { engineer: None, .. } => t_args("event-unassigned", &[("actor", actor)])(),
            CaseChange::Linked { kind, other } => t_args(
                "event-linked",
                &[("actor", actor), ("other", other.to_string()), ("kind", label_now("link", kind.as_str()))],
            )(),
            CaseChange::SlaWarning { clock } => {
                t_args("event-sla-warning", &[("clock", label_now("sla", kind_id(*clock)))])()
            }
            CaseChange::SlaBreached { clock } => {
                t_args("event-sla-breached", &[("clock", label_now("sla", kind_id(*clock)))])()
            }
            CaseChange::Attached { .. } => t_args("event-attached", &[("actor", actor)])(),
            CaseChange::SeverityChanged { from, to } => t_args(
                "event-severity-changed",
                &[("actor", actor), ("from", label_now("severity", from.level())), ("to", label_now("severity", to.level()))],
            )(),
            CaseChange::SeverityRaiseRequested { to, .. } => t_args(
                "event-severity-raise-requested",
                &[("actor", actor), ("to", label_now("severity", to.level()))],
            )(),
            CaseChange::TimeLogged { minutes, activity, billable, overage_minutes, .. } => t_args(
                if *billable { "event-time-logged-billable" } else { "event-time-logged" },
                &[
                    ("actor", actor),
                    ("duration", crate::ui::hours::minutes_words(*minutes)),
                    ("activity", label_now("activity", activity.as_str())),
                    ("overage", crate::ui::hours::minutes_words(*overage_minutes)),
                    ("has_overage", if *overage_minutes > 0 { "yes" } else { "no" }.to_owned()),
                ],
            )(),
        }
    };
    let attachment = match &event.change {
        CaseChange::Attached { attachment_id, file_name, size, .. } => Some((
            format!("/api/v1/cases/{}/attachments/{attachment_id}", event.case.0),
            format!("{file_name} ({})", crate::ui::attach::format_size(*size)),
        )),
        _ => None,
    };
    let (class, body) = match &event.change {
        CaseChange::Reply { body, internal: true, .. } => ("internal-note", Some(body.clone())),
        CaseChange::Reply { body, .. } => ("reply", Some(body.clone())),
        CaseChange::SeverityRaiseRequested { reason, .. } => ("raise-request", Some(reason.clone())),
        _ => ("", None),
    };
    view! {
        <li class=class>
            <LocalTime at=event.at/>
            " "
            <span>{text}</span>
            {body.map(|body| view! { <div class="message">{body}</div> })}
            {attachment.map(|(href, name)| view! { <a class="attachment" href=href download="">{name}</a> })}
        </li>
    }
}
