//! Raft's snapshot interval: set it (restarting the run), and compare intervals side by side.

use std::rc::Rc;

use quorum_engine::model::types::SEC;
use quorum_engine::run::runner::SnapshotFigures;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{fill, tr, Lang, Msg};
use crate::state::{Tradeoff as Figures, TRADEOFF_RUN};

/// Props of the snapshot-interval controls.
#[derive(Properties, PartialEq, Clone)]
pub struct TradeoffProps {
    /// The current interval, in applied entries (0: never).
    pub interval: u64,
    /// The last comparison, if one was asked for.
    pub figures: Option<Rc<Figures>>,
    /// Restarts the run with another interval.
    pub oninterval: Callback<u64>,
    /// Compares the intervals.
    pub oncompare: Callback<MouseEvent>,
    /// The interface's language.
    pub lang: Lang,
}

/// The snapshot-interval controls and the comparison table.
#[function_component(Tradeoff)]
pub fn tradeoff(props: &TradeoffProps) -> Html {
    let set_interval = {
        let oninterval = props.oninterval.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(interval) = input.value().parse::<u64>() {
                oninterval.emit(interval);
            }
        })
    };
    let current = props.interval;
    let (lang, t) = (props.lang, |m: Msg| tr(props.lang, m));
    html! {
        <div class="tradeoff">
            <label>{ t(Msg::SnapshotEvery) }
                <input data-testid="snapshot-interval" type="number" min="0" max="100000" value={current.to_string()} onchange={set_interval} />
                { t(Msg::SnapshotEveryRest) }</label>
            <button data-testid="compare-intervals" onclick={props.oncompare.clone()}>{ t(Msg::CompareIntervals) }</button>
            { match props.figures.as_deref() {
                None => html! {},
                Some(Err(e)) => html! { <p role="alert">{ e.clone() }</p> },
                Some(Ok(list)) => tradeoff_table(lang, list, current),
            } }
        </div>
    }
}

fn tradeoff_table(lang: Lang, list: &[SnapshotFigures], current: u64) -> Html {
    let t = |m: Msg| tr(lang, m);
    html! {
        <table data-testid="tradeoff-table">
            <caption>{ fill(lang, Msg::TradeoffCaption, &[&(TRADEOFF_RUN / SEC).to_string()]) }</caption>
            <thead><tr>
                <th scope="col">{ t(Msg::Interval) }</th><th scope="col">{ t(Msg::SnapshotsTaken) }</th>
                <th scope="col">{ t(Msg::Installed) }</th><th scope="col">{ t(Msg::Written) }</th>
                <th scope="col">{ t(Msg::Recoveries) }</th><th scope="col">{ t(Msg::ReplayedPerRecovery) }</th>
            </tr></thead>
            <tbody>
                { for list.iter().map(|f| {
                    let per = f.replayed.checked_div(f.recoveries).map_or("—".to_string(), |r| r.to_string());
                    html! {
                        <tr class={classes!((f.interval == current).then_some("current"))}>
                            <th scope="row">{ if f.interval == 0 { t(Msg::Off).to_string() } else { f.interval.to_string() } }</th>
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
