//! The canvas element and its pointer handling; the menus that open over it come as children.
//! The animation loop ([`crate::anim`]) draws on it.

use std::rc::Rc;

use web_sys::{HtmlCanvasElement, MouseEvent};
use yew::prelude::*;

use crate::anim::Drawn;
use crate::canvas::Hit;

/// Props of the canvas.
#[derive(Properties, PartialEq, Clone)]
pub struct CanvasProps {
    /// The canvas element, for the animation loop.
    pub canvas: NodeRef,
    /// The scene last drawn, for hit testing (and the item hovered, for the next draw).
    pub drawn: Rc<Drawn>,
    /// The partition or cut tool is picking nodes.
    #[prop_or_default]
    pub picking: bool,
    /// A click, on what it hit (`None`: on nothing).
    pub onhit: Callback<Option<Hit>>,
    /// The menu open over the canvas.
    #[prop_or_default]
    pub children: Html,
    /// The compare lane this canvas shows (`None`: the single lab).
    #[prop_or_default]
    pub lane: Option<usize>,
    /// The canvas's test id.
    #[prop_or(AttrValue::Static("lab-canvas"))]
    pub testid: AttrValue,
    /// What the canvas shows, for screen readers.
    pub label: AttrValue,
}

/// Where `e` happened on `canvas`, in CSS pixels relative to its top-left corner.
pub fn local_point(e: &MouseEvent, canvas: &NodeRef) -> Option<(f64, f64)> {
    let r = canvas
        .cast::<HtmlCanvasElement>()?
        .get_bounding_client_rect();
    Some((
        f64::from(e.client_x()) - r.left(),
        f64::from(e.client_y()) - r.top(),
    ))
}

/// The animated canvas.
#[function_component(LabCanvas)]
pub fn lab_canvas(props: &CanvasProps) -> Html {
    let lane = props.lane;
    let onclick = {
        let (canvas, drawn, onhit) = (
            props.canvas.clone(),
            props.drawn.clone(),
            props.onhit.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            if let Some((x, y)) = local_point(&e, &canvas) {
                onhit.emit(drawn.hit_in(lane, x, y));
            }
        })
    };
    let onmousemove = {
        let (canvas, drawn) = (props.canvas.clone(), props.drawn.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some((x, y)) = local_point(&e, &canvas) {
                drawn.hovered.set(drawn.hit_in(lane, x, y));
            }
        })
    };
    html! {
        <div class={classes!("canvas-wrap", props.picking.then_some("picking"))}>
            <canvas ref={props.canvas.clone()} data-testid={props.testid.clone()} {onclick} {onmousemove}
                role="img" aria-label={props.label.clone()} />
            { props.children.clone() }
        </div>
    }
}
