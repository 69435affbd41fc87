//! The "Compare" dialog: which protocols to run side by side (two to four) on the current
//! nodes, seed, clients and network.

use quorum_engine::lab::compare::MAX_PROTOCOLS;
use quorum_engine::lab::lab_protocols;
use yew::prelude::*;

use super::topbar::protocol_title;
use crate::i18n::{fill, tr, Lang, Msg};

/// Props of the compare dialog.
#[derive(Properties, PartialEq, Clone)]
pub struct ComparePickerProps {
    /// The protocols checked at first.
    pub chosen: Vec<String>,
    /// Nodes, seed and clients the runs will share, as a sentence.
    pub settings: AttrValue,
    /// Opens the compare view of the chosen protocols.
    pub onstart: Callback<Vec<String>>,
    /// Closes the dialog.
    pub onclose: Callback<MouseEvent>,
    /// The interface's language.
    pub lang: Lang,
}

/// The compare dialog.
#[function_component(ComparePicker)]
pub fn compare_picker(props: &ComparePickerProps) -> Html {
    let chosen = use_state(|| props.chosen.clone());
    let toggle = |p: &'static str| {
        let chosen = chosen.clone();
        Callback::from(move |_: Event| {
            let mut next = (*chosen).clone();
            match next.iter().position(|c| c == p) {
                Some(i) => drop(next.remove(i)),
                None => next.push(p.to_string()),
            }
            chosen.set(next);
        })
    };
    let ok = (2..=MAX_PROTOCOLS).contains(&chosen.len());
    let start = {
        let (chosen, onstart, onclose) =
            (chosen.clone(), props.onstart.clone(), props.onclose.clone());
        Callback::from(move |e: MouseEvent| {
            let ordered = lab_protocols().filter(|p| chosen.iter().any(|c| c == p));
            onstart.emit(ordered.map(String::from).collect());
            onclose.emit(e);
        })
    };
    let (lang, t) = (props.lang, |m: Msg| tr(props.lang, m));
    html! {
        <div class="overlay" data-testid="compare-dialog" role="dialog" aria-modal="true" aria-labelledby="compare-title">
            <div class="dialog">
                <h2 id="compare-title">{ t(Msg::CompareProtocols) }</h2>
                <p>{ fill(lang, Msg::CompareIntro, &[&props.settings]) }</p>
                <fieldset class="picks">
                    <legend>{ t(Msg::Protocols) }</legend>
                    { for lab_protocols().map(|p| html! {
                        <label>
                            <input type="checkbox" data-testid={format!("compare-pick-{p}")} checked={chosen.iter().any(|c| c == p)} onchange={toggle(p)} />
                            { protocol_title(lang, p) }
                        </label>
                    }) }
                </fieldset>
                if !ok { <p class="hint" role="status">{ t(Msg::ChooseTwoToFour) }</p> }
                <div class="row">
                    <button class="primary" data-testid="compare-start" disabled={!ok} onclick={start}>{ t(Msg::Compare) }</button>
                    <button onclick={props.onclose.clone()}>{ t(Msg::Close) }</button>
                </div>
            </div>
        </div>
    }
}
