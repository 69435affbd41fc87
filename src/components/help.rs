//! The help overlay: what the canvas shows and the keyboard shortcuts.

use yew::prelude::*;

use crate::i18n::{tr, Lang, Msg};

/// Props of the help overlay.
#[derive(Properties, PartialEq, Clone)]
pub struct HelpProps {
    /// Closes the overlay.
    pub onclose: Callback<MouseEvent>,
    /// The interface's language.
    pub lang: Lang,
}

/// The keyboard shortcuts: key (empty: the space bar, whose name is translated) and what it does.
pub const SHORTCUTS: &[(&str, Msg)] = &[
    ("", Msg::KeyPlay),
    ("→", Msg::KeyStep),
    ("←", Msg::KeyBack),
    ("+ / −", Msg::KeySpeed),
    ("P", Msg::KeyPartition),
    ("H", Msg::KeyHeal),
    ("M", Msg::KeyMetrics),
    ("D", Msg::KeyDiagram),
    ("L", Msg::KeyHistory),
    ("T", Msg::KeyTheme),
    ("?", Msg::KeyHelp),
    ("Esc", Msg::KeyEscape),
];

/// The help overlay.
#[function_component(Help)]
pub fn help(props: &HelpProps) -> Html {
    let t = |m: Msg| tr(props.lang, m);
    let key = |k: &'static str| if k.is_empty() { t(Msg::KeySpace) } else { k };
    html! {
        <div class="overlay" data-testid="help-overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="dialog">
                <h2 id="help-title">{ t(Msg::HowTo) }</h2>
                <p>{ t(Msg::HelpCanvas) }</p>
                <p>{ t(Msg::HelpActions) }</p>
                <h3>{ t(Msg::Keyboard) }</h3>
                <dl class="keys">
                    { for SHORTCUTS.iter().map(|(k, v)| html! { <><dt><kbd>{ key(k) }</kbd></dt><dd>{ t(*v) }</dd></> }) }
                </dl>
                <button class="primary" onclick={props.onclose.clone()}>{ t(Msg::Close) }</button>
            </div>
        </div>
    }
}
