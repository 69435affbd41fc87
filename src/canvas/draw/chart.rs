//! Paints the metrics [`Chart`]: fault periods first, then the grid, the served area, the
//! latency bars, the fault markers, the present and the labels on top.

use web_sys::CanvasRenderingContext2d as Ctx;

use super::{dash, wrapped_halo_text, Grow};
use crate::canvas::chart::{Chart, Plot, Tick};
use crate::canvas::Palette;
use crate::i18n::{tr, Lang, Msg};

/// Opacity of a fault period's shading.
const SHADE_ALPHA: f64 = 0.2;
/// Opacity of the served area under its line.
const AREA_ALPHA: f64 = 0.35;
/// Labels' font.
const FONT: &str = concat!("600 13px ", font_family!());
/// Radius of a fault's numbered marker.
const MARKER_R: f64 = 10.0;
/// A time label closer than this to the right edge is right-aligned on it.
const LAST_LABEL_ROOM: f64 = 24.0;

/// Draws the whole chart over its background.
pub fn chart(ctx: &Ctx, c: &Chart, palette: &Palette, lang: Lang) {
    ctx.save();
    ctx.set_fill_style_str(&palette.bg);
    ctx.fill_rect(0.0, 0.0, c.width, c.height);
    ctx.set_font(FONT);
    shades(ctx, c, palette);
    grid(ctx, &c.served_plot, &c.served_ticks, palette);
    grid(ctx, &c.latency_plot, &c.latency_ticks, palette);
    served(ctx, c, palette);
    latency(ctx, c, palette);
    markers(ctx, c, palette);
    now(ctx, c, palette);
    time_labels(ctx, c, palette);
    titles(ctx, c, palette, lang);
    ctx.restore();
}

/// Each fault's period across both plots.
fn shades(ctx: &Ctx, c: &Chart, palette: &Palette) {
    let (top, bottom) = (c.served_plot.top, c.latency_plot.bottom);
    ctx.set_global_alpha(SHADE_ALPHA);
    ctx.set_fill_style_str(&palette.bad);
    for f in &c.faults {
        ctx.fill_rect(f.x, top, (f.to - f.x).max(2.0), bottom - top);
    }
    ctx.set_global_alpha(1.0);
}

/// A plot's frame, its value lines and their labels (left of the plot).
fn grid(ctx: &Ctx, plot: &Plot, ticks: &[Tick], palette: &Palette) {
    ctx.begin_path();
    for t in ticks {
        ctx.move_to(plot.left, t.at);
        ctx.line_to(plot.right, t.at);
    }
    ctx.move_to(plot.left, plot.top);
    ctx.line_to(plot.left, plot.bottom);
    ctx.set_line_width(1.0);
    ctx.set_stroke_style_str(&palette.grid);
    ctx.stroke();
    ctx.set_text_align("right");
    ctx.set_text_baseline("middle");
    ctx.set_fill_style_str(&palette.muted);
    for t in ticks {
        let _ = ctx.fill_text(&t.text, plot.left - 8.0, t.at);
    }
}

/// The served share: a step line over a translucent area.
fn served(ctx: &Ctx, c: &Chart, palette: &Palette) {
    let (Some(first), Some(last)) = (c.served.first(), c.served.last()) else {
        return;
    };
    let bottom = c.served_plot.bottom;
    ctx.begin_path();
    ctx.move_to(first.0, bottom);
    for (x, y) in &c.served {
        ctx.line_to(*x, *y);
    }
    ctx.line_to(last.0, bottom);
    ctx.close_path();
    ctx.set_global_alpha(AREA_ALPHA);
    ctx.set_fill_style_str(&palette.ok);
    ctx.fill();
    ctx.set_global_alpha(1.0);
    ctx.begin_path();
    ctx.move_to(first.0, first.1);
    for (x, y) in &c.served[1..] {
        ctx.line_to(*x, *y);
    }
    ctx.set_line_width(2.5);
    ctx.set_stroke_style_str(&palette.ok);
    ctx.stroke();
}

/// One bar per 100 ms from the fastest to the slowest operation completed in it.
fn latency(ctx: &Ctx, c: &Chart, palette: &Palette) {
    let w = c.bar_width;
    ctx.begin_path();
    for [x, hi, lo] in &c.latency {
        ctx.rect(x - w / 2.0, *hi - 1.5, w, (lo - hi) + 3.0);
    }
    ctx.set_fill_style_str(&palette.follower);
    ctx.fill();
}

/// A dashed line down from each fault's numbered marker (a pill when faults share it).
fn markers(ctx: &Ctx, c: &Chart, palette: &Palette) {
    let bottom = c.latency_plot.bottom;
    ctx.begin_path();
    for f in &c.faults {
        ctx.move_to(f.x, MARKER_R * 2.0);
        ctx.line_to(f.x, bottom);
    }
    dash(ctx, &[5.0, 4.0]);
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(&palette.bad);
    ctx.stroke();
    dash(ctx, &[]);
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    for f in c.faults.iter().filter(|f| !f.label.is_empty()) {
        let y = MARKER_R + 2.0;
        let w = (2.0 * MARKER_R).max(f.label.len() as f64 * 8.0 + 8.0);
        ctx.begin_path();
        let _ = ctx.round_rect_with_f64(f.x - w / 2.0, 2.0, w, 2.0 * MARKER_R, MARKER_R);
        ctx.set_fill_style_str(&palette.bad);
        ctx.fill();
        ctx.set_fill_style_str(crate::canvas::palette::INK);
        let _ = ctx.fill_text(&f.label, f.x, y + 0.5);
    }
}

/// The present: a solid line through both plots.
fn now(ctx: &Ctx, c: &Chart, palette: &Palette) {
    ctx.begin_path();
    ctx.move_to(c.now_x, c.served_plot.top - 6.0);
    ctx.line_to(c.now_x, c.latency_plot.bottom + 4.0);
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(&palette.fg);
    ctx.stroke();
}

fn time_labels(ctx: &Ctx, c: &Chart, palette: &Palette) {
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    ctx.set_fill_style_str(&palette.muted);
    let y = c.latency_plot.bottom + 7.0;
    for t in &c.time_ticks {
        if t.at > c.width - LAST_LABEL_ROOM {
            ctx.set_text_align("right");
            let _ = ctx.fill_text(&t.text, c.width - 2.0, y);
        } else {
            let _ = ctx.fill_text(&t.text, t.at, y);
        }
    }
}

/// Each plot's name just above its top-left corner (clear of the lines), over a halo.
fn titles(ctx: &Ctx, c: &Chart, palette: &Palette, lang: Lang) {
    ctx.set_text_align("left");
    ctx.set_text_baseline("bottom");
    let named = [
        (&c.served_plot, Msg::ChartServed),
        (&c.latency_plot, Msg::ChartLatency),
    ];
    for (plot, name) in named {
        let place = (
            (plot.left + 4.0, plot.top - 5.0),
            plot.right - plot.left - 8.0,
            15.0,
        );
        let colours = (palette.fg.as_str(), palette.bg.as_str());
        wrapped_halo_text(ctx, tr(lang, name), place, Grow::Up, colours);
    }
}
