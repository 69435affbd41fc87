//! The acceptors' table (Paxos): each node's promised ballot and the values it has accepted.

use std::rc::Rc;

use quorum_engine::lab::NodeFrame;
use quorum_engine::protocols::paxos::show;
use yew::prelude::*;

use crate::i18n::{tr, Lang, Msg};

/// Props of the acceptors' table.
#[derive(Properties, PartialEq, Clone)]
pub struct AcceptorsProps {
    /// The nodes.
    pub nodes: Rc<Vec<NodeFrame>>,
    /// The interface's language.
    pub lang: Lang,
}

/// The acceptors' table; shows nothing for protocols without acceptors.
#[function_component(Acceptors)]
pub fn acceptors(props: &AcceptorsProps) -> Html {
    let rows: Vec<_> = props
        .nodes
        .iter()
        .filter_map(|n| {
            n.detail
                .as_ref()
                .and_then(|d| d.acceptor.clone())
                .map(|a| (n, a))
        })
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    let t = |m: Msg| tr(props.lang, m);
    html! {
        <section class="panel acceptors" aria-labelledby="acc-title">
            <h2 id="acc-title">{ t(Msg::Acceptors) }</h2>
            <table data-testid="acceptor-table">
                <thead><tr><th scope="col">{ t(Msg::NodeColumn) }</th><th scope="col">{ t(Msg::Promised) }</th><th scope="col">{ t(Msg::AcceptedColumn) }</th></tr></thead>
                <tbody>
                    { for props.nodes.iter().map(|n| {
                        let acc = n.detail.as_ref().and_then(|d| d.acceptor.clone());
                        let accepted: Vec<String> = acc.as_ref().map(|a| a.accepted.iter().rev().take(6).rev()
                            .map(|(slot, ballot, label)| format!("{slot}: {} {label}", show(*ballot))).collect()).unwrap_or_default();
                        html! {
                            <tr class={classes!(if n.up { "" } else { "down" })} data-testid={format!("acceptor-{}", n.id)}>
                                <th scope="row">{ format!("n{}", n.id) }</th>
                                <td>{ acc.as_ref().map_or("—".to_string(), |a| show(a.promised)) }</td>
                                <td>{ if n.up { accepted.join(" · ") } else { t(Msg::CrashedDurable).into() } }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}
