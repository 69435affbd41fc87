//! The compare view's lanes: one small ring canvas per protocol, titled with its name and its
//! leader, side by side under one time cursor; below them, the first moment the outcomes differ.

use std::rc::Rc;

use quorum_engine::lab::compare::Divergence;
use quorum_engine::model::types::{Micros, NodeId};
use yew::prelude::*;

use super::lab_canvas::LabCanvas;
use super::topbar::protocol_title;
use crate::anim::Drawn;
use crate::canvas::Hit;
use crate::i18n::{fill, tr, Lang, Msg};
use crate::numbers::moment;
use crate::state::CompareView;

/// Props of the compare lanes.
#[derive(Properties, PartialEq, Clone)]
pub struct CompareLanesProps {
    /// What the compare view shows.
    pub view: Rc<CompareView>,
    /// The lanes' canvases, drawn by the animation loop (at least one per protocol).
    pub canvases: Rc<Vec<NodeRef>>,
    /// The canvases as last drawn, for hit testing.
    pub drawn: Rc<Drawn>,
    /// A click on a lane, on what it hit.
    pub onhit: Callback<Option<Hit>>,
    /// Moves the cursor to a time (the divergence's moment).
    pub onjump: Callback<Micros>,
    /// The interface's language.
    pub lang: Lang,
}

/// The lanes and the divergence line.
#[function_component(CompareLanes)]
pub fn compare_lanes(props: &CompareLanesProps) -> Html {
    let v = &props.view;
    let lanes = v.protocols.iter().zip(props.canvases.iter()).enumerate();
    html! {
        <section class="compare" data-testid="compare-view" aria-label={tr(props.lang, Msg::LanesLabel)}>
            <div class={classes!("lanes", format!("lanes-{}", v.protocols.len()))}>
                { for lanes.map(|(i, (p, canvas))| lane(props, i, p, canvas)) }
            </div>
            { divergence(props.lang, v.divergence.as_ref(), &v.protocols, &props.onjump) }
        </section>
    }
}

fn lane(props: &CompareLanesProps, i: usize, protocol: &str, canvas: &NodeRef) -> Html {
    let leader = props.view.leaders.get(i).copied().flatten();
    let lang = props.lang;
    let label = fill(lang, Msg::LaneLabel, &[protocol_title(lang, protocol)]);
    html! {
        <figure class="lane" data-testid="compare-lane" data-protocol={protocol.to_string()}>
            <figcaption>
                <strong>{ protocol_title(lang, protocol) }</strong>
                <span class="lane-leader" data-testid="compare-leader">{ leader_text(lang, leader) }</span>
            </figcaption>
            <LabCanvas canvas={canvas.clone()} drawn={props.drawn.clone()} onhit={props.onhit.clone()}
                lane={Some(i)} testid={format!("compare-canvas-{i}")} {label} />
        </figure>
    }
}

fn leader_text(lang: Lang, leader: Option<NodeId>) -> String {
    leader.map_or(tr(lang, Msg::NoLeader).into(), |n| {
        fill(lang, Msg::LeaderN, &[&n.to_string()])
    })
}

/// "Outcomes first differ at 2.1 s: raft served, primary-backup unserved" (a button that moves
/// the cursor there), or that they have not.
fn divergence(
    lang: Lang,
    d: Option<&Divergence>,
    protocols: &[String],
    onjump: &Callback<Micros>,
) -> Html {
    let Some(d) = d else {
        return html! {
            <p class="divergence" data-testid="compare-divergence">{ tr(lang, Msg::NoDifference) }</p>
        };
    };
    let each: Vec<String> = protocols
        .iter()
        .zip(&d.served)
        .map(|(p, s)| {
            let served = tr(lang, if *s { Msg::Served } else { Msg::Unserved });
            format!("{p} {served}")
        })
        .collect();
    let at = d.at;
    html! {
        <p class="divergence">
            <button class="link" data-testid="compare-divergence" onclick={onjump.reform(move |_: MouseEvent| at)}
                title={tr(lang, Msg::MoveCursor)}>
                { fill(lang, Msg::FirstDiffer, &[&moment(at), &each.join(", ")]) }
            </button>
        </p>
    }
}
