//! The top bar: the protocol, the scenarios, sharing, theme, help and settings.

use quorum_engine::lab::catalog::{BuiltIn, SCENARIOS};
use quorum_engine::lab::lab_protocols;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Props of the top bar.
#[derive(Properties, PartialEq, Clone)]
pub struct TopBarProps {
    /// The protocol running.
    pub protocol: AttrValue,
    /// The built-in scenario loaded, if any.
    pub scenario: Option<&'static BuiltIn>,
    /// Loads a built-in scenario by name.
    pub onscenario: Callback<String>,
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
    /// The metrics panel is open.
    #[prop_or_default]
    pub metrics: bool,
    /// Show or hide the metrics panel.
    pub onmetrics: Callback<MouseEvent>,
    /// The space-time diagram and the history view are open.
    #[prop_or_default]
    pub views: (bool, bool),
    /// Show or hide the space-time diagram.
    pub ondiagram: Callback<MouseEvent>,
    /// Show or hide the history view.
    pub onhistory: Callback<MouseEvent>,
    /// A short confirmation to show (e.g. "Link copied").
    #[prop_or_default]
    pub notice: Option<String>,
    /// The compare view is open.
    #[prop_or_default]
    pub comparing: bool,
    /// Open the compare dialog.
    pub oncompare: Callback<MouseEvent>,
    /// Leave the compare view, back to the single lab.
    pub onlab: Callback<MouseEvent>,
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
    let current = props.scenario;
    let on_scenario = {
        let onscenario = props.onscenario.clone();
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlSelectElement>().value();
            if !name.is_empty() {
                onscenario.emit(name);
            }
        })
    };
    html! {
        <header class="topbar">
            <h1 class="brand">{"Quorum Lab"}<small>{ format!(" · {}", if props.comparing { "Compare" } else { protocol_title(&props.protocol) }) }</small></h1>
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
                if props.comparing {
                    <button data-testid="compare-close" onclick={props.onlab.clone()} title="Back to the single lab as you left it">{"◀ Lab"}</button>
                }
                <button data-testid="compare-button" aria-pressed={props.comparing.to_string()} onclick={props.oncompare.clone()}
                    title="Run several protocols side by side on one fault schedule">{"Compare"}</button>
                <button data-testid="copy-link" onclick={props.oncopy.clone()} title="Copy a link to this exact moment">{"Copy link"}</button>
                <button data-testid="embed-button" onclick={props.onembed.clone()}>{"Embed"}</button>
                if !props.comparing {
                    <button data-testid="metrics-toggle" aria-pressed={props.metrics.to_string()} onclick={props.onmetrics.clone()}
                        title="Availability, latency and recovery time of this run (M)">{"Metrics"}</button>
                    <button data-testid="diagram-toggle" aria-pressed={props.views.0.to_string()} onclick={props.ondiagram.clone()}
                        title="Space-time diagram (D)">{"Diagram"}</button>
                    <button data-testid="history-toggle" aria-pressed={props.views.1.to_string()} onclick={props.onhistory.clone()}
                        title="Client history, linearizability (L)">{"History"}</button>
                    <button data-testid="settings-button" onclick={props.onsettings.clone()}>{"Settings"}</button>
                }
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
