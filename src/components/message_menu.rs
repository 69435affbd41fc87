//! The message menu: drop, duplicate or delay a message in flight.

use quorum_engine::model::types::{MsgId, MS};
use quorum_engine::sim::action::Action;
use yew::prelude::*;

use super::node_menu::act;
use crate::i18n::{fill, tr, Lang, Msg};

/// Props of the message menu.
#[derive(Properties, PartialEq, Clone)]
pub struct MessageMenuProps {
    /// The message.
    pub msg: MsgId,
    /// Still in flight?
    pub live: bool,
    /// Performs an action (and closes the menu).
    pub onact: Callback<Action>,
    /// Closes the menu.
    pub onclose: Callback<MouseEvent>,
    /// The interface's language.
    pub lang: Lang,
}

/// The actions on one message in flight.
#[function_component(MessageMenu)]
pub fn message_menu(props: &MessageMenuProps) -> Html {
    let (m, on) = (props.msg, &props.onact);
    let t = |msg: Msg| tr(props.lang, msg);
    let title = fill(props.lang, Msg::MessageN, &[&m.to_string()]);
    html! {
        <div class="menu message-menu" data-testid="message-menu" role="menu" aria-label={title.clone()}>
            <header>{ title }</header>
            if props.live {
                <button role="menuitem" data-testid="message-action-drop" onclick={act(on, Action::DropMessage(m))}>{ t(Msg::Drop) }</button>
                <button role="menuitem" data-testid="message-action-duplicate" onclick={act(on, Action::DuplicateMessage(m))}>{ t(Msg::Duplicate) }</button>
                <button role="menuitem" data-testid="message-action-delay" onclick={act(on, Action::DelayMessage(m, 100 * MS))}>{ t(Msg::Delay100) }</button>
            } else {
                <p class="muted">{ t(Msg::MessageGone) }</p>
            }
            <button class="quiet" onclick={props.onclose.clone()}>{ t(Msg::Close) }</button>
        </div>
    }
}
