//! The compare view's metric table: one column per protocol, a row per figure, and a row per
//! fault with its recovery broken down (detection, election, catch-up, until clients were served).

use std::rc::Rc;

use quorum_engine::metrics::{FaultReport, MetricsReport};
use yew::prelude::*;

use super::topbar::protocol_title;
use crate::numbers::{duration, fixed, moment};
use crate::state::CompareView;

/// Props of the metric table.
#[derive(Properties, PartialEq, Clone)]
pub struct CompareTableProps {
    /// What the compare view shows.
    pub view: Rc<CompareView>,
}

/// One row's figure for one run.
type Figure = fn(&MetricsReport) -> String;

/// The rows: name, test id, figure.
const ROWS: [(&str, &str, Figure); 6] = [
    ("Availability", "compare-availability", |r| {
        format!("{} %", fixed(r.availability * 100.0, 2))
    }),
    ("Unserved time", "compare-unserved", |r| {
        duration(r.unavailable)
    }),
    ("Ok · fail · info", "compare-operations", |r| {
        format!("{} · {} · {}", r.ok, r.fail, r.info)
    }),
    ("Latency p50/p95/p99", "compare-latency", |r| {
        let p = &r.latency;
        [p.p50, p.p95, p.p99]
            .map(|v| v.map_or("—".into(), duration))
            .join(" / ")
    }),
    ("Throughput", "compare-throughput", |r| {
        format!("{} ops/s", fixed(r.throughput, 1))
    }),
    ("Messages per op", "compare-messages", |r| {
        fixed(r.messages_per_op, 1)
    }),
];

/// The metric table.
#[function_component(CompareTable)]
pub fn compare_table(props: &CompareTableProps) -> Html {
    let v = &props.view;
    let faults = v.reports.iter().map(|r| r.faults.len()).max().unwrap_or(0);
    html! {
        <section class="panel compare-metrics" aria-labelledby="compare-metrics-title">
            <h2 id="compare-metrics-title">{"Metrics, side by side"}</h2>
            <table class="compare-table" data-testid="compare-table">
                <thead><tr>
                    <th scope="col">{"So far"}</th>
                    { for v.protocols.iter().map(|p| html! { <th scope="col">{ protocol_title(p) }</th> }) }
                </tr></thead>
                <tbody>
                    { for ROWS.iter().map(|(name, id, figure)| html! {
                        <tr data-testid={*id}>
                            <th scope="row">{ *name }</th>
                            { for v.reports.iter().map(|r| html! { <td>{ figure(r) }</td> }) }
                        </tr>
                    }) }
                    { for (0..faults).map(|i| fault_row(&v.reports, i)) }
                </tbody>
            </table>
            if faults > 0 {
                <p class="hint">{"Recovery: detection (fault to first reaction) · election (to a new leader) · catch-up (to the first commit) · served (fault to the first completed client operation)."}</p>
            }
        </section>
    }
}

/// Fault `i` of each run and its recovery.
fn fault_row(reports: &[MetricsReport], i: usize) -> Html {
    let at = reports.iter().find_map(|r| r.faults.get(i)).map(|f| f.at);
    html! {
        <tr class="fault" data-testid="compare-fault">
            <th scope="row">{ format!("Fault {} at {}", i + 1, at.map_or("—".into(), moment)) }</th>
            { for reports.iter().map(|r| match r.faults.get(i) {
                Some(f) => recovery(f),
                None => html! { <td>{"—"}</td> },
            }) }
        </tr>
    }
}

fn recovery(f: &FaultReport) -> Html {
    let part = |v: Option<u64>| v.map_or("—".into(), duration);
    html! {
        <td>
            <span class="what">{ f.what.clone() }</span>
            <span class="parts">
                <span>{ format!("detect {}", part(f.detection)) }</span>{" · "}
                <span>{ format!("elect {}", part(f.election)) }</span>{" · "}
                <span>{ format!("catch-up {}", part(f.catch_up)) }</span>
            </span>
            <strong class="served">{ match f.recovery {
                Some(t) => format!("served after {}", duration(t)),
                None => "not served yet".into(),
            } }</strong>
        </td>
    }
}
