//! The compare view's actions: on each run's leader (crash, isolate, time out), on a node by id
//! (crash, restart), and "Recover all"; with what the last one hit in each run.

use quorum_engine::lab::compare::Aim;
use quorum_engine::model::types::NodeId;
use quorum_engine::run::scenario::LeaderAction;
use quorum_engine::sim::action::Action;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Props of the compare actions.
#[derive(Properties, PartialEq, Clone)]
pub struct CompareActionsProps {
    /// Nodes in every run.
    pub nodes: u32,
    /// The node chosen (by the selector or a click on a lane).
    pub node: Option<NodeId>,
    /// What the last action hit in each run.
    pub hits: Option<String>,
    /// Chooses a node.
    pub onnode: Callback<Option<NodeId>>,
    /// Applies an action in every run.
    pub onaim: Callback<Aim>,
}

/// The action bar.
#[function_component(CompareActions)]
pub fn compare_actions(props: &CompareActionsProps) -> Html {
    let aim = |a: Aim| props.onaim.reform(move |_: MouseEvent| a.clone());
    let leader = |a: LeaderAction| aim(Aim::Leader(a));
    let on_node = props.onnode.reform(|e: Event| {
        e.target_unchecked_into::<HtmlSelectElement>()
            .value()
            .parse()
            .ok()
    });
    let node = props.node.filter(|n| *n <= props.nodes);
    html! {
        <div class="compare-actions" role="toolbar" aria-label="Faults applied to every run">
            <button data-testid="compare-crash-leader" onclick={leader(LeaderAction::Crash)}
                title="Crash whichever node leads in each run now">{"Crash leader"}</button>
            <button data-testid="compare-isolate-leader" onclick={leader(LeaderAction::Isolate)}
                title="Cut each run's leader off from every other node">{"Isolate leader"}</button>
            <button data-testid="compare-timeout-leader" onclick={leader(LeaderAction::Timeout)}
                title="Fire each run's leader's timer">{"Time out leader"}</button>
            <button data-testid="compare-recover" onclick={aim(Aim::Node(Action::Liveness))}
                title="Heal the network and restart every node in every run">{"Recover all"}</button>
            <label class="node-pick">
                <span>{"Node"}</span>
                <select data-testid="compare-node" onchange={on_node} aria-label="Node for the actions below">
                    <option value="" selected={node.is_none()}>{"—"}</option>
                    { for (1..=props.nodes).map(|n| html! {
                        <option value={n.to_string()} selected={node == Some(n)}>{ format!("n{n}") }</option>
                    }) }
                </select>
            </label>
            if let Some(n) = node {
                <button data-testid="compare-crash-node" onclick={aim(Aim::Node(Action::Crash(n)))}>{ format!("Crash n{n}") }</button>
                <button data-testid="compare-restart-node" onclick={aim(Aim::Node(Action::Restart(n)))}>{ format!("Restart n{n}") }</button>
            }
            <output class="hits" data-testid="compare-hits">{ props.hits.clone().unwrap_or_default() }</output>
        </div>
    }
}
