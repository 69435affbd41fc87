//! A node: selection marks, election timer, role-coloured body with its letter, leader crown,
//! vote pips, clock badge, and its id and term underneath.

use std::f64::consts::{FRAC_PI_2, TAU};

use web_sys::CanvasRenderingContext2d as Ctx;

use super::{circle, dash, fill_circle, halo_text, stroke_circle};
use crate::canvas::palette::INK;
use crate::canvas::shapes::{NodeShape, Role};
use crate::canvas::trig;
use crate::canvas::{Palette, Scene};

/// Radii of the marks around a node, in node radii (inner to outer).
const LEADER_RING: f64 = 1.1;
/// The election timer's arc.
const TIMER_RING: f64 = 1.22;
/// The selection ring.
const SELECT_RING: f64 = 1.36;
/// The partition tool's dashed pick ring.
const PICK_RING: f64 = 1.5;
/// The circle the vote pips sit on.
const PIP_RING: f64 = 1.68;
/// Angle between two vote pips, radians.
const PIP_STEP: f64 = 0.3;
/// Below this share of its time left, the timer turns to the candidate colour.
const TIMER_WARN: f64 = 0.25;

/// Draws one node (its labels come later, over every node, with [`labels`]).
pub(super) fn node(ctx: &Ctx, scene: &Scene, n: &NodeShape, palette: &Palette) {
    let r = scene.node_r;
    marks(ctx, n, r, palette);
    if let Some(left) = n.timer_left {
        timer(ctx, n, r, left, palette);
    }
    body(ctx, scene, n, palette);
    if n.role == Role::Leader {
        crown(ctx, n, r, palette);
    }
    if let Some(votes) = n.votes {
        pips(ctx, n, r, votes, palette);
    }
    if let Some(text) = &n.drift {
        badge(ctx, scene, (n.x + 1.1 * r, n.y - 0.62 * r), text, palette);
    }
}

/// Hover glow, the partition tool's pick ring and the selection ring.
fn marks(ctx: &Ctx, n: &NodeShape, r: f64, palette: &Palette) {
    if n.hovered {
        ctx.set_global_alpha(0.25);
        stroke_circle(ctx, n.x, n.y, r * 1.15, r * 0.35, &palette.select);
        ctx.set_global_alpha(1.0);
    }
    if n.picked {
        dash(ctx, &[8.0, 6.0]);
        stroke_circle(
            ctx,
            n.x,
            n.y,
            r * PICK_RING,
            (r * 0.07).max(3.0),
            &palette.partition,
        );
        dash(ctx, &[]);
    }
    if n.selected {
        stroke_circle(
            ctx,
            n.x,
            n.y,
            r * SELECT_RING,
            (r * 0.08).max(3.0),
            &palette.select,
        );
    }
}

/// The election timer: a track with an arc that drains clockwise from the top.
fn timer(ctx: &Ctx, n: &NodeShape, r: f64, left: f64, palette: &Palette) {
    let (radius, width) = (r * TIMER_RING, (r * 0.09).max(3.0));
    stroke_circle(ctx, n.x, n.y, radius, width, &palette.grid);
    if left <= 0.0 {
        return;
    }
    let colour = if left < TIMER_WARN {
        &palette.candidate
    } else {
        &palette.muted
    };
    ctx.begin_path();
    let _ = ctx.arc(n.x, n.y, radius, -FRAC_PI_2, -FRAC_PI_2 + TAU * left);
    ctx.set_stroke_style_str(colour);
    ctx.stroke();
}

/// The disc in the role's colour with its letter, or dimmed and crossed out when down.
fn body(ctx: &Ctx, scene: &Scene, n: &NodeShape, palette: &Palette) {
    let r = scene.node_r;
    ctx.set_global_alpha(if n.down() { 0.45 } else { 1.0 });
    ctx.begin_path();
    circle(ctx, n.x, n.y, r);
    ctx.set_fill_style_str(palette.role(n.role));
    ctx.fill();
    ctx.set_line_width((r * 0.07).max(2.0));
    ctx.set_stroke_style_str(&palette.bg);
    ctx.stroke();
    ctx.set_global_alpha(1.0);
    if n.role == Role::Leader {
        stroke_circle(
            ctx,
            n.x,
            n.y,
            r * LEADER_RING,
            (r * 0.07).max(2.5),
            &palette.leader,
        );
    }
    if n.down() {
        cross(ctx, n.x, n.y, r * 0.45, (r * 0.13).max(3.0), &palette.fg);
        return;
    }
    ctx.set_font(&scene.fonts.letter);
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    ctx.set_fill_style_str(INK);
    let mut buf = [0u8; 4];
    let _ = ctx.fill_text(n.role.letter().encode_utf8(&mut buf), n.x, n.y + r * 0.04);
}

/// An ✕ of half-size `h` centred on `(x, y)`.
fn cross(ctx: &Ctx, x: f64, y: f64, h: f64, width: f64, colour: &str) {
    ctx.begin_path();
    ctx.move_to(x - h, y - h);
    ctx.line_to(x + h, y + h);
    ctx.move_to(x + h, y - h);
    ctx.line_to(x - h, y + h);
    ctx.set_line_width(width);
    ctx.set_stroke_style_str(colour);
    ctx.stroke();
}

/// The leader's crown, on top of the node.
fn crown(ctx: &Ctx, n: &NodeShape, r: f64, palette: &Palette) {
    let (w, base, top) = (0.46 * r, n.y - 1.2 * r, n.y - 1.78 * r);
    let dip = top + 0.55 * (base - top);
    ctx.begin_path();
    ctx.move_to(n.x - w, base);
    ctx.line_to(n.x - w, top);
    ctx.line_to(n.x - w / 2.0, dip);
    ctx.line_to(n.x, top - 0.08 * r);
    ctx.line_to(n.x + w / 2.0, dip);
    ctx.line_to(n.x + w, top);
    ctx.line_to(n.x + w, base);
    ctx.close_path();
    ctx.set_fill_style_str(&palette.leader);
    ctx.fill();
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(&palette.bg);
    ctx.stroke();
}

/// Votes received (solid) out of the quorum needed (hollow), in an arc above the node.
fn pips(ctx: &Ctx, n: &NodeShape, r: f64, (got, need): (u32, u32), palette: &Palette) {
    let total = need.max(got).max(1);
    let pr = (r * 0.11).max(3.5);
    let start = -FRAC_PI_2 - PIP_STEP * f64::from(total - 1) / 2.0;
    let at = |k: u32| {
        let a = start + PIP_STEP * f64::from(k);
        (
            n.x + r * PIP_RING * trig::cos(a),
            n.y + r * PIP_RING * trig::sin(a),
        )
    };
    ctx.begin_path();
    for (x, y) in (0..got).map(at) {
        circle(ctx, x, y, pr);
    }
    ctx.set_fill_style_str(&palette.ok);
    ctx.fill();
    ctx.begin_path();
    for (x, y) in (got..total).map(at) {
        circle(ctx, x, y, pr);
    }
    ctx.set_fill_style_str(&palette.bg);
    ctx.fill();
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(&palette.muted);
    ctx.stroke();
}

/// A small pill with `text` centred on `at` (the clock-rate badge).
fn badge(ctx: &Ctx, scene: &Scene, at: (f64, f64), text: &str, palette: &Palette) {
    ctx.set_font(&scene.fonts.small);
    let w = ctx.measure_text(text).map_or(30.0, |m| m.width()) + scene.fonts.small_px * 0.8;
    let h = scene.fonts.small_px * 1.5;
    ctx.begin_path();
    let _ = ctx.round_rect_with_f64(at.0 - w / 2.0, at.1 - h / 2.0, w, h, h / 2.0);
    ctx.set_fill_style_str(&palette.bg);
    ctx.fill();
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(&palette.fg);
    ctx.stroke();
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    ctx.set_fill_style_str(&palette.fg);
    let _ = ctx.fill_text(text, at.0, at.1 + 0.5);
}

/// The id (`n3`) and, under it, the term with a swatch of the term's colour.
pub(super) fn labels(ctx: &Ctx, scene: &Scene, n: &NodeShape, palette: &Palette) {
    let r = scene.node_r;
    let [name_at, (_, line)] = scene.node_label_anchors(n);
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    ctx.set_font(&scene.fonts.name);
    halo_text(ctx, &n.name, name_at, &palette.fg, &palette.bg);
    ctx.set_font(&scene.fonts.epoch);
    let colour = if n.down() {
        &palette.muted
    } else {
        &palette.fg
    };
    halo_text(ctx, &n.epoch_text, (n.x, line), colour, &palette.bg);
    let w = ctx.measure_text(&n.epoch_text).map_or(0.0, |m| m.width());
    let dot = (r * 0.12).max(4.0);
    let cy = line + scene.fonts.epoch_px * 0.5;
    fill_circle(
        ctx,
        n.x - w / 2.0 - dot * 1.8,
        cy,
        dot,
        palette.term(n.epoch),
    );
}
