//! A run with memory: the world, its trace, and time travel.
//!
//! [`Sim`] wraps a [`World`] and keeps what is needed to go back: a full copy of the world every so
//! many steps (a snapshot) and the log of user interventions, each stamped with the simulated time
//! and the step count at which it happened. `seek(t)` restores the nearest snapshot at or before `t`
//! and replays forward, re-applying interventions at exactly the step where they happened, so the
//! replayed world is identical to the one left behind. An intervention made after seeking into the
//! past starts a new branch: the old future's interventions and snapshots are discarded.
//!
//! The trace and the violation list are *records of the branch*: seeking back does not delete
//! them, it moves a cursor. Replaying forward regenerates the very same events (the run is
//! deterministic), which simply advance the cursor again; only a new intervention cuts the record
//! at the cursor. So a seek may also jump forward to a later snapshot without losing events.
//!
//! Memory stays bounded per simulated second, and so does the cost of a seek: snapshots are
//! taken every [`HistoryConfig::snapshot_every_steps`] steps; once there are more than
//! [`HistoryConfig::max_snapshots`], every other one of the older half is thinned out, but never
//! one whose removal would leave two neighbours more than [`HistoryConfig::max_replay_steps`]
//! apart. Recent history stays fine-grained, old history coarser down to that floor, and a seek
//! anywhere replays at most `max_replay_steps` steps. On a long run the snapshots then grow in
//! number with the run (one per `max_replay_steps / 2` to `max_replay_steps` steps), which is
//! affordable because they share every chunk of the growing state ([`crate::model::chunked`]).

use crate::check::history::{check_client_history, LinReport};
use crate::check::{CheckerSet, Violation};
use crate::metrics::Metrics;
use crate::model::event::Stamped;
use crate::model::types::Micros;
use crate::sim::action::Action;
use crate::sim::events::{EventLog, Events};
use crate::sim::protocol::Protocol;
use crate::sim::world::{SimConfig, World};

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

/// An append-only record of the current branch with a cursor marking the present, kept in
/// fixed-size chunks ([`EventLog`]) so that a long run's trace never reallocates.
#[derive(Clone, Debug)]
struct Record<T> {
    items: EventLog<T>,
    cursor: usize,
    keep: bool,
}

impl<T: PartialEq + std::fmt::Debug> Record<T> {
    fn new(keep: bool) -> Self {
        Record {
            items: EventLog::new(),
            cursor: 0,
            keep,
        }
    }

    /// Records a batch of items at the cursor, emptying `items` (the buffer is reused).
    fn extend(&mut self, items: &mut Vec<T>) {
        if !self.keep {
            items.clear();
            return;
        }
        for item in items.drain(..) {
            self.push(item);
        }
    }

    /// Records an item at the cursor; during a replay it is already there.
    fn push(&mut self, item: T) {
        if !self.keep {
            return;
        }
        if self.cursor < self.items.len() {
            debug_assert_eq!(
                self.items.get(self.cursor),
                Some(&item),
                "a replay diverged from its record"
            );
        } else {
            self.items.push(item);
        }
        self.cursor += 1;
    }

    /// What happened up to the present.
    fn present(&self) -> Events<'_, T> {
        self.items.view(self.cursor)
    }

    /// Forgets the future beyond the cursor (a new branch begins).
    fn cut(&mut self) {
        self.items.truncate(self.cursor);
    }
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
    /// Above this many snapshots, older ones are thinned (down to `max_replay_steps` apart).
    pub max_snapshots: usize,
    /// Thinning never leaves two neighbouring snapshots further apart than this many steps, so a
    /// seek never replays more (the floor on snapshot density).
    pub max_replay_steps: u64,
    /// Keep the trace in memory (the app and exports do; seed sweeps need not).
    pub keep_trace: bool,
    /// Measure the run as it goes ([`Sim::metrics`]), whether or not the trace is kept.
    pub measure: bool,
}

impl Default for HistoryConfig {
    /// A snapshot every 1,250 steps, thinned beyond 256 snapshots to at most 5,000 steps apart
    /// (a seek replays about 5 ms of a 9-node run at most; docs/performance.md, "Long runs").
    fn default() -> Self {
        HistoryConfig {
            snapshot_every_steps: 1_250,
            max_snapshots: 256,
            max_replay_steps: 5_000,
            keep_trace: true,
            measure: false,
        }
    }
}

/// A simulation run with its trace, checkers and time travel.
#[derive(Debug)]
pub struct Sim<P: Protocol> {
    world: World<P>,
    trace: Record<Stamped<P::Msg>>,
    scratch: Vec<Stamped<P::Msg>>,
    found: Vec<Violation>,
    violations: Record<Violation>,
    interventions: Vec<Intervention>,
    next_intervention: usize,
    snapshots: Vec<Snapshot<P>>,
    history: HistoryConfig,
    last_snapshot_step: u64,
    metrics: Option<Box<Metrics>>,
}

impl<P: Protocol> Sim<P> {
    /// A new run at time zero.
    pub fn new(
        config: SimConfig<P::Config>,
        checkers: CheckerSet<P::Msg>,
        history: HistoryConfig,
    ) -> Self {
        let mut events = Vec::new();
        let mut found = Vec::new();
        let mut world = World::new(config, checkers, &mut events);
        world.observe(0, &mut events, &mut found);
        let mut sim = Sim {
            world,
            trace: Record::new(history.keep_trace),
            scratch: events,
            found,
            violations: Record::new(true),
            interventions: Vec::new(),
            next_intervention: 0,
            snapshots: Vec::new(),
            history,
            last_snapshot_step: 0,
            metrics: history.measure.then(Box::default),
        };
        let events = std::mem::take(&mut sim.scratch);
        sim.record(events);
        sim.take_snapshot();
        sim
    }

    /// Moves a step's events and violations into the records, keeping the buffers for reuse.
    fn record(&mut self, mut events: Vec<Stamped<P::Msg>>) {
        if let Some(m) = &mut self.metrics {
            events.iter().for_each(|e| m.observe(e));
        }
        self.trace.extend(&mut events);
        if !self.found.is_empty() {
            self.violations.extend(&mut self.found);
        }
        self.scratch = events;
    }

    /// What the run measured so far, when [`HistoryConfig::measure`] asked for it (a seek back
    /// ends the measuring: it follows a straight run).
    pub fn metrics(&self) -> Option<&Metrics> {
        self.metrics.as_deref()
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
    pub fn trace(&self) -> Events<'_, Stamped<P::Msg>> {
        self.trace.present()
    }

    /// Bytes the trace's events occupy in place, in the chunks allocated for them (what they hold
    /// on the heap is not counted).
    pub fn trace_bytes(&self) -> usize {
        self.trace.items.bytes()
    }

    /// Every violation found so far.
    pub fn violations(&self) -> Events<'_, Violation> {
        self.violations.present()
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
        let stepped = self.world.step(&mut events, &mut self.found);
        self.record(events);
        if self.world.steps()
            >= self
                .last_snapshot_step
                .saturating_add(self.history.snapshot_every_steps)
        {
            self.take_snapshot();
        }
        stepped
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
        // A recorded intervention happened before the next event; a link edited by hand (or
        // corrupted) may say otherwise, and time must not jump past events still due.
        let at = iv.at.min(self.world.next_time().unwrap_or(iv.at));
        self.world.set_now(at);
        self.apply_now(&iv.action);
        true
    }

    fn apply_now(&mut self, action: &Action) {
        let mut events = std::mem::take(&mut self.scratch);
        self.world.apply_action(action, &mut events);
        self.world.observe(0, &mut events, &mut self.found);
        self.record(events);
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
        self.trace.cut();
        self.violations.cut();
        let steps = self.world.steps();
        self.snapshots.retain(|s| s.world.steps() <= steps);
    }

    /// Installs a recorded list of interventions on a fresh run, to be replayed at their stamps
    /// (share links). Fails if the run has already begun or the list is out of order.
    pub fn load_interventions(&mut self, list: Vec<Intervention>) -> Result<(), String> {
        if self.world.steps() != 0 || !self.interventions.is_empty() {
            return Err("interventions can only be loaded into a fresh run".into());
        }
        if list
            .windows(2)
            .any(|w| (w[1].after_step, w[1].at) < (w[0].after_step, w[0].at))
        {
            return Err("the interventions are out of order".into());
        }
        self.interventions = list;
        self.next_intervention = 0;
        Ok(())
    }

    /// Moves to simulated time `t`, forwards or backwards.
    pub fn seek(&mut self, t: Micros) {
        let best = self.snapshots.iter().rposition(|s| s.world.now() <= t);
        let behind = t < self.now();
        match best {
            Some(i) if behind || self.snapshots[i].world.steps() > self.world.steps() => {
                self.restore(i)
            }
            None if behind => self.restore(0),
            _ => {}
        }
        self.run_until(t);
    }

    fn restore(&mut self, i: usize) {
        self.metrics = None;
        let s = &self.snapshots[i];
        self.world = s.world.clone();
        self.trace.cursor = s.trace_len;
        self.violations.cursor = s.violations_len;
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

    /// Keeps a copy of the world, unless a snapshot at or after this step already exists (after
    /// a seek into the past, the replay passes snapshots it already has).
    fn take_snapshot(&mut self) {
        self.last_snapshot_step = self.world.steps();
        if self
            .snapshots
            .last()
            .is_some_and(|s| s.world.steps() >= self.world.steps())
        {
            return;
        }
        self.snapshots.push(Snapshot {
            world: self.world.clone(),
            trace_len: self.trace.cursor,
            violations_len: self.violations.cursor,
            next_intervention: self.next_intervention,
        });
        if self.snapshots.len() > self.history.max_snapshots {
            self.thin_snapshots();
        }
    }

    /// Drops every other snapshot but the newest `max_snapshots / 2` (the first snapshot is
    /// always kept), except one whose kept neighbours would be more than `max_replay_steps` apart.
    fn thin_snapshots(&mut self) {
        let steps: Vec<u64> = self.snapshots.iter().map(|s| s.world.steps()).collect();
        let newest = self.history.max_snapshots / 2;
        let keep = thinned(&steps, newest, self.history.max_replay_steps);
        let mut i = 0;
        self.snapshots.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }

    /// Number of snapshots held.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// The step counts at which the snapshots held were taken, in order.
    pub fn snapshot_steps(&self) -> impl Iterator<Item = u64> + '_ {
        self.snapshots.iter().map(|s| s.world.steps())
    }

    /// Bytes held by the time-travel history: the snapshots (chunks shared between snapshots
    /// counted once) and the intervention log. The live world and the trace are not included.
    pub fn history_bytes(&self) -> usize {
        let mut m = crate::model::chunked::Meter::new();
        m.add(self.interventions.len() * std::mem::size_of::<Intervention>());
        for s in &self.snapshots {
            s.world.measure(&mut m);
        }
        m.bytes
    }

    /// Ends the run: operations still waiting are closed with `info`, Eventually-checkers
    /// conclude, and the client history is checked for linearizability. Violations found are
    /// added to the trace and the list.
    pub fn finish(&mut self) -> LinReport {
        self.truncate_future();
        let mut events = std::mem::take(&mut self.scratch);
        self.world.close_pending_ops(&mut events);
        self.world.observe(0, &mut events, &mut self.found);
        self.world.finish_checks(&mut events, &mut self.found);
        let report = check_client_history(self.world.history_ops());
        if let Some(v) = report.violation(self.now()) {
            let ev = crate::model::event::Event::Violation {
                invariant: v.invariant.clone(),
                detail: v.detail.clone(),
            };
            events.push(Stamped { t: self.now(), ev });
            self.found.push(v);
        }
        self.record(events);
        report
    }
}

/// Which snapshots, taken at `steps` (ascending), thinning keeps: every other one but the
/// `newest` goes, unless the kept snapshots around it would then be more than `max_gap` steps
/// apart. The first snapshot, the last and the `newest` are always kept.
fn thinned(steps: &[u64], newest: usize, max_gap: u64) -> Vec<bool> {
    let mut keep = vec![true; steps.len()];
    let older = steps.len().saturating_sub(newest.max(1));
    let mut prev = 0;
    for i in 1..older {
        if i % 2 == 1 && steps[i + 1] - steps[prev] <= max_gap {
            keep[i] = false;
        } else {
            prev = i;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::thinned;

    #[test]
    fn thinning_halves_the_older_snapshots_but_never_past_the_replay_floor() {
        assert_eq!(thinned(&[0, 10, 20], 0, 100), [true, false, true]);
        let even: Vec<u64> = (0..8).map(|i| i * 100).collect();
        let keep = thinned(&even, 4, 1_000);
        assert_eq!(keep, [true, false, true, false, true, true, true, true]);
        let keep = thinned(&even, 4, 150);
        assert!(keep.iter().all(|k| *k), "200 steps apart would exceed 150");
        let sparse = [0, 100, 150, 1_000, 1_100, 1_200, 1_300, 1_400];
        let keep = thinned(&sparse, 4, 500);
        assert_eq!(keep, [true, false, true, true, true, true, true, true]);
    }
}
