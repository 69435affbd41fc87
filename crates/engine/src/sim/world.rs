//! The simulated world: nodes, network, clients and the event queue, advanced one event at a time.
//!
//! Events wait in a priority queue ordered by (time, sequence number), so two events at the same
//! microsecond always run in the order they were scheduled. Every message in flight is an
//! [`InFlight`] object with an id, a send time and a delivery time: the view places it on its path
//! at any instant, and a user can drop, duplicate or delay it. Timers carry a generation number, so
//! re-arming or cancelling a timer simply makes its older queue entries stale.

use std::collections::{BinaryHeap, VecDeque};
use std::hash::{Hash, Hasher};

use crate::check::history::ClientHistory;
use crate::check::lin::LinOp;
use crate::check::{CheckerSet, Violation};
use crate::model::event::{DropReason, Event, Payload, Response, Stamped};
use crate::model::hash::StableHasher;
use crate::model::kv::Cmd;
use crate::model::rng::Rng;
use crate::model::types::{Addr, ClientId, Key, Micros, MsgId, NodeId, OpId};
use crate::model::view::LEADING_ROLES;
use crate::sim::action::{Action, LeaderFault, Strike};
use crate::sim::client::{Client, ClientAction, ClientConfig, ClientCtx, ClientState};
use crate::sim::inflight::Window;
use crate::sim::net::{NetConfig, Network};
use crate::sim::protocol::{Out, Protocol, RoleView, TimerCmd, TimerId, MAX_TIMERS};

/// Everything that decides a run, besides the interventions.
#[derive(Clone, Debug)]
pub struct SimConfig<C> {
    /// Number of nodes (ids 1..=nodes).
    pub nodes: u32,
    /// The seed.
    pub seed: u64,
    /// Network settings at the start.
    pub net: NetConfig,
    /// Protocol settings.
    pub protocol: C,
    /// Client workload.
    pub clients: ClientConfig,
    /// Faults planned in advance (from the seed), applied at their times.
    pub faults: Vec<(Micros, Action)>,
}

/// A message in flight.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InFlight<M> {
    /// Its id.
    pub id: MsgId,
    /// Sender.
    pub from: Addr,
    /// Receiver.
    pub to: Addr,
    /// When it was sent.
    pub sent_at: Micros,
    /// When it arrives.
    pub deliver_at: Micros,
    /// Set when the network will lose it: it dies at `deliver_at`, partway along its path.
    pub doomed: Option<DropReason>,
    /// What it carries.
    pub payload: Payload<M>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Pending {
    Deliver(MsgId),
    Timer {
        node: NodeId,
        timer: TimerId,
        gen: u32,
    },
    Client {
        client: ClientId,
        gen: u32,
    },
    Fault(u32),
    /// The end of a leader-aimed nemesis: restart `node`, or heal the partition that cut it off.
    Undo {
        node: NodeId,
        heal: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct QItem {
    at: Micros,
    seq: u64,
    what: Pending,
}

impl Ord for QItem {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl PartialOrd for QItem {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A node's slot: running, or crashed with only its durable state.
#[derive(Clone, Debug, Hash)]
pub enum Slot<P: Protocol> {
    /// Running.
    Up(P),
    /// Crashed.
    Down(P::Durable),
}

/// A node's timer as the view sees it: armed at `set_at`, due at `due`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TimerView {
    /// When it was armed (simulated time).
    pub set_at: Micros,
    /// When it fires, if armed.
    pub due: Option<Micros>,
}

/// How many lost messages a world remembers for views to fade out.
const RECENT_DROPS: usize = 32;

/// The whole simulated world.
#[derive(Clone, Debug)]
pub struct World<P: Protocol> {
    pub(crate) config: SimConfig<P::Config>,
    now: Micros,
    steps: u64,
    seq: u64,
    queue: BinaryHeap<QItem>,
    inflight: Window<InFlight<P::Msg>>,
    next_msg: MsgId,
    next_op: OpId,
    nodes: Vec<Slot<P>>,
    timer_gen: Vec<[u32; MAX_TIMERS]>,
    /// When each timer's live queue entry fires, if it has one (see `timer_cmd`).
    timer_queued: Vec<[Option<Micros>; MAX_TIMERS]>,
    timers: Vec<[TimerView; MAX_TIMERS]>,
    drift: Vec<u32>,
    net: Network,
    clients: Vec<Client>,
    rng: Rng,
    checkers: CheckerSet<P::Msg>,
    history: ClientHistory,
    recent_drops: VecDeque<(InFlight<P::Msg>, Micros)>,
    delivered: u64,
    out: Out<P::Msg>,
    client_out: Vec<ClientAction<P::Msg>>,
    /// Leader-aimed nemeses waiting for their moment ([`Strike`]).
    armed: Vec<Armed>,
}

/// A leader-aimed nemesis waiting for its moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Armed {
    fault: LeaderFault,
    undo_after: Micros,
    when: Strike,
}

/// At most this many nemeses wait at once; a plan arming more drops the oldest.
const MAX_ARMED: usize = 4;

/// Statistic counters of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Queue items processed.
    pub steps: u64,
    /// Messages delivered.
    pub delivered: u64,
    /// Messages sent.
    pub sent: u64,
}

impl<P: Protocol> World<P> {
    /// A world at time zero with every node booted, recording events into `events`.
    pub fn new(
        config: SimConfig<P::Config>,
        checkers: CheckerSet<P::Msg>,
        events: &mut Vec<Stamped<P::Msg>>,
    ) -> Self {
        let n = config.nodes;
        let clients = (1..=config.clients.count + 1)
            .map(|id| Client::new(id, id > config.clients.count))
            .collect();
        let mut w = World {
            now: 0,
            steps: 0,
            seq: 0,
            queue: BinaryHeap::new(),
            inflight: Window::default(),
            next_msg: 1,
            next_op: 1,
            nodes: (0..n).map(|_| Slot::Down(P::Durable::default())).collect(),
            timer_gen: vec![[0; MAX_TIMERS]; n as usize],
            timer_queued: vec![[None; MAX_TIMERS]; n as usize],
            timers: vec![[TimerView::default(); MAX_TIMERS]; n as usize],
            drift: vec![1000; n as usize],
            net: Network::new(n, config.net),
            clients,
            rng: Rng::stream(config.seed, 1),
            checkers,
            history: ClientHistory::default(),
            recent_drops: VecDeque::new(),
            delivered: 0,
            out: Out::new(1),
            client_out: Vec::new(),
            armed: Vec::new(),
            config,
        };
        for id in 1..=n {
            w.boot(id, events);
        }
        for i in 0..w.config.faults.len() {
            let at = w.config.faults[i].0;
            w.push(at, Pending::Fault(i as u32));
        }
        for c in 1..=w.config.clients.count {
            let at = w.rng.between(0, w.config.clients.think_max);
            w.push(at, Pending::Client { client: c, gen: 0 });
        }
        w
    }

    fn push(&mut self, at: Micros, what: Pending) {
        self.seq += 1;
        self.queue.push(QItem {
            at,
            seq: self.seq,
            what,
        });
    }

    /// Current simulated time.
    pub fn now(&self) -> Micros {
        self.now
    }

    /// Queue items processed so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Run counters.
    pub fn counters(&self) -> Counters {
        Counters {
            steps: self.steps,
            delivered: self.delivered,
            sent: self.next_msg - 1,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &SimConfig<P::Config> {
        &self.config
    }

    /// The time of the next queued item.
    pub fn next_time(&self) -> Option<Micros> {
        self.queue.peek().map(|q| q.at)
    }

    /// Moves the clock forward to `t` without processing anything (no event may be due before).
    pub(crate) fn set_now(&mut self, t: Micros) {
        debug_assert!(self.next_time().is_none_or(|n| n >= t) || t <= self.now);
        self.now = self.now.max(t);
    }

    /// The nodes' slots, index `id - 1`.
    pub fn nodes(&self) -> &[Slot<P>] {
        &self.nodes
    }

    /// A running node.
    pub fn node(&self, id: NodeId) -> Option<&P> {
        match self.nodes.get(id as usize - 1)? {
            Slot::Up(p) => Some(p),
            Slot::Down(_) => None,
        }
    }

    /// Is node `id` running?
    pub fn is_up(&self, id: NodeId) -> bool {
        self.node(id).is_some()
    }

    /// Messages in flight, in id order.
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight<P::Msg>> {
        self.inflight.values()
    }

    /// One message in flight.
    pub fn message(&self, id: MsgId) -> Option<&InFlight<P::Msg>> {
        self.inflight.get(id)
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// The clients (the last one is the manual client).
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// A node's timers.
    pub fn timers(&self, id: NodeId) -> &[TimerView; MAX_TIMERS] {
        &self.timers[id as usize - 1]
    }

    /// A node's clock rate in thousandths.
    pub fn drift(&self, id: NodeId) -> u32 {
        self.drift[id as usize - 1]
    }

    /// The checkers' names and descriptions.
    pub fn invariants(&self) -> Vec<(&'static str, &'static str)> {
        self.checkers.names()
    }

    /// A digest of the whole simulated state (not of the observers): equal digests, equal worlds.
    pub fn digest(&self) -> u64 {
        let mut h = StableHasher::new();
        self.hash(&mut h);
        h.finish()
    }

    /// Processes the next queued item, recording events; false when nothing is queued.
    pub fn step(
        &mut self,
        events: &mut Vec<Stamped<P::Msg>>,
        violations: &mut Vec<Violation>,
    ) -> bool {
        let Some(item) = self.queue.pop() else {
            return false;
        };
        let start = events.len();
        self.now = self.now.max(item.at);
        self.steps += 1;
        let request = match item.what {
            Pending::Deliver(id) if !self.armed.is_empty() => self.request_to(id),
            _ => None,
        };
        match item.what {
            Pending::Deliver(id) => self.deliver(id, item.at, events),
            Pending::Timer { node, timer, gen } => self.fire_timer(node, timer, gen, events),
            Pending::Client { client, gen } => self.wake_client(client, gen, events),
            Pending::Fault(i) => {
                let action = self.config.faults[i as usize].1.clone();
                self.apply_action(&action, events);
            }
            Pending::Undo { node, heal } => {
                let action = if heal {
                    Action::Heal
                } else {
                    Action::Restart(node)
                };
                self.apply_action(&action, events);
            }
        }
        if !self.armed.is_empty() {
            self.spring(start, request, events);
        }
        self.observe(start, events, violations);
        true
    }

    /// The message `id` and its receiver, if it is a client's request to a node.
    fn request_to(&self, id: MsgId) -> Option<(MsgId, NodeId)> {
        let m = self.inflight.get(id)?;
        match (&m.payload, m.to) {
            (Payload::Request(_), Addr::Node(n)) => Some((id, n)),
            _ => None,
        }
    }

    /// Strikes with the first armed nemesis whose moment this step was: the leading node took
    /// a client's request (`request`, if it was delivered), or a node became leader.
    fn spring(
        &mut self,
        start: usize,
        request: Option<(MsgId, NodeId)>,
        events: &mut Vec<Stamped<P::Msg>>,
    ) {
        let step = &events[start..];
        let took = request
            .filter(|(id, _)| {
                step.iter()
                    .any(|s| matches!(s.ev, Event::Deliver { msg } if msg == *id))
            })
            .map(|(_, n)| n)
            .filter(|n| self.leading_node() == Some(*n));
        let elected = step.iter().find_map(|s| match &s.ev {
            Event::Role { node, role, .. } if LEADING_ROLES.contains(&role.as_ref()) => Some(*node),
            _ => None,
        });
        let hit = self.armed.iter().enumerate().find_map(|(i, a)| {
            let target = match a.when {
                Strike::OnRequest => took,
                Strike::OnElection => elected,
                Strike::Now => None,
            };
            target.filter(|n| self.is_up(*n)).map(|n| (i, n))
        });
        if let Some((i, n)) = hit {
            let a = self.armed.remove(i);
            self.strike(n, a.fault, a.undo_after, events);
        }
    }

    /// Feeds events recorded since `start` to the checkers, appending any violations as events.
    pub(crate) fn observe(
        &mut self,
        start: usize,
        events: &mut Vec<Stamped<P::Msg>>,
        violations: &mut Vec<Violation>,
    ) {
        let before = violations.len();
        for s in &events[start..] {
            self.checkers.observe(s.t, &s.ev, violations);
            if !crate::check::is_network(&s.ev) {
                self.history.observe(s.t, &s.ev);
            }
        }
        for v in &violations[before..] {
            events.push(Stamped {
                t: v.t,
                ev: Event::Violation {
                    invariant: v.invariant.clone(),
                    detail: v.detail.clone(),
                },
            });
        }
    }

    /// Closes every operation still waiting for an answer with `info`: at the end of a run its
    /// outcome is unknown.
    pub(crate) fn close_pending_ops(&mut self, events: &mut Vec<Stamped<P::Msg>>) {
        for i in 0..self.clients.len() {
            if let Some(op) = self.clients[i].abandon() {
                let client = self.clients[i].id;
                self.emit(events, Event::Info { client, op });
            }
        }
    }

    /// Ends the run for the checkers (Eventually properties).
    pub(crate) fn finish_checks(
        &mut self,
        events: &mut Vec<Stamped<P::Msg>>,
        violations: &mut Vec<Violation>,
    ) {
        let before = violations.len();
        self.checkers.finish(self.now, violations);
        for v in &violations[before..] {
            events.push(Stamped {
                t: v.t,
                ev: Event::Violation {
                    invariant: v.invariant.clone(),
                    detail: v.detail.clone(),
                },
            });
        }
    }

    fn emit(&self, events: &mut Vec<Stamped<P::Msg>>, ev: Event<P::Msg>) {
        events.push(Stamped { t: self.now, ev });
    }

    fn deliver(&mut self, id: MsgId, at: Micros, events: &mut Vec<Stamped<P::Msg>>) {
        let Some(m) = self.inflight.get(id) else {
            return;
        };
        if m.deliver_at != at {
            return;
        }
        let m = self.inflight.remove(id).expect("present");
        if let Some(reason) = m.doomed {
            return self.note_drop(m, reason, events);
        }
        if !self.net.reachable(m.from, m.to) {
            return self.note_drop(m, DropReason::Partition, events);
        }
        match m.to {
            Addr::Node(n) if !self.is_up(n) => self.note_drop(m, DropReason::NodeDown, events),
            Addr::Node(n) => {
                self.delivered += 1;
                self.emit(events, Event::Deliver { msg: id });
                self.deliver_to_node(n, m.from, m.payload, events);
            }
            Addr::Client(c) => {
                self.delivered += 1;
                self.emit(events, Event::Deliver { msg: id });
                if let (Payload::Response(r), Addr::Node(from)) = (m.payload, m.from) {
                    self.client_response(c, from, r, events);
                }
            }
        }
    }

    fn deliver_to_node(
        &mut self,
        n: NodeId,
        from: Addr,
        payload: Payload<P::Msg>,
        events: &mut Vec<Stamped<P::Msg>>,
    ) {
        match (payload, from) {
            (Payload::Proto(msg), Addr::Node(f)) => {
                self.with_node(n, events, |p, out| p.on_message(f, msg, out))
            }
            (Payload::Request(cmd), Addr::Client(c)) => {
                self.with_node(n, events, |p, out| p.on_request(c, cmd, out))
            }
            _ => {}
        }
    }

    /// Runs a handler on a running node and carries out what it asked for.
    fn with_node(
        &mut self,
        n: NodeId,
        events: &mut Vec<Stamped<P::Msg>>,
        f: impl FnOnce(&mut P, &mut Out<P::Msg>),
    ) {
        let Slot::Up(p) = &mut self.nodes[n as usize - 1] else {
            return;
        };
        let before = p.role();
        self.out.clear(n);
        f(p, &mut self.out);
        let after = p.role();
        self.flush(n, Some(before), after, events);
    }

    fn flush(
        &mut self,
        n: NodeId,
        before: Option<RoleView>,
        after: RoleView,
        events: &mut Vec<Stamped<P::Msg>>,
    ) {
        let mut out = std::mem::replace(&mut self.out, Out::new(n));
        if before.as_ref() != Some(&after) {
            let RoleView {
                role,
                epoch_name,
                epoch,
            } = after;
            self.emit(
                events,
                Event::Role {
                    node: n,
                    role,
                    epoch_name,
                    epoch,
                },
            );
        }
        for ev in out.events.drain(..) {
            self.emit(events, ev);
        }
        for cmd in out.timers.drain(..) {
            self.timer_cmd(n, cmd);
        }
        for (to, msg) in out.sends.drain(..) {
            self.send(Addr::Node(n), Addr::Node(to), Payload::Proto(msg), events);
        }
        for (c, r) in out.replies.drain(..) {
            self.send(Addr::Node(n), Addr::Client(c), Payload::Response(r), events);
        }
        self.out = out;
    }

    /// Arms or disarms a timer. Timers are re-armed constantly (every heartbeat resets every
    /// follower's election timer), so they are queued lazily: a timer keeps at most one live queue
    /// entry, and re-arming it for a later time only moves its due time. When the entry comes up
    /// early, `fire_timer` re-queues it for the real due time.
    fn timer_cmd(&mut self, n: NodeId, cmd: TimerCmd) {
        let i = n as usize - 1;
        match cmd {
            TimerCmd::Cancel(t) => self.timers[i][t.0 as usize].due = None,
            TimerCmd::Set { timer, min, max } => {
                let local = self.rng.between(min, max);
                let real = local * 1000 / u64::from(self.drift[i].max(1));
                let slot = timer.0 as usize;
                let due = self.now + real.max(1);
                self.timers[i][slot] = TimerView {
                    set_at: self.now,
                    due: Some(due),
                };
                if self.timer_queued[i][slot].is_some_and(|q| q <= due) {
                    return;
                }
                self.timer_gen[i][slot] += 1;
                self.queue_timer(n, timer, due);
            }
        }
    }

    fn queue_timer(&mut self, n: NodeId, timer: TimerId, at: Micros) {
        let i = n as usize - 1;
        let gen = self.timer_gen[i][timer.0 as usize];
        self.timer_queued[i][timer.0 as usize] = Some(at);
        self.push(
            at,
            Pending::Timer {
                node: n,
                timer,
                gen,
            },
        );
    }

    /// Forgets every timer of a node (it crashed, or a timer was fired by hand).
    fn drop_timer(&mut self, i: usize, slot: usize) {
        self.timer_gen[i][slot] += 1;
        self.timer_queued[i][slot] = None;
        self.timers[i][slot].due = None;
    }

    /// Puts a message on the wire: draws its latency, its fate and a possible duplicate.
    fn send(
        &mut self,
        from: Addr,
        to: Addr,
        payload: Payload<P::Msg>,
        events: &mut Vec<Stamped<P::Msg>>,
    ) {
        let cfg = self.net.config;
        let latency = self.rng.between(cfg.latency_min, cfg.latency_max).max(1);
        let lost = self.rng.chance(cfg.loss_ppm);
        let dup = self.rng.chance(cfg.dup_ppm);
        let doomed = if !self.net.reachable(from, to) {
            Some(DropReason::Partition)
        } else if lost {
            Some(DropReason::Loss)
        } else {
            None
        };
        let id = self.enqueue_message(from, to, latency, doomed, payload.clone(), events);
        if dup && doomed.is_none() {
            let extra = self.rng.between(cfg.latency_min, cfg.latency_max).max(1);
            let copy = self.enqueue_message(from, to, extra, None, payload, events);
            self.emit(events, Event::Duplicate { msg: id, copy });
        }
    }

    fn enqueue_message(
        &mut self,
        from: Addr,
        to: Addr,
        latency: Micros,
        doomed: Option<DropReason>,
        payload: Payload<P::Msg>,
        events: &mut Vec<Stamped<P::Msg>>,
    ) -> MsgId {
        let id = self.next_msg;
        self.next_msg += 1;
        // A doomed message dies halfway along its path, where the view fades it out.
        let deliver_at = self.now
            + if doomed.is_some() {
                (latency / 2).max(1)
            } else {
                latency
            };
        self.emit(
            events,
            Event::Send {
                msg: id,
                from,
                to,
                deliver_at,
                payload: payload.clone(),
            },
        );
        self.inflight.insert(
            id,
            InFlight {
                id,
                from,
                to,
                sent_at: self.now,
                deliver_at,
                doomed,
                payload,
            },
        );
        self.push(deliver_at, Pending::Deliver(id));
        id
    }

    fn fire_timer(
        &mut self,
        n: NodeId,
        timer: TimerId,
        gen: u32,
        events: &mut Vec<Stamped<P::Msg>>,
    ) {
        let (i, slot) = (n as usize - 1, timer.0 as usize);
        if self.timer_gen[i][slot] != gen || !self.is_up(n) {
            return;
        }
        self.timer_queued[i][slot] = None;
        match self.timers[i][slot].due {
            None => return,
            Some(due) if due > self.now => return self.queue_timer(n, timer, due),
            Some(_) => self.timers[i][slot].due = None,
        }
        self.emit(
            events,
            Event::Timeout {
                node: n,
                timer: P::timer_name(timer).into(),
            },
        );
        self.with_node(n, events, |p, out| p.on_timer(timer, out));
    }

    fn boot(&mut self, n: NodeId, events: &mut Vec<Stamped<P::Msg>>) {
        let i = n as usize - 1;
        let Slot::Down(durable) = &mut self.nodes[i] else {
            return;
        };
        let durable = std::mem::take(durable);
        self.out.clear(n);
        let node = P::boot(
            n,
            self.config.nodes,
            &self.config.protocol,
            durable,
            &mut self.out,
        );
        let role = node.role();
        self.nodes[i] = Slot::Up(node);
        self.flush(n, None, role, events);
    }

    fn crash(&mut self, n: NodeId, events: &mut Vec<Stamped<P::Msg>>) {
        let i = n as usize - 1;
        let Slot::Up(p) = &self.nodes[i] else { return };
        let durable = p.clone().into_durable();
        self.nodes[i] = Slot::Down(durable);
        for t in 0..MAX_TIMERS {
            self.drop_timer(i, t);
        }
        self.emit(events, Event::Crash { node: n });
    }

    fn client_ctx(
        &mut self,
    ) -> (
        ClientCtx<'_>,
        &mut Vec<Client>,
        &mut Vec<ClientAction<P::Msg>>,
    ) {
        let ctx = ClientCtx {
            now: self.now,
            nodes: self.config.nodes,
            cfg: &self.config.clients,
            rng: &mut self.rng,
            next_op: &mut self.next_op,
        };
        (ctx, &mut self.clients, &mut self.client_out)
    }

    fn wake_client(&mut self, c: ClientId, gen: u32, events: &mut Vec<Stamped<P::Msg>>) {
        let (mut ctx, clients, out) = self.client_ctx();
        let client = &mut clients[c as usize - 1];
        if client.gen != gen {
            return;
        }
        client.wake(&mut ctx, out);
        self.run_client_actions(c, events);
    }

    fn client_response(
        &mut self,
        c: ClientId,
        from: NodeId,
        r: Response,
        events: &mut Vec<Stamped<P::Msg>>,
    ) {
        let (mut ctx, clients, out) = self.client_ctx();
        clients[c as usize - 1].on_response(from, r, &mut ctx, out);
        self.run_client_actions(c, events);
    }

    fn run_client_actions(&mut self, c: ClientId, events: &mut Vec<Stamped<P::Msg>>) {
        let mut actions = std::mem::take(&mut self.client_out);
        for a in actions.drain(..) {
            match a {
                ClientAction::Send(n, cmd) => self.send(
                    Addr::Client(c),
                    Addr::Node(n),
                    Payload::Request(cmd),
                    events,
                ),
                ClientAction::Emit(ev) => self.emit(events, ev),
                ClientAction::Wake(at) => {
                    let client = &mut self.clients[c as usize - 1];
                    client.gen += 1;
                    let gen = client.gen;
                    self.push(at, Pending::Client { client: c, gen });
                }
            }
        }
        self.client_out = actions;
    }

    /// Applies a fault or user action now.
    pub fn apply_action(&mut self, action: &Action, events: &mut Vec<Stamped<P::Msg>>) {
        match action {
            Action::Crash(n) => self.crash(*n, events),
            Action::Restart(n) => {
                if !self.is_up(*n) {
                    self.emit(events, Event::Restart { node: *n });
                    self.boot(*n, events);
                }
            }
            Action::Partition(groups) => {
                self.net.partition(groups);
                self.emit(
                    events,
                    Event::Partition {
                        groups: self.net.groups(),
                    },
                );
            }
            Action::Heal => {
                self.net.heal();
                self.emit(events, Event::Heal);
            }
            Action::Cut(from, to) => {
                self.net.cut(*from, *to);
                self.emit(
                    events,
                    Event::Cut {
                        from: *from,
                        to: *to,
                    },
                );
            }
            Action::Drift(n, rate) => {
                self.drift[*n as usize - 1] = (*rate).clamp(100, 10_000);
                self.emit(
                    events,
                    Event::Drift {
                        node: *n,
                        rate: self.drift[*n as usize - 1],
                    },
                );
            }
            Action::Network(cfg) => self.set_network(*cfg, events),
            Action::Timeout(n) => {
                let t = P::PRIMARY_TIMER;
                if self.is_up(*n) {
                    self.drop_timer(*n as usize - 1, t.0 as usize);
                    self.emit(
                        events,
                        Event::Timeout {
                            node: *n,
                            timer: P::timer_name(t).into(),
                        },
                    );
                    self.with_node(*n, events, |p, out| p.on_timer(t, out));
                }
            }
            Action::Request { node, op } => self.manual_request(*node, op.clone(), events),
            Action::DropMessage(id) => self.drop_message(*id, events),
            Action::DuplicateMessage(id) => self.duplicate_message(*id, events),
            Action::DelayMessage(id, by) => self.delay_message(*id, *by, events),
            Action::Liveness => self.begin_liveness(events),
            Action::AtLeader {
                fault,
                undo_after,
                when,
            } => {
                let armed = Armed {
                    fault: *fault,
                    undo_after: *undo_after,
                    when: *when,
                };
                self.at_leader(armed, events)
            }
        }
    }

    /// The node that leads now: up, in a leading role, of the highest epoch (lowest id on a tie).
    fn leading_node(&self) -> Option<NodeId> {
        (1..=self.config.nodes)
            .filter_map(|id| {
                let role = self.node(id)?.role();
                LEADING_ROLES
                    .contains(&role.role.as_ref())
                    .then_some((role.epoch, std::cmp::Reverse(id)))
            })
            .max()
            .map(|(_, std::cmp::Reverse(id))| id)
    }

    /// A leader-aimed nemesis ([`Action::AtLeader`]): strikes now, or is armed until its moment.
    fn at_leader(&mut self, armed: Armed, events: &mut Vec<Stamped<P::Msg>>) {
        if armed.when != Strike::Now {
            if self.armed.len() == MAX_ARMED {
                self.armed.remove(0);
            }
            return self.armed.push(armed);
        }
        if let Some(n) = self.leading_node() {
            self.strike(n, armed.fault, armed.undo_after, events);
        }
    }

    /// Crashes or isolates node `n`, and queues the restart or heal `undo_after` later.
    fn strike(
        &mut self,
        n: NodeId,
        fault: LeaderFault,
        undo_after: Micros,
        events: &mut Vec<Stamped<P::Msg>>,
    ) {
        let undo = self.now.saturating_add(undo_after);
        match fault {
            LeaderFault::Crash => {
                self.crash(n, events);
                self.push(
                    undo,
                    Pending::Undo {
                        node: n,
                        heal: false,
                    },
                );
            }
            LeaderFault::Isolate { with } => {
                let mut side = vec![n];
                side.extend(
                    (1..=self.config.nodes)
                        .filter(|id| *id != n && self.is_up(*id))
                        .take(with as usize),
                );
                side.sort_unstable();
                self.apply_action(&Action::Partition(vec![side]), events);
                self.push(
                    undo,
                    Pending::Undo {
                        node: n,
                        heal: true,
                    },
                );
            }
        }
    }

    fn set_network(&mut self, cfg: NetConfig, events: &mut Vec<Stamped<P::Msg>>) {
        let cfg = NetConfig {
            latency_max: cfg.latency_max.max(cfg.latency_min),
            ..cfg
        };
        self.net.config = cfg;
        self.emit(
            events,
            Event::Network {
                latency_min: cfg.latency_min,
                latency_max: cfg.latency_max,
                loss_ppm: cfg.loss_ppm,
                dup_ppm: cfg.dup_ppm,
            },
        );
    }

    /// Issues an operation through an idle manual client, adding one if all are busy, so that
    /// scenario requests can overlap.
    fn manual_request(
        &mut self,
        node: Option<NodeId>,
        op: crate::model::kv::KvOp,
        events: &mut Vec<Stamped<P::Msg>>,
    ) {
        let idle = self.clients.iter().position(|c| c.manual && c.is_idle());
        let c = match idle {
            Some(i) => i as ClientId + 1,
            None => {
                let id = self.clients.len() as ClientId + 1;
                self.clients.push(Client::new(id, true));
                id
            }
        };
        let (mut ctx, clients, out) = self.client_ctx();
        let client = &mut clients[c as usize - 1];
        client.enqueue(node, op);
        client.start(&mut ctx, out);
        self.run_client_actions(c, events);
    }

    fn drop_message(&mut self, id: MsgId, events: &mut Vec<Stamped<P::Msg>>) {
        if let Some(m) = self.inflight.remove(id) {
            self.note_drop(m, DropReason::User, events);
        }
    }

    /// Records a lost message: a `drop` event, and a place among the recent drops a view fades out.
    fn note_drop(
        &mut self,
        m: InFlight<P::Msg>,
        reason: DropReason,
        events: &mut Vec<Stamped<P::Msg>>,
    ) {
        self.emit(events, Event::Drop { msg: m.id, reason });
        if self.recent_drops.len() == RECENT_DROPS {
            self.recent_drops.pop_front();
        }
        self.recent_drops.push_back((m, self.now));
    }

    /// The most recently lost messages with the time each died, oldest first.
    pub fn recent_drops(&self) -> impl Iterator<Item = &(InFlight<P::Msg>, Micros)> {
        self.recent_drops.iter()
    }

    fn duplicate_message(&mut self, id: MsgId, events: &mut Vec<Stamped<P::Msg>>) {
        let Some(m) = self.inflight.get(id).cloned() else {
            return;
        };
        let remaining = m.deliver_at.saturating_sub(self.now).max(1);
        let copy = self.enqueue_message(
            m.from,
            m.to,
            remaining + self.net.config.latency_min / 2 + 1,
            m.doomed,
            m.payload,
            events,
        );
        self.emit(events, Event::Duplicate { msg: id, copy });
    }

    fn delay_message(&mut self, id: MsgId, by: Micros, events: &mut Vec<Stamped<P::Msg>>) {
        let Some(m) = self.inflight.get_mut(id) else {
            return;
        };
        m.deliver_at += by;
        let at = m.deliver_at;
        self.push(at, Pending::Deliver(id));
        self.emit(
            events,
            Event::Delay {
                msg: id,
                deliver_at: at,
            },
        );
    }

    fn begin_liveness(&mut self, events: &mut Vec<Stamped<P::Msg>>) {
        self.armed.clear();
        self.emit(
            events,
            Event::Phase {
                name: "liveness".into(),
            },
        );
        if !self.net.is_healed() {
            self.apply_action(&Action::Heal, events);
        }
        self.set_network(self.config.net, events);
        for n in 1..=self.config.nodes {
            if self.drift[n as usize - 1] != 1000 {
                self.apply_action(&Action::Drift(n, 1000), events);
            }
            self.apply_action(&Action::Restart(n), events);
        }
    }

    /// The client history so far.
    pub fn client_history(&self) -> &ClientHistory {
        &self.history
    }

    /// The client history in the linearizability checker's terms.
    pub fn history_ops(&self) -> Vec<(Key, LinOp)> {
        self.history.lin_ops()
    }

    /// Counts the memory this world holds, observers included; chunks shared with worlds
    /// already counted by the same meter count once.
    pub fn measure(&self, m: &mut crate::model::chunked::Meter) {
        for slot in &self.nodes {
            match slot {
                Slot::Up(p) => p.measure(m),
                Slot::Down(d) => P::measure_durable(d, m),
            }
        }
        let msg = std::mem::size_of::<InFlight<P::Msg>>() + 32;
        m.add(std::mem::size_of::<Self>() + self.inflight.len() * msg);
        m.add(self.queue.len() * std::mem::size_of::<QItem>());
        m.add(self.clients.len() * (std::mem::size_of::<Client>() + 64));
        self.checkers.measure(m);
        self.history.measure(m);
    }

    /// True when no client is waiting for an answer.
    pub fn clients_idle(&self) -> bool {
        self.clients.iter().all(|c| c.state == ClientState::Idle)
    }

    /// The command a client is waiting on, if any.
    pub fn client_pending(&self, c: ClientId) -> Option<&Cmd> {
        match &self.clients.get(c as usize - 1)?.state {
            ClientState::Waiting { cmd, .. } => Some(cmd),
            ClientState::Idle => None,
        }
    }
}

impl<P: Protocol> Hash for World<P> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.now.hash(h);
        self.steps.hash(h);
        self.seq.hash(h);
        let mut q: Vec<&QItem> = self.queue.iter().collect();
        q.sort_by_key(|i| (i.at, i.seq));
        q.hash(h);
        self.inflight.hash(h);
        self.next_msg.hash(h);
        self.next_op.hash(h);
        self.nodes.hash(h);
        self.timer_gen.hash(h);
        self.timer_queued.hash(h);
        self.timers.hash(h);
        self.drift.hash(h);
        self.net.hash(h);
        self.clients.hash(h);
        self.rng.hash(h);
        // Hashed only when present, so that runs without armed nemeses keep their digests.
        if !self.armed.is_empty() {
            self.armed.hash(h);
        }
    }
}
