//! The space-time diagram panel: its toolbar (causal layout), filters by
//! message type and by lane, the canvas the animation loop draws, and a line saying what is
//! under the pointer. A click on an item moves the timeline to its moment and highlights the
//! client operation that caused it; a click elsewhere moves to the time under the pointer.

use std::rc::Rc;

use yew::prelude::*;

use super::lab_canvas::local_point;
use crate::anim::Drawn;
use crate::canvas::spacetime::lane_name;
use crate::i18n::{say_words, tr, Lang, Msg};
use crate::state::{Diagram, DiagramCmd, DiagramPanel, DiagramUi};

/// Props of the diagram panel.
#[derive(Properties, PartialEq, Clone)]
pub struct DiagramProps {
    /// The filters offered.
    pub panel: Rc<DiagramPanel>,
    /// The user's choices.
    pub options: DiagramUi,
    /// The run's diagram (what a pointer position hits).
    pub diagram: Diagram,
    /// The canvas, drawn by the animation loop.
    pub canvas: NodeRef,
    /// The canvases as last drawn.
    pub drawn: Rc<Drawn>,
    /// Changes the diagram.
    pub oncmd: Callback<DiagramCmd>,
    /// The interface's language.
    pub lang: Lang,
}

/// The space-time diagram panel.
#[function_component(DiagramView)]
pub fn diagram_view(props: &DiagramProps) -> Html {
    let hover = use_node_ref();
    let o = &props.options;
    let cmd = |c: DiagramCmd| props.oncmd.reform(move |_: MouseEvent| c.clone());
    let t = |m: Msg| tr(props.lang, m);
    html! {
        <section class="panel diagram" data-testid="diagram" aria-labelledby="diagram-title">
            <div class="diagram-bar">
                <h2 id="diagram-title">{ t(Msg::SpaceTime) }</h2>
                <button data-testid="diagram-causal" aria-pressed={o.causal.to_string()} onclick={cmd(DiagramCmd::Causal)}
                    title={t(Msg::CausalTitle)}>{ t(Msg::Causal) }</button>
            </div>
            { chips(props) }
            { canvas(props, &hover) }
            <p class="diagram-hover muted" data-testid="diagram-hover" ref={hover}>{ t(Msg::DiagramHover) }</p>
        </section>
    }
}

/// The filters: a chip per message type and per lane, pressed while shown.
fn chips(props: &DiagramProps) -> Html {
    let o = &props.options;
    let types = props.panel.types.iter().map(|t| {
        let shown = !o.hidden_types.contains(t);
        let c = DiagramCmd::Type(t.clone());
        let onclick = props.oncmd.reform(move |_: MouseEvent| c.clone());
        html! { <button class="chip" data-testid="diagram-type" data-type={t.clone()} aria-pressed={shown.to_string()} {onclick}>{ say_words(props.lang, t) }</button> }
    });
    let lanes = props.panel.lanes.iter().map(|l| {
        let shown = !o.hidden_lanes.contains(l);
        let c = DiagramCmd::Lane(*l);
        let onclick = props.oncmd.reform(move |_: MouseEvent| c.clone());
        let name = lane_name(*l);
        html! { <button class="chip" data-testid="diagram-lane" data-lane={name.clone()} aria-pressed={shown.to_string()} {onclick}>{ name }</button> }
    });
    html! {
        <div class="chips" role="group" aria-label={tr(props.lang, Msg::DiagramChips)}>
            { for types }{ for lanes }
        </div>
    }
}

fn canvas(props: &DiagramProps, hover: &NodeRef) -> Html {
    let onclick = {
        let (canvas, drawn, diagram, oncmd) = (
            props.canvas.clone(),
            props.drawn.clone(),
            props.diagram.clone(),
            props.oncmd.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            let Some((x, y)) = local_point(&e, &canvas) else {
                return;
            };
            match drawn.spacetime_hit(&diagram, x, y) {
                Some(hit) => oncmd.emit(DiagramCmd::Pick(hit.t(), hit.root())),
                None => oncmd.emit(match drawn.spacetime_time(y) {
                    Some(t) => DiagramCmd::Pick(t, None),
                    None => DiagramCmd::Clear,
                }),
            }
        })
    };
    let onmousemove = {
        let (canvas, drawn, diagram, hover, lang) = (
            props.canvas.clone(),
            props.drawn.clone(),
            props.diagram.clone(),
            hover.clone(),
            props.lang,
        );
        Callback::from(move |e: MouseEvent| {
            let hit =
                local_point(&e, &canvas).and_then(|(x, y)| drawn.spacetime_hit(&diagram, x, y));
            drawn.diagram_hover.set(hit.and_then(|h| h.root()));
            if let (Some(h), Some(space), Some(p)) = (hit, diagram.space(), hover.get()) {
                p.set_text_content(Some(&h.describe(&space, lang)));
            }
        })
    };
    let onmouseleave = {
        let drawn = props.drawn.clone();
        Callback::from(move |_: MouseEvent| drawn.diagram_hover.set(None))
    };
    html! {
        <canvas ref={props.canvas.clone()} data-testid="diagram-canvas" {onclick} {onmousemove} {onmouseleave} role="img"
            aria-label={tr(props.lang, Msg::DiagramLabel)} />
    }
}
