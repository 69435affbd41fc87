//! Messages on their lanes: position at the frame's instant, style from their look, fading when
//! lost, and labels placed so that no two overlap.

use quorum_engine::lab::{Frame, MsgFrame, FADE};
use quorum_engine::model::types::Micros;

use super::{Hit, Scene, ViewOptions, BEND};
use crate::canvas::shapes::{Curve, MsgShape, MsgStyle};
use crate::i18n::say_words;

/// The motion tail's length, as a share of the path.
const TAIL: f64 = 0.07;
/// Beyond this many labelled messages only the selected and hovered ones keep their labels.
pub(super) const LABEL_LIMIT: usize = 40;
/// How far a node's timer and selection rings reach, in node radii.
const RINGS_RADII: f64 = 1.3;
/// Width of a label character, as a share of the font size (a generous estimate).
const CHAR_WIDTH: f64 = 0.6;

/// Places every message of `frame` and labels the ones worth labelling.
pub(super) fn messages(scene: &mut Scene, frame: &Frame, opts: &ViewOptions) {
    let base = (scene.node_r * 0.17).clamp(4.5, 10.0);
    let mut shapes = Vec::with_capacity(frame.messages.len());
    for m in &frame.messages {
        if let Some(shape) = message(scene, m, frame.t, base, opts) {
            shapes.push(shape);
        }
    }
    scene.messages = shapes;
    declutter(scene);
}

fn message(
    scene: &mut Scene,
    m: &MsgFrame,
    t: Micros,
    base: f64,
    opts: &ViewOptions,
) -> Option<MsgShape> {
    let curve = Curve::between(scene.endpoint(m.from)?, scene.endpoint(m.to)?, BEND);
    let p = m.progress(t);
    let (x, y) = curve.at(p);
    let style = style(m);
    let selected = opts.selected_msg == Some(m.id);
    let hovered = opts.hovered == Some(Hit::Message(m.id));
    let routine = opts.compact || m.look.light || m.died_at.is_some();
    let fade = m
        .died_at
        .map(|died| t.saturating_sub(died) as f64 / FADE as f64);
    Some(MsgShape {
        id: m.id,
        x,
        y,
        tail: curve.at((p - TAIL).max(0.0)),
        size: base * size_factor(style),
        style,
        fade: fade.map(|f| f.clamp(0.0, 1.0)),
        label: (selected || hovered || !routine)
            .then(|| intern(&mut scene.labels, &say_words(opts.lang, &m.look.label))),
        selected,
        hovered,
    })
}

fn style(m: &MsgFrame) -> MsgStyle {
    match (m.look.verdict, m.look.light, m.look.reply) {
        (Some(false), _, _) => MsgStyle::Refused,
        (Some(true), false, _) => MsgStyle::Granted,
        (_, true, true) => MsgStyle::LightReply,
        (_, true, false) => MsgStyle::Heartbeat,
        (_, false, true) => MsgStyle::Reply,
        (_, false, false) => MsgStyle::Request,
    }
}

fn size_factor(style: MsgStyle) -> f64 {
    match style {
        MsgStyle::Heartbeat | MsgStyle::LightReply => 0.62,
        MsgStyle::Granted | MsgStyle::Refused => 1.3,
        MsgStyle::Request | MsgStyle::Reply => 1.0,
    }
}

/// The index of `label` in `labels`, adding it if new (a frame has only a few distinct labels).
fn intern(labels: &mut Vec<String>, label: &str) -> u16 {
    if let Some(i) = labels.iter().position(|l| l == label) {
        return i as u16;
    }
    labels.push(label.to_owned());
    (labels.len() - 1) as u16
}

/// Drops labels that would be unreadable: all but the selected and hovered ones when too many
/// messages want one; otherwise any that would cover a node, a node's labels, the hub or a label
/// placed before it (the selected and hovered ones are placed first, whatever they cover).
fn declutter(scene: &mut Scene) {
    let keep = |m: &MsgShape| m.selected || m.hovered;
    let crowded = scene.messages.iter().filter(|m| m.label.is_some()).count() > LABEL_LIMIT;
    let font = scene.fonts.small_px;
    let discs = discs(scene);
    let mut placed = label_boxes(scene);
    for first in [true, false] {
        for m in scene.messages.iter_mut() {
            if m.label.is_none() || keep(m) != first {
                continue;
            }
            let chars = m
                .label
                .map_or(0, |i| scene.labels[usize::from(i)].chars().count());
            let (x, y) = m.label_at();
            let rect = pad([x, y - font, x + chars as f64 * font * CHAR_WIDTH, y]);
            let covers = || {
                placed.iter().any(|p| overlaps(p, &rect)) || discs.iter().any(|d| touches(d, &rect))
            };
            if !first && (crowded || covers()) {
                m.label = None;
            } else {
                placed.push(rect);
            }
        }
    }
}

/// The nodes with their rings, and the hub, as circles `(x, y, r)`.
fn discs(scene: &Scene) -> Vec<(f64, f64, f64)> {
    let r = scene.node_r * RINGS_RADII;
    let mut discs: Vec<(f64, f64, f64)> = scene.nodes.iter().map(|n| (n.x, n.y, r)).collect();
    discs.push((scene.hub.x, scene.hub.y, scene.hub.r));
    discs
}

/// The node labels and the hub's label, as rectangles.
fn label_boxes(scene: &Scene) -> Vec<[f64; 4]> {
    let f = &scene.fonts;
    let mut rects = Vec::with_capacity(scene.nodes.len() + 1 + LABEL_LIMIT);
    for n in &scene.nodes {
        let [(_, top), _] = scene.node_label_anchors(n);
        let half = (n.epoch_text.chars().count() as f64 + 2.0) * f.epoch_px * CHAR_WIDTH / 2.0;
        let bottom = top + f.name_px * 1.18 + f.epoch_px;
        rects.push([n.x - half, top, n.x + half, bottom]);
    }
    let h = scene.hub;
    let (top, half) = (h.y + h.r + 4.0, 4.0 * f.small_px * CHAR_WIDTH);
    rects.push([h.x - half, top, h.x + half, top + f.small_px]);
    rects
}

/// Whether the circle `(x, y, r)` touches a rectangle `[left, top, right, bottom]`.
fn touches(&(x, y, r): &(f64, f64, f64), rect: &[f64; 4]) -> bool {
    // `max`/`min`, not `f64::clamp`: clamp's "min > max" panic message would link the whole
    // float formatter (about 12 KB of wasm) into the bundle.
    let dx = x - x.max(rect[0]).min(rect[2]);
    let dy = y - y.max(rect[1]).min(rect[3]);
    dx * dx + dy * dy < r * r
}

/// A rectangle grown by a little breathing room.
fn pad(r: [f64; 4]) -> [f64; 4] {
    [r[0] - 2.0, r[1] - 2.0, r[2] + 2.0, r[3] + 2.0]
}

/// Whether two rectangles `[left, top, right, bottom]` overlap.
fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}
