//! Invariant checkers: named, independent observers of the trace.
//!
//! A checker sees every event as it is recorded, keeps whatever summary it needs, and reports a
//! violation the moment one becomes visible. Checkers never look inside a node: they read the same
//! events that a trace file holds, so a run in the simulator and `quorum check` on its exported
//! trace reach the same verdicts. Each protocol supplies its own set; the linearizability checker
//! ([`crate::check::history`]) judges the client history of every replicated store.

pub mod history;
pub mod lin;
mod one_per_epoch;
mod state_machine;
pub mod witness;

pub use one_per_epoch::{EpochRule, OnePerEpoch, Seat};
pub use state_machine::StateMachineSafety;

use std::borrow::Cow;

use crate::model::event::Event;
use crate::model::types::Micros;

/// Whether an invariant must hold at every instant or eventually.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Must hold after every event.
    Always,
    /// Must hold by the end of the run (after the liveness phase).
    Eventually,
}

/// A named invariant over the trace.
pub trait Invariant<M> {
    /// Its name, as shown to users (`ElectionSafety`, `Agreement`, ...).
    fn name(&self) -> &'static str;

    /// One sentence saying what it demands.
    fn describe(&self) -> &'static str;

    /// Whether the checker reads network events (`send`, `deliver`, `drop`, `duplicate`,
    /// `delay`, `timeout`). Most do not, and are spared the bulk of the trace.
    fn reads_network(&self) -> bool {
        false
    }

    /// Always or Eventually.
    fn kind(&self) -> Kind {
        Kind::Always
    }

    /// Observes one event; returns a description of the violation it reveals, if any.
    fn observe(&mut self, t: Micros, ev: &Event<M>) -> Option<String>;

    /// Called at the end of a run; returns a violation of an Eventually property, if any.
    fn finish(&mut self, _t: Micros) -> Option<String> {
        None
    }

    /// Counts the memory this checker holds.
    fn measure(&self, m: &mut crate::model::chunked::Meter) {
        m.add(std::mem::size_of_val(self));
    }

    /// A boxed copy (checkers are part of time-travel snapshots).
    fn box_clone(&self) -> Box<dyn Invariant<M>>;
}

impl<M> Clone for Box<dyn Invariant<M>> {
    fn clone(&self) -> Self {
        self.box_clone()
    }
}

/// One violation found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// When it became visible.
    pub t: Micros,
    /// The invariant's name.
    pub invariant: Cow<'static, str>,
    /// What was seen.
    pub detail: String,
}

/// Is this one of the frequent network-level events most checkers ignore?
pub fn is_network<M>(ev: &Event<M>) -> bool {
    matches!(
        ev,
        Event::Send { .. }
            | Event::Deliver { .. }
            | Event::Drop { .. }
            | Event::Duplicate { .. }
            | Event::Delay { .. }
            | Event::Timeout { .. }
    )
}

/// A protocol's checkers run together.
#[derive(Clone)]
pub struct CheckerSet<M> {
    checkers: Vec<Box<dyn Invariant<M>>>,
    last: Vec<Option<String>>,
    network: bool,
}

// By hand, so that checkers need not be `Debug`: derived Debug impls of every checker's state
// would otherwise be linked into the browser bundle through the trait object's vtable.
impl<M> std::fmt::Debug for CheckerSet<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.checkers.iter().map(|c| c.name()).collect();
        f.debug_struct("CheckerSet")
            .field("checkers", &names)
            .field("last", &self.last)
            .finish()
    }
}

impl<M> CheckerSet<M> {
    /// A set of checkers.
    pub fn new(checkers: Vec<Box<dyn Invariant<M>>>) -> Self {
        let last = vec![None; checkers.len()];
        let network = checkers.iter().any(|c| c.reads_network());
        CheckerSet {
            checkers,
            last,
            network,
        }
    }

    /// Feeds one event to every checker; pushes the violations found. A checker that reports the
    /// very same violation again (an ongoing one) is not repeated.
    pub fn observe(&mut self, t: Micros, ev: &Event<M>, found: &mut Vec<Violation>) {
        let network = is_network(ev);
        if !self.network && network {
            return;
        }
        for (c, last) in self.checkers.iter_mut().zip(&mut self.last) {
            if network && !c.reads_network() {
                continue;
            }
            let Some(detail) = c.observe(t, ev) else {
                continue;
            };
            if last.as_deref() == Some(detail.as_str()) {
                continue;
            }
            *last = Some(detail.clone());
            let invariant = Cow::Borrowed(c.name());
            found.push(Violation {
                t,
                invariant,
                detail,
            });
        }
    }

    /// Ends the run for every checker.
    pub fn finish(&mut self, t: Micros, found: &mut Vec<Violation>) {
        for c in &mut self.checkers {
            if let Some(detail) = c.finish(t) {
                found.push(Violation {
                    t,
                    invariant: Cow::Borrowed(c.name()),
                    detail,
                });
            }
        }
    }

    /// Counts the memory the checkers hold.
    pub fn measure(&self, m: &mut crate::model::chunked::Meter) {
        for c in &self.checkers {
            c.measure(m);
        }
    }

    /// The names and descriptions of the checkers, in order.
    pub fn names(&self) -> Vec<(&'static str, &'static str)> {
        self.checkers
            .iter()
            .map(|c| (c.name(), c.describe()))
            .collect()
    }
}
