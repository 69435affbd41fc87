//! What the animation loop leaves behind for the rest of the page.

use std::cell::{Cell, RefCell};

use quorum_engine::lab::spacetime::Root;
use quorum_engine::model::types::{Micros, MsgId, NodeId};

use super::FrameStats;
use crate::canvas::chart::Chart;
use crate::canvas::spacetime::{self, SpaceScene};
use crate::canvas::{hit_test, Hit, Scene};
use crate::state::Diagram;

/// The canvases as last drawn: the scene (for hit testing, the menus' positions and the API's
/// canvas coordinates), the item under the pointer, the metrics chart (for its clicks), and the
/// frame-time probe. Written by the animation loop and the pointer handlers, never by the
/// reducer.
#[derive(Default)]
pub struct Drawn {
    /// The last scene drawn.
    pub scene: RefCell<Option<Scene>>,
    /// The item under the pointer.
    pub hovered: Cell<Option<Hit>>,
    /// Frame-time measurements.
    pub stats: RefCell<FrameStats>,
    /// The metrics chart last drawn.
    pub chart: RefCell<Option<Chart>>,
    /// Panel refresh measurements: the reducer's work and Yew's render.
    pub refreshes: RefCell<FrameStats>,
    /// The compare view's lanes' scenes as last drawn, in lane order.
    pub lanes: RefCell<Vec<Scene>>,
    /// The space-time diagram as last drawn.
    pub spacetime: RefCell<Option<SpaceScene>>,
    /// The client operation under the pointer on the diagram (highlighted with its chain).
    pub diagram_hover: Cell<Option<Root>>,
}

impl Drawn {
    /// What is drawn at `(x, y)` (CSS pixels in the canvas).
    pub fn hit(&self, x: f64, y: f64) -> Option<Hit> {
        self.scene.borrow().as_ref().and_then(|s| hit_test(s, x, y))
    }

    /// What is drawn at `(x, y)` on the canvas of compare lane `lane`, or of the single lab
    /// (`None`).
    pub fn hit_in(&self, lane: Option<usize>, x: f64, y: f64) -> Option<Hit> {
        let Some(i) = lane else {
            return self.hit(x, y);
        };
        self.lanes.borrow().get(i).and_then(|s| hit_test(s, x, y))
    }

    /// Where node `id` is drawn on compare lane `lane`.
    pub fn lane_node_center(&self, lane: usize, id: NodeId) -> Option<(f64, f64)> {
        self.lanes.borrow().get(lane)?.node_center(id)
    }

    /// Where a click at `(x, y)` on the metrics chart moves the timeline.
    pub fn chart_hit(&self, x: f64, y: f64) -> Option<Micros> {
        self.chart.borrow().as_ref()?.hit(x, y)
    }

    /// What is drawn at `(x, y)` on the space-time diagram of `diagram`.
    pub fn spacetime_hit(&self, diagram: &Diagram, x: f64, y: f64) -> Option<spacetime::Hit> {
        let scene = self.spacetime.borrow();
        scene.as_ref()?.hit(&*diagram.space()?, x, y)
    }

    /// The time at `y` on the space-time diagram (real-time layout only).
    pub fn spacetime_time(&self, y: f64) -> Option<Micros> {
        self.spacetime.borrow().as_ref()?.time_at(y)
    }

    /// Where node `id` is drawn.
    pub fn node_center(&self, id: NodeId) -> Option<(f64, f64)> {
        self.scene.borrow().as_ref()?.node_center(id)
    }

    /// Where message `id` is drawn, while it is in flight (not fading out).
    pub fn message_position(&self, id: MsgId) -> Option<(f64, f64)> {
        let scene = self.scene.borrow();
        let m = scene
            .as_ref()?
            .messages
            .iter()
            .find(|m| m.id == id && m.fade.is_none())?;
        Some((m.x, m.y))
    }
}

/// One `Drawn` is shared by the whole page: it equals only itself.
impl PartialEq for Drawn {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
