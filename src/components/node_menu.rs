//! The node menu: crash, restart, time out, send a client request, isolate.

use quorum_engine::model::kv::KvOp;
use quorum_engine::model::types::NodeId;
use quorum_engine::sim::action::Action;
use yew::prelude::*;

use crate::i18n::{fill, tr, Lang, Msg};
use crate::state::Limits;

/// Props of the node menu.
#[derive(Properties, PartialEq, Clone)]
pub struct NodeMenuProps {
    /// The node.
    pub node: NodeId,
    /// Running?
    pub up: bool,
    /// Where the node is drawn (CSS px in the canvas), to place the menu beside it.
    pub at: Option<(f64, f64)>,
    /// Performs an action (and closes the menu).
    pub onact: Callback<Action>,
    /// Closes the menu.
    pub onclose: Callback<MouseEvent>,
    /// The interface's language.
    pub lang: Lang,
    /// What the open exercise allows.
    #[prop_or_default]
    pub limits: Limits,
}

/// A click that performs `action`.
pub fn act(onact: &Callback<Action>, action: Action) -> Callback<MouseEvent> {
    onact.reform(move |_: MouseEvent| action.clone())
}

/// The actions on one node.
#[function_component(NodeMenu)]
pub fn node_menu(props: &NodeMenuProps) -> Html {
    let (n, on) = (props.node, &props.onact);
    let style = props
        .at
        .map(|(x, y)| {
            format!(
                "left: {}px; top: {}px;",
                (x + 36.0) as i64,
                (y - 20.0) as i64
            )
        })
        .unwrap_or_default();
    let request = Action::Request {
        node: Some(n),
        op: KvOp::Put {
            key: 1,
            value: u64::from(n) * 100,
        },
    };
    let t = |m: Msg| tr(props.lang, m);
    let can = |name: &str| props.limits.allows(name);
    let title = fill(props.lang, Msg::NodeN, &[&n.to_string()]);
    html! {
        <div class="menu node-menu" data-testid="node-menu" role="menu" aria-label={title.clone()} style={style}>
            <header>{ title }</header>
            if props.up {
                if can("crash") {
                    <button role="menuitem" data-testid="node-action-crash" onclick={act(on, Action::Crash(n))}>{ t(Msg::Crash) }</button>
                }
                if can("timeout") {
                    <button role="menuitem" data-testid="node-action-timeout" onclick={act(on, Action::Timeout(n))}>{ t(Msg::TimeOutNow) }</button>
                }
                if can("request") {
                    <button role="menuitem" data-testid="node-action-request" onclick={act(on, request)}>{ t(Msg::SendRequest) }</button>
                }
            } else if can("restart") {
                <button role="menuitem" data-testid="node-action-restart" onclick={act(on, Action::Restart(n))}>{ t(Msg::Restart) }</button>
            }
            if can("partition") {
                <button role="menuitem" data-testid="node-action-isolate" onclick={act(on, Action::Partition(vec![vec![n]]))}>{ t(Msg::Isolate) }</button>
            }
            <button class="quiet" onclick={props.onclose.clone()}>{ t(Msg::Close) }</button>
        </div>
    }
}
