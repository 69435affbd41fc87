//! A run with memory: the world, its trace, and time travel.
//!
//! [`Sim`] wraps a [`World`] and keeps what is needed to go back: a full copy of the world every so
//! many steps (a snapshot) and the log of user interventions, each stamped with the simulated time
//! and the step count at which it happened. `seek(t)` restores the nearest snapshot at or before `t`
//! and replays forward, re-applying interventions at exactly the step where they happened, so the
//! replayed world is identical to the one left behind. An intervention made after seeking into the
//! past starts a new branch: the old future's interventions and snapshots are discarded.
//!
//! Memory stays bounded: when the snapshots exceed their budget, every other one of the older half
//! is thinned out, so old history becomes coarser (and seeking far back replays a little longer)
//! while recent history stays fine-grained.

use crate::action::Action;
use crate::check::{CheckerSet, Violation};
use crate::event::Stamped;
use crate::history::{check_client_history, LinReport};
use crate::protocol::Protocol;
use crate::types::Micros;
use crate::world::{SimConfig, World};

/// An intervention as recorded: what, when, and after how many processed steps.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Intervention {
    /// Simulated time at which it was applied.
    pub at: Micros,
    /// Steps processed before it was applied.
    pub after_step: u64,
    /// What was done.
    pub action: Action,
}

#[derive(Clone, Debug)]
struct Snapshot<P: Protocol> {
    world: World<P>,
    trace_len: usize,
    violations_len: usize,
    next_intervention: usize,
}

/// Time-travel tuning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryConfig {
    /// Take a snapshot every this many steps.
    pub snapshot_every_steps: u64,
    /// Keep at most this many snapshots (older ones are thinned).
    pub max_snapshots: usize,
    /// Keep the trace in memory (the app and exports do; seed sweeps need not).
    pub keep_trace: bool,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            snapshot_every_steps: 20_000,
            max_snapshots: 64,
            keep_trace: true,
        }
    }
}

/// A simulation run with its trace, checkers and time travel.
#[derive(Debug)]
pub struct Sim<P: Protocol> {
    world: World<P>,
    trace: Vec<Stamped<P::Msg>>,
    scratch: Vec<Stamped<P::Msg>>,
    violations: Vec<Violation>,
    interventions: Vec<Intervention>,
    next_intervention: usize,
    snapshots: Vec<Snapshot<P>>,
    history: HistoryConfig,
    last_snapshot_step: u64,
}

impl<P: Protocol> Sim<P> {
    /// A new run at time zero.
    pub fn new(
        config: SimConfig<P::Config>,
        checkers: CheckerSet<P::Msg>,
        history: HistoryConfig,
    ) -> Self {
        let mut trace = Vec::new();
        let mut violations = Vec::new();
        let mut world = World::new(config, checkers, &mut trace);
        world.observe(0, &mut trace, &mut violations);
        let mut sim = Sim {
            world,
            trace: Vec::new(),
            scratch: Vec::new(),
            violations,
            interventions: Vec::new(),
            next_intervention: 0,
            snapshots: Vec::new(),
            history,
            last_snapshot_step: 0,
        };
        sim.record(trace);
        sim.take_snapshot();
        sim
    }

    fn record(&mut self, mut events: Vec<Stamped<P::Msg>>) {
        if self.history.keep_trace {
            self.trace.append(&mut events);
        }
    }

    /// The world as it is now.
    pub fn world(&self) -> &World<P> {
        &self.world
    }

    /// Current simulated time.
    pub fn now(&self) -> Micros {
        self.world.now()
    }

    /// The trace recorded so far (empty when the trace is not kept).
    pub fn trace(&self) -> &[Stamped<P::Msg>] {
        &self.trace
    }

    /// Every violation found so far.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The recorded interventions of the current branch.
    pub fn interventions(&self) -> &[Intervention] {
        &self.interventions
    }

    /// A digest of the world (equal digests mean equal states).
    pub fn digest(&self) -> u64 {
        self.world.digest()
    }

    /// Processes one queued item (and any intervention due first); false when the queue is empty.
    pub fn step(&mut self) -> bool {
        if self.apply_due_intervention() {
            return true;
        }
        let mut events = std::mem::take(&mut self.scratch);
        let stepped = self.world.step(&mut events, &mut self.violations);
        self.record_scratch(events);
        if self.world.steps()
            >= self
                .last_snapshot_step
                .saturating_add(self.history.snapshot_every_steps)
        {
            self.take_snapshot();
        }
        stepped
    }

    fn record_scratch(&mut self, mut events: Vec<Stamped<P::Msg>>) {
        if self.history.keep_trace {
            self.trace.append(&mut events);
        } else {
            events.clear();
        }
        self.scratch = events;
    }

    fn apply_due_intervention(&mut self) -> bool {
        let Some(iv) = self.interventions.get(self.next_intervention) else {
            return false;
        };
        if iv.after_step != self.world.steps() {
            return false;
        }
        let iv = iv.clone();
        self.next_intervention += 1;
        self.world.set_now(iv.at);
        self.apply_now(&iv.action);
        true
    }

    fn apply_now(&mut self, action: &Action) {
        let mut events = std::mem::take(&mut self.scratch);
        self.world.apply_action(action, &mut events);
        self.world.observe(0, &mut events, &mut self.violations);
        self.record_scratch(events);
    }

    /// Runs every event up to and including time `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: Micros) {
        loop {
            if self.apply_due_intervention() {
                continue;
            }
            match self.world.next_time() {
                Some(next) if next <= t => {
                    self.step();
                }
                _ => break,
            }
        }
        if self.next_intervention_is_before(t) {
            self.apply_due_intervention();
        }
        self.world.set_now(t);
    }

    fn next_intervention_is_before(&self, t: Micros) -> bool {
        self.interventions
            .get(self.next_intervention)
            .is_some_and(|iv| iv.after_step == self.world.steps() && iv.at <= t)
    }

    /// Runs for `d` more simulated time.
    pub fn run_for(&mut self, d: Micros) {
        self.run_until(self.now() + d);
    }

    /// Applies a user action now and records it. If the run had been rewound, the old future is
    /// discarded and this becomes a new branch.
    pub fn intervene(&mut self, action: Action) {
        self.truncate_future();
        let iv = Intervention {
            at: self.now(),
            after_step: self.world.steps(),
            action,
        };
        self.interventions.push(iv.clone());
        self.next_intervention = self.interventions.len();
        self.apply_now(&iv.action);
    }

    fn truncate_future(&mut self) {
        self.interventions.truncate(self.next_intervention);
        let steps = self.world.steps();
        self.snapshots.retain(|s| s.world.steps() <= steps);
    }

    /// Moves to simulated time `t`, forwards or backwards.
    pub fn seek(&mut self, t: Micros) {
        if t < self.now() || (t == self.now() && self.has_events_at_now()) {
            self.restore_before(t);
        }
        self.run_until(t);
    }

    fn has_events_at_now(&self) -> bool {
        false
    }

    fn restore_before(&mut self, t: Micros) {
        let i = self
            .snapshots
            .iter()
            .rposition(|s| s.world.now() <= t && s.world.steps() <= self.world.steps())
            .unwrap_or(0);
        self.restore(i);
    }

    fn restore(&mut self, i: usize) {
        let s = &self.snapshots[i];
        self.world = s.world.clone();
        self.trace.truncate(s.trace_len);
        self.violations.truncate(s.violations_len);
        self.next_intervention = s.next_intervention;
        self.last_snapshot_step = self.world.steps();
    }

    /// Steps back one event: rewinds to the state right after the event before the last one, with
    /// the clock at that event's time.
    pub fn step_back(&mut self) {
        let target = self.world.steps().saturating_sub(1);
        let i = self
            .snapshots
            .iter()
            .rposition(|s| s.world.steps() <= target)
            .unwrap_or(0);
        self.restore(i);
        while self.world.steps() < target && self.step() {}
    }

    fn take_snapshot(&mut self) {
        self.last_snapshot_step = self.world.steps();
        if self
            .snapshots
            .last()
            .is_some_and(|s| s.world.steps() == self.world.steps())
        {
            return;
        }
        self.snapshots.push(Snapshot {
            world: self.world.clone(),
            trace_len: self.trace.len(),
            violations_len: self.violations.len(),
            next_intervention: self.next_intervention,
        });
        if self.snapshots.len() > self.history.max_snapshots {
            self.thin_snapshots();
        }
    }

    /// Drops every other snapshot of the older half (the first snapshot is always kept).
    fn thin_snapshots(&mut self) {
        let half = self.snapshots.len() / 2;
        let mut i = 0;
        self.snapshots.retain(|_| {
            i += 1;
            i == 1 || i > half || i % 2 == 0
        });
    }

    /// Number of snapshots held.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// Approximate bytes held by the time-travel history (snapshots and intervention log).
    pub fn history_bytes(&self) -> usize {
        let log = self.interventions.len() * std::mem::size_of::<Intervention>();
        log + self
            .snapshots
            .iter()
            .map(|s| s.world.approx_bytes())
            .sum::<usize>()
    }

    /// Ends the run: operations still waiting are closed with `info`, Eventually-checkers
    /// conclude, and the client history is checked for linearizability. Violations found are added to the trace and the list.
    pub fn finish(&mut self) -> LinReport {
        let mut events = std::mem::take(&mut self.scratch);
        self.world.close_pending_ops(&mut events);
        self.world.observe(0, &mut events, &mut self.violations);
        self.world.finish_checks(&mut events, &mut self.violations);
        self.record_scratch(events);
        let report = check_client_history(self.world.history_ops());
        if let Some(v) = report.violation(self.now()) {
            self.violations.push(v.clone());
            let ev = crate::event::Event::Violation {
                invariant: v.invariant,
                detail: v.detail,
            };
            self.record(vec![Stamped { t: self.now(), ev }]);
        }
        report
    }
}
