//! The top bar: the protocol, the scenarios, sharing, theme, help and settings.

use quorum_engine::lab::catalog::{BuiltIn, SCENARIOS};
use quorum_engine::lab::lab_protocols;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::class_menu::ClassMenu;
use crate::i18n::{engine_text, tr, Lang, Msg};
use crate::state::ClassCmd;

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
    /// The interface's language.
    pub lang: Lang,
    /// Switches to a language.
    pub onlang: Callback<Lang>,
    /// Opens a tour or an exercise.
    pub onclass: Callback<ClassCmd>,
    /// Panels hidden by the open exercise: metrics, diagram, history.
    #[prop_or_default]
    pub hidden: (bool, bool, bool),
    /// The settings may be changed.
    #[prop_or(true)]
    pub settings: bool,
}

/// A protocol's name as people write it.
pub fn protocol_title(lang: Lang, name: &str) -> &'static str {
    match name {
        "paxos" => "Paxos",
        "multi-paxos" => "Multi-Paxos",
        "primary-backup" => tr(lang, Msg::PrimaryBackup),
        "2pc" => tr(lang, Msg::TwoPhaseCommit),
        "recovery-block" => tr(lang, Msg::RecoveryBlocks),
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
    let lang = props.lang;
    let t = |m: Msg| tr(lang, m);
    let onlang = props.onlang.reform(move |_: MouseEvent| lang.other());
    let brand = if props.comparing {
        t(Msg::Compare)
    } else {
        protocol_title(lang, &props.protocol)
    };
    html! {
        <header class="topbar">
            <h1 class="brand">{"Quorum Lab"}<small>{ format!(" · {brand}") }</small></h1>
            <label class="scenario">
                <span class="sr-only">{ t(Msg::Scenario) }</span>
                <select data-testid="scenario-select" onchange={on_scenario} aria-label={t(Msg::Scenario)}>
                    <option value="" selected={current.is_none()}>{ t(Msg::FreePlay) }</option>
                    { for lab_protocols().map(|p| html! {
                        <optgroup label={protocol_title(lang, p)}>
                            { for SCENARIOS.iter().filter(|s| s.protocol == p).map(|s| html! {
                                <option value={s.name} selected={current.is_some_and(|c| c.name == s.name)}>{ engine_text(lang, s.title) }</option>
                            }) }
                        </optgroup>
                    }) }
                </select>
            </label>
            <div class="actions">
                if !props.comparing {
                    <ClassMenu onclass={props.onclass.clone()} {lang} />
                }
                if props.comparing {
                    <button data-testid="compare-close" onclick={props.onlab.clone()} title={t(Msg::BackToLabTitle)}>{ t(Msg::BackToLab) }</button>
                }
                <button data-testid="compare-button" aria-pressed={props.comparing.to_string()} onclick={props.oncompare.clone()}
                    title={t(Msg::CompareTitle)}>{ t(Msg::Compare) }</button>
                <button data-testid="copy-link" onclick={props.oncopy.clone()} title={t(Msg::CopyLinkTitle)}>{ t(Msg::CopyLink) }</button>
                <button data-testid="embed-button" onclick={props.onembed.clone()}>{ t(Msg::Embed) }</button>
                if !props.comparing {
                    if !props.hidden.0 {
                    <button data-testid="metrics-toggle" aria-pressed={props.metrics.to_string()} onclick={props.onmetrics.clone()}
                        title={t(Msg::MetricsTitle)}>{ t(Msg::Metrics) }</button>
                    }
                    if !props.hidden.1 {
                    <button data-testid="diagram-toggle" aria-pressed={props.views.0.to_string()} onclick={props.ondiagram.clone()}
                        title={t(Msg::DiagramTitle)}>{ t(Msg::Diagram) }</button>
                    }
                    if !props.hidden.2 {
                    <button data-testid="history-toggle" aria-pressed={props.views.1.to_string()} onclick={props.onhistory.clone()}
                        title={t(Msg::HistoryTitle)}>{ t(Msg::History) }</button>
                    }
                    if props.settings {
                        <button data-testid="settings-button" onclick={props.onsettings.clone()}>{ t(Msg::Settings) }</button>
                    }
                }
                <button data-testid="lang-toggle" onclick={onlang} aria-label={t(Msg::LangLabel)}
                    title={t(Msg::LangLabel)}><span lang={lang.other().html_tag()}>{ t(Msg::LangButton) }</span></button>
                <button data-testid="theme-toggle" onclick={props.ontheme.clone()} title={t(Msg::ThemeTitle)} aria-label={t(Msg::SwitchTheme)}>{"◐"}</button>
                <button data-testid="help-button" onclick={props.onhelp.clone()} title={t(Msg::HelpTitle)} aria-label={t(Msg::Help)}>{"?"}</button>
            </div>
            if let Some(n) = &props.notice { <span class="notice" role="status">{ n }</span> }
            if let Some(s) = current {
                <p class="watch" data-testid="scenario-watch"><strong>{ t(Msg::WatchFor) }</strong>{ engine_text(lang, s.watch) }</p>
            }
        </header>
    }
}
