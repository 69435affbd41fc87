//! The inspector: the full state of the selected node, or the fields of the selected message.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{say_str, tr, Lang, Msg};
use crate::state::Inspected;

/// Props of the inspector.
#[derive(Properties, PartialEq, Clone)]
pub struct InspectorProps {
    /// What to show.
    pub inspected: Rc<Inspected>,
    /// The interface's language.
    pub lang: Lang,
}

/// The inspector panel.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let Inspected { title, fields } = &*props.inspected;
    html! {
        <section class="panel inspector" data-testid="inspector" aria-labelledby="insp-title">
            <h2 id="insp-title">{ title }</h2>
            if fields.is_empty() {
                <p class="muted">{ tr(props.lang, Msg::InspectHint) }</p>
            } else {
                <dl>
                    { for fields.iter().map(|(k, v)| html! { <><dt>{ say_str(props.lang, k) }</dt><dd>{ say_str(props.lang, v) }</dd></> }) }
                </dl>
            }
        </section>
    }
}
