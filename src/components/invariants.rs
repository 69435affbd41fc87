//! The invariant panel: each named invariant with its status; a violation can jump the timeline
//! to the moment it happened.

use quorum_engine::model::types::fmt_time;
use yew::prelude::*;

use super::LabProps;
use crate::state::LabAction;

/// The invariant panel.
#[function_component(Invariants)]
pub fn invariants(props: &LabProps) -> Html {
    let list = props.session.lab().invariants();
    html! {
        <section class="panel invariants" data-testid="invariants" aria-labelledby="inv-title">
            <h2 id="inv-title">{"Invariants"}</h2>
            <ul>
                { for list.iter().map(|i| {
                    let status = if i.violated.is_some() { "violated" } else { "ok" };
                    let jump = i.violated.as_ref().map(|(t, detail)| {
                        let (d, t) = (props.dispatch.clone(), *t);
                        html! {
                            <>
                                <p class="detail">{ detail }</p>
                                <button data-testid={format!("invariant-jump-{}", i.name)}
                                    onclick={Callback::from(move |_| { d.emit(LabAction::Pause); d.emit(LabAction::Seek(t)); })}>
                                    { format!("Jump to {}", fmt_time(t)) }
                                </button>
                            </>
                        }
                    });
                    html! {
                        <li class={classes!("invariant", status)} data-testid={format!("invariant-{}", i.name)}
                            data-status={status} title={i.describe.clone()}>
                            <span class="badge" aria-hidden="true">{ if i.violated.is_some() { "✗" } else { "✓" } }</span>
                            <span class="name">{ &i.name }</span>
                            <span class="sr-only">{ if i.violated.is_some() { " violated" } else { " holds" } }</span>
                            { for jump }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
