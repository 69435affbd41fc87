//! The node menu (crash, restart, time out, send a request, isolate) and the message menu (drop,
//! duplicate, delay).

use quorum_engine::model::kv::KvOp;
use quorum_engine::model::types::{MsgId, NodeId, MS};
use quorum_engine::sim::action::Action;
use yew::prelude::*;

use super::send;
use crate::state::{LabAction, Selection};

/// Props of the node menu.
#[derive(Properties, PartialEq, Clone)]
pub struct NodeMenuProps {
    /// The node.
    pub node: NodeId,
    /// Running?
    pub up: bool,
    /// Where the node is drawn (CSS px in the canvas), to place the menu beside it.
    pub at: Option<(f64, f64)>,
    /// Dispatcher.
    pub dispatch: Callback<LabAction>,
}

fn act(d: &Callback<LabAction>, a: Action) -> Callback<MouseEvent> {
    let d = d.clone();
    Callback::from(move |_| {
        d.emit(LabAction::Act(a.clone()));
        d.emit(LabAction::Select(Selection::None));
    })
}

/// The actions on one node.
#[function_component(NodeMenu)]
pub fn node_menu(props: &NodeMenuProps) -> Html {
    let n = props.node;
    let d = &props.dispatch;
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
    html! {
        <div class="menu node-menu" data-testid="node-menu" role="menu" aria-label={format!("Node {n}")} style={style}>
            <header>{ format!("Node {n}") }</header>
            if props.up {
                <button role="menuitem" data-testid="node-action-crash" onclick={act(d, Action::Crash(n))}>{"Crash"}</button>
                <button role="menuitem" data-testid="node-action-timeout" onclick={act(d, Action::Timeout(n))}>{"Time out now"}</button>
                <button role="menuitem" data-testid="node-action-request" onclick={act(d, request)}>{"Send a client request"}</button>
            } else {
                <button role="menuitem" data-testid="node-action-restart" onclick={act(d, Action::Restart(n))}>{"Restart"}</button>
            }
            <button role="menuitem" data-testid="node-action-isolate" onclick={act(d, Action::Partition(vec![vec![n]]))}>{"Isolate"}</button>
            <button class="quiet" onclick={send(d, LabAction::Select(Selection::None))}>{"Close"}</button>
        </div>
    }
}

/// Props of the message menu.
#[derive(Properties, PartialEq, Clone)]
pub struct MessageMenuProps {
    /// The message.
    pub msg: MsgId,
    /// Still in flight?
    pub live: bool,
    /// Dispatcher.
    pub dispatch: Callback<LabAction>,
}

/// The actions on one message in flight.
#[function_component(MessageMenu)]
pub fn message_menu(props: &MessageMenuProps) -> Html {
    let (m, d) = (props.msg, &props.dispatch);
    html! {
        <div class="menu message-menu" data-testid="message-menu" role="menu" aria-label={format!("Message {m}")}>
            <header>{ format!("Message #{m}") }</header>
            if props.live {
                <button role="menuitem" data-testid="message-action-drop" onclick={act(d, Action::DropMessage(m))}>{"Drop"}</button>
                <button role="menuitem" data-testid="message-action-duplicate" onclick={act(d, Action::DuplicateMessage(m))}>{"Duplicate"}</button>
                <button role="menuitem" data-testid="message-action-delay" onclick={act(d, Action::DelayMessage(m, 100 * MS))}>{"Delay 100 ms"}</button>
            } else {
                <p class="muted">{"This message has arrived or was lost."}</p>
            }
            <button class="quiet" onclick={send(d, LabAction::Select(Selection::None))}>{"Close"}</button>
        </div>
    }
}
