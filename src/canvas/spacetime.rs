//! The space-time diagram as pure geometry: one vertical lane per node and client, time running
//! down (simulated time, or Lamport clock in the causal layout), each message an arrow from its
//! send to its delivery (or to a cross where it was lost), crash intervals as greyed lanes,
//! partitions as bands, marks for role changes, commits and client operations, and the present
//! as a horizontal cursor line near the bottom.
//!
//! Only what falls in the window is laid out: arrows come from [`SpaceTime::arrows_between`]
//! (binary search over the sends), so a long run costs what is on screen. [`layout`] is tested
//! natively; [`super::draw::spacetime`] paints it; [`SpaceScene::hit`] says what a click hit.

use crate::i18n::{fill, say, say_str, tr, Lang, Msg};
use quorum_engine::lab::spacetime::{Arrow, Fate, Mark, MarkKind, Root, SpaceTime};
use quorum_engine::model::types::{Addr, Micros, MS, SEC};

use super::chart::round_up;
use crate::numbers::{duration, fixed};
use crate::state::{message_type, DiagramUi, Down};

/// Room left of the lanes for the time labels, CSS px.
const LEFT: f64 = 58.0;
/// Room right of the lanes.
const RIGHT: f64 = 12.0;
/// Room above the lanes for their names.
const TOP: f64 = 26.0;
/// Room below the lanes.
const BOTTOM: f64 = 6.0;
/// Where the present sits, as a share of the plot's height from its top.
const CURSOR_SHARE: f64 = 0.85;
/// Height of one Lamport clock step in the causal layout.
const ROW: f64 = 12.0;
/// Least space between two time labels.
const TICK_MIN_PX: f64 = 48.0;
/// In the causal layout, arrows are read backwards from the newest until this many in a row lie
/// wholly above the window.
const CAUSAL_MISSES: usize = 300;
/// A click this close to an item hits it.
const HIT_PX: f64 = 8.0;

/// What the diagram shows.
#[derive(Clone, Copy)]
pub struct Window<'a> {
    /// The run's diagram.
    pub space: &'a SpaceTime,
    /// The nodes' times down.
    pub downs: &'a [Down],
    /// Layout, filters and the highlighted operation.
    pub ui: &'a DiagramUi,
    /// The operation under the pointer, highlighted like the chosen one.
    pub hover: Option<Root>,
    /// The present.
    pub now: Micros,
    /// The language of the labels.
    pub lang: Lang,
}

/// How an arrow is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Style {
    /// A protocol message between nodes.
    Proto,
    /// A client's request.
    Request,
    /// A node's answer to a client.
    Reply,
}

/// Whether an item belongs to the highlighted chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lit {
    /// Nothing is highlighted.
    Plain,
    /// Something else is: drawn faint.
    Dim,
    /// It is part of the highlighted chain.
    On,
}

/// One message on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrowShape {
    /// Where it was sent.
    pub from: (f64, f64),
    /// Where it was delivered, lost, or (in flight) where its receiver is now.
    pub to: (f64, f64),
    /// Colour.
    pub style: Style,
    /// Lost: ends in a cross.
    pub lost: bool,
    /// Still in flight: dashed, no head.
    pub flying: bool,
    /// Highlight.
    pub lit: Lit,
    /// Its position in [`SpaceTime::arrows`].
    pub index: usize,
}

/// One mark on a lane (or, for a violation, across the diagram).
#[derive(Clone, Debug, PartialEq)]
pub struct MarkShape {
    /// Where.
    pub at: (f64, f64),
    /// What.
    pub kind: MarkKind,
    /// A role change's words, drawn beside it.
    pub text: Option<String>,
    /// Highlight.
    pub lit: Lit,
    /// Its position in [`SpaceTime::marks`].
    pub index: usize,
}

/// A lane's name and position.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneHead {
    /// The lane.
    pub lane: Addr,
    /// Its x.
    pub x: f64,
    /// Its name (`n1`, `c2`).
    pub name: String,
}

/// A labelled y on the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct YTick {
    /// Where.
    pub y: f64,
    /// Its label.
    pub text: String,
}

/// A stretch of the diagram: a crash interval on a lane (`x` set) or a partition across it.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// The lane's x (`None`: the whole width).
    pub x: Option<f64>,
    /// Top.
    pub top: f64,
    /// Bottom.
    pub bottom: f64,
    /// Its words (a partition's groups).
    pub text: String,
}

/// Everything to draw, in CSS px.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpaceScene {
    /// Canvas width.
    pub width: f64,
    /// Canvas height.
    pub height: f64,
    /// The lanes shown.
    pub lanes: Vec<LaneHead>,
    /// The arrows in the window.
    pub arrows: Vec<ArrowShape>,
    /// The marks in the window.
    pub marks: Vec<MarkShape>,
    /// Crash intervals and partitions.
    pub spans: Vec<Span>,
    /// Time labels (real-time layout).
    pub ticks: Vec<YTick>,
    /// The present's y.
    pub cursor: f64,
    /// The causal layout is on.
    pub causal: bool,
    /// Real time: the window's start and the microseconds per pixel. Causal: the first clock
    /// shown, and clocks per pixel.
    scale: (f64, f64),
    /// The language of the labels.
    pub lang: Lang,
}

/// Lays out `w` on a `width` x `height` canvas.
pub fn layout(w: &Window, width: f64, height: f64) -> SpaceScene {
    let mut s = SpaceScene {
        width,
        height,
        causal: w.ui.causal,
        lang: w.lang,
        ..SpaceScene::default()
    };
    s.lanes = lanes(w, width);
    let plot = (height - TOP - BOTTOM).max(1.0);
    let focus = w.hover.or(w.ui.focus);
    if w.ui.causal {
        let newest = newest_clock(w.space);
        let first = newest as f64 - plot * CURSOR_SHARE / ROW;
        s.scale = (first, 1.0 / ROW);
        s.cursor = s.y(newest as f64) + ROW / 2.0;
        causal_items(&mut s, w, focus, first.max(0.0) as u64);
    } else {
        let span = w.ui.span.max(1) as f64;
        let start = w.now as f64 - span * CURSOR_SHARE;
        s.scale = (start, span / plot);
        s.cursor = s.y(w.now as f64);
        let (t0, t1) = (start.max(0.0) as Micros, (start + span) as Micros);
        for (i, a) in w
            .space
            .arrows_between(t0, t1)
            .map(|a| (index_of(w.space, a), a))
        {
            s.arrow(w, i, a, focus);
        }
        let first = w.space.marks().len() - w.space.marks_between(t0, Micros::MAX).len();
        for (k, m) in w.space.marks_between(t0, t1).iter().enumerate() {
            s.mark(w, first + k, m, focus);
        }
        s.ticks = ticks(&s, t0, t1);
        s.spans = spans(&s, w, t1);
    }
    s.spans.extend(downs(&s, w));
    s
}

/// The position of `a` in the diagram's arrows (they are one slice, so this is pointer arithmetic).
fn index_of(space: &SpaceTime, a: &Arrow) -> usize {
    let base = space.arrows().as_ptr() as usize;
    (a as *const Arrow as usize - base) / std::mem::size_of::<Arrow>()
}

/// The lanes not hidden, spread over the width.
fn lanes(w: &Window, width: f64) -> Vec<LaneHead> {
    let shown: Vec<Addr> = w
        .space
        .lanes()
        .iter()
        .filter(|l| !w.ui.hidden_lanes.contains(l))
        .copied()
        .collect();
    let gap = (width - LEFT - RIGHT).max(1.0) / shown.len().max(1) as f64;
    shown
        .into_iter()
        .enumerate()
        .map(|(i, lane)| LaneHead {
            lane,
            x: LEFT + gap * (i as f64 + 0.5),
            name: lane_name(lane),
        })
        .collect()
}

/// A lane's name: `n1` for node 1, `c2` for client 2.
pub fn lane_name(lane: Addr) -> String {
    match lane {
        Addr::Node(n) => format!("n{n}"),
        Addr::Client(c) => format!("c{c}"),
    }
}

/// The highest Lamport clock in the diagram (the present, in the causal layout).
fn newest_clock(space: &SpaceTime) -> u64 {
    let tail = space.arrows().iter().rev().take(CAUSAL_MISSES);
    let arrows = tail.map(|a| match a.fate {
        Fate::Delivered(_, _, c) => c.max(a.clock),
        _ => a.clock,
    });
    let marks = space
        .marks()
        .iter()
        .rev()
        .take(CAUSAL_MISSES)
        .map(|m| m.clock);
    arrows.chain(marks).max().unwrap_or(0)
}

/// The causal layout's arrows and marks: read from the newest back until many in a row lie
/// above the window.
fn causal_items(s: &mut SpaceScene, w: &Window, focus: Option<Root>, first: u64) {
    let mut misses = 0;
    for (i, a) in w.space.arrows().iter().enumerate().rev() {
        if end_clock(a).unwrap_or(u64::MAX) < first {
            misses += 1;
            if misses > CAUSAL_MISSES {
                break;
            }
            continue;
        }
        misses = 0;
        s.arrow(w, i, a, focus);
    }
    misses = 0;
    for (i, m) in w.space.marks().iter().enumerate().rev() {
        if m.clock < first {
            misses += 1;
            if misses > CAUSAL_MISSES {
                break;
            }
            continue;
        }
        misses = 0;
        s.mark(w, i, m, focus);
    }
}

fn end_clock(a: &Arrow) -> Option<u64> {
    match a.fate {
        Fate::Delivered(_, _, c) => Some(c),
        Fate::Lost(..) | Fate::Flying => None,
    }
}

fn lit(root: Option<Root>, focus: Option<Root>) -> Lit {
    match focus {
        None => Lit::Plain,
        Some(f) if root == Some(f) => Lit::On,
        Some(_) => Lit::Dim,
    }
}

fn style(label: &str) -> Style {
    match message_type(label) {
        "request" => Style::Request,
        "ok" | "fail" | "redirect" => Style::Reply,
        _ => Style::Proto,
    }
}

impl SpaceScene {
    /// The y of a time (real-time layout) or clock (causal layout).
    fn y(&self, v: f64) -> f64 {
        TOP + (v - self.scale.0) / self.scale.1
    }

    /// The time at `y` (real-time layout; `None` in the causal layout).
    pub fn time_at(&self, y: f64) -> Option<Micros> {
        let t = self.scale.0 + (y - TOP) * self.scale.1;
        (!self.causal).then_some(t.max(0.0) as Micros)
    }

    fn lane_x(&self, lane: Addr) -> Option<f64> {
        self.lanes.iter().find(|l| l.lane == lane).map(|l| l.x)
    }

    fn arrow(&mut self, w: &Window, index: usize, a: &Arrow, focus: Option<Root>) {
        let kind = message_type(&a.label);
        if w.ui.hidden_types.iter().any(|t| t == kind) {
            return;
        }
        let (Some(x1), Some(x2)) = (self.lane_x(a.from), self.lane_x(a.to)) else {
            return;
        };
        let at = |t: Micros, clock: u64| if self.causal { clock as f64 } else { t as f64 };
        let from = (x1, self.y(at(a.sent, a.clock)));
        let (to, lost, flying) = match a.fate {
            Fate::Delivered(t, _, c) => ((x2, self.y(at(t, c))), false, false),
            Fate::Lost(t, ..) => {
                let y = self.y(at(t, a.clock + 1));
                ((x1 + (x2 - x1) * 0.6, y), true, false)
            }
            Fate::Flying => ((x2, self.cursor), false, true),
        };
        self.arrows.push(ArrowShape {
            from,
            to,
            style: style(&a.label),
            lost,
            flying,
            lit: lit(a.root, focus),
            index,
        });
    }

    fn mark(&mut self, w: &Window, index: usize, m: &Mark, focus: Option<Root>) {
        let x = match m.lane {
            Some(l) if w.ui.hidden_lanes.contains(&l) => return,
            Some(l) => match self.lane_x(l) {
                Some(x) => x,
                None => return,
            },
            None => LEFT,
        };
        let y = self.y(if self.causal {
            m.clock as f64
        } else {
            m.t as f64
        });
        let text = (m.kind == MarkKind::Role).then(|| role_text(&m.text.to_string()));
        self.marks.push(MarkShape {
            at: (x, y),
            kind: m.kind,
            text,
            lit: lit(m.root, focus),
            index,
        });
    }

    /// What a click at `(x, y)` hit: the nearest mark or arrow end within reach, as the moment
    /// to move to and the client operation to highlight; a click on an arrow's line goes to
    /// the end nearer to it.
    pub fn hit(&self, space: &SpaceTime, x: f64, y: f64) -> Option<Hit> {
        let d = |p: (f64, f64)| ((p.0 - x).powi(2) + (p.1 - y).powi(2)).sqrt();
        let marks = self.marks.iter().map(|m| {
            let mark = &space.marks()[m.index];
            (d(m.at), Hit::Mark(m.index, mark.t, mark.root))
        });
        let arrows = self.arrows.iter().filter_map(|a| {
            let near = segment_distance(a.from, a.to, (x, y));
            let arrow = &space.arrows()[a.index];
            let t = match arrow.end() {
                Some(end) if d(a.to) < d(a.from) => end,
                _ => arrow.sent,
            };
            (near <= HIT_PX).then_some((near + 2.0, Hit::Arrow(a.index, t, arrow.root)))
        });
        marks
            .chain(arrows)
            .filter(|(dist, _)| *dist <= HIT_PX + 2.0)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, h)| h)
    }
}

/// A role change in a few letters, as the ring writes roles: `leader term=2` is `L t2`.
fn role_text(text: &str) -> String {
    let mut words = text.split(' ');
    let initial = |w: Option<&str>| w.and_then(|w| w.chars().next()).unwrap_or(' ');
    let role = initial(words.next()).to_ascii_uppercase();
    match words.next().and_then(|w| w.split_once('=')) {
        Some((key, n)) => format!("{role} {}{n}", initial(Some(key))),
        None => role.to_string(),
    }
}

/// What a click on the diagram hit: an arrow or a mark (its position in the diagram), the moment
/// to move to, and the client operation that caused it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A message.
    Arrow(usize, Micros, Option<Root>),
    /// A mark.
    Mark(usize, Micros, Option<Root>),
}

impl Hit {
    /// The moment a click on it moves to.
    pub fn t(self) -> Micros {
        match self {
            Hit::Arrow(_, t, _) | Hit::Mark(_, t, _) => t,
        }
    }

    /// The client operation that caused it.
    pub fn root(self) -> Option<Root> {
        match self {
            Hit::Arrow(_, _, r) | Hit::Mark(_, _, r) => r,
        }
    }

    /// What it is, in words (the hover text): a message's type, ends, times and fate; a mark's
    /// words and time.
    pub fn describe(self, space: &SpaceTime, lang: Lang) -> String {
        let cause = |r: Option<Root>| {
            r.map_or(String::new(), |(c, op)| {
                fill(lang, Msg::FromOp, &[&c.to_string(), &op.to_string()])
            })
        };
        match self {
            Hit::Arrow(i, ..) => {
                let a = &space.arrows()[i];
                let fate = match a.fate {
                    Fate::Flying => tr(lang, Msg::InFlight).to_string(),
                    Fate::Delivered(t, ..) => fill(lang, Msg::DeliveredAt, &[&at(t)]),
                    Fate::Lost(t, _, why) => {
                        fill(lang, Msg::LostAt, &[&at(t), &say_str(lang, why.name())])
                    }
                };
                let ends = format!("{}→{}", lane_name(a.from), lane_name(a.to));
                let parts = [a.label.as_str(), &ends, &at(a.sent), &fate, &cause(a.root)];
                fill(lang, Msg::SentAt, &parts)
            }
            Hit::Mark(i, ..) => {
                let m = &space.marks()[i];
                let lane = m
                    .lane
                    .map_or(String::new(), |l| format!("{} ", lane_name(l)));
                fill(
                    lang,
                    Msg::MarkAt,
                    &[&lane, &say(lang, &m.text), &at(m.t), &cause(m.root)],
                )
            }
        }
    }
}

/// A time as the hover text writes it: `1.234 s`, or `850.2 ms` under a second.
fn at(t: Micros) -> String {
    if t < SEC {
        format!("{} ms", fixed(t as f64 / MS as f64, 1))
    } else {
        format!("{} s", fixed(t as f64 / SEC as f64, 3))
    }
}

/// Distance from `p` to the segment `a`-`b`.
fn segment_distance(a: (f64, f64), b: (f64, f64), p: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = (dx * dx + dy * dy).max(1e-9);
    let k = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    let (cx, cy) = (a.0 + k * dx, a.1 + k * dy);
    ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt()
}

/// Time labels every round step that keeps them apart.
fn ticks(s: &SpaceScene, t0: Micros, t1: Micros) -> Vec<YTick> {
    let step = round_up((TICK_MIN_PX * s.scale.1) as Micros).max(1);
    (t0.div_ceil(step)..=t1 / step)
        .map(|i| i * step)
        .map(|t| YTick {
            y: s.y(t as f64),
            text: match step >= MS && t.is_multiple_of(SEC) {
                true if t >= SEC => format!("{} s", t / SEC),
                _ if t < SEC => duration(t),
                _ => at(t),
            },
        })
        .collect()
}

/// Partitions across the diagram (real-time layout), up to `t1`.
fn spans(s: &SpaceScene, w: &Window, t1: Micros) -> Vec<Span> {
    let top = s.time_at(TOP).unwrap_or(0);
    w.space
        .bands()
        .iter()
        .filter(|b| b.from <= t1 && b.to.is_none_or(|to| to >= top))
        .map(|b| Span {
            x: None,
            top: s.y(b.from as f64).max(TOP),
            bottom: s.y(b.to.unwrap_or(w.now) as f64).min(s.height),
            text: groups(w.lang, &b.groups),
        })
        .collect()
}

fn groups(lang: Lang, groups: &[Vec<u32>]) -> String {
    let each: Vec<String> = groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|n| format!("n{n}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    fill(lang, Msg::PartitionSpan, &[&each.join(" | ")])
}

/// Crash intervals on the lanes shown.
fn downs(s: &SpaceScene, w: &Window) -> Vec<Span> {
    let pos = |(t, clock): (Micros, u64)| s.y(if s.causal { clock as f64 } else { t as f64 });
    w.downs
        .iter()
        .filter_map(|d| {
            let x = s.lane_x(d.lane)?;
            let top = pos(d.from).max(TOP);
            let bottom = d.to.map_or(s.cursor, pos).min(s.height);
            (bottom > TOP && top < s.height).then(|| Span {
                x: Some(x),
                top,
                bottom,
                text: String::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
