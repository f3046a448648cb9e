//! `/reports`: support metrics over a period (support, admins, and an organization's
//! admins for their own organization). A plain GET form (it works before the script has
//! loaded), the metric's definition, a bar chart drawn as SVG with a title and a
//! description, and the same figures as a table (the chart's text alternative).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::reports::load_report;
use crate::domain::metrics::{GroupBy, Metric, Report, ReportGroup};
use crate::ui::error_view::error_view;
use crate::ui::i18n::{move_tr_static, t, tr_known};

/// The message id of a metric's name and of its definition.
fn metric_ids(metric: Metric) -> (&'static str, &'static str) {
    match metric {
        Metric::FirstResponse => ("reports-metric-first_response", "reports-definition-first_response"),
        Metric::Resolution => ("reports-metric-resolution", "reports-definition-resolution"),
        Metric::SlaAchievement => ("reports-metric-sla_achievement", "reports-definition-sla_achievement"),
        Metric::Backlog => ("reports-metric-backlog", "reports-definition-backlog"),
        Metric::ReopenRate => ("reports-metric-reopen_rate", "reports-definition-reopen_rate"),
        Metric::OneTouch => ("reports-metric-one_touch", "reports-definition-one_touch"),
    }
}

fn group_id(group_by: GroupBy) -> &'static str {
    match group_by {
        GroupBy::Organization => "reports-group-organization",
        GroupBy::Plan => "reports-group-plan",
        GroupBy::Severity => "reports-group-severity",
        GroupBy::Engineer => "reports-group-engineer",
        GroupBy::Product => "reports-group-product",
        GroupBy::Week => "reports-group-week",
    }
}

/// The figure a bar shows: a median in seconds, a share, or a count.
fn bar_value(metric: Metric, group: &ReportGroup) -> f64 {
    match metric {
        Metric::FirstResponse | Metric::Resolution => group.median_seconds.unwrap_or(0) as f64,
        Metric::SlaAchievement | Metric::ReopenRate | Metric::OneTouch => group.value.unwrap_or(0.0) * 100.0,
        Metric::Backlog => group.count as f64,
    }
}

/// A duration in hours and minutes (`3 h 05 min`), or a dash.
fn duration_text(seconds: Option<i64>) -> String {
    match seconds {
        None => "—".into(),
        Some(s) if s < 3600 => format!("{} min", s / 60),
        Some(s) => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

fn bar_text(metric: Metric, group: &ReportGroup) -> String {
    match metric {
        Metric::FirstResponse | Metric::Resolution => duration_text(group.median_seconds),
        Metric::SlaAchievement | Metric::ReopenRate | Metric::OneTouch => {
            group.value.map_or_else(|| "—".into(), |v| format!("{:.0} %", v * 100.0))
        }
        Metric::Backlog => group.count.to_string(),
    }
}

fn option_text(value: Option<i64>) -> String {
    value.map_or_else(|| "—".into(), |v| v.to_string())
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let url = use_query_map();
    let param = move |key: &str| url.read().get(key).unwrap_or_default();
    let metric = Memo::new(move |_| Metric::parse(&param("metric")).unwrap_or(Metric::FirstResponse));
    let group_by = Memo::new(move |_| GroupBy::parse(&param("group_by")).unwrap_or(GroupBy::Organization));
    let from = Memo::new(move |_| param("from"));
    let to = Memo::new(move |_| param("to"));
    let result = Resource::new(
        move || (metric.get(), from.get(), to.get(), group_by.get()),
        |(metric, from, to, group_by)| load_report(metric.as_str().into(), from, to, group_by.as_str().into()),
    );
    view! {
        <Title text=move_tr_static("reports-title")/>
        <h1>{t("reports-title")}</h1>
        <form method="get" action="/reports" class="report-form">
            <label>
                {t("reports-metric")}
                <select name="metric">
                    {Metric::ALL.into_iter().map(|m| view! {
                        <option value=m.as_str() selected=move || metric.get() == m>{t(metric_ids(m).0)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {t("reports-group-by")}
                <select name="group_by">
                    {GroupBy::ALL.into_iter().map(|g| view! {
                        <option value=g.as_str() selected=move || group_by.get() == g>{t(group_id(g))}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t("reports-from")}<input type="date" name="from" prop:value=move || from.get()/></label>
            <label>{t("reports-to")}<input type="date" name="to" prop:value=move || to.get()/></label>
            <button type="submit" class="button">{t("reports-show")}</button>
        </form>
        <p class="hint">{t("reports-period-hint")}</p>
        <Transition fallback=move || view! { <p>{t("loading")}</p> }>
            {move || result.get().map(|answer| match answer {
                Err(e) => error_view(e),
                Ok(report) => view! { <ReportView report group_by=group_by.get_untracked()/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ReportView(report: Report, group_by: GroupBy) -> impl IntoView {
    let metric = report.metric;
    let (name_id, definition_id) = metric_ids(metric);
    // The definition in the reader's language; the English one from the server otherwise.
    let definition = tr_known(definition_id).unwrap_or(report.definition.clone());
    if report.groups.is_empty() {
        return view! {
            <h2>{t(name_id)}</h2>
            <p class="definition">{definition}</p>
            <p role="status">{t("reports-empty")}</p>
        }
        .into_any();
    }
    let groups = report.groups;
    let max = groups.iter().map(|g| bar_value(metric, g)).fold(0.0_f64, f64::max).max(1.0);
    const ROW: f64 = 28.0;
    const LABEL: f64 = 180.0;
    const WIDTH: f64 = 640.0;
    let height = ROW * groups.len() as f64 + 8.0;
    let bars = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let y = 4.0 + i as f64 * ROW;
            let width = (bar_value(metric, g) / max) * (WIDTH - LABEL - 90.0);
            let key = if g.key.is_empty() { "—".to_owned() } else { g.key.clone() };
            let text = bar_text(metric, g);
            view! {
                <g>
                    <title>{format!("{key}: {text}")}</title>
                    <text x=LABEL - 8.0 y=y + 18.0 text-anchor="end">{key.clone()}</text>
                    <rect x=LABEL y=y + 4.0 width=width.max(1.0) height=ROW - 10.0 class="report-bar"></rect>
                    <text x=LABEL + width + 6.0 y=y + 18.0>{text}</text>
                </g>
            }
        })
        .collect_view();
    let rows = groups
        .iter()
        .map(|g| {
            let value = g.value.map_or_else(|| "—".into(), |v| format!("{:.1} %", v * 100.0));
            view! {
                <tr>
                    <th scope="row">{if g.key.is_empty() { "—".to_owned() } else { g.key.clone() }}</th>
                    <td>{g.count}</td>
                    <td>{duration_text(g.median_seconds)}</td>
                    <td>{duration_text(g.p90_seconds)}</td>
                    <td>{duration_text(g.business_median_seconds)}</td>
                    <td>{option_text(g.achieved)}</td>
                    <td>{option_text(g.breached)}</td>
                    <td>{option_text(g.running)}</td>
                    <td>{value}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id="report-name">{t(name_id)}</h2>
        <p class="definition" id="report-definition">{definition}</p>
        <figure class="report-chart">
            <svg role="img" aria-labelledby="report-chart-title report-chart-desc" width="100%"
                viewBox=format!("0 0 {WIDTH} {height}") preserveAspectRatio="xMinYMin meet">
                <title id="report-chart-title">{t(name_id)}</title>
                <desc id="report-chart-desc">{t("reports-chart-desc")}</desc>
                {bars}
            </svg>
        </figure>
        <div class="table-scroll">
            <table class="report-table">
                <caption>{t(name_id)}" — "{t(group_id(group_by))}</caption>
                <thead><tr>
                    <th scope="col">{t(group_id(group_by))}</th>
                    <th scope="col">{t("reports-count")}</th>
                    <th scope="col">{t("reports-median")}</th>
                    <th scope="col">{t("reports-p90")}</th>
                    <th scope="col">{t("reports-business-median")}</th>
                    <th scope="col">{t("reports-achieved")}</th>
                    <th scope="col">{t("reports-breached")}</th>
                    <th scope="col">{t("reports-running")}</th>
                    <th scope="col">{t("reports-value")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
