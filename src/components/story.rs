//! What the recovery machinery did, as a table: the failover timeline (primary-backup), the
//! transactions and their in-doubt windows (2PC), the try blocks of each input (recovery blocks),
//! the checkpoints and recoveries of each node (Raft). Built by the engine from the trace so far.

use yew::prelude::*;

use super::LabProps;
use {
    crate::state::LabAction, quorum_engine::lab::story::snapshot_tradeoff,
    quorum_engine::model::types::SEC, quorum_engine::run::runner::SnapshotFigures,
    web_sys::HtmlInputElement,
};

/// Simulated length of each run of the interval comparison.
const TRADEOFF_RUN: u64 = 20 * SEC;
/// Raft's default snapshot interval (the engine's `snapshot-interval` default).
const DEFAULT_INTERVAL: u64 = 64;

/// The story panel; shows nothing for protocols without one.
#[function_component(StoryPanel)]
pub fn story_panel(props: &LabProps) -> Html {
    let Some(story) = props.session.lab().story() else {
        return html! {};
    };
    html! {
        <section class="panel story" data-testid="story" aria-labelledby="story-title">
            <h2 id="story-title">{ story.title }</h2>
            if story.rows.is_empty() {
                <p class="muted">{"Nothing yet: press Play, or load a scenario from the menu."}</p>
            } else {
                <table>
                    <thead><tr>{ for story.columns.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }</tr></thead>
                    <tbody>
                        { for story.rows.iter().map(|row| html! {
                            <tr>{ for row.iter().map(|cell| html! {
                                <td class={classes!(cell.contains("BLOCKED").then_some("alarm"))}>{ cell }</td>
                            }) }</tr>
                        }) }
                    </tbody>
                </table>
            }
            <p class="legend muted">{ story.note }</p>
            { tradeoff_view(props) }
        </section>
    }
}

/// The snapshot-interval controls, for Raft only.
fn tradeoff_view(props: &LabProps) -> Html {
    if props.session.config().protocol == "raft" {
        html! { <Tradeoff ..props.clone() /> }
    } else {
        html! {}
    }
}

/// Raft's snapshot interval: set it (restarting the run), and compare intervals side by side.
#[function_component(Tradeoff)]
fn tradeoff(props: &LabProps) -> Html {
    let rows = use_state(|| None::<Result<Vec<SnapshotFigures>, String>>);
    let config = props.session.config();
    let current = config
        .options
        .value("snapshot-interval")
        .unwrap_or(DEFAULT_INTERVAL);
    let compare = {
        let (rows, config) = (rows.clone(), config.clone());
        Callback::from(move |_| rows.set(Some(snapshot_tradeoff(&config, TRADEOFF_RUN))))
    };
    let set_interval = {
        let (dispatch, config) = (props.dispatch.clone(), config.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Ok(interval) = input.value().parse::<u64>() else {
                return;
            };
            let mut c = config.clone();
            c.options.values.retain(|(n, _)| n != "snapshot-interval");
            c.options
                .values
                .push(("snapshot-interval".into(), interval.min(100_000)));
            dispatch.emit(LabAction::Reset(c));
        })
    };
    html! {
        <div class="tradeoff">
            <label>{"Snapshot every "}
                <input data-testid="snapshot-interval" type="number" min="0" max="100000" value={current.to_string()} onchange={set_interval} />
                {" applied entries (0 = never; changing it restarts the run)"}</label>
            <button data-testid="compare-intervals" onclick={compare}>{"Compare intervals"}</button>
            { match &*rows {
                None => html! {},
                Some(Err(e)) => html! { <p role="alert">{ e.clone() }</p> },
                Some(Ok(list)) => tradeoff_table(list, current),
            } }
        </div>
    }
}

fn tradeoff_table(list: &[SnapshotFigures], current: u64) -> Html {
    html! {
        <table data-testid="tradeoff-table">
            <caption>{ format!("A {} s chaos run of these settings at each interval", TRADEOFF_RUN / SEC) }</caption>
            <thead><tr>
                <th scope="col">{"interval"}</th><th scope="col">{"snapshots taken"}</th>
                <th scope="col">{"installed"}</th><th scope="col">{"written"}</th>
                <th scope="col">{"recoveries"}</th><th scope="col">{"replayed per recovery"}</th>
            </tr></thead>
            <tbody>
                { for list.iter().map(|f| {
                    let per = f.replayed.checked_div(f.recoveries).map_or("—".to_string(), |r| r.to_string());
                    html! {
                        <tr class={classes!((f.interval == current).then_some("current"))}>
                            <th scope="row">{ if f.interval == 0 { "off".to_string() } else { f.interval.to_string() } }</th>
                            <td>{ f.taken }</td><td>{ f.installed }</td>
                            <td>{ format!("{}.{} KB", f.bytes / 1000, f.bytes % 1000 / 100) }</td>
                            <td>{ f.recoveries }</td><td>{ per }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
