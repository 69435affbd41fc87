//! Where everything is at one instant: a pure function from a frame and the view options to a
//! [`Scene`] of shapes in CSS pixels, and hit testing on it. Natively tested; no browser here.
//!
//! Nodes sit on a ring in id order, node 1 at the top, clockwise. Messages fly along a slightly
//! bent path from the sender's rim to the receiver's rim (bent to the right of travel, so the two
//! directions of a link use separate lanes); client messages fly to and from a hub at the ring's
//! centre. A partition shades each group with translucent bands through its runs of ring
//! neighbours, draws a dashed cut line across the ring wherever neighbours are split, and lists
//! the groups in a legend (top left); a one-way cut is an arrow on the lane its messages would
//! take, with a cut mark at its middle. Message labels that would cover a node, a node's labels
//! or another label are dropped.

mod messages;
mod network;

use quorum_engine::lab::{Frame, NodeFrame};
use quorum_engine::model::types::{Addr, Micros, MsgId, NodeId};

use super::shapes::{CutShape, Fonts, Hub, MsgShape, NodeShape, Region, Role, Wall};
use crate::canvas::trig;
use crate::i18n::{say_str, tr, Lang, Msg};

/// Node radius as a share of the canvas's smaller side, before crowding shrinks it.
const NODE_SHARE: f64 = 0.085;
/// Smallest node radius, CSS px.
const NODE_R_MIN: f64 = 10.0;
/// Largest node radius, CSS px.
const NODE_R_MAX: f64 = 80.0;
/// Room around the ring for timer, crown and labels, in node radii.
const MARGIN_RADII: f64 = 2.3;
/// Extra room at the canvas edge, CSS px.
const EDGE_PAD: f64 = 6.0;
/// Node radius at most this share of the distance between neighbours.
const CROWDING: f64 = 0.3;
/// How far message lanes bend, as a share of the path's length.
const BEND: f64 = 0.08;
/// Smallest radius within which a message is hit, CSS px.
const MSG_HIT_MIN: f64 = 12.0;
/// Node labels start this many node radii below the node's centre.
const NODE_LABEL_TOP: f64 = 1.44;
/// Font family of every label.
const FAMILY: &str = font_family!();

/// What the view adds to a frame: canvas size, selection, hover, tool state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewOptions {
    /// Canvas width, CSS px.
    pub width: f64,
    /// Canvas height, CSS px.
    pub height: f64,
    /// The node shown in the inspector.
    pub selected_node: Option<NodeId>,
    /// The message shown in the inspector.
    pub selected_msg: Option<MsgId>,
    /// What the pointer is over.
    pub hovered: Option<Hit>,
    /// Nodes picked by the partition tool, not yet applied.
    pub picked: Vec<NodeId>,
    /// The user prefers reduced motion (no bursts).
    pub reduced_motion: bool,
    /// Embed mode: fewer labels.
    pub compact: bool,
    /// The language of the labels.
    pub lang: Lang,
}

/// Something on the canvas a pointer can be over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A node.
    Node(NodeId),
    /// A message in flight (or fading out).
    Message(MsgId),
}

/// Everything to draw for one frame, in CSS pixels relative to the canvas.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Canvas width.
    pub width: f64,
    /// Canvas height.
    pub height: f64,
    /// Centre of the ring.
    pub center: (f64, f64),
    /// Radius of the ring the nodes sit on.
    pub ring_r: f64,
    /// Radius of every node.
    pub node_r: f64,
    /// Nodes in id order.
    pub nodes: Vec<NodeShape>,
    /// Messages in drawing order (later on top).
    pub messages: Vec<MsgShape>,
    /// The distinct message labels, indexed by [`MsgShape::label`].
    pub labels: Vec<String>,
    /// Partition regions, one per group; empty when the network is whole.
    pub regions: Vec<Region>,
    /// Dashed cut lines across the ring between neighbours in different groups.
    pub walls: Vec<Wall>,
    /// One-way cut links.
    pub cuts: Vec<CutShape>,
    /// The clients' hub.
    pub hub: Hub,
    /// Fonts sized for this scene.
    pub fonts: Fonts,
    /// Embed mode: fewer labels.
    pub compact: bool,
    /// No bursts for lost messages.
    pub reduced_motion: bool,
    /// The language of the labels.
    pub lang: Lang,
}

impl Scene {
    /// The centre of node `id`, CSS px relative to the canvas.
    pub fn node_center(&self, id: NodeId) -> Option<(f64, f64)> {
        self.node(id).map(|n| (n.x, n.y))
    }

    /// The shape of node `id`.
    pub fn node(&self, id: NodeId) -> Option<&NodeShape> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Top-centre anchors of a node's id label and of the epoch label under it.
    pub fn node_label_anchors(&self, n: &NodeShape) -> [(f64, f64); 2] {
        let top = n.y + self.node_r * NODE_LABEL_TOP;
        [(n.x, top), (n.x, top + self.fonts.name_px * 1.18)]
    }

    /// The label of a message, when it has one.
    pub fn label(&self, m: &MsgShape) -> Option<&str> {
        m.label
            .and_then(|i| self.labels.get(usize::from(i)))
            .map(String::as_str)
    }

    /// The circle (centre and rim radius) messages to and from `addr` start and end on.
    fn endpoint(&self, addr: Addr) -> Option<(f64, f64, f64)> {
        match addr {
            Addr::Node(id) => self.node_center(id).map(|(x, y)| (x, y, self.node_r)),
            Addr::Client(_) => Some((self.hub.x, self.hub.y, self.hub.r)),
        }
    }
}

/// Lays out `frame` for a canvas described by `opts`.
pub fn layout(frame: &Frame, opts: &ViewOptions) -> Scene {
    let mut scene = ring(opts, frame.nodes.len());
    let mut order: Vec<&NodeFrame> = frame.nodes.iter().collect();
    order.sort_by_key(|n| n.id);
    scene.nodes = order
        .iter()
        .enumerate()
        .map(|(i, n)| node_shape(&scene, i, order.len(), n, frame.t, opts))
        .collect();
    network::partition(&mut scene, &frame.groups);
    network::cuts(&mut scene, &frame.cuts);
    messages::messages(&mut scene, frame, opts);
    scene
}

/// The empty scene: ring, node size, hub and fonts for `n` nodes.
fn ring(opts: &ViewOptions, n: usize) -> Scene {
    let side = opts.width.min(opts.height).max(1.0);
    let ring_for = |r: f64| (side / 2.0 - MARGIN_RADII * r - EDGE_PAD).max(r);
    let wanted = (side * NODE_SHARE).clamp(NODE_R_MIN, NODE_R_MAX);
    let half_angle = std::f64::consts::PI / n.max(2) as f64;
    let spacing = 2.0 * ring_for(wanted) * trig::sin(half_angle);
    let node_r = wanted.min(spacing * CROWDING).max(NODE_R_MIN);
    let center = (opts.width / 2.0, opts.height / 2.0);
    Scene {
        width: opts.width,
        height: opts.height,
        center,
        ring_r: ring_for(node_r),
        node_r,
        hub: Hub {
            x: center.0,
            y: center.1,
            r: (node_r * 0.5).max(10.0),
        },
        fonts: fonts(node_r),
        compact: opts.compact,
        reduced_motion: opts.reduced_motion,
        lang: opts.lang,
        ..Scene::default()
    }
}

fn fonts(r: f64) -> Fonts {
    let px = |share: f64, min: f64| (r * share).max(min).round();
    // Integer pixel sizes: formatting an f64 would pull float printing into the bundle.
    let css = |weight: u32, share: f64, min: f64| {
        format!("{weight} {}px {FAMILY}", px(share, min) as u32)
    };
    Fonts {
        letter: css(700, 0.95, 12.0),
        name: css(700, 0.42, 12.0),
        epoch: css(500, 0.34, 11.0),
        small: css(600, 0.3, 11.0),
        name_px: px(0.42, 12.0),
        epoch_px: px(0.34, 11.0),
        small_px: px(0.3, 11.0),
    }
}

/// The angle of the `i`-th of `n` nodes: node 1 at the top, then clockwise.
fn angle(i: usize, n: usize) -> f64 {
    -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n.max(1) as f64
}

/// "term 3", "epoch 2", or for Paxos "ballot 2.5" (round 2 of node 5); in Chinese "任期 3"...
fn epoch_text(lang: Lang, name: &str, epoch: u64) -> String {
    let word = match name {
        "term" => tr(lang, Msg::Term),
        "epoch" => tr(lang, Msg::Epoch),
        "ballot" => tr(lang, Msg::Ballot),
        other => other,
    };
    let value = quorum_engine::model::view::epoch_value(name, epoch);
    format!("{word} {value}")
}

fn node_shape(
    scene: &Scene,
    i: usize,
    n: usize,
    f: &NodeFrame,
    t: Micros,
    opts: &ViewOptions,
) -> NodeShape {
    let a = angle(i, n);
    let role = Role::from_name(&f.role, f.up);
    NodeShape {
        id: f.id,
        x: scene.center.0 + scene.ring_r * trig::cos(a),
        y: scene.center.1 + scene.ring_r * trig::sin(a),
        role,
        name: format!("n{}", f.id),
        epoch_text: match f.detail.as_ref().and_then(|d| d.caption.as_ref()) {
            Some(caption) if f.up => {
                let epoch = epoch_text(opts.lang, &f.epoch_name, f.epoch);
                format!("{epoch} \u{b7} {}", say_str(opts.lang, caption))
            }
            _ => epoch_text(opts.lang, &f.epoch_name, f.epoch),
        },
        epoch: f.epoch,
        timer_left: f
            .timer
            .filter(|_| f.up)
            .map(|(armed, due)| timer_left(armed, due, t)),
        votes: f
            .detail
            .as_ref()
            .filter(|_| role.campaigning())
            .map(|d| (d.votes.len() as u32, d.quorum)),
        drift: (f.drift != 1000).then(|| drift_badge(f.drift)),
        selected: opts.selected_node == Some(f.id),
        hovered: opts.hovered == Some(Hit::Node(f.id)),
        picked: opts.picked.contains(&f.id),
    }
}

/// The share of a timer armed at `armed` and due at `due` still to run at `t`.
fn timer_left(armed: Micros, due: Micros, t: Micros) -> f64 {
    if due <= armed {
        return 0.0;
    }
    (due.saturating_sub(t) as f64 / (due - armed) as f64).clamp(0.0, 1.0)
}

/// `×1.5` for a clock rate of 1500 thousandths.
fn drift_badge(rate: u32) -> String {
    let (whole, frac) = (rate / 1000, rate % 1000);
    if frac == 0 {
        return format!("\u{d7}{whole}");
    }
    let digits = format!("{frac:03}");
    format!("\u{d7}{whole}.{}", digits.trim_end_matches('0'))
}

/// What is at `(x, y)`: the nearest message within its (generous) hit radius, else the node
/// under the point.
pub fn hit_test(scene: &Scene, x: f64, y: f64) -> Option<Hit> {
    let d2 = |px: f64, py: f64| (px - x).powi(2) + (py - y).powi(2);
    let message = scene
        .messages
        .iter()
        .rev()
        .map(|m| (m, d2(m.x, m.y)))
        .filter(|(m, d)| *d <= (m.size + 6.0).max(MSG_HIT_MIN).powi(2))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((m, _)) = message {
        return Some(Hit::Message(m.id));
    }
    let reach = (scene.node_r * 1.1).powi(2);
    scene
        .nodes
        .iter()
        .map(|n| (n, d2(n.x, n.y)))
        .filter(|(_, d)| *d <= reach)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(n, _)| Hit::Node(n.id))
}

#[cfg(test)]
mod tests;
