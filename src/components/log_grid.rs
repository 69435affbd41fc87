//! The logs of all nodes as a grid: one row per node, one column per index, cells coloured by
//! term, committed entries distinct from uncommitted ones, the leader's nextIndex / matchIndex
//! marks, and each node's key-value store.

use std::rc::Rc;

use quorum_engine::lab::NodeFrame;
use quorum_engine::model::view::{CellState, NodeDetail};
use quorum_engine::replicated::short_value;
use yew::prelude::*;

use crate::i18n::{say_str, tr, Lang, Msg};

/// Columns shown at most (the latest ones).
const COLUMNS: usize = 32;

/// Props of the log grid.
#[derive(Properties, PartialEq, Clone)]
pub struct LogGridProps {
    /// The protocol (it names the grid and its legend).
    pub protocol: AttrValue,
    /// The nodes.
    pub nodes: Rc<Vec<NodeFrame>>,
    /// The interface's language.
    pub lang: Lang,
}

/// The log grid.
#[function_component(LogGrid)]
pub fn log_grid(props: &LogGridProps) -> Html {
    let nodes = &props.nodes;
    let longest = nodes
        .iter()
        .filter_map(|n| n.detail.as_ref())
        .map(|d| d.snapshot_index as usize + d.log.len())
        .max()
        .unwrap_or(0);
    let first = longest.saturating_sub(COLUMNS) + 1;
    let leader = nodes
        .iter()
        .find(|n| n.role == "leader")
        .and_then(|n| n.detail.clone());
    let lang = props.lang;
    let (title, legend) = grid_text(&props.protocol);
    html! {
        <section class="panel log-grid" aria-labelledby="grid-title">
            <h2 id="grid-title">{ tr(lang, title) }</h2>
            <div class="grid-scroll">
                <table data-testid="log-grid">
                    <thead><tr><th scope="col">{ tr(lang, Msg::NodeColumn) }</th>
                        { for (first..=longest).map(|i| html! { <th scope="col">{ i }</th> }) }
                        <th scope="col" class="kv">{ tr(lang, Msg::Store) }</th></tr></thead>
                    <tbody>
                        { for nodes.iter().map(|n| row(lang, n, first, longest, leader.as_ref())) }
                    </tbody>
                </table>
            </div>
            <p class="legend muted">{ tr(lang, legend) }</p>
        </section>
    }
}

/// The grid's title and legend for a protocol.
fn grid_text(protocol: &str) -> (Msg, Msg) {
    match protocol {
        "paxos" => (Msg::ChosenValue, Msg::LegendPaxos),
        "multi-paxos" => (Msg::Slots, Msg::LegendMultiPaxos),
        "primary-backup" => (Msg::Logs, Msg::LegendPrimaryBackup),
        "2pc" => (Msg::NodeTransactions, Msg::LegendTwoPc),
        "recovery-block" => (Msg::Stores, Msg::LegendRecoveryBlock),
        _ => (Msg::Logs, Msg::LegendRaft),
    }
}

fn row(lang: Lang, n: &NodeFrame, first: usize, last: usize, leader: Option<&NodeDetail>) -> Html {
    let detail = n.detail.clone().unwrap_or_default();
    let mark = leader.and_then(|l| l.marks.iter().find(|m| m.peer == n.id).copied());
    let kv: Vec<String> = detail
        .kv
        .iter()
        .map(|(k, v)| format!("{k}={}", short_value(*v)))
        .collect();
    html! {
        <tr class={classes!(if n.up { "" } else { "down" })}>
            <th scope="row">{ format!("n{}", n.id) }<small>{ format!(" {}", say_str(lang, &n.role)) }</small></th>
            { for (first..=last).map(|i| {
                let in_snapshot = i as u64 <= detail.snapshot_index;
                let cell = (i - 1).checked_sub(detail.snapshot_index as usize).and_then(|k| detail.log.get(k));
                let next = mark.is_some_and(|m| m.next == i as u64);
                let matched = mark.is_some_and(|m| m.matched == i as u64);
                let class = match cell.map(|c| c.state) {
                    _ if in_snapshot => "snap",
                    Some(CellState::Committed) => "committed",
                    Some(CellState::Pending) => "pending",
                    None => "empty",
                };
                let term = cell.map(|c| c.epoch % 8).unwrap_or(0);
                let noop = cell.is_some_and(|c| c.label == "noop");
                html! {
                    <td class={classes!("cell", class, format!("t{term}"), noop.then_some("noop"))} title={if in_snapshot { tr(lang, Msg::Compacted).to_string() } else { cell.map(|c| c.label.clone()).unwrap_or_default() }}>
                        { cell.map(|c| if noop { format!("{}\u{2205}", c.epoch) } else { c.epoch.to_string() }).unwrap_or_default() }
                        if next { <span class="next" title="nextIndex">{"▸"}</span> }
                        if matched { <span class="match" title="matchIndex">{"●"}</span> }
                    </td>
                }
            }) }
            <td class="kv">{ if n.up { kv.join(" ") } else { tr(lang, Msg::Crashed).to_string() } }</td>
        </tr>
    }
}
