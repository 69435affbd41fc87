//! The acceptors' table (Paxos): each node's promised ballot and the values it has accepted.

use std::rc::Rc;

use quorum_engine::lab::NodeFrame;
use quorum_engine::protocols::paxos::show;
use yew::prelude::*;

/// Props of the acceptors' table.
#[derive(Properties, PartialEq, Clone)]
pub struct AcceptorsProps {
    /// The nodes.
    pub nodes: Rc<Vec<NodeFrame>>,
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
    html! {
        <section class="panel acceptors" aria-labelledby="acc-title">
            <h2 id="acc-title">{"Acceptors"}</h2>
            <table data-testid="acceptor-table">
                <thead><tr><th scope="col">{"node"}</th><th scope="col">{"promised"}</th><th scope="col">{"accepted (slot: ballot value)"}</th></tr></thead>
                <tbody>
                    { for props.nodes.iter().map(|n| {
                        let acc = n.detail.as_ref().and_then(|d| d.acceptor.clone());
                        let accepted: Vec<String> = acc.as_ref().map(|a| a.accepted.iter().rev().take(6).rev()
                            .map(|(slot, ballot, label)| format!("{slot}: {} {label}", show(*ballot))).collect()).unwrap_or_default();
                        html! {
                            <tr class={classes!(if n.up { "" } else { "down" })} data-testid={format!("acceptor-{}", n.id)}>
                                <th scope="row">{ format!("n{}", n.id) }</th>
                                <td>{ acc.as_ref().map_or("—".to_string(), |a| show(a.promised)) }</td>
                                <td>{ if n.up { accepted.join(" · ") } else { "(crashed: durable state kept)".into() } }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}
