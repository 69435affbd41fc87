//! The help overlay: what the canvas shows and the keyboard shortcuts.

use yew::prelude::*;

/// Props of the help overlay.
#[derive(Properties, PartialEq, Clone)]
pub struct HelpProps {
    /// Closes the overlay.
    pub onclose: Callback<MouseEvent>,
}

/// The keyboard shortcuts: key and what it does.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    ("→", "step one event"),
    ("←", "step back one event"),
    ("+ / −", "faster / slower"),
    ("P", "partition tool"),
    ("H", "heal the network"),
    ("M", "metrics: availability, latency, recovery time"),
    ("D", "space-time diagram: every message and event"),
    ("L", "client history and linearizability"),
    ("T", "switch dark / light theme"),
    ("?", "this help"),
    ("Esc", "close menus and dialogs"),
];

/// The help overlay.
#[function_component(Help)]
pub fn help(props: &HelpProps) -> Html {
    html! {
        <div class="overlay" data-testid="help-overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="dialog">
                <h2 id="help-title">{"How to use Quorum Lab"}</h2>
                <p>{"Each circle is a server. Its colour and letter give its role: F follower, C candidate, P pre-candidate, L leader; a crossed, dimmed circle is crashed. The arc around a follower is its election timer draining. Dots flying between servers are messages: solid requests, hollow replies, small light dots heartbeats; ✓ and ✗ mark votes granted or refused."}</p>
                <p>{"Click a server to crash, restart or isolate it, make it time out, or send it a client request. Click a message to drop, duplicate or delay it. The partition tool splits the network: pick servers, then apply. Every state is a link: copy it to share the exact moment."}</p>
                <h3>{"Keyboard"}</h3>
                <dl class="keys">
                    { for SHORTCUTS.iter().map(|(k, v)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ *v }</dd></> }) }
                </dl>
                <button class="primary" onclick={props.onclose.clone()}>{"Close"}</button>
            </div>
        </div>
    }
}
