//! Messages, batched by style: motion tails, then solid dots and hollow rings with their verdict
//! glyphs, then the lost ones fading out, then highlights and labels.

use std::f64::consts::TAU;

use web_sys::CanvasRenderingContext2d as Ctx;

use super::{circle, halo_text, stroke_circle};
use crate::canvas::shapes::{MsgShape, MsgStyle};
use crate::canvas::trig;
use crate::canvas::{Palette, Scene};

/// Opacity of the motion tails.
const TAIL_ALPHA: f64 = 0.35;
/// Number of rays in a lost message's burst.
const BURST_RAYS: u32 = 6;

/// Draws every message of the scene.
pub(super) fn messages(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    let live = |style: MsgStyle| {
        scene
            .messages
            .iter()
            .filter(move |m| m.style == style && m.fade.is_none())
    };
    ctx.set_global_alpha(TAIL_ALPHA);
    for style in MsgStyle::ALL {
        tails(ctx, palette, style, live(style));
    }
    ctx.set_global_alpha(1.0);
    for style in MsgStyle::ALL {
        bodies(ctx, palette, style, live(style));
    }
    for m in scene.messages.iter().filter(|m| m.fade.is_some()) {
        lost(ctx, scene, palette, m);
    }
    highlights(ctx, scene, palette);
    labels(ctx, scene, palette);
}

/// The colour of a style.
fn colour(palette: &Palette, style: MsgStyle) -> &str {
    match style {
        MsgStyle::Request => &palette.request,
        MsgStyle::Reply => &palette.reply,
        MsgStyle::Heartbeat | MsgStyle::LightReply => &palette.heartbeat,
        MsgStyle::Granted => &palette.ok,
        MsgStyle::Refused => &palette.bad,
    }
}

/// One stroke for the tails of every message of a style.
fn tails<'a>(
    ctx: &Ctx,
    palette: &Palette,
    style: MsgStyle,
    list: impl Iterator<Item = &'a MsgShape>,
) {
    let mut width = 0.0;
    ctx.begin_path();
    for m in list {
        ctx.move_to(m.tail.0, m.tail.1);
        ctx.line_to(m.x, m.y);
        width = m.size * 0.9;
    }
    if width > 0.0 {
        ctx.set_line_width(width);
        ctx.set_stroke_style_str(colour(palette, style));
        ctx.stroke();
    }
}

/// One fill (and for replies one stroke) for the dots of every message of a style, then their
/// verdict glyphs.
fn bodies<'a>(
    ctx: &Ctx,
    palette: &Palette,
    style: MsgStyle,
    list: impl Iterator<Item = &'a MsgShape> + Clone,
) {
    let Some(size) = list.clone().next().map(|m| m.size) else {
        return;
    };
    let ink = colour(palette, style);
    ctx.begin_path();
    for m in list.clone() {
        circle(ctx, m.x, m.y, m.size);
    }
    if style.hollow() {
        ctx.set_fill_style_str(&palette.bg);
        ctx.fill();
        ctx.set_line_width((size * 0.32).max(2.0));
        ctx.set_stroke_style_str(ink);
        ctx.stroke();
    } else {
        ctx.set_fill_style_str(ink);
        ctx.fill();
    }
    if matches!(style, MsgStyle::Granted | MsgStyle::Refused) {
        glyphs(ctx, style, list, size, ink);
    }
}

/// A check mark (granted) or a cross (refused) inside each ring: the verdict by shape as well
/// as by colour.
fn glyphs<'a>(
    ctx: &Ctx,
    style: MsgStyle,
    list: impl Iterator<Item = &'a MsgShape>,
    size: f64,
    ink: &str,
) {
    ctx.begin_path();
    for m in list {
        let s = m.size * 0.5;
        if style == MsgStyle::Granted {
            ctx.move_to(m.x - 0.9 * s, m.y + 0.05 * s);
            ctx.line_to(m.x - 0.25 * s, m.y + 0.7 * s);
            ctx.line_to(m.x + 0.9 * s, m.y - 0.65 * s);
        } else {
            ctx.move_to(m.x - 0.7 * s, m.y - 0.7 * s);
            ctx.line_to(m.x + 0.7 * s, m.y + 0.7 * s);
            ctx.move_to(m.x + 0.7 * s, m.y - 0.7 * s);
            ctx.line_to(m.x - 0.7 * s, m.y + 0.7 * s);
        }
    }
    ctx.set_line_width((size * 0.26).max(1.8));
    ctx.set_stroke_style_str(ink);
    ctx.stroke();
}

/// A lost message fading where it died, with a burst of rays that widens as it fades.
fn lost(ctx: &Ctx, scene: &Scene, palette: &Palette, m: &MsgShape) {
    ctx.set_global_alpha(m.alpha());
    bodies(ctx, palette, m.style, std::iter::once(m));
    if !scene.reduced_motion {
        let f = m.fade.unwrap_or(1.0);
        let (inner, outer) = (m.size * (1.5 + 1.2 * f), m.size * (2.1 + 1.8 * f));
        ctx.begin_path();
        for k in 0..BURST_RAYS {
            let a = TAU * f64::from(k) / f64::from(BURST_RAYS);
            ctx.move_to(m.x + inner * trig::cos(a), m.y + inner * trig::sin(a));
            ctx.line_to(m.x + outer * trig::cos(a), m.y + outer * trig::sin(a));
        }
        ctx.set_line_width(1.5);
        ctx.set_stroke_style_str(&palette.bad);
        ctx.stroke();
    }
    ctx.set_global_alpha(1.0);
}

/// The selected message's ring and the hovered message's glow.
fn highlights(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    for m in scene.messages.iter().filter(|m| m.selected || m.hovered) {
        if m.hovered {
            ctx.set_global_alpha(0.3);
            stroke_circle(ctx, m.x, m.y, m.size + 5.0, 6.0, &palette.select);
            ctx.set_global_alpha(1.0);
        }
        if m.selected {
            stroke_circle(ctx, m.x, m.y, m.size + 5.0, 2.5, &palette.select);
        }
    }
}

/// Labels (`AE 3`, `vote`) beside the messages that have one.
fn labels(ctx: &Ctx, scene: &Scene, palette: &Palette) {
    ctx.set_font(&scene.fonts.small);
    ctx.set_text_align("left");
    ctx.set_text_baseline("bottom");
    for m in &scene.messages {
        if let Some(text) = scene.label(m) {
            halo_text(ctx, text, m.label_at(), &palette.fg, &palette.bg);
        }
    }
}
