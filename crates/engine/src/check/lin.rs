//! Linearizability checking for the history of a key-value store.
//!
//! A history is a list of client operations, each with the instant the client invoked it and,
//! usually, the instant it saw the response. The history is *linearizable* if we can pick, for
//! every operation, one instant between its invocation and its response at which it appears to
//! take effect atomically, such that replaying the operations in the order of those instants
//! against a plain sequential register reproduces every result the clients saw. Equivalently,
//! there is a total order of the operations that (1) respects real time: if A's response came
//! strictly before B's invocation, A comes first; and (2) is legal for a single register. An
//! operation whose outcome is unknown (the client timed out) may take effect at any instant
//! after its invocation, or not at all.
//!
//! Linearizability is *compositional* (Herlihy & Wing; Porcupine calls it P-compositionality):
//! a history over many independent keys is linearizable iff each key's sub-history is. So
//! [`check_history`] splits the history by key and [`check_key`] solves one register at a time,
//! which turns one huge search into many small ones.
//!
//! The search is the Wing & Gong algorithm as improved by Lowe. Each operation contributes two
//! *entries* to a time-ordered linked list: a call at its invocation and a return at its
//! response (unknown outcomes return "at infinity"). Walking the list from the front, a call
//! entry is a candidate to linearize next: if the operation is legal in the current register
//! state we apply it, push it on a stack, unlink both its entries ("lift" it) and restart from
//! the front. Reaching a return entry means its operation had to be linearized already but was
//! not, so an earlier choice was wrong: pop the stack, undo that operation, relink its entries
//! and try the next call after it. We succeed once every completed operation is lifted (unknown
//! ones may be left out) and fail when there is nothing left to undo.
//!
//! Unaided, this search is exponential. Lowe's insight is that what remains to be done depends
//! only on *which* operations are linearized and on the register's *current value*, not on the
//! order they were linearized in. So every (set of linearized operations, value) configuration
//! ever reached is remembered, and reaching one again is cut off at once. The set is a bitset
//! over operations numbered by invocation time, so it is typically "all operations before some
//! point, plus a few": it is stored as a count of all-ones words followed by the other words.
//!
//! Before searching, the history is simplified. Unknown-outcome reads are dropped: they
//! constrain nothing. When every written value is distinct, an unknown-outcome write whose
//! value nobody reads is dropped (pretending it never happened cannot hurt), and an
//! unknown-outcome write whose value a completed operation did read must have taken effect
//! before that operation's response, so it is treated as completed at that instant.
//!
//! A `cas` answered "failed" because the key held another value ([`LinKind::CasFailed`]) is a
//! read that saw anything but its `from`. It spoils one simplification: a dropped write of
//! unknown outcome may be just what changed the value it failed on. So [`check_key`] searches
//! twice at most: first with every such write dropped (a linearization found then is one of the
//! whole history, since those writes may be left out anyway), and only if that fails again
//! keeping the writes invoked before the last failed `cas` answered.
//!
//! With distinct written values, a register state once left never comes back (only one
//! operation wrote it, and a key is never absent again). So a choice that would leave a state
//! while a completed operation that requires it is still unplaced is cut at once
//! ([`Search::strands`]) instead of being found wrong only when the search reaches that
//! operation's response. With many concurrent clients this is what keeps the search small: a
//! Raft run with 100 clients on three keys needed more than 200 million steps on some keys
//! without it, and about 20 thousand with it.
//!
//! The search runs on an explicit stack, so long histories cannot overflow the call stack, and a
//! step budget makes it give up with [`LinResult::Unknown`] instead of running forever.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::text::text;

pub use crate::check::witness::Witness;
/// Simulated time in microseconds.
pub use crate::model::types::Micros;

/// What one client operation did to a single key, as observed by the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinKind {
    /// Wrote `value`.
    Put {
        /// The value written.
        value: u64,
    },
    /// Read the key and saw `value` (`None`: the key was absent).
    Get {
        /// The value read (`None`: the key was absent).
        value: Option<u64>,
    },
    /// Compare-and-set that succeeded: the key held `from` (`None` = absent) and now holds `to`.
    Cas {
        /// The value the key held before (`None` = absent).
        from: Option<u64>,
        /// The value the key holds after.
        to: u64,
    },
    /// Compare-and-set answered "failed" because the key did not hold `from`: a read that saw
    /// some other value, and wrote nothing. (A `cas` that was never executed at all, e.g. an
    /// aborted transaction, is not in the history.)
    CasFailed {
        /// The value the key was expected to hold and did not (`None` = absent).
        from: Option<u64>,
    },
}

/// One operation of a single key's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinOp {
    /// Client process that issued it (for messages only).
    pub client: u32,
    /// Operation id as it appears in the trace (for messages only).
    pub op: u64,
    /// When the client invoked it.
    pub invoke: Micros,
    /// When the client saw the response; `None` when the outcome is unknown ("info"): the op
    /// may have taken effect at any instant after `invoke`, or never.
    pub complete: Option<Micros>,
    /// What it did.
    pub kind: LinKind,
}

/// The verdict for one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinResult {
    /// A valid linearization exists.
    Linearizable,
    /// No linearization exists; `detail` is a short human explanation naming the key's op ids
    /// that could not be placed (e.g. the longest linearizable prefix found and the op that failed).
    Violation {
        /// Human-readable explanation of the failure.
        detail: String,
        /// What a history view draws: the longest linearizable prefix, the operation that could
        /// not be placed and those that cannot come next.
        witness: Box<Witness>,
    },
    /// The search gave up after `budget` steps without an answer.
    Unknown,
}

/// Search steps a key's history may take per operation when that is more than the budget per
/// key: a Raft run with 1,000 clients has about 12,000 operations per key, and some of its keys
/// need more than 2 million steps.
pub const STEPS_PER_OP: u64 = 1_000;

/// Checks one key's history starting from `initial` (None = absent). `budget` bounds the number
/// of search steps (e.g. 1_000_000).
///
/// `ops` may be given in any order. A response time earlier than the invocation is treated as
/// equal to it. Memory use grows with the number of steps taken, so the budget also bounds it.
pub fn check_key(initial: Option<u64>, ops: &[LinOp], budget: u64) -> LinResult {
    if let Some(op) = unwritten_read(initial, ops) {
        let detail = text!(LinUnwrittenRead, describe(op)).to_string();
        let witness = Box::new(Witness {
            prefix: Vec::new(),
            state: initial,
            blocked: op.clone(),
            stranded: None,
            cannot_follow: Vec::new(),
            total: ops.len(),
            unwritten: true,
        });
        return LinResult::Violation { detail, witness };
    }
    let unique = distinct_written_values(ops)
        .is_some_and(|written| initial.is_none_or(|v| !written.contains(&v)));
    let failed_cas_until = ops
        .iter()
        .filter(|op| matches!(op.kind, LinKind::CasFailed { .. }))
        .filter_map(|op| op.complete)
        .max();
    let lean = prepare(initial, ops, None);
    let result = Search::new(initial, &lean, unique).run(budget);
    if result == LinResult::Linearizable || failed_cas_until.is_none() {
        return result;
    }
    let full = prepare(initial, ops, failed_cas_until);
    if full.len() == lean.len() {
        return result;
    }
    Search::new(initial, &full, unique).run(budget)
}

/// Checks a whole history: `ops` are (key, op) pairs in any order; every key starts absent.
/// Returns the first violating key's result as (key, result), or (None, Linearizable) when all
/// keys pass, or (Some(key), Unknown) if some key was undecided and none violated.
///
/// Keys are checked in ascending order, so "first" means the smallest violating (or, failing
/// that, undecided) key. A key's search may take `budget_per_key` steps, or [`STEPS_PER_OP`] per
/// operation of the key if that is more.
pub fn check_history(ops: &[(u32, LinOp)], budget_per_key: u64) -> (Option<u32>, LinResult) {
    let mut by_key: BTreeMap<u32, Vec<LinOp>> = BTreeMap::new();
    for (key, op) in ops {
        by_key.entry(*key).or_default().push(op.clone());
    }
    let mut undecided = None;
    for (key, key_ops) in &by_key {
        let budget = budget_per_key.max(STEPS_PER_OP.saturating_mul(key_ops.len() as u64));
        match check_key(None, key_ops, budget) {
            LinResult::Linearizable => {}
            LinResult::Unknown => {
                undecided.get_or_insert(*key);
            }
            violation => return (Some(*key), violation),
        }
    }
    match undecided {
        Some(key) => (Some(key), LinResult::Unknown),
        None => (None, LinResult::Linearizable),
    }
}

/// Applies `kind` to a register holding `state`; `None` if the operation is illegal there.
fn apply(state: Option<u64>, kind: &LinKind) -> Option<Option<u64>> {
    match *kind {
        LinKind::Put { value } => Some(Some(value)),
        LinKind::Get { value } => (value == state).then_some(state),
        LinKind::Cas { from, to } => (from == state).then_some(Some(to)),
        LinKind::CasFailed { from } => (from != state).then_some(state),
    }
}

/// The value an operation writes, if it writes.
fn written_value(kind: &LinKind) -> Option<u64> {
    match *kind {
        LinKind::Put { value } => Some(value),
        LinKind::Cas { to, .. } => Some(to),
        LinKind::Get { .. } | LinKind::CasFailed { .. } => None,
    }
}

/// The present value an operation requires the register to hold, if any.
fn observed_value(kind: &LinKind) -> Option<u64> {
    required_state(kind).flatten()
}

/// The register state an operation requires (`Some(None)`: the key must be absent), if it
/// requires one particular state.
fn required_state(kind: &LinKind) -> Option<Option<u64>> {
    match *kind {
        LinKind::Get { value } => Some(value),
        LinKind::Cas { from, .. } => Some(from),
        LinKind::Put { .. } | LinKind::CasFailed { .. } => None,
    }
}

/// An operation as the search sees it.
struct Op<'a> {
    /// The operation from the caller's history.
    src: &'a LinOp,
    /// Must be linearized before anything invoked strictly after this instant; `None` means the
    /// operation is optional and unconstrained.
    deadline: Option<Micros>,
}

/// Simplifies a key's history and orders it by invocation time. Unknown-outcome writes invoked
/// up to `keep_until` are never dropped (see [`prune_unobserved_writes`]).
fn prepare(initial: Option<u64>, ops: &[LinOp], keep_until: Option<Micros>) -> Vec<Op<'_>> {
    let mut kept: Vec<Op<'_>> = ops
        .iter()
        .filter(|op| op.complete.is_some() || written_value(&op.kind).is_some())
        .map(|src| Op {
            src,
            deadline: src.complete.map(|c| c.max(src.invoke)),
        })
        .collect();
    if let Some(written) = distinct_written_values(ops) {
        prune_unobserved_writes(&mut kept, keep_until);
        if initial.is_none_or(|v| !written.contains(&v)) {
            promote_observed_writes(&mut kept);
        }
    }
    kept.sort_by_key(|op| {
        let src = op.src;
        (
            src.invoke,
            op.deadline.is_none(),
            op.deadline,
            src.client,
            src.op,
        )
    });
    kept
}

/// A completed operation that requires a value nobody wrote (and that the key did not start
/// with): no search can place it.
fn unwritten_read(initial: Option<u64>, ops: &[LinOp]) -> Option<&LinOp> {
    let written: HashSet<u64> = ops
        .iter()
        .filter_map(|op| written_value(&op.kind))
        .collect();
    ops.iter().find(|op| {
        let required = observed_value(&op.kind);
        op.complete.is_some()
            && required.is_some_and(|v| !written.contains(&v) && initial != Some(v))
    })
}

/// All written values, or `None` if some value is written more than once.
fn distinct_written_values(ops: &[LinOp]) -> Option<HashSet<u64>> {
    let mut seen = HashSet::new();
    for value in ops.iter().filter_map(|op| written_value(&op.kind)) {
        if !seen.insert(value) {
            return None;
        }
    }
    Some(seen)
}

/// Drops unknown-outcome writes whose value no remaining operation reads, until none is left,
/// except those invoked up to `keep_until`.
fn prune_unobserved_writes(ops: &mut Vec<Op<'_>>, keep_until: Option<Micros>) {
    loop {
        let observed: HashSet<u64> = ops
            .iter()
            .filter_map(|op| observed_value(&op.src.kind))
            .collect();
        let before = ops.len();
        ops.retain(|op| {
            op.deadline.is_some()
                || keep_until.is_some_and(|t| op.src.invoke <= t)
                || written_value(&op.src.kind).is_none_or(|v| observed.contains(&v))
        });
        if ops.len() == before {
            return;
        }
    }
}

/// Gives each unknown-outcome write whose value a completed operation reads the deadline of
/// the earliest such response. Sound only when the writer is the sole source of that value.
fn promote_observed_writes(ops: &mut [Op<'_>]) {
    let mut earliest: HashMap<u64, Micros> = HashMap::new();
    for op in ops.iter() {
        if let (Some(value), Some(done)) = (observed_value(&op.src.kind), op.deadline) {
            let slot = earliest.entry(value).or_insert(done);
            *slot = (*slot).min(done);
        }
    }
    for op in ops.iter_mut().filter(|op| op.deadline.is_none()) {
        let seen = written_value(&op.src.kind).and_then(|v| earliest.get(&v));
        if let Some(&done) = seen.filter(|&&done| done >= op.src.invoke) {
            op.deadline = Some(done);
        }
    }
}

/// Sentinel entry before the first real entry.
const HEAD: usize = 0;
/// Sentinel entry after the last real entry.
const TAIL: usize = 1;

/// Entry id of operation `op`'s call.
fn call_entry(op: usize) -> usize {
    2 + 2 * op
}

/// Entry id of operation `op`'s return.
fn return_entry(op: usize) -> usize {
    3 + 2 * op
}

/// The operation an entry belongs to, if it is a real entry.
fn entry_op(entry: usize) -> Option<usize> {
    entry.checked_sub(2).map(|e| e / 2)
}

/// Doubly linked list of call and return entries in time order, supporting undoable removal.
struct EntryList {
    next: Vec<usize>,
    prev: Vec<usize>,
}

impl EntryList {
    /// Links the entries of `ops` (sorted by invocation) in time order.
    fn new(ops: &[Op<'_>]) -> Self {
        let mut order: Vec<((bool, Micros, bool, usize), usize)> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            order.push(((false, op.src.invoke, false, i), call_entry(i)));
            let at = (op.deadline.is_none(), op.deadline.unwrap_or(0), true, i);
            order.push((at, return_entry(i)));
        }
        order.sort_unstable();
        let mut chain = vec![HEAD];
        chain.extend(order.into_iter().map(|(_, entry)| entry));
        chain.push(TAIL);
        let mut list = EntryList {
            next: vec![TAIL; chain.len()],
            prev: vec![HEAD; chain.len()],
        };
        for pair in chain.windows(2) {
            list.next[pair[0]] = pair[1];
            list.prev[pair[1]] = pair[0];
        }
        list
    }

    /// The first entry still in the list.
    fn first(&self) -> usize {
        self.next[HEAD]
    }

    /// The entry after `entry`.
    fn after(&self, entry: usize) -> usize {
        self.next[entry]
    }

    /// Removes both entries of `op`.
    fn lift(&mut self, op: usize) {
        self.unlink(call_entry(op));
        self.unlink(return_entry(op));
    }

    /// Undoes the most recent `lift` still in effect, which must be of `op`.
    fn unlift(&mut self, op: usize) {
        self.relink(return_entry(op));
        self.relink(call_entry(op));
    }

    /// Removes `entry`, leaving its own links intact so `relink` can restore it.
    fn unlink(&mut self, entry: usize) {
        let (p, n) = (self.prev[entry], self.next[entry]);
        self.next[p] = n;
        self.prev[n] = p;
    }

    /// Puts back an entry removed by `unlink` (in reverse order of removal).
    fn relink(&mut self, entry: usize) {
        let (p, n) = (self.prev[entry], self.next[entry]);
        self.next[p] = entry;
        self.prev[n] = entry;
    }
}

/// A memoized configuration: all-ones leading words, the remaining words up to the last
/// non-zero one, and the register value.
type MemoKey = (usize, Box<[u64]>, Option<u64>);

/// Growable set of operation indices.
struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    fn new(len: usize) -> Self {
        BitSet {
            words: vec![0; len.div_ceil(64)],
        }
    }

    fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    fn clear(&mut self, i: usize) {
        self.words[i / 64] &= !(1 << (i % 64));
    }

    fn contains(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }

    /// Compact key for this set together with a register value.
    fn memo_key(&self, state: Option<u64>) -> MemoKey {
        let words = &self.words;
        let full = words.iter().take_while(|w| **w == u64::MAX).count();
        let end = words.iter().rposition(|w| *w != 0).map_or(full, |p| p + 1);
        (full, words[full..end.max(full)].into(), state)
    }
}

/// The deepest point the search reached before it had to backtrack.
struct Frontier {
    /// Number of operations linearized at that point.
    depth: usize,
    /// The last operation linearized, if any.
    last: Option<usize>,
    /// The register value at that point.
    state: Option<u64>,
    /// The operations linearized at that point, in order.
    order: Vec<usize>,
    /// The completed operation whose response was reached without placing it.
    blocked: usize,
    /// The operation that placing `blocked` would have stranded ([`Search::strands`]), if that
    /// is why it could not be placed.
    stranded: Option<usize>,
}

/// State of the Wing & Gong / Lowe depth-first search over one key.
struct Search<'a> {
    ops: &'a [Op<'a>],
    initial: Option<u64>,
    list: EntryList,
    linearized: BitSet,
    memo: HashSet<MemoKey>,
    /// Linearized operations, each with the register value before it.
    stack: Vec<(usize, Option<u64>)>,
    state: Option<u64>,
    /// Completed operations not linearized yet.
    remaining: usize,
    /// When every written value is distinct: per register state, the completed operations not
    /// linearized yet that require it (see [`Search::strands`]). `None` otherwise.
    awaiting: Option<HashMap<Option<u64>, u32>>,
    frontier: Option<Frontier>,
}

impl<'a> Search<'a> {
    /// A search over `ops`; `unique` when every value is written at most once and never equals
    /// `initial`.
    fn new(initial: Option<u64>, ops: &'a [Op<'a>], unique: bool) -> Self {
        let awaiting = unique.then(|| {
            let mut counts: HashMap<Option<u64>, u32> = HashMap::new();
            let completed = ops.iter().filter(|op| op.deadline.is_some());
            for state in completed.filter_map(|op| required_state(&op.src.kind)) {
                *counts.entry(state).or_default() += 1;
            }
            counts
        });
        Search {
            ops,
            initial,
            list: EntryList::new(ops),
            linearized: BitSet::new(ops.len()),
            memo: HashSet::new(),
            stack: Vec::new(),
            state: initial,
            remaining: ops.iter().filter(|op| op.deadline.is_some()).count(),
            awaiting,
            frontier: None,
        }
    }

    /// Would linearizing `op`, which takes the register to `next`, strand a completed operation
    /// that requires the present state? With distinct written values a state, once left, never
    /// comes back (only its one writer wrote it, and an absent key is never absent again), so
    /// such an operation could never be placed: the choice is dead at once, not after a long
    /// search that reaches that operation's response.
    fn strands(&self, op: usize, next: Option<u64>) -> bool {
        let Some(awaiting) = &self.awaiting else {
            return false;
        };
        if next == self.state {
            return false;
        }
        let waiting = awaiting.get(&self.state).copied().unwrap_or(0);
        let itself = self.ops[op].deadline.is_some()
            && required_state(&self.ops[op].src.kind) == Some(self.state);
        waiting > u32::from(itself)
    }

    /// Counts `op` in (`delta` 1) or out (`delta` -1) of the completed operations awaiting the
    /// state it requires.
    fn await_state(&mut self, op: usize, delta: i32) {
        let kind = &self.ops[op].src.kind;
        let Some(state) = required_state(kind).filter(|_| self.ops[op].deadline.is_some()) else {
            return;
        };
        if let Some(count) = self.awaiting.as_mut().and_then(|a| a.get_mut(&state)) {
            *count = count.saturating_add_signed(delta);
        }
    }

    /// Runs the search for at most `budget` steps.
    fn run(mut self, budget: u64) -> LinResult {
        let mut entry = self.list.first();
        let mut steps = 0;
        while self.remaining > 0 {
            if steps >= budget {
                return LinResult::Unknown;
            }
            steps += 1;
            let call = entry_op(entry).filter(|&op| entry == call_entry(op));
            entry = match call {
                Some(op) => self.try_linearize(entry, op),
                None => match self.backtrack(entry) {
                    Some(next) => next,
                    None => return self.violation(),
                },
            };
        }
        LinResult::Linearizable
    }

    /// Tries `op` as the next linearized operation; returns the entry to look at next.
    fn try_linearize(&mut self, entry: usize, op: usize) -> usize {
        let Some(next_state) = apply(self.state, &self.ops[op].src.kind) else {
            return self.list.after(entry);
        };
        if self.strands(op, next_state) {
            return self.list.after(entry);
        }
        self.linearized.set(op);
        if !self.memo.insert(self.linearized.memo_key(next_state)) {
            self.linearized.clear(op);
            return self.list.after(entry);
        }
        self.stack.push((op, self.state));
        self.state = next_state;
        self.await_state(op, -1);
        self.list.lift(op);
        if self.ops[op].deadline.is_some() {
            self.remaining -= 1;
        }
        self.list.first()
    }

    /// Undoes the latest choice after reaching `entry`, a return of an unplaced operation.
    /// Returns the entry to look at next, or `None` if there is nothing left to undo.
    ///
    /// A read (a `get`, or a failed `cas`) that was placed and then undone is undone together with
    /// the choice before it: a read changes nothing, and when the search reaches its call every
    /// operation that responded before it is already placed, so if any order of the rest exists
    /// one exists that places the read right there. Trying other choices instead of it can only
    /// fail again.
    fn backtrack(&mut self, entry: usize) -> Option<usize> {
        self.note_frontier(entry);
        loop {
            let (op, before) = self.stack.pop()?;
            self.state = before;
            self.await_state(op, 1);
            self.linearized.clear(op);
            self.list.unlift(op);
            if self.ops[op].deadline.is_some() {
                self.remaining += 1;
            }
            if written_value(&self.ops[op].src.kind).is_some() {
                return Some(self.list.after(call_entry(op)));
            }
        }
    }

    /// Remembers the deepest dead end for the violation report.
    fn note_frontier(&mut self, entry: usize) {
        let Some(blocked) = entry_op(entry) else {
            return;
        };
        let depth = self.stack.len();
        if self.frontier.as_ref().is_some_and(|f| f.depth >= depth) {
            return;
        }
        self.frontier = Some(Frontier {
            depth,
            last: self.stack.last().map(|&(op, _)| op),
            state: self.state,
            order: self.stack.iter().map(|&(op, _)| op).collect(),
            blocked,
            stranded: self.stranded_by(blocked),
        });
    }

    /// The first completed, unplaced operation that requires the present state, when placing
    /// `op` is legal but would strand it.
    fn stranded_by(&self, op: usize) -> Option<usize> {
        let next = apply(self.state, &self.ops[op].src.kind)?;
        if !self.strands(op, next) {
            return None;
        }
        (0..self.ops.len()).find(|&other| {
            other != op
                && !self.linearized.contains(other)
                && self.ops[other].deadline.is_some()
                && required_state(&self.ops[other].src.kind) == Some(self.state)
        })
    }

    /// Builds the violation verdict from the deepest dead end.
    fn violation(&self) -> LinResult {
        let Some(frontier) = &self.frontier else {
            let witness = Box::new(Witness {
                prefix: Vec::new(),
                state: self.initial,
                blocked: self.ops[0].src.clone(),
                stranded: None,
                cannot_follow: Vec::new(),
                total: self.ops.len(),
                unwritten: false,
            });
            let detail = "no linearization exists".to_string();
            return LinResult::Violation { detail, witness };
        };
        LinResult::Violation {
            detail: self.explain(frontier),
            witness: Box::new(self.witness(frontier)),
        }
    }

    /// The frontier as plain operations: the prefix in order, and the operations that could come
    /// next in real time (invoked before the blocked one's response) but are illegal there.
    fn witness(&self, frontier: &Frontier) -> Witness {
        let blocked = &self.ops[frontier.blocked];
        let placed: HashSet<usize> = frontier.order.iter().copied().collect();
        let cannot_follow = (0..self.ops.len())
            .filter(|i| *i != frontier.blocked && !placed.contains(i))
            .map(|i| &self.ops[i])
            .filter(|op| blocked.deadline.is_none_or(|d| op.src.invoke <= d))
            .filter(|op| apply(frontier.state, &op.src.kind).is_none())
            .map(|op| op.src.clone())
            .collect();
        Witness {
            prefix: frontier
                .order
                .iter()
                .map(|&i| self.ops[i].src.clone())
                .collect(),
            state: frontier.state,
            blocked: blocked.src.clone(),
            stranded: frontier.stranded.map(|i| self.ops[i].src.clone()),
            cannot_follow,
            total: self.ops.len(),
            unwritten: false,
        }
    }

    fn explain(&self, frontier: &Frontier) -> String {
        let prefix = match frontier.last {
            Some(last) => text!(
                LinPrefix,
                frontier.depth,
                self.ops.len(),
                describe(self.ops[last].src)
            ),
            None => text!(LinNoFirst, self.ops.len(), value_text(self.initial)),
        };
        let blocked = &self.ops[frontier.blocked];
        let state = value_text(frontier.state);
        let why = |other: usize| describe(self.ops[other].src);
        let tail = match (blocked.deadline, frontier.stranded) {
            (None, None) => text!(Word, ""),
            (Some(t), None) => text!(LinAt, t),
            (None, Some(o)) => text!(LinOverwrite, &state, why(o)),
            (Some(t), Some(o)) => text!(LinAtOverwrite, t, &state, why(o)),
        };
        text!(LinBlocked, prefix, &state, describe(blocked.src), tail).to_string()
    }
}

/// Short description of an operation for violation messages.
fn describe(op: &LinOp) -> String {
    let what = match op.kind {
        LinKind::Put { value } => format!("put {value}"),
        LinKind::Get { value } => format!("get -> {}", value_text(value)),
        LinKind::Cas { from, to } => format!("cas {} -> {to}", value_text(from)),
        LinKind::CasFailed { from } => format!("cas {} failed", value_text(from)),
    };
    text!(LinOpIs, op.op, op.client, what).to_string()
}

/// A register value for messages.
fn value_text(value: Option<u64>) -> String {
    value.map_or_else(|| text!(LinAbsent).to_string(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUDGET: u64 = 1_000_000;

    fn op(id: u64, invoke: Micros, complete: Option<Micros>, kind: LinKind) -> LinOp {
        LinOp {
            client: (id % 7) as u32,
            op: id,
            invoke,
            complete,
            kind,
        }
    }

    fn put(id: u64, invoke: Micros, complete: Option<Micros>, value: u64) -> LinOp {
        op(id, invoke, complete, LinKind::Put { value })
    }

    fn get(id: u64, invoke: Micros, complete: Option<Micros>, value: Option<u64>) -> LinOp {
        op(id, invoke, complete, LinKind::Get { value })
    }

    fn cas(id: u64, invoke: Micros, complete: Option<Micros>, from: Option<u64>, to: u64) -> LinOp {
        op(id, invoke, complete, LinKind::Cas { from, to })
    }

    fn check(ops: &[LinOp]) -> LinResult {
        check_key(None, ops, BUDGET)
    }

    fn is_violation(result: &LinResult) -> bool {
        matches!(result, LinResult::Violation { .. })
    }

    fn detail(result: LinResult) -> String {
        match result {
            LinResult::Violation { detail, .. } => detail,
            other => panic!("expected a violation, got {other:?}"),
        }
    }

    #[test]
    fn empty_history_is_linearizable() {
        assert_eq!(check(&[]), LinResult::Linearizable);
        assert_eq!(check_history(&[], BUDGET), (None, LinResult::Linearizable));
    }

    #[test]
    fn sequential_history_is_linearizable() {
        let ops = [
            get(1, 0, Some(1), None),
            put(2, 2, Some(3), 10),
            get(3, 4, Some(5), Some(10)),
            put(4, 6, Some(7), 11),
            get(5, 8, Some(9), Some(11)),
        ];
        assert_eq!(check(&ops), LinResult::Linearizable);
    }

    #[test]
    fn sequential_history_with_wrong_read_is_violation() {
        let ops = [put(1, 0, Some(1), 10), get(2, 2, Some(3), None)];
        assert!(is_violation(&check(&ops)));
    }

    #[test]
    fn concurrent_put_and_get_either_order_works() {
        for seen in [None, Some(5)] {
            let ops = [put(1, 0, Some(10), 5), get(2, 2, Some(8), seen)];
            assert_eq!(check(&ops), LinResult::Linearizable, "get saw {seen:?}");
        }
    }

    fn cas_failed(id: u64, invoke: Micros, complete: Micros, from: Option<u64>) -> LinOp {
        op(id, invoke, Some(complete), LinKind::CasFailed { from })
    }

    #[test]
    fn a_cas_answered_failed_although_the_key_held_its_value_is_a_violation() {
        let wrongly_failed = [put(1, 0, Some(5), 7), cas_failed(2, 10, 15, Some(7))];
        let text = detail(check(&wrongly_failed));
        assert!(text.contains("op 2 (client 2, cas 7 failed)"), "{text}");
        let rightly_failed = [put(1, 0, Some(5), 7), cas_failed(2, 10, 15, Some(6))];
        assert_eq!(check(&rightly_failed), LinResult::Linearizable);
        let absent = [cas_failed(1, 0, 5, None)];
        assert!(is_violation(&check(&absent)), "the key was absent");
    }

    #[test]
    fn a_failed_cas_may_have_seen_a_write_whose_outcome_is_unknown() {
        let ops = [
            put(1, 0, Some(5), 7),
            put(2, 6, None, 8),
            cas_failed(3, 10, 15, Some(7)),
        ];
        assert_eq!(check(&ops), LinResult::Linearizable);
    }

    /// Forty clients at once on one key, values distinct: without cutting a choice that
    /// overwrites a value some completed operation must still read, this search ran past a
    /// million steps (it still does with repeated values, where the cut is unsound).
    #[test]
    fn many_concurrent_clients_with_distinct_values_are_decided_within_a_small_budget() {
        for seed in 0..5 {
            let shape = Shape {
                clients: 40,
                ops: 4000,
                timeout_percent: 10,
                value_range: None,
            };
            let mut ops = generate(seed, &shape);
            assert_eq!(check_key(None, &ops, 100_000), LinResult::Linearizable);
            assert!(break_history(&mut ops), "seed {seed}");
            assert!(is_violation(&check_key(None, &ops, 100_000)), "seed {seed}");
        }
    }

    #[test]
    fn touching_intervals_are_concurrent() {
        let ops = [put(1, 0, Some(10), 5), get(2, 10, Some(20), None)];
        assert_eq!(check(&ops), LinResult::Linearizable);
        let ops = [put(1, 0, Some(10), 5), get(2, 11, Some(20), None)];
        assert!(is_violation(&check(&ops)));
    }

    #[test]
    fn stale_read_after_completed_write_is_violation() {
        let ops = [
            put(1, 0, Some(5), 1),
            put(2, 10, Some(15), 2),
            get(3, 20, Some(25), Some(1)),
        ];
        assert!(is_violation(&check(&ops)));
    }

    #[test]
    fn read_of_value_never_written_is_violation() {
        let ops = [put(1, 0, Some(5), 1), get(2, 3, Some(8), Some(42))];
        let text = detail(check(&ops));
        assert!(text.contains("op 2"), "{text}");
    }

    #[test]
    fn older_value_after_newer_write_completed_is_violation() {
        let ops = [
            put(1, 0, Some(10), 1),
            put(2, 5, Some(20), 2),
            get(3, 12, Some(30), Some(2)),
            get(4, 25, Some(40), Some(1)),
        ];
        assert!(is_violation(&check(&ops)));
        let ok = [
            put(1, 0, Some(10), 1),
            put(2, 5, Some(20), 2),
            get(4, 15, Some(40), Some(1)),
        ];
        assert_eq!(check(&ok), LinResult::Linearizable);
    }

    #[test]
    fn cas_chain_is_linearizable() {
        let ops = [
            cas(1, 0, Some(5), None, 1),
            cas(2, 6, Some(10), Some(1), 2),
            cas(3, 11, Some(15), Some(2), 3),
            get(4, 16, Some(20), Some(3)),
        ];
        assert_eq!(check(&ops), LinResult::Linearizable);
    }

    #[test]
    fn concurrent_cas_chain_finds_the_only_order() {
        let ops = [
            cas(3, 0, Some(50), Some(2), 3),
            cas(2, 0, Some(50), Some(1), 2),
            cas(1, 0, Some(50), None, 1),
            get(4, 60, Some(70), Some(3)),
        ];
        assert_eq!(check(&ops), LinResult::Linearizable);
    }

    #[test]
    fn cas_from_wrong_value_is_violation() {
        let ops = [put(1, 0, Some(5), 1), cas(2, 6, Some(10), Some(7), 2)];
        assert!(is_violation(&check(&ops)));
        let two_winners = [
            put(1, 0, Some(5), 1),
            cas(2, 6, Some(10), Some(1), 2),
            cas(3, 6, Some(10), Some(1), 3),
        ];
        assert!(is_violation(&check(&two_winners)));
    }

    #[test]
    fn unknown_put_later_read_must_be_linearized() {
        let ops = [
            put(1, 0, Some(5), 1),
            put(2, 6, None, 2),
            get(3, 100, Some(110), Some(2)),
            get(4, 120, Some(130), Some(2)),
        ];
        assert_eq!(check(&ops), LinResult::Linearizable);
        // The read of 2 came before the unknown put was even invoked.
        let early = [
            put(1, 0, Some(5), 1),
            get(3, 6, Some(8), Some(2)),
            put(2, 9, None, 2),
        ];
        assert!(is_violation(&check(&early)));
    }

    #[test]
    fn unknown_put_read_then_overwritten_keeps_order() {
        // Once 3 has been seen after the unknown put 2 was read, 2 cannot come back.
        let ops = [
            put(1, 0, None, 2),
            get(2, 10, Some(20), Some(2)),
            put(3, 30, Some(40), 3),
            get(4, 50, Some(60), Some(2)),
        ];
        assert!(is_violation(&check(&ops)));
    }

    #[test]
    fn unknown_put_never_observed_is_ignored() {
        let ops = [
            put(1, 0, Some(5), 1),
            put(2, 6, None, 2),
            get(3, 100, Some(110), Some(1)),
        ];
        assert_eq!(check(&ops), LinResult::Linearizable);
    }

    #[test]
    fn unknown_put_with_repeated_values_is_still_optional() {
        // Values are not distinct, so no pruning: the search itself must omit op 2.
        let ops = [
            put(1, 0, Some(5), 1),
            put(2, 6, None, 2),
            put(5, 7, Some(8), 2),
            put(6, 9, Some(10), 1),
            get(3, 100, Some(110), Some(1)),
        ];
        assert_eq!(check(&ops), LinResult::Linearizable);
    }

    #[test]
    fn unknown_cas_may_or_may_not_apply() {
        let applied = [cas(1, 0, None, None, 5), get(2, 10, Some(20), Some(5))];
        assert_eq!(check(&applied), LinResult::Linearizable);
        let skipped = [cas(1, 0, None, None, 5), get(2, 10, Some(20), None)];
        assert_eq!(check(&skipped), LinResult::Linearizable);
        let impossible = [cas(1, 0, None, Some(9), 5), get(2, 10, Some(20), Some(5))];
        assert!(is_violation(&check(&impossible)));
    }

    #[test]
    fn unknown_get_is_ignored() {
        let ops = [put(1, 0, Some(5), 1), get(2, 6, None, Some(77))];
        assert_eq!(check(&ops), LinResult::Linearizable);
    }

    #[test]
    fn initial_value_is_respected() {
        let ops = [get(1, 0, Some(1), Some(7))];
        assert_eq!(check_key(Some(7), &ops, BUDGET), LinResult::Linearizable);
        assert!(is_violation(&check_key(None, &ops, BUDGET)));
        // The initial value is also written later, so an unknown write must not be promoted.
        let ops = [put(1, 0, None, 7), get(2, 5, Some(6), Some(7))];
        assert_eq!(check_key(Some(7), &ops, BUDGET), LinResult::Linearizable);
    }

    #[test]
    fn violation_detail_names_prefix_and_blocked_op() {
        let ops = [
            put(11, 0, Some(5), 1),
            put(12, 10, Some(15), 2),
            get(13, 20, Some(25), Some(1)),
        ];
        let text = detail(check(&ops));
        assert!(text.contains("1 of 3 ops"), "{text}");
        assert!(
            text.contains("op 12 (client 5, put 2) could not be placed"),
            "{text}"
        );
        assert!(
            text.contains("overwrite 1, which op 13 (client 6, get -> 1) must still see"),
            "{text}"
        );
        assert_eq!(detail(check(&ops)), text, "detail must be deterministic");
    }

    #[test]
    fn input_order_does_not_matter() {
        let ops = [
            put(1, 0, Some(10), 1),
            put(2, 5, Some(20), 2),
            get(3, 12, Some(30), Some(2)),
            get(4, 25, Some(40), Some(1)),
        ];
        let mut reversed = ops.to_vec();
        reversed.reverse();
        assert_eq!(check(&ops), check(&reversed));
    }

    #[test]
    fn check_history_reports_first_violating_key() {
        let ops = vec![
            (3, put(1, 0, Some(5), 1)),
            (9, put(2, 0, Some(5), 1)),
            (3, get(3, 10, Some(15), Some(1))),
            (9, get(4, 10, Some(15), Some(2))),
            (5, get(5, 10, Some(15), Some(8))),
        ];
        let (key, result) = check_history(&ops, BUDGET);
        assert_eq!(key, Some(5));
        assert!(detail(result).contains("op 5"));
        let fine: Vec<_> = ops.into_iter().take(3).collect();
        assert_eq!(
            check_history(&fine, BUDGET),
            (None, LinResult::Linearizable)
        );
    }

    #[test]
    fn check_history_keys_are_independent() {
        // Each key alone is fine; mixing them into one register would not be.
        let ops = vec![
            (1, put(1, 0, Some(5), 1)),
            (2, put(2, 6, Some(10), 2)),
            (1, get(3, 11, Some(15), Some(1))),
            (2, get(4, 11, Some(15), Some(2))),
        ];
        assert_eq!(check_history(&ops, BUDGET), (None, LinResult::Linearizable));
    }

    /// Many fully concurrent writes followed by two reads in an impossible order: the first
    /// sees the last writer's value, the second another writer's.
    fn pathological(writers: u64) -> Vec<LinOp> {
        let mut ops: Vec<LinOp> = (0..writers).map(|i| put(i, 0, Some(10), i)).collect();
        ops.push(get(writers, 20, Some(30), Some(writers - 1)));
        ops.push(get(writers + 1, 40, Some(50), Some(0)));
        ops
    }

    #[test]
    fn a_read_of_a_value_nobody_wrote_is_a_violation_without_a_search() {
        let ops = [put(1, 0, Some(10), 5), get(2, 20, Some(30), Some(6))];
        let text = detail(check_key(None, &ops, 0));
        assert!(text.contains("op 2"), "{text}");
        assert_eq!(
            check_key(Some(6), &ops[1..], BUDGET),
            LinResult::Linearizable
        );
    }

    #[test]
    fn budget_exhaustion_gives_unknown() {
        let ops = pathological(14);
        assert_eq!(check_key(None, &ops, 50), LinResult::Unknown);
        assert_eq!(check_key(None, &ops, 0), LinResult::Unknown);
        let history: Vec<_> = ops.iter().map(|o| (4, o.clone())).collect();
        assert_eq!(check_history(&history, 50), (Some(4), LinResult::Unknown));
        assert!(is_violation(&check_key(None, &pathological(6), BUDGET)));
    }

    #[test]
    fn long_sequential_history_does_not_overflow() {
        let ops: Vec<LinOp> = (0..6000)
            .map(|i| put(i, 2 * i, Some(2 * i + 1), i))
            .chain([get(6000, 20_000, Some(20_001), Some(3))])
            .collect();
        assert!(is_violation(&check(&ops)));
        let ok = &ops[..6000];
        assert_eq!(check(ok), LinResult::Linearizable);
    }

    /// Tiny deterministic xorshift64 generator.
    struct XorShift(u64);

    impl XorShift {
        fn new(seed: u64) -> Self {
            XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }

        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    /// Shape of a generated history.
    struct Shape {
        clients: u64,
        ops: usize,
        timeout_percent: u64,
        /// `None`: every write gets a fresh value; `Some(n)`: values drawn from 1..=n.
        value_range: Option<u64>,
    }

    /// An operation before its outcome is known.
    struct Planned {
        op: LinOp,
        effect: Option<Micros>,
        kind: u64,
        value: u64,
    }

    fn plan(rng: &mut XorShift, shape: &Shape) -> Vec<Planned> {
        let mut clocks = vec![0; shape.clients as usize];
        let mut fresh = 0;
        (0..shape.ops)
            .map(|id| {
                let client = rng.below(shape.clients) as usize;
                let invoke = clocks[client] + rng.below(20);
                let duration = 1 + rng.below(30);
                clocks[client] = invoke + duration + 1;
                let timed_out = rng.chance(shape.timeout_percent);
                let effect = match (timed_out, rng.chance(50)) {
                    (false, _) => Some(invoke + rng.below(duration + 1)),
                    (true, true) => Some(invoke + rng.below(4 * duration)),
                    (true, false) => None,
                };
                fresh += 1;
                let value = shape.value_range.map_or(fresh, |n| 1 + rng.below(n));
                let complete = (!timed_out).then_some(invoke + duration);
                let kind = rng.below(4);
                let op = get(id as u64, invoke, complete, None);
                let op = LinOp {
                    client: client as u32,
                    ..op
                };
                Planned {
                    op,
                    effect,
                    kind,
                    value,
                }
            })
            .collect()
    }

    /// Simulates an atomic register: each op takes effect at its planned instant.
    fn generate(seed: u64, shape: &Shape) -> Vec<LinOp> {
        let mut rng = XorShift::new(seed);
        let mut planned = plan(&mut rng, shape);
        let mut order: Vec<usize> = (0..planned.len()).collect();
        order.sort_by_key(|&i| (planned[i].effect.is_none(), planned[i].effect, i));
        let mut state = None;
        for i in order {
            let p = &mut planned[i];
            let current = if p.effect.is_some() {
                state
            } else {
                Some(1 + rng.below(p.value + 1))
            };
            p.op.kind = match p.kind {
                0 => LinKind::Put { value: p.value },
                1 => LinKind::Get { value: current },
                3 if p.op.complete.is_some() => LinKind::CasFailed {
                    from: Some(current.map_or(1, |v| v + 1)),
                },
                _ => LinKind::Cas {
                    from: current,
                    to: p.value,
                },
            };
            if p.effect.is_some() {
                state = apply(state, &p.op.kind).expect("simulated op is legal");
            }
        }
        planned.into_iter().map(|p| p.op).collect()
    }

    fn shape_for(seed: u64) -> Shape {
        Shape {
            clients: 2 + seed % 4,
            ops: 40 + (seed % 5) as usize * 30,
            timeout_percent: 5 + seed % 25,
            value_range: seed.is_multiple_of(4).then_some(3 + seed % 5),
        }
    }

    #[test]
    fn generated_histories_are_linearizable() {
        for seed in 0..300 {
            let shape = shape_for(seed);
            let ops = generate(seed, &shape);
            let result = check(&ops);
            assert_eq!(result, LinResult::Linearizable, "seed {seed}: {ops:?}");
        }
    }

    /// Finds a completed get and a completed write `p` such that another completed write
    /// started after `p` responded and responded before the get was invoked; returns the get's
    /// index and `p`'s value.
    fn overwritten_before_read(ops: &[LinOp]) -> Option<(usize, u64)> {
        let writes: Vec<(Micros, Micros, u64)> = ops
            .iter()
            .filter_map(|o| Some((o.invoke, o.complete?, written_value(&o.kind)?)))
            .collect();
        let is_completed_get =
            |o: &LinOp| o.complete.is_some() && matches!(o.kind, LinKind::Get { .. });
        ops.iter().enumerate().rev().find_map(|(g, reader)| {
            if !is_completed_get(reader) {
                return None;
            }
            let newer = writes.iter().filter(|w| w.1 < reader.invoke);
            let older = newer
                .filter_map(|q| writes.iter().find(|p| p.1 < q.0))
                .next();
            older.map(|p| (g, p.2))
        })
    }

    /// Makes a completed get read a value that a later completed write had overwritten
    /// before the get was invoked; values are distinct so nobody writes it again.
    fn break_history(ops: &mut [LinOp]) -> bool {
        let Some((g, value)) = overwritten_before_read(ops) else {
            return false;
        };
        ops[g].kind = LinKind::Get { value: Some(value) };
        true
    }

    #[test]
    fn mutated_generated_histories_are_violations() {
        let mut broken = 0;
        for seed in 1000..1200 {
            let shape = Shape {
                value_range: None,
                ..shape_for(seed)
            };
            let mut ops = generate(seed, &shape);
            if break_history(&mut ops) {
                broken += 1;
                assert!(is_violation(&check(&ops)), "seed {seed}: {ops:?}");
            }
            let last = ops.len() as u64;
            ops.push(get(last, 100_000, Some(100_001), Some(u64::MAX)));
            assert!(is_violation(&check(&ops)), "seed {seed}: unwritten value");
        }
        assert!(broken > 150, "only {broken} histories could be broken");
    }

    /// Exhaustive reference checker for tiny histories: tries every order directly.
    fn brute_force(state: Option<u64>, ops: &[LinOp], placed: &mut [bool]) -> bool {
        let done = |i: usize| placed[i] || ops[i].complete.is_none();
        if (0..ops.len()).all(done) {
            return true;
        }
        for i in 0..ops.len() {
            let must_wait = (0..ops.len())
                .any(|j| !placed[j] && ops[j].complete.is_some_and(|c| c < ops[i].invoke));
            if placed[i] || must_wait {
                continue;
            }
            let next = match (&ops[i].kind, state) {
                (LinKind::Put { value }, _) => Some(*value),
                (LinKind::Get { value }, s) if *value == s => s,
                (LinKind::Cas { from, to }, s) if *from == s => Some(*to),
                (LinKind::CasFailed { from }, s) if *from != s => s,
                _ => continue,
            };
            placed[i] = true;
            if brute_force(next, ops, placed) {
                return true;
            }
            placed[i] = false;
        }
        false
    }

    fn random_value(rng: &mut XorShift) -> Option<u64> {
        (!rng.chance(20)).then(|| 1 + rng.below(4))
    }

    /// A random, usually non-linearizable, tiny history.
    fn tiny_history(rng: &mut XorShift) -> Vec<LinOp> {
        let distinct = rng.chance(50);
        let len = 1 + rng.below(7);
        (0..len)
            .map(|id| {
                let invoke = rng.below(20);
                let complete = (!rng.chance(30)).then(|| invoke + rng.below(10));
                let written = if distinct { 1 + id } else { 1 + rng.below(3) };
                let kind = match rng.below(4) {
                    0 => LinKind::Put { value: written },
                    1 => LinKind::Get {
                        value: random_value(rng),
                    },
                    2 if complete.is_some() => LinKind::CasFailed {
                        from: random_value(rng),
                    },
                    _ => LinKind::Cas {
                        from: random_value(rng),
                        to: written,
                    },
                };
                op(id, invoke, complete, kind)
            })
            .collect()
    }

    #[test]
    fn agrees_with_brute_force_on_tiny_histories() {
        let mut rng = XorShift::new(77);
        let mut outcomes = [0; 2];
        for case in 0..4000 {
            let ops = tiny_history(&mut rng);
            let initial = random_value(&mut rng);
            let expected = brute_force(initial, &ops, &mut vec![false; ops.len()]);
            let result = check_key(initial, &ops, BUDGET);
            let got = match result {
                LinResult::Linearizable => true,
                LinResult::Violation { .. } => false,
                LinResult::Unknown => panic!("case {case}: undecided"),
            };
            assert_eq!(got, expected, "case {case}: initial {initial:?}, {ops:?}");
            outcomes[usize::from(got)] += 1;
        }
        assert!(outcomes.iter().all(|&n| n > 500), "{outcomes:?}");
    }

    /// Timing probe: `cargo test --release -- --ignored --nocapture timing_probe`.
    #[test]
    #[ignore]
    fn timing_probe() {
        let cases = [
            (2000, 5, 10, None),
            (2000, 5, 30, None),
            (2000, 4, 10, Some(50)),
        ];
        let more = [
            (5000, 5, 30, None),
            (2000, 3, 20, Some(5)),
            (5000, 3, 20, Some(5)),
        ];
        for (ops, clients, timeout_percent, value_range) in cases.into_iter().chain(more) {
            let shape = Shape {
                clients,
                ops,
                timeout_percent,
                value_range,
            };
            let mut history = generate(42, &shape);
            time_check(
                &format!(
                    "{ops} ops, {clients} clients, {timeout_percent}% timeouts, values {value_range:?}"
                ),
                &history,
            );
            let last = history.len() as u64;
            history.push(get(last, 10_000_000, Some(10_000_001), Some(u64::MAX)));
            time_check("  plus an impossible final read", &history);
        }
    }

    fn time_check(label: &str, ops: &[LinOp]) {
        let started = std::time::Instant::now();
        let result = check_key(None, ops, 5_000_000);
        let shown = if is_violation(&result) {
            "Violation".to_string()
        } else {
            format!("{result:?}")
        };
        println!("{label}: {shown} in {:?}", started.elapsed());
    }
}
