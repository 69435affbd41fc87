//! The metrics panel's data: one engine [`Metrics`] following the run, fed only the trace events
//! added since the last change, and summarised into a [`MetricsView`] when the panel is open.

use std::cell::RefCell;
use std::rc::Rc;

use quorum_engine::lab::Lab;
use quorum_engine::metrics::{Bin, Metrics, MetricsReport, BIN};
use quorum_engine::model::types::Micros;

/// What the metrics panel shows: the engine's summary and the series its chart draws.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricsView {
    /// The summary: availability, latency, throughput, faults and their recovery.
    pub report: MetricsReport,
    /// Availability per [`BIN`] from time 0.
    pub bins: Vec<Bin>,
    /// The fastest and slowest client operation completed in each [`BIN`] (`None`: none was).
    pub latency: Vec<Option<(Micros, Micros)>>,
}

impl MetricsView {
    fn of(metrics: &Metrics) -> Self {
        let bins = metrics.bins().to_vec();
        let mut latency = vec![None; bins.len()];
        for d in metrics.done() {
            let Some(slot) = usize::try_from(d.at / BIN)
                .ok()
                .and_then(|b| latency.get_mut(b))
            else {
                continue;
            };
            let (lo, hi) = slot.get_or_insert((d.latency, d.latency));
            *lo = (*lo).min(d.latency);
            *hi = (*hi).max(d.latency);
        }
        MetricsView {
            report: metrics.report(),
            bins,
            latency,
        }
    }
}

/// A [`Metrics`], the trace position it has read to, and its last summary.
#[derive(Default)]
struct Measured {
    metrics: Metrics,
    to: usize,
    view: Option<Rc<MetricsView>>,
}

/// The run's metrics, shared by every copy of the state like the run they measure (a copy per
/// action would cost as much as measuring again). Only the newest state feeds them.
#[derive(Clone, Default)]
pub(super) struct Measure(Rc<RefCell<Measured>>);

impl std::fmt::Debug for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Measure")
    }
}

impl Measure {
    /// Feeds the trace events added since the last call.
    pub(super) fn catch_up(&self, lab: &Lab) {
        let mut m = self.0.borrow_mut();
        let len = lab.trace_len();
        if m.to > len {
            *m = Measured::default();
        }
        if m.to < len {
            let from = m.to;
            lab.measure(&mut m.metrics, from);
            m.to = len;
            m.view = None;
        }
    }

    /// Starts afresh when the trace went back past what was read (after going back in time):
    /// the next [`Measure::catch_up`] reads it from the start.
    pub(super) fn rewind(&self, lab: &Lab) {
        let mut m = self.0.borrow_mut();
        if m.to > lab.trace_len() {
            *m = Measured::default();
        }
    }

    /// The summary of what was read, computed at most once per change of the trace.
    pub(super) fn view(&self) -> Rc<MetricsView> {
        let mut m = self.0.borrow_mut();
        let m = &mut *m;
        m.view
            .get_or_insert_with(|| Rc::new(MetricsView::of(&m.metrics)))
            .clone()
    }
}
