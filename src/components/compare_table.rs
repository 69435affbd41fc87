//! The compare view's metric table: one column per protocol, a row per figure, and a row per
//! fault with its recovery broken down (detection, election, catch-up, until clients were served).

use std::rc::Rc;

use quorum_engine::metrics::{FaultReport, MetricsReport};
use yew::prelude::*;

use super::topbar::protocol_title;
use crate::i18n::{fill, tr, Lang, Msg};
use crate::numbers::{duration, fixed, moment};
use crate::state::CompareView;

/// Props of the metric table.
#[derive(Properties, PartialEq, Clone)]
pub struct CompareTableProps {
    /// What the compare view shows.
    pub view: Rc<CompareView>,
    /// The interface's language.
    pub lang: Lang,
}

/// One row's figure for one run.
type Figure = fn(Lang, &MetricsReport) -> String;

/// The rows: name, test id, figure.
const ROWS: [(Msg, &str, Figure); 6] = [
    (Msg::Availability, "compare-availability", |_, r| {
        format!("{} %", fixed(r.availability * 100.0, 2))
    }),
    (Msg::UnservedTime, "compare-unserved", |_, r| {
        duration(r.unavailable)
    }),
    (Msg::OkFailInfo, "compare-operations", |_, r| {
        format!("{} · {} · {}", r.ok, r.fail, r.info)
    }),
    (Msg::Latency, "compare-latency", |_, r| {
        let p = &r.latency;
        [p.p50, p.p95, p.p99]
            .map(|v| v.map_or("—".into(), duration))
            .join(" / ")
    }),
    (Msg::Throughput, "compare-throughput", |lang, r| {
        fill(lang, Msg::OpsPerSec, &[&fixed(r.throughput, 1)])
    }),
    (Msg::MessagesPerOp, "compare-messages", |_, r| {
        fixed(r.messages_per_op, 1)
    }),
];

/// The metric table.
#[function_component(CompareTable)]
pub fn compare_table(props: &CompareTableProps) -> Html {
    let (v, lang) = (&props.view, props.lang);
    let t = |m: Msg| tr(lang, m);
    let faults = v.reports.iter().map(|r| r.faults.len()).max().unwrap_or(0);
    html! {
        <section class="panel compare-metrics" aria-labelledby="compare-metrics-title">
            <h2 id="compare-metrics-title">{ t(Msg::SideBySide) }</h2>
            <table class="compare-table" data-testid="compare-table">
                <thead><tr>
                    <th scope="col">{ t(Msg::SoFar) }</th>
                    { for v.protocols.iter().map(|p| html! { <th scope="col">{ protocol_title(lang, p) }</th> }) }
                </tr></thead>
                <tbody>
                    { for ROWS.iter().map(|(name, id, figure)| html! {
                        <tr data-testid={*id}>
                            <th scope="row">{ t(*name) }</th>
                            { for v.reports.iter().map(|r| html! { <td>{ figure(lang, r) }</td> }) }
                        </tr>
                    }) }
                    { for (0..faults).map(|i| fault_row(lang, &v.reports, i)) }
                </tbody>
            </table>
            if faults > 0 {
                <p class="hint">{ t(Msg::RecoveryHint) }</p>
            }
        </section>
    }
}

/// Fault `i` of each run and its recovery.
fn fault_row(lang: Lang, reports: &[MetricsReport], i: usize) -> Html {
    let at = reports.iter().find_map(|r| r.faults.get(i)).map(|f| f.at);
    html! {
        <tr class="fault" data-testid="compare-fault">
            <th scope="row">{ fill(lang, Msg::FaultAt, &[&(i + 1).to_string(), &at.map_or("—".into(), moment)]) }</th>
            { for reports.iter().map(|r| match r.faults.get(i) {
                Some(f) => recovery(lang, f),
                None => html! { <td>{"—"}</td> },
            }) }
        </tr>
    }
}

fn recovery(lang: Lang, f: &FaultReport) -> Html {
    let part = |v: Option<u64>| v.map_or("—".into(), duration);
    html! {
        <td>
            <span class="what">{ f.what.clone() }</span>
            <span class="parts">
                <span>{ fill(lang, Msg::DetectD, &[&part(f.detection)]) }</span>{" · "}
                <span>{ fill(lang, Msg::ElectD, &[&part(f.election)]) }</span>{" · "}
                <span>{ fill(lang, Msg::CatchUpD, &[&part(f.catch_up)]) }</span>
            </span>
            <strong class="served">{ match f.recovery {
                Some(t) => fill(lang, Msg::ServedAfter, &[&duration(t)]),
                None => tr(lang, Msg::NotServedYet).into(),
            } }</strong>
        </td>
    }
}
