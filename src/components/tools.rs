//! The canvas tools: partition, cut a link, heal.

use yew::prelude::*;

use crate::state::Tool;

/// Props of the canvas tools.
#[derive(Properties, PartialEq, Clone)]
pub struct ToolsProps {
    /// The tool in use.
    pub tool: Tool,
    /// Nodes picked so far.
    pub picked: usize,
    /// Chooses a tool.
    pub ontool: Callback<Tool>,
    /// Splits the picked nodes from the rest.
    pub onsplit: Callback<MouseEvent>,
    /// Heals the network.
    pub onheal: Callback<MouseEvent>,
}

/// The canvas tools.
#[function_component(Tools)]
pub fn tools(props: &ToolsProps) -> Html {
    let (tool, picked) = (props.tool, props.picked);
    let toggle = |t: Tool| {
        let next = if tool == t { Tool::Inspect } else { t };
        props.ontool.reform(move |_: MouseEvent| next)
    };
    let hint = match tool {
        Tool::Inspect => "Click a node or a message for actions.",
        Tool::Partition => "Click the nodes for one side, then Apply split.",
        Tool::Cut => "Click the sending node, then the receiving node: that one-way link is cut.",
    };
    html! {
        <div class="tools" role="toolbar" aria-label="Network tools">
            <button data-testid="tool-partition" aria-pressed={(tool == Tool::Partition).to_string()} onclick={toggle(Tool::Partition)}>{"Partition"}</button>
            if tool == Tool::Partition {
                <button data-testid="apply-partition" class="primary" disabled={picked == 0}
                    onclick={props.onsplit.clone()}>{ format!("Apply split ({picked})") }</button>
            }
            <button data-testid="tool-cut" aria-pressed={(tool == Tool::Cut).to_string()} onclick={toggle(Tool::Cut)}>{"Cut a link"}</button>
            <button data-testid="heal" onclick={props.onheal.clone()}>{"Heal"}</button>
            <span class="hint muted">{ hint }</span>
        </div>
    }
}
