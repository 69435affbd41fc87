//! The metrics panel: what the run measured so far (availability, operations, latency, messages
//! per operation, two-phase commit's blocked time), the chart of availability and latency over
//! time, and the recovery of each fault.

use std::rc::Rc;

use quorum_engine::metrics::{MetricsReport, Percentiles};
use quorum_engine::model::types::Micros;
use yew::prelude::*;

use super::metrics_chart::MetricsChart;
use super::recovery_bars::RecoveryBars;
use crate::anim::Drawn;
use crate::i18n::{fill, tr, Lang, Msg};
use crate::numbers::{duration, fixed};
use crate::state::MetricsView;

/// Props of the metrics panel.
#[derive(Properties, PartialEq, Clone)]
pub struct MetricsProps {
    /// What the run measured (`None`: the panel is closed).
    pub metrics: Option<Rc<MetricsView>>,
    /// The present.
    pub now: Micros,
    /// The chart's canvas, drawn by the animation loop.
    pub chart: NodeRef,
    /// The canvases as last drawn (where a click on the chart goes).
    pub drawn: Rc<Drawn>,
    /// Moves the timeline to a time.
    pub onseek: Callback<Micros>,
    /// The interface's language.
    pub lang: Lang,
}

/// The metrics panel; nothing while it is closed.
#[function_component(MetricsPanel)]
pub fn metrics_panel(props: &MetricsProps) -> Html {
    let Some(m) = &props.metrics else {
        return html! {};
    };
    let lang = props.lang;
    html! {
        <section class="panel metrics" data-testid="metrics" aria-labelledby="metrics-title">
            <h2 id="metrics-title">{ tr(lang, Msg::Metrics) }</h2>
            <div class="metrics-top">
                { summary(lang, &m.report) }
                <MetricsChart chart={props.chart.clone()} drawn={props.drawn.clone()} onseek={props.onseek.clone()} {lang} />
            </div>
            <RecoveryBars faults={m.report.faults.clone()} now={props.now} onseek={props.onseek.clone()} {lang} />
        </section>
    }
}

/// The summary table.
fn summary(lang: Lang, r: &MetricsReport) -> Html {
    let row = |name: Msg, id: &'static str, value: String| {
        html! { <tr><th scope="row">{ tr(lang, name) }</th><td data-testid={id}>{ value }</td></tr> }
    };
    let counts = [r.ok, r.fail, r.info].map(|n| n.to_string());
    let [ok, fail, info] = counts.each_ref().map(String::as_str);
    html! {
        <table class="metrics-summary" data-testid="metrics-summary">
            <tbody>
                { row(Msg::Availability, "metrics-availability", format!("{} %", fixed(r.availability * 100.0, 2))) }
                { row(Msg::Unavailable, "metrics-unavailable", duration(r.unavailable)) }
                { row(Msg::Operations, "metrics-operations", fill(lang, Msg::OperationCounts, &[ok, fail, info])) }
                { row(Msg::Throughput, "metrics-throughput", fill(lang, Msg::OpsPerSec, &[&fixed(r.throughput, 1)])) }
                { row(Msg::Latency, "metrics-latency", latency(&r.latency)) }
                { row(Msg::MessagesPerOp, "metrics-messages", fixed(r.messages_per_op, 1)) }
                if r.blocked_total > 0 {
                    { row(Msg::Blocked, "metrics-blocked", fill(lang, Msg::BlockedWaits, &[&duration(r.blocked_total), &r.blocked.count.to_string()])) }
                }
            </tbody>
        </table>
    }
}

fn latency(p: &Percentiles) -> String {
    let each = [p.p50, p.p95, p.p99].map(|v| v.map_or("—".into(), duration));
    each.join(" / ")
}
