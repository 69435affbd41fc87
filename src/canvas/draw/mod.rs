//! Paints a [`Scene`] on a 2D context: the only code that touches `CanvasRenderingContext2d`.
//!
//! Everything here is a straight translation of shapes into strokes and fills, in CSS pixels (the
//! caller has already scaled the context for the device pixel ratio). Messages are batched by
//! style, so a frame with hundreds of them costs a handful of fills.

mod chart;
mod message;
mod network;
mod node;
mod spacetime;

pub use chart::chart;
pub use spacetime::spacetime;

use std::f64::consts::TAU;

use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d as Ctx;

use super::{Palette, Scene};
use crate::i18n::wrap_text;

/// Draws the whole scene, background first, messages on top.
pub fn draw(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    ctx.save();
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    backdrop(ctx, scene, palette);
    network::regions(ctx, scene, palette);
    network::cuts(ctx, scene, palette);
    network::hub(ctx, scene, palette);
    for n in &scene.nodes {
        node::node(ctx, scene, n, palette);
    }
    for n in &scene.nodes {
        node::labels(ctx, scene, n, palette);
    }
    message::messages(ctx, scene, palette);
    ctx.restore();
}

/// The background and the ring the nodes sit on.
fn backdrop(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    ctx.set_fill_style_str(&palette.bg);
    ctx.fill_rect(0.0, 0.0, scene.width, scene.height);
    if !scene.nodes.is_empty() {
        let (x, y) = scene.center;
        stroke_circle(ctx, x, y, scene.ring_r, 2.0, &palette.grid);
    }
}

/// Adds a full circle to the current path.
fn circle(ctx: &Ctx, x: f64, y: f64, r: f64) {
    ctx.move_to(x + r, y);
    let _ = ctx.arc(x, y, r, 0.0, TAU);
}

/// Fills a circle.
fn fill_circle(ctx: &Ctx, x: f64, y: f64, r: f64, colour: &str) {
    ctx.begin_path();
    circle(ctx, x, y, r);
    ctx.set_fill_style_str(colour);
    ctx.fill();
}

/// Strokes a circle.
fn stroke_circle(ctx: &Ctx, x: f64, y: f64, r: f64, width: f64, colour: &str) {
    ctx.begin_path();
    circle(ctx, x, y, r);
    ctx.set_line_width(width);
    ctx.set_stroke_style_str(colour);
    ctx.stroke();
}

/// Sets the line dash pattern (empty for solid lines).
fn dash(ctx: &Ctx, segments: &[f64]) {
    let array = js_sys::Array::new();
    for s in segments {
        array.push(&JsValue::from_f64(*s));
    }
    let _ = ctx.set_line_dash(&array);
}

/// Which way the lines of a wrapped label go from its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grow {
    /// The anchor is the first line's; the others follow below (text baseline `top`).
    Down,
    /// The anchor is the last line's; the others stand above it (text baseline `bottom`).
    Up,
}

/// Writes `text` like [`halo_text`], broken into lines no wider than `max_width` (CJK text
/// between any two characters, Latin text at spaces), `line` px apart.
fn wrapped_halo_text(
    ctx: &Ctx,
    text: &str,
    (at, max_width, line): ((f64, f64), f64, f64),
    grow: Grow,
    (colour, halo): (&str, &str),
) {
    let measure = |s: &str| ctx.measure_text(s).map_or(0.0, |m| m.width());
    let lines = wrap_text(text, max_width, measure);
    let first = match grow {
        Grow::Down => at.1,
        Grow::Up => at.1 - line * (lines.len() - 1) as f64,
    };
    for (i, l) in lines.iter().enumerate() {
        halo_text(ctx, l, (at.0, first + line * i as f64), colour, halo);
    }
}

/// Writes `text` in `colour` over a halo of `halo` colour, legible over any lines behind it.
fn halo_text(ctx: &Ctx, text: &str, at: (f64, f64), colour: &str, halo: &str) {
    ctx.set_stroke_style_str(halo);
    ctx.set_line_width(4.0);
    let _ = ctx.stroke_text(text, at.0, at.1);
    ctx.set_fill_style_str(colour);
    let _ = ctx.fill_text(text, at.0, at.1);
}
