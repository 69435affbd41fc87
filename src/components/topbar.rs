//! The top bar (scenarios, sharing, theme, help, settings) and the canvas tools (partition, cut,
//! heal).

use quorum_engine::lab::catalog::SCENARIOS;
use quorum_engine::lab::lab_protocols;
use quorum_engine::sim::action::Action;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{send, LabProps};
use crate::state::{LabAction, Tool};

/// Props of the top bar.
#[derive(Properties, PartialEq, Clone)]
pub struct TopBarProps {
    /// Shared lab props.
    pub lab: LabProps,
    /// Copy the share link.
    pub oncopy: Callback<MouseEvent>,
    /// Open the embed dialog.
    pub onembed: Callback<MouseEvent>,
    /// Switch theme.
    pub ontheme: Callback<MouseEvent>,
    /// Open help.
    pub onhelp: Callback<MouseEvent>,
    /// Show or hide settings.
    pub onsettings: Callback<MouseEvent>,
    /// A short confirmation to show (e.g. "Link copied").
    #[prop_or_default]
    pub notice: Option<String>,
}

/// A protocol's name as people write it.
pub fn protocol_title(name: &str) -> &'static str {
    match name {
        "paxos" => "Paxos",
        "multi-paxos" => "Multi-Paxos",
        "primary-backup" => "Primary-backup",
        "2pc" => "Two-phase commit",
        "recovery-block" => "Recovery blocks",
        _ => "Raft",
    }
}

/// The top bar.
#[function_component(TopBar)]
pub fn top_bar(props: &TopBarProps) -> Html {
    let lab = &props.lab;
    let current = lab.session.scenario();
    let on_scenario = {
        let d = lab.dispatch.clone();
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlSelectElement>().value();
            if !name.is_empty() {
                d.emit(LabAction::LoadScenario(name));
            }
        })
    };
    html! {
        <header class="topbar">
            <h1 class="brand">{"Quorum Lab"}<small>{ format!(" · {}", protocol_title(&lab.session.config().protocol)) }</small></h1>
            <label class="scenario">
                <span class="sr-only">{"Scenario"}</span>
                <select data-testid="scenario-select" onchange={on_scenario} aria-label="Scenario">
                    <option value="" selected={current.is_none()}>{"Free play — choose a scenario…"}</option>
                    { for lab_protocols().map(|p| html! {
                        <optgroup label={protocol_title(p)}>
                            { for SCENARIOS.iter().filter(|s| s.protocol == p).map(|s| html! {
                                <option value={s.name} selected={current.is_some_and(|c| c.name == s.name)}>{ s.title }</option>
                            }) }
                        </optgroup>
                    }) }
                </select>
            </label>
            <div class="actions">
                <button data-testid="copy-link" onclick={props.oncopy.clone()} title="Copy a link to this exact moment">{"Copy link"}</button>
                <button data-testid="embed-button" onclick={props.onembed.clone()}>{"Embed"}</button>
                <button data-testid="settings-button" onclick={props.onsettings.clone()}>{"Settings"}</button>
                <button data-testid="theme-toggle" onclick={props.ontheme.clone()} title="Dark or light theme (T)" aria-label="Switch theme">{"◐"}</button>
                <button data-testid="help-button" onclick={props.onhelp.clone()} title="Help (?)" aria-label="Help">{"?"}</button>
            </div>
            if let Some(n) = &props.notice { <span class="notice" role="status">{ n }</span> }
            if let Some(s) = current {
                <p class="watch" data-testid="scenario-watch"><strong>{"Watch for: "}</strong>{ s.watch }</p>
            }
        </header>
    }
}

/// The canvas tools.
#[function_component(Tools)]
pub fn tools(props: &LabProps) -> Html {
    let s = &props.session;
    let tool = s.tool.get();
    let picked = s.picked.borrow().len();
    let toggle = |t: Tool| {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.emit(LabAction::Tool(if tool == t { Tool::Inspect } else { t })))
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
                    onclick={send(&props.dispatch, LabAction::ApplyPartition)}>{ format!("Apply split ({picked})") }</button>
            }
            <button data-testid="tool-cut" aria-pressed={(tool == Tool::Cut).to_string()} onclick={toggle(Tool::Cut)}>{"Cut a link"}</button>
            <button data-testid="heal" onclick={send(&props.dispatch, LabAction::Act(Action::Heal))}>{"Heal"}</button>
            <span class="hint muted">{ hint }</span>
        </div>
    }
}
