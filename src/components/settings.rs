//! Settings: cluster size, seed, clients, protocol options and planted bugs (restart the run), and
//! the network's latency, loss and duplication (applied live, as an intervention).

use quorum_engine::lab::lab_protocols;
use quorum_engine::lab::Setup;
use quorum_engine::model::types::MS;
use quorum_engine::run::runner;
use quorum_engine::sim::net::NetConfig;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::topbar::protocol_title;
use crate::i18n::{engine_text, tr, Lang, Msg};

fn value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn checked(e: &Event) -> bool {
    e.target_unchecked_into::<HtmlInputElement>().checked()
}

/// Updates a draft with a closure when an input changes.
fn on_change(
    draft: &UseStateHandle<Setup>,
    f: impl Fn(&mut Setup, &Event) + 'static,
) -> Callback<Event> {
    let draft = draft.clone();
    Callback::from(move |e: Event| {
        let mut c = (*draft).clone();
        f(&mut c, &e);
        draft.set(c);
    })
}

fn set_flag(c: &mut Setup, name: &str, on: bool) {
    c.options.flags.retain(|(n, _)| n != name);
    c.options.flags.push((name.to_string(), on));
}

fn set_bug(c: &mut Setup, name: &str, on: bool) {
    c.options.bugs.retain(|b| b != name);
    if on {
        c.options.bugs.push(name.to_string());
    }
}

/// Props of the settings panel.
#[derive(Properties, PartialEq, Clone)]
pub struct SettingsProps {
    /// The settings of the run (the form starts from them).
    pub config: Setup,
    /// Restarts the run with new settings.
    pub onrestart: Callback<Setup>,
    /// Changes the network now, as an intervention.
    pub onsetnetwork: Callback<NetConfig>,
    /// The interface's language.
    pub lang: Lang,
}

/// The settings panel.
#[function_component(Settings)]
pub fn settings(props: &SettingsProps) -> Html {
    let draft = use_state(|| props.config.clone());
    let restart = {
        let draft = draft.clone();
        props
            .onrestart
            .reform(move |_: MouseEvent| (*draft).clone())
    };
    let apply_net = {
        let draft = draft.clone();
        props.onsetnetwork.reform(move |_: MouseEvent| draft.net)
    };
    let (lang, t) = (props.lang, |m: Msg| tr(props.lang, m));
    html! {
        <section class="panel settings" data-testid="settings-panel" aria-labelledby="settings-title">
            <h2 id="settings-title">{ t(Msg::Settings) }</h2>
            { cluster_fields(&draft, lang) }
            { option_fields(&draft, lang) }
            <button class="primary" data-testid="apply-settings" onclick={restart}>{ t(Msg::RestartWithSettings) }</button>
            { network_fields(&draft, lang) }
            <button data-testid="apply-network" onclick={apply_net}>{ t(Msg::ApplyNetwork) }</button>
        </section>
    }
}

/// Switching protocol clears options and bugs, which differ between protocols.
fn set_protocol(c: &mut Setup, name: String) {
    c.protocol = name;
    c.options = Default::default();
}

fn cluster_fields(draft: &UseStateHandle<Setup>, lang: Lang) -> Html {
    let t = |m: Msg| tr(lang, m);
    html! {
        <fieldset>
            <legend>{ t(Msg::Cluster) }</legend>
            <label>{ t(Msg::Protocol) }<select data-testid="protocol-select"
                onchange={on_change(draft, |c, e| set_protocol(c, e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))}>
                { for lab_protocols().map(|name| html! {
                    <option value={name} selected={draft.protocol == name}>{ protocol_title(lang, name) }</option>
                }) }
            </select></label>
            <label>{ t(Msg::Nodes) }<input data-testid="nodes-input" type="number" min="2" max="9" value={draft.nodes.to_string()}
                onchange={on_change(draft, |c, e| c.nodes = value(e).parse::<u32>().unwrap_or(5).clamp(2, 9))} /></label>
            <label>{ t(Msg::Seed) }<input data-testid="seed-input" type="number" min="0" value={draft.seed.to_string()}
                onchange={on_change(draft, |c, e| c.seed = value(e).parse().unwrap_or(1))} /></label>
            <label>{ t(Msg::Clients) }<input data-testid="clients-input" type="number" min="0" max="20" value={draft.clients.to_string()}
                onchange={on_change(draft, |c, e| c.clients = value(e).parse::<u32>().unwrap_or(1).min(20))} /></label>
        </fieldset>
    }
}

fn option_fields(draft: &UseStateHandle<Setup>, lang: Lang) -> Html {
    let t = |m: Msg| tr(lang, m);
    html! {
        <>
            <fieldset>
                <legend>{ t(Msg::Options) }</legend>
                { for runner::options(&draft.protocol).unwrap_or_default().iter().map(|(name, default, text)| {
                    let on = draft.options.flag(name).unwrap_or(*default);
                    let n = name.to_string();
                    html! { <label title={engine_text(lang, text)}><input type="checkbox" data-testid={format!("option-{name}")} checked={on}
                        onchange={on_change(draft, move |c, e| set_flag(c, &n, checked(e)))} />{" "}<span class="ident">{ *name }</span></label> }
                }) }
            </fieldset>
            <fieldset>
                <legend>{ t(Msg::PlantedBugs) }</legend>
                { for runner::bugs(&draft.protocol).unwrap_or_default().iter().map(|bug| {
                    let (name, text) = (bug.name, bug.about);
                    let on = draft.options.bugs.iter().any(|b| b == name);
                    let n = name.to_string();
                    html! { <label title={engine_text(lang, text)}><input type="checkbox" data-testid={format!("bug-{name}")} checked={on}
                        onchange={on_change(draft, move |c, e| set_bug(c, &n, checked(e)))} />{" "}<span class="ident">{ name }</span></label> }
                }) }
            </fieldset>
        </>
    }
}

fn ms_field(
    draft: &UseStateHandle<Setup>,
    id: &'static str,
    label: &'static str,
    get: fn(&NetConfig) -> u64,
    set: fn(&mut NetConfig, u64),
) -> Html {
    html! {
        <label>{ label }<input data-testid={id} type="number" min="1" max="5000" value={(get(&draft.net) / MS).to_string()}
            onchange={on_change(draft, move |c, e| set(&mut c.net, value(e).parse::<u64>().unwrap_or(10).clamp(1, 5000) * MS))} />{" ms"}</label>
    }
}

fn pct_field(
    draft: &UseStateHandle<Setup>,
    id: &'static str,
    label: &'static str,
    get: fn(&NetConfig) -> u32,
    set: fn(&mut NetConfig, u32),
) -> Html {
    html! {
        <label>{ label }<input data-testid={id} type="number" min="0" max="100" value={(get(&draft.net) / 10_000).to_string()}
            onchange={on_change(draft, move |c, e| set(&mut c.net, value(e).parse::<u32>().unwrap_or(0).min(100) * 10_000))} />{" %"}</label>
    }
}

fn network_fields(draft: &UseStateHandle<Setup>, lang: Lang) -> Html {
    let t = |m: Msg| tr(lang, m);
    html! {
        <fieldset>
            <legend>{ t(Msg::Network) }</legend>
            { ms_field(draft, "latency-min", t(Msg::LatencyFrom), |n| n.latency_min, |n, v| { n.latency_min = v; n.latency_max = n.latency_max.max(v); }) }
            { ms_field(draft, "latency-max", t(Msg::LatencyTo), |n| n.latency_max, |n, v| { n.latency_max = v; n.latency_min = n.latency_min.min(v); }) }
            { pct_field(draft, "loss-input", t(Msg::Loss), |n| n.loss_ppm, |n, v| n.loss_ppm = v) }
            { pct_field(draft, "dup-input", t(Msg::Duplication), |n| n.dup_ppm, |n, v| n.dup_ppm = v) }
        </fieldset>
    }
}
