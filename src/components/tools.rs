//! The canvas tools: partition, cut a link, heal.

use yew::prelude::*;

use crate::i18n::{fill, tr, Lang, Msg};
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
    /// The interface's language.
    pub lang: Lang,
    /// The partition tools are allowed.
    #[prop_or(true)]
    pub partition: bool,
    /// Healing is allowed.
    #[prop_or(true)]
    pub heal: bool,
}

/// The canvas tools.
#[function_component(Tools)]
pub fn tools(props: &ToolsProps) -> Html {
    let (tool, picked) = (props.tool, props.picked);
    let toggle = |t: Tool| {
        let next = if tool == t { Tool::Inspect } else { t };
        props.ontool.reform(move |_: MouseEvent| next)
    };
    let (lang, t) = (props.lang, |m: Msg| tr(props.lang, m));
    let hint = match tool {
        Tool::Inspect => t(Msg::HintInspect),
        Tool::Partition => t(Msg::HintPartition),
        Tool::Cut => t(Msg::HintCut),
    };
    html! {
        <div class="tools" role="toolbar" aria-label={t(Msg::NetworkTools)}>
            if props.partition {
            <button data-testid="tool-partition" aria-pressed={(tool == Tool::Partition).to_string()} onclick={toggle(Tool::Partition)}>{ t(Msg::Partition) }</button>
            if tool == Tool::Partition {
                <button data-testid="apply-partition" class="primary" disabled={picked == 0}
                    onclick={props.onsplit.clone()}>{ fill(lang, Msg::ApplySplit, &[&picked.to_string()]) }</button>
            }
            <button data-testid="tool-cut" aria-pressed={(tool == Tool::Cut).to_string()} onclick={toggle(Tool::Cut)}>{ t(Msg::CutLink) }</button>
            }
            if props.heal {
                <button data-testid="heal" onclick={props.onheal.clone()}>{ t(Msg::Heal) }</button>
            }
            <span class="hint muted">{ hint }</span>
        </div>
    }
}
