//! The compare view's actions: on each run's leader (crash, isolate, time out), on a node by id
//! (crash, restart), and "Recover all"; with what the last one hit in each run.

use quorum_engine::lab::compare::Aim;
use quorum_engine::model::types::NodeId;
use quorum_engine::run::scenario::LeaderAction;
use quorum_engine::sim::action::Action;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{fill, tr, Lang, Msg};

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
    /// The interface's language.
    pub lang: Lang,
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
    let (lang, t) = (props.lang, |m: Msg| tr(props.lang, m));
    html! {
        <div class="compare-actions" role="toolbar" aria-label={t(Msg::FaultsEveryRun)}>
            <button data-testid="compare-crash-leader" onclick={leader(LeaderAction::Crash)}
                title={t(Msg::CrashLeaderTitle)}>{ t(Msg::CrashLeader) }</button>
            <button data-testid="compare-isolate-leader" onclick={leader(LeaderAction::Isolate)}
                title={t(Msg::IsolateLeaderTitle)}>{ t(Msg::IsolateLeader) }</button>
            <button data-testid="compare-timeout-leader" onclick={leader(LeaderAction::Timeout)}
                title={t(Msg::TimeOutLeaderTitle)}>{ t(Msg::TimeOutLeader) }</button>
            <button data-testid="compare-recover" onclick={aim(Aim::Node(Action::Liveness))}
                title={t(Msg::RecoverAllTitle)}>{ t(Msg::RecoverAll) }</button>
            <label class="node-pick">
                <span>{ t(Msg::Node) }</span>
                <select data-testid="compare-node" onchange={on_node} aria-label={t(Msg::NodeForActions)}>
                    <option value="" selected={node.is_none()}>{"—"}</option>
                    { for (1..=props.nodes).map(|n| html! {
                        <option value={n.to_string()} selected={node == Some(n)}>{ format!("n{n}") }</option>
                    }) }
                </select>
            </label>
            if let Some(n) = node {
                <button data-testid="compare-crash-node" onclick={aim(Aim::Node(Action::Crash(n)))}>{ fill(lang, Msg::CrashN, &[&n.to_string()]) }</button>
                <button data-testid="compare-restart-node" onclick={aim(Aim::Node(Action::Restart(n)))}>{ fill(lang, Msg::RestartN, &[&n.to_string()]) }</button>
            }
            <output class="hits" data-testid="compare-hits">{ props.hits.clone().unwrap_or_default() }</output>
        </div>
    }
}
