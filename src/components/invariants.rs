//! The invariant panel: each named invariant with its status; a violation can jump the timeline
//! to the moment it happened.

use std::rc::Rc;

use quorum_engine::lab::InvariantStatus;
use quorum_engine::model::types::{fmt_time, Micros};
use yew::prelude::*;

use crate::i18n::{fill, say_str, tr, Lang, Msg};

/// Props of the invariant panel.
#[derive(Properties, PartialEq, Clone)]
pub struct InvariantsProps {
    /// The invariants and their verdicts.
    pub list: Rc<Vec<InvariantStatus>>,
    /// Pauses at a violation's moment.
    pub onjump: Callback<Micros>,
    /// The interface's language.
    pub lang: Lang,
}

/// The invariant panel.
#[function_component(Invariants)]
pub fn invariants(props: &InvariantsProps) -> Html {
    let (list, lang) = (&props.list, props.lang);
    html! {
        <section class="panel invariants" data-testid="invariants" aria-labelledby="inv-title">
            <h2 id="inv-title">{ tr(lang, Msg::Invariants) }</h2>
            <ul>
                { for list.iter().map(|i| {
                    let status = if i.violated.is_some() { "violated" } else { "ok" };
                    let jump = i.violated.as_ref().map(|(t, detail)| {
                        let t = *t;
                        html! {
                            <>
                                <p class="detail">{ say_str(lang, detail) }</p>
                                <button data-testid={format!("invariant-jump-{}", i.name)}
                                    onclick={props.onjump.reform(move |_: MouseEvent| t)}>
                                    { fill(lang, Msg::JumpTo, &[&fmt_time(t)]) }
                                </button>
                            </>
                        }
                    });
                    html! {
                        <li class={classes!("invariant", status)} data-testid={format!("invariant-{}", i.name)}
                            data-status={status} title={say_str(lang, &i.describe)}>
                            <span class="badge" aria-hidden="true">{ if i.violated.is_some() { "✗" } else { "✓" } }</span>
                            <span class="name">{ &i.name }</span>
                            <span class="sr-only">{ tr(lang, if i.violated.is_some() { Msg::Violated } else { Msg::Holds }) }</span>
                            { for jump }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
