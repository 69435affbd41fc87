//! The metrics chart as pure geometry: how well clients were served (per 100 ms) above their
//! latency (the fastest and slowest operation completed in each 100 ms), on one time axis from 0
//! to the timeline's end, with each fault's period shaded from the fault until clients were
//! served again (or until now), a numbered marker per fault and the present as a vertical line.
//! [`chart`] lays it out in CSS pixels (tested natively), [`Chart::hit`] says where a click
//! goes, and [`super::draw::chart`] paints it.

use quorum_engine::metrics::{Bin, FaultReport, BIN};
use quorum_engine::model::types::{Micros, MS, SEC};

use crate::numbers::{duration, moment};

/// Room left of the plots for the value labels, CSS px.
const LEFT: f64 = 66.0;
/// Room right of the plots.
const RIGHT: f64 = 16.0;
/// Room above the plots for the fault markers and, under them, the top plot's title.
const TOP: f64 = 46.0;
/// Room below the plots for the time labels.
const BOTTOM: f64 = 26.0;
/// Space between the two plots (the latency plot's title sits in it).
const GAP: f64 = 26.0;
/// The served plot's share of the height both plots have.
const SERVED_SHARE: f64 = 0.4;
/// Fault markers closer than this share one marker.
const MARKER_MERGE: f64 = 20.0;
/// A click this close (horizontally) to a fault's marker goes to the fault's moment.
const MARKER_HIT: f64 = 10.0;
/// Least space between two time labels.
const TICK_MIN_PX: f64 = 80.0;
/// The steps the time axis is labelled in.
const TIME_STEPS: [Micros; 12] = [
    100 * MS,
    200 * MS,
    500 * MS,
    SEC,
    2 * SEC,
    5 * SEC,
    10 * SEC,
    20 * SEC,
    30 * SEC,
    60 * SEC,
    120 * SEC,
    300 * SEC,
];
/// The latency axis never goes below this.
const LATENCY_FLOOR: Micros = 10 * MS;

/// What the chart shows.
#[derive(Clone, Copy, Debug)]
pub struct Series<'a> {
    /// Availability per [`BIN`] from time 0.
    pub bins: &'a [Bin],
    /// Fastest and slowest operation completed in each [`BIN`].
    pub latency: &'a [Option<(Micros, Micros)>],
    /// The faults and their recovery.
    pub faults: &'a [FaultReport],
    /// The present.
    pub now: Micros,
    /// The end of the time axis (the timeline's end).
    pub end: Micros,
}

/// A plot's rectangle, CSS px.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Plot {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Right edge.
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

/// A fault on the chart: its marker and its shaded period.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultMark {
    /// Where it happened.
    pub x: f64,
    /// Where its shading ends: clients served again, or now.
    pub to: f64,
    /// Its number (as in the recovery table), with those of the faults at the same place after
    /// it; empty when an earlier fault's marker shows it.
    pub label: String,
    /// When it happened.
    pub at: Micros,
    /// Clients are not served again yet.
    pub open: bool,
}

/// A labelled position on an axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// x for the time axis, y for a value axis.
    pub at: f64,
    /// The label.
    pub text: String,
}

/// Everything to draw, in CSS px.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chart {
    /// Canvas width.
    pub width: f64,
    /// Canvas height.
    pub height: f64,
    /// The served plot (top).
    pub served_plot: Plot,
    /// The latency plot (bottom).
    pub latency_plot: Plot,
    /// The served share as a step line, left to right: two points a level.
    pub served: Vec<(f64, f64)>,
    /// Each 100 ms with completions: x, then the y of the slowest and of the fastest.
    pub latency: Vec<[f64; 3]>,
    /// Width of a latency bar.
    pub bar_width: f64,
    /// The faults.
    pub faults: Vec<FaultMark>,
    /// Time labels.
    pub time_ticks: Vec<Tick>,
    /// Served-share labels.
    pub served_ticks: Vec<Tick>,
    /// Latency labels.
    pub latency_ticks: Vec<Tick>,
    /// The present.
    pub now_x: f64,
    /// The end of the time axis.
    pub end: Micros,
}

/// Lays out `series` on a `width` x `height` canvas.
pub fn chart(series: &Series, width: f64, height: f64) -> Chart {
    let end = series.end.max(series.now).max(SEC);
    let inner = (height - TOP - BOTTOM - GAP).max(2.0);
    let (left, right) = (LEFT, (width - RIGHT).max(LEFT + 1.0));
    let served_plot = Plot {
        left,
        top: TOP,
        right,
        bottom: TOP + inner * SERVED_SHARE,
    };
    let latency_plot = Plot {
        top: served_plot.bottom + GAP,
        bottom: served_plot.bottom + GAP + inner * (1.0 - SERVED_SHARE),
        ..served_plot
    };
    let mut c = Chart {
        width,
        height,
        served_plot,
        latency_plot,
        end,
        ..Chart::default()
    };
    c.now_x = c.x_of(series.now);
    c.bar_width = (c.x_of(BIN) - c.x_of(0)).clamp(2.0, 8.0);
    c.served = served_line(&c, series);
    latency(&mut c, series.latency);
    c.faults = faults(&c, series);
    c.time_ticks = time_ticks(&c);
    c.served_ticks = [(1.0, "100%"), (0.5, "50%"), (0.0, "0%")]
        .map(|(share, text)| Tick {
            at: value_y(&served_plot, share),
            text: text.into(),
        })
        .into();
    c
}

impl Chart {
    /// The x of time `t`.
    pub fn x_of(&self, t: Micros) -> f64 {
        let p = &self.served_plot;
        p.left + (p.right - p.left) * (t.min(self.end) as f64 / self.end.max(1) as f64)
    }

    /// The time at `x` (clamped to the axis).
    pub fn time_at(&self, x: f64) -> Micros {
        let p = &self.served_plot;
        let share = ((x - p.left) / (p.right - p.left).max(1.0)).clamp(0.0, 1.0);
        (share * self.end as f64).round() as Micros
    }

    /// Where a click at `(x, y)` moves the timeline: the moment of the fault whose marker is
    /// nearest within reach, or else the time under the pointer; `None` off the chart.
    pub fn hit(&self, x: f64, y: f64) -> Option<Micros> {
        if !(0.0..=self.width).contains(&x) || !(0.0..=self.height).contains(&y) {
            return None;
        }
        let nearest = self
            .faults
            .iter()
            .map(|f| ((f.x - x).abs(), f.at))
            .filter(|(d, _)| *d <= MARKER_HIT)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        Some(nearest.map_or_else(|| self.time_at(x), |(_, at)| at))
    }
}

/// The y of `share` (0 to 1) of the way up `plot`.
fn value_y(plot: &Plot, share: f64) -> f64 {
    plot.bottom - (plot.bottom - plot.top) * share.clamp(0.0, 1.0)
}

/// The share of each bin (up to now) in which clients were served, as a step line.
fn served_line(c: &Chart, series: &Series) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = Vec::new();
    for (i, bin) in series.bins.iter().enumerate() {
        let start = i as Micros * BIN;
        let span = BIN.min(series.now.saturating_sub(start));
        if span == 0 {
            break;
        }
        let share = 1.0 - bin.unserved.min(span) as f64 / span as f64;
        let y = value_y(&c.served_plot, share);
        let x = c.x_of(start + span);
        match points.last_mut() {
            // The same level goes on: stretch it (a healthy run is one segment, not 600).
            Some(last) if last.1 == y => last.0 = x,
            _ => points.extend([(c.x_of(start), y), (x, y)]),
        }
    }
    points
}

/// The latency bars and axis: from 0 to a round value above the slowest operation.
fn latency(c: &mut Chart, latency: &[Option<(Micros, Micros)>]) {
    let slowest = latency.iter().flatten().map(|(_, hi)| *hi).max();
    let top = round_up(slowest.unwrap_or(0).max(LATENCY_FLOOR));
    let plot = c.latency_plot;
    let y = |t: Micros| value_y(&plot, t as f64 / top as f64);
    c.latency = latency
        .iter()
        .enumerate()
        .filter_map(|(i, range)| {
            let (lo, hi) = (*range)?;
            let x = c.x_of(i as Micros * BIN + BIN / 2);
            Some([x, y(hi), y(lo)])
        })
        .collect();
    c.latency_ticks = [top, top / 2, 0]
        .map(|t| Tick {
            at: y(t),
            text: if t == 0 { "0".into() } else { duration(t) },
        })
        .into();
}

/// The least of 1, 2, 5 times a power of ten that is at least `t`.
pub(crate) fn round_up(t: Micros) -> Micros {
    let mut unit: Micros = 1;
    loop {
        for m in [1, 2, 5] {
            if unit * m >= t {
                return unit * m;
            }
        }
        unit *= 10;
    }
}

/// The faults' marks. A fault whose marker would overlap an earlier shown one joins its label
/// (`2,3`) and shows none of its own.
fn faults(c: &Chart, series: &Series) -> Vec<FaultMark> {
    let mut marks: Vec<FaultMark> = series
        .faults
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let served = f.recovery.map(|r| f.at + r);
            FaultMark {
                x: c.x_of(f.at),
                to: c.x_of(served.unwrap_or(series.now).max(f.at)),
                label: (i + 1).to_string(),
                at: f.at,
                open: served.is_none(),
            }
        })
        .collect();
    for i in 1..marks.len() {
        let (before, rest) = marks.split_at_mut(i);
        let mark = &mut rest[0];
        let shown = before
            .iter_mut()
            .rfind(|m| !m.label.is_empty() && (m.x - mark.x).abs() < MARKER_MERGE);
        if let Some(shown) = shown {
            shown.label = format!("{},{}", shown.label, std::mem::take(&mut mark.label));
        }
    }
    marks
}

/// Labels at every step of the axis, the step the smallest that keeps labels apart.
fn time_ticks(c: &Chart) -> Vec<Tick> {
    let px_per_us = (c.served_plot.right - c.served_plot.left) / c.end as f64;
    let step = TIME_STEPS
        .into_iter()
        .find(|s| *s as f64 * px_per_us >= TICK_MIN_PX)
        .unwrap_or(TIME_STEPS[TIME_STEPS.len() - 1]);
    (0..=c.end / step)
        .map(|i| Tick {
            at: c.x_of(i * step),
            text: moment(i * step),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(at: Micros, recovery: Option<Micros>) -> FaultReport {
        FaultReport {
            at,
            what: "crash n1 (leader)".into(),
            detection: Some(150 * MS),
            election: Some(10 * MS),
            catch_up: Some(5 * MS),
            recovery,
        }
    }

    fn bins(unserved: &[Micros]) -> Vec<Bin> {
        let bin = |&unserved| Bin {
            completed: 1,
            unserved,
        };
        unserved.iter().map(bin).collect()
    }

    #[test]
    fn time_runs_from_the_left_plot_edge_to_the_timelines_end() {
        let b = bins(&[0; 20]);
        let s = Series {
            bins: &b,
            latency: &[],
            faults: &[],
            now: SEC,
            end: 2 * SEC,
        };
        let c = chart(&s, 466.0, 240.0);
        assert_eq!(c.x_of(0), LEFT);
        assert_eq!(c.x_of(2 * SEC), 450.0);
        assert_eq!(c.now_x, (LEFT + 450.0) / 2.0);
        assert_eq!(c.time_at(c.now_x), SEC);
        assert_eq!(c.time_at(0.0), 0, "clamped to the axis");
        let labels: Vec<&str> = c.time_ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(labels, ["0", "500 ms", "1 s", "1.5 s", "2 s"]);
        assert!(c.latency_plot.top > c.served_plot.bottom);
        assert!(c.latency_plot.bottom <= 240.0 - BOTTOM);
    }

    #[test]
    fn the_served_line_dips_where_clients_waited_and_stops_at_now() {
        let b = bins(&[0, 100 * MS, 50 * MS, 0, 0]);
        let s = Series {
            bins: &b,
            latency: &[],
            faults: &[],
            now: 250 * MS,
            end: 2 * SEC,
        };
        let c = chart(&s, 600.0, 240.0);
        let p = c.served_plot;
        let (x, top, bottom) = (|t| c.x_of(t), p.top, p.bottom);
        assert_eq!(
            c.served,
            [
                (x(0), top),
                (x(100 * MS), top),
                (x(100 * MS), bottom),
                (c.now_x, bottom)
            ],
            "served in the first bin; then not, also in the 50 ms elapsed of the third"
        );
    }

    #[test]
    fn latency_bars_span_fastest_to_slowest_under_a_round_top() {
        let lat = [Some((4 * MS, 9 * MS)), None, Some((5 * MS, 170 * MS))];
        let s = Series {
            bins: &[],
            latency: &lat,
            faults: &[],
            now: 300 * MS,
            end: SEC,
        };
        let c = chart(&s, 600.0, 240.0);
        assert_eq!(c.latency.len(), 2);
        let top: Vec<&str> = c.latency_ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(top, ["200 ms", "100 ms", "0"]);
        let [x, hi, lo] = c.latency[1];
        assert_eq!(x, c.x_of(250 * MS));
        assert!(hi < lo && lo < c.latency_plot.bottom && hi > c.latency_plot.top);
        assert_eq!(round_up(10 * MS + 1), 20 * MS);
    }

    /// A 4 s axis at 3.5 s with `faults`, 784 px of plot.
    fn faults_at_3_5_s(faults: &[FaultReport]) -> Chart {
        let s = Series {
            bins: &[],
            latency: &[],
            faults,
            now: 3_500 * MS,
            end: 4 * SEC,
        };
        chart(&s, 866.0, 240.0)
    }

    #[test]
    fn faults_are_shaded_until_served_or_now_and_a_click_near_one_goes_to_it() {
        let f = [fault(SEC, Some(300 * MS)), fault(3 * SEC, None)];
        let c = faults_at_3_5_s(&f);
        let [a, b] = [&c.faults[0], &c.faults[1]];
        assert_eq!(
            (a.x, a.to, a.open),
            (c.x_of(SEC), c.x_of(1_300 * MS), false)
        );
        assert_eq!((b.to, b.open, b.label.as_str()), (c.now_x, true, "2"));
        assert_eq!(c.hit(a.x + 6.0, 100.0), Some(SEC));
        assert_eq!(c.hit(c.x_of(2 * SEC), 100.0), Some(2 * SEC));
        assert_eq!(c.hit(-1.0, 100.0), None);
    }

    #[test]
    fn faults_at_the_same_place_share_a_marker() {
        let f = [fault(SEC, None), fault(SEC, None), fault(3 * SEC, None)];
        let c = faults_at_3_5_s(&f);
        let labels: Vec<&str> = c.faults.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(labels, ["1,2", "", "3"]);
    }
}
