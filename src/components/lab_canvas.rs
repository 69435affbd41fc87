//! The canvas element, its pointer handling, and the menus that open over it.

use std::rc::Rc;

use web_sys::{HtmlCanvasElement, MouseEvent};
use yew::prelude::*;

use super::menus::{MessageMenu, NodeMenu};
use super::LabProps;
use crate::anim::{use_animation, CanvasShared};
use crate::canvas::{hit_test, Hit};
use crate::state::{LabAction, Selection, Tool};

/// Props of the canvas: the lab props and whether the page is embedded.
#[derive(Properties, PartialEq, Clone)]
pub struct CanvasProps {
    /// Shared lab props.
    pub lab: LabProps,
    /// Embed mode (fewer labels).
    #[prop_or_default]
    pub compact: bool,
}

fn local_point(e: &MouseEvent, canvas: &HtmlCanvasElement) -> (f64, f64) {
    let r = canvas.get_bounding_client_rect();
    (
        f64::from(e.client_x()) - r.left(),
        f64::from(e.client_y()) - r.top(),
    )
}

fn hit_at(shared: &CanvasShared, x: f64, y: f64) -> Option<Hit> {
    shared
        .scene
        .borrow()
        .as_ref()
        .and_then(|s| hit_test(s, x, y))
}

/// The animated canvas.
#[function_component(LabCanvas)]
pub fn lab_canvas(props: &CanvasProps) -> Html {
    let canvas = use_node_ref();
    let shared = use_memo((), |_| CanvasShared::default());
    let lab = &props.lab;
    let refresh = {
        let d = lab.dispatch.clone();
        Callback::from(move |_| d.emit(LabAction::Refresh))
    };
    use_animation(
        lab.session.clone(),
        canvas.clone(),
        Rc::clone(&shared),
        refresh,
        props.compact,
    );
    let onclick = click_handler(lab, &canvas, &shared);
    let onmousemove = {
        let (canvas, shared) = (canvas.clone(), shared.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let (x, y) = local_point(&e, &c);
                shared.hovered.set(hit_at(&shared, x, y));
            }
        })
    };
    let cursor = if lab.session.tool.get() == Tool::Inspect {
        ""
    } else {
        "picking"
    };
    html! {
        <div class={classes!("canvas-wrap", cursor)}>
            <canvas ref={canvas} data-testid="lab-canvas" {onclick} {onmousemove}
                role="img" aria-label="The cluster: nodes on a ring, messages flying between them. Click a node or a message for actions." />
            { overlay(lab) }
        </div>
    }
}

fn click_handler(
    lab: &LabProps,
    canvas: &NodeRef,
    shared: &Rc<CanvasShared>,
) -> Callback<MouseEvent> {
    let (canvas, shared, d, session) = (
        canvas.clone(),
        shared.clone(),
        lab.dispatch.clone(),
        lab.session.clone(),
    );
    Callback::from(move |e: MouseEvent| {
        let Some(c) = canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let (x, y) = local_point(&e, &c);
        let action = match (hit_at(&shared, x, y), session.tool.get()) {
            (Some(Hit::Node(n)), Tool::Partition | Tool::Cut) => LabAction::Pick(n),
            (Some(Hit::Node(n)), Tool::Inspect) => LabAction::Select(Selection::Node(n)),
            (Some(Hit::Message(m)), _) => LabAction::Select(Selection::Message(m)),
            (None, _) => LabAction::Select(Selection::None),
        };
        d.emit(action);
    })
}

fn overlay(lab: &LabProps) -> Html {
    let s = &lab.session;
    match s.selection.get() {
        Selection::Node(n) if s.tool.get() == Tool::Inspect => {
            let at = s
                .centers
                .borrow()
                .iter()
                .find(|c| c.0 == n)
                .map(|c| (c.1, c.2));
            let up = s
                .lab()
                .frame()
                .nodes
                .get(n as usize - 1)
                .is_some_and(|f| f.up);
            html! { <NodeMenu node={n} up={up} at={at} dispatch={lab.dispatch.clone()} /> }
        }
        Selection::Message(m) => {
            let live = s
                .lab()
                .frame()
                .messages
                .iter()
                .any(|f| f.id == m && f.died_at.is_none());
            html! { <MessageMenu msg={m} live={live} dispatch={lab.dispatch.clone()} /> }
        }
        _ => html! {},
    }
}
