//! The inspector: the full state of the selected node, or the fields of the selected message.

use yew::prelude::*;

use super::LabProps;
use crate::state::Selection;

/// The inspector panel.
#[function_component(Inspector)]
pub fn inspector(props: &LabProps) -> Html {
    let s = &props.session;
    let (title, fields) = match s.selection.get() {
        Selection::Node(n) => (format!("Node {n}"), s.lab().inspect_node(n)),
        Selection::Message(m) => (format!("Message #{m}"), s.lab().inspect_message(m)),
        Selection::None => ("Inspector".to_string(), Vec::new()),
    };
    html! {
        <section class="panel inspector" data-testid="inspector" aria-labelledby="insp-title">
            <h2 id="insp-title">{ title }</h2>
            if fields.is_empty() {
                <p class="muted">{"Click a node or a message on the canvas to see its state."}</p>
            } else {
                <dl>
                    { for fields.iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
                </dl>
            }
        </section>
    }
}
