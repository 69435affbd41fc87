//! Paints the space-time diagram ([`SpaceScene`]): partitions and crash intervals first, then
//! the lanes and time labels, the arrows batched by colour and highlight (a few strokes for
//! hundreds of messages), the marks, and the present's cursor on top.

use web_sys::CanvasRenderingContext2d as Ctx;

use super::{circle, dash, halo_text, wrapped_halo_text, Grow};
use crate::canvas::spacetime::{ArrowShape, Lit, MarkShape, SpaceScene, Style};
use crate::canvas::Palette;
use crate::i18n::{tr, Msg};
use quorum_engine::lab::spacetime::MarkKind;

/// Labels' font.
const FONT: &str = concat!("600 12px ", font_family!());
/// Lane names' font.
const LANE_FONT: &str = concat!("700 13px ", font_family!());
/// Opacity of what is not highlighted while something is.
const DIM_ALPHA: f64 = 0.18;
/// Length of an arrow's head.
const HEAD: f64 = 7.0;
/// A partition band whose top is below this began in the window: its start gets a line.
const STARTED: f64 = 27.0;
/// Half the width of a crashed lane's grey.
const DOWN_HALF: f64 = 7.0;

/// Draws the diagram over its background.
pub fn spacetime(ctx: &Ctx, s: &SpaceScene, palette: &Palette) {
    ctx.save();
    ctx.set_fill_style_str(&palette.bg);
    ctx.fill_rect(0.0, 0.0, s.width, s.height);
    ctx.set_line_cap("round");
    ctx.set_font(FONT);
    spans(ctx, s, palette);
    lanes(ctx, s, palette);
    for lit in [Lit::Dim, Lit::Plain, Lit::On] {
        ctx.set_global_alpha(if lit == Lit::Dim { DIM_ALPHA } else { 1.0 });
        for style in [Style::Proto, Style::Request, Style::Reply] {
            let group = s.arrows.iter().filter(|a| a.lit == lit && a.style == style);
            arrows(ctx, group, colour(style, lit, palette), lit);
        }
        crosses(
            ctx,
            s.arrows.iter().filter(|a| a.lost && a.lit == lit),
            palette,
        );
        marks(ctx, s.marks.iter().filter(|m| m.lit == lit), s, palette);
    }
    ctx.set_global_alpha(1.0);
    cursor(ctx, s, palette);
    ctx.restore();
}

fn colour(style: Style, lit: Lit, palette: &Palette) -> &str {
    match (lit, style) {
        (Lit::On, _) => &palette.select,
        (_, Style::Proto) => &palette.heartbeat,
        (_, Style::Request) => &palette.request,
        (_, Style::Reply) => &palette.reply,
    }
}

/// Partitions as bands across the diagram with their groups written at the top; crashed lanes
/// greyed.
fn spans(ctx: &Ctx, s: &SpaceScene, palette: &Palette) {
    for sp in &s.spans {
        let (x, w) = match sp.x {
            Some(x) => (x - DOWN_HALF, 2.0 * DOWN_HALF),
            None => (0.0, s.width),
        };
        ctx.set_global_alpha(if sp.x.is_some() { 0.55 } else { 0.09 });
        ctx.set_fill_style_str(if sp.x.is_some() {
            &palette.down
        } else {
            &palette.partition
        });
        ctx.fill_rect(x, sp.top, w, sp.bottom - sp.top);
    }
    ctx.set_global_alpha(1.0);
    ctx.set_text_align("right");
    ctx.set_text_baseline("top");
    ctx.begin_path();
    for sp in s.spans.iter().filter(|sp| sp.x.is_none()) {
        if sp.top > STARTED {
            ctx.move_to(0.0, sp.top);
            ctx.line_to(s.width, sp.top);
        }
        let place = ((s.width - 8.0, sp.top + 4.0), s.width * 0.6, 15.0);
        let colours = (palette.partition.as_str(), palette.bg.as_str());
        wrapped_halo_text(ctx, &sp.text, place, Grow::Down, colours);
    }
    dash(ctx, &[6.0, 4.0]);
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(&palette.partition);
    ctx.stroke();
    dash(ctx, &[]);
}

/// Each lane's line and name, and the time labels.
fn lanes(ctx: &Ctx, s: &SpaceScene, palette: &Palette) {
    ctx.begin_path();
    for l in &s.lanes {
        ctx.move_to(l.x, 24.0);
        ctx.line_to(l.x, s.height);
    }
    for t in &s.ticks {
        ctx.move_to(52.0, t.y);
        ctx.line_to(s.width, t.y);
    }
    ctx.set_line_width(1.0);
    ctx.set_stroke_style_str(&palette.grid);
    ctx.stroke();
    ctx.set_text_baseline("middle");
    ctx.set_fill_style_str(&palette.muted);
    ctx.set_text_align("right");
    for t in &s.ticks {
        let _ = ctx.fill_text(&t.text, 50.0, t.y);
    }
    if s.causal {
        ctx.set_text_align("left");
        let _ = ctx.fill_text(tr(s.lang, Msg::CausalOrder), 4.0, 12.0);
    }
    ctx.set_font(LANE_FONT);
    ctx.set_text_align("center");
    ctx.set_fill_style_str(&palette.fg);
    for l in &s.lanes {
        let _ = ctx.fill_text(&l.name, l.x, 12.0);
    }
    ctx.set_font(FONT);
}

/// One group of arrows in one colour: the lines (dashed while in flight), then the heads of
/// those delivered.
fn arrows<'a>(
    ctx: &Ctx,
    group: impl Iterator<Item = &'a ArrowShape> + Clone,
    colour: &str,
    lit: Lit,
) {
    ctx.set_stroke_style_str(colour);
    ctx.set_fill_style_str(colour);
    ctx.set_line_width(if lit == Lit::On { 2.5 } else { 1.5 });
    for flying in [false, true] {
        ctx.begin_path();
        for a in group.clone().filter(|a| a.flying == flying) {
            ctx.move_to(a.from.0, a.from.1);
            ctx.line_to(a.to.0, a.to.1);
        }
        dash(ctx, if flying { &[4.0, 4.0] } else { &[] });
        ctx.stroke();
    }
    dash(ctx, &[]);
    ctx.begin_path();
    for a in group.filter(|a| !a.flying && !a.lost) {
        head(ctx, a);
    }
    ctx.fill();
}

/// Adds an arrow's head at its end to the path.
fn head(ctx: &Ctx, a: &ArrowShape) {
    let (dx, dy) = (a.to.0 - a.from.0, a.to.1 - a.from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-6);
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (a.to.0 - ux * HEAD, a.to.1 - uy * HEAD);
    ctx.move_to(a.to.0, a.to.1);
    ctx.line_to(bx - uy * HEAD * 0.45, by + ux * HEAD * 0.45);
    ctx.line_to(bx + uy * HEAD * 0.45, by - ux * HEAD * 0.45);
    ctx.close_path();
}

/// A cross where each lost message ended.
fn crosses<'a>(ctx: &Ctx, lost: impl Iterator<Item = &'a ArrowShape>, palette: &Palette) {
    ctx.begin_path();
    for a in lost {
        cross(ctx, a.to, 5.0);
    }
    ctx.set_line_width(2.5);
    ctx.set_stroke_style_str(&palette.bad);
    ctx.stroke();
}

fn cross(ctx: &Ctx, (x, y): (f64, f64), r: f64) {
    ctx.move_to(x - r, y - r);
    ctx.line_to(x + r, y + r);
    ctx.move_to(x + r, y - r);
    ctx.line_to(x - r, y + r);
}

/// The marks: a cross for a crash, a ring for a restart, a diamond and its words for a role
/// change, a square for a commit, dots for client operations and timers, a line across the
/// diagram for a violation.
fn marks<'a>(
    ctx: &Ctx,
    list: impl Iterator<Item = &'a MarkShape>,
    s: &SpaceScene,
    palette: &Palette,
) {
    ctx.set_text_align("left");
    ctx.set_text_baseline("middle");
    for m in list {
        let (x, y) = m.at;
        ctx.begin_path();
        match m.kind {
            MarkKind::Crash => {
                cross(ctx, m.at, 7.0);
                stroke(ctx, 3.0, &palette.bad);
            }
            MarkKind::Restart => {
                circle(ctx, x, y, 6.0);
                stroke(ctx, 2.5, &palette.ok);
            }
            MarkKind::Role => role(ctx, m, palette),
            MarkKind::Commit => {
                ctx.rect(x - 3.0, y - 3.0, 6.0, 6.0);
                fill(ctx, &palette.ok);
            }
            MarkKind::Invoke | MarkKind::Done | MarkKind::Timeout => {
                let (r, c) = match m.kind {
                    MarkKind::Invoke => (4.0, &palette.request),
                    MarkKind::Done => (4.0, &palette.reply),
                    _ => (2.5, &palette.muted),
                };
                circle(ctx, x, y, r);
                fill(ctx, c);
            }
            MarkKind::Violation => {
                ctx.move_to(0.0, y);
                ctx.line_to(s.width, y);
                stroke(ctx, 3.0, &palette.bad);
                let text = tr(s.lang, Msg::Violation);
                halo_text(ctx, text, (4.0, y - 9.0), &palette.bad, &palette.bg);
            }
        }
    }
}

/// A diamond in the role's colour, and the role's words beside it.
fn role(ctx: &Ctx, m: &MarkShape, palette: &Palette) {
    let (x, y) = m.at;
    let text = m.text.as_deref().unwrap_or_default();
    let c = match text.chars().next() {
        Some('L' | 'P') => &palette.leader,
        Some('C') => &palette.candidate,
        _ => &palette.follower,
    };
    ctx.move_to(x, y - 6.0);
    ctx.line_to(x + 6.0, y);
    ctx.line_to(x, y + 6.0);
    ctx.line_to(x - 6.0, y);
    ctx.close_path();
    fill(ctx, c);
    halo_text(ctx, text, (x + 9.0, y), &palette.fg, &palette.bg);
}

fn stroke(ctx: &Ctx, width: f64, colour: &str) {
    ctx.set_line_width(width);
    ctx.set_stroke_style_str(colour);
    ctx.stroke();
}

fn fill(ctx: &Ctx, colour: &str) {
    ctx.set_fill_style_str(colour);
    ctx.fill();
}

/// The present: a solid line across the diagram.
fn cursor(ctx: &Ctx, s: &SpaceScene, palette: &Palette) {
    ctx.begin_path();
    ctx.move_to(0.0, s.cursor);
    ctx.line_to(s.width, s.cursor);
    stroke(ctx, 2.0, &palette.fg);
    ctx.set_text_align("left");
    ctx.set_text_baseline("bottom");
    let now = tr(s.lang, Msg::Now);
    halo_text(ctx, now, (4.0, s.cursor - 3.0), &palette.fg, &palette.bg);
}
