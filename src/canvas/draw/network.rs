//! The network: partition bands behind the nodes, one-way cuts as dashed arrows with a cut mark,
//! and the clients' hub at the centre.

use web_sys::CanvasRenderingContext2d as Ctx;

use super::{circle, dash, fill_circle, halo_text};
use crate::canvas::shapes::{CutShape, Region};
use crate::canvas::trig;
use crate::canvas::{Palette, Scene};
use crate::i18n::{tr, Msg};

/// Opacity of a partition band's tint.
const TINT_ALPHA: f64 = 0.2;
/// Width of a band's outline, px.
const OUTLINE: f64 = 3.0;

/// Each partition region's bands (outline, a clean interior, then a translucent tint), the cut
/// lines between groups, and the legend.
pub(super) fn regions(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    for region in &scene.regions {
        let width = 2.0 * region.half_width;
        bands(ctx, region);
        ctx.set_line_width(width + 2.0 * OUTLINE);
        ctx.set_stroke_style_str(&palette.partition);
        ctx.stroke();
        ctx.set_line_width(width);
        ctx.set_stroke_style_str(&palette.bg);
        ctx.stroke();
        ctx.set_global_alpha(TINT_ALPHA);
        ctx.set_stroke_style_str(&palette.partition);
        ctx.stroke();
        ctx.set_global_alpha(1.0);
    }
    walls(ctx, scene, palette);
    if !scene.compact {
        legend(ctx, scene, palette);
    }
}

/// A region's band spines as the current path (a dot for a lone node).
fn bands(ctx: &Ctx, region: &Region) {
    ctx.begin_path();
    for band in &region.bands {
        let Some(&(x, y)) = band.first() else {
            continue;
        };
        ctx.move_to(x, y);
        if band.len() == 1 {
            ctx.line_to(x + 0.01, y);
        }
        for &(x, y) in &band[1..] {
            ctx.line_to(x, y);
        }
    }
}

/// Dashed cut lines across the ring where neighbours are split apart.
fn walls(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    if scene.walls.is_empty() {
        return;
    }
    ctx.begin_path();
    for w in &scene.walls {
        ctx.move_to(w.from.0, w.from.1);
        ctx.line_to(w.to.0, w.to.1);
    }
    dash(ctx, &[6.0, 5.0]);
    ctx.set_line_width(3.0);
    ctx.set_stroke_style_str(&palette.bad);
    ctx.stroke();
    dash(ctx, &[]);
}

/// One line per group in the top-left corner, each after a swatch of the band's look.
fn legend(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    let px = scene.fonts.small_px;
    ctx.set_font(&scene.fonts.small);
    ctx.set_text_align("left");
    ctx.set_text_baseline("middle");
    for region in &scene.regions {
        let (x, y) = region.label_at;
        ctx.begin_path();
        let _ = ctx.round_rect_with_f64(x, y - px * 0.45, px * 1.4, px * 0.9, px * 0.45);
        ctx.set_global_alpha(TINT_ALPHA * 2.0);
        ctx.set_fill_style_str(&palette.partition);
        ctx.fill();
        ctx.set_global_alpha(1.0);
        ctx.set_line_width(2.0);
        ctx.set_stroke_style_str(&palette.partition);
        ctx.stroke();
        halo_text(
            ctx,
            &region.label,
            (x + px * 1.9, y),
            &palette.fg,
            &palette.bg,
        );
    }
}

/// Every cut link: a dashed arrow along its lane and a ⊘ mark at the middle.
pub(super) fn cuts(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    for cut in &scene.cuts {
        cut_arrow(ctx, cut, palette);
        let (x, y) = cut.curve.at(0.5);
        cut_mark(ctx, x, y, (scene.node_r * 0.28).max(10.0), palette);
    }
}

fn cut_arrow(ctx: &Ctx, cut: &CutShape, palette: &Palette) {
    let c = &cut.curve;
    ctx.begin_path();
    ctx.move_to(c.x0, c.y0);
    ctx.quadratic_curve_to(c.cx, c.cy, c.x1, c.y1);
    dash(ctx, &[7.0, 6.0]);
    ctx.set_line_width(3.0);
    ctx.set_stroke_style_str(&palette.bad);
    ctx.stroke();
    dash(ctx, &[]);
    let (h, len) = (c.heading(1.0), 14.0);
    ctx.begin_path();
    ctx.move_to(c.x1, c.y1);
    ctx.line_to(
        c.x1 - len * trig::cos(h - 0.45),
        c.y1 - len * trig::sin(h - 0.45),
    );
    ctx.line_to(
        c.x1 - len * trig::cos(h + 0.45),
        c.y1 - len * trig::sin(h + 0.45),
    );
    ctx.close_path();
    ctx.set_fill_style_str(&palette.bad);
    ctx.fill();
}

/// A ⊘: a ring with a slash, on a clean background.
fn cut_mark(ctx: &Ctx, x: f64, y: f64, r: f64, palette: &Palette) {
    ctx.begin_path();
    circle(ctx, x, y, r);
    ctx.set_fill_style_str(&palette.bg);
    ctx.fill();
    ctx.set_line_width(3.0);
    ctx.set_stroke_style_str(&palette.bad);
    ctx.stroke();
    ctx.begin_path();
    let d = r * std::f64::consts::FRAC_1_SQRT_2;
    ctx.move_to(x - d, y + d);
    ctx.line_to(x + d, y - d);
    ctx.set_line_width(3.0);
    ctx.set_stroke_style_str(&palette.bad);
    ctx.stroke();
}

/// The clients' hub: a ring with three heads, labelled `clients`.
pub(super) fn hub(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    if scene.nodes.is_empty() {
        return;
    }
    let h = scene.hub;
    ctx.begin_path();
    circle(ctx, h.x, h.y, h.r);
    ctx.set_fill_style_str(&palette.bg);
    ctx.fill();
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(&palette.muted);
    ctx.stroke();
    let head = h.r * 0.17;
    for (dx, dy) in [(-0.42, 0.08), (0.0, -0.12), (0.42, 0.08)] {
        fill_circle(ctx, h.x + dx * h.r, h.y + dy * h.r, head, &palette.muted);
    }
    if !scene.compact {
        ctx.set_font(&scene.fonts.small);
        ctx.set_text_align("center");
        ctx.set_text_baseline("top");
        halo_text(
            ctx,
            tr(scene.lang, Msg::CanvasClients),
            (h.x, h.y + h.r + 4.0),
            &palette.muted,
            &palette.bg,
        );
    }
}
