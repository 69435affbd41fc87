//! Simulated clients: the workload that drives every replicated key-value store.
//!
//! A client issues one operation at a time, a random `put`, `get` or `cas` on one of a few keys,
//! to the node it believes leads. A `redirect` sends it on to the hinted node (or the next one), and
//! an answer completes the operation. Only the redirect of the node last asked counts (a duplicated
//! or stale one is dropped), and the client backs off before following a redirect again: the
//! first one with a leader hint at once, every later one after an exponentially growing pause with
//! jitter ([`backoff`]), so an operation with no leader to find makes a few requests, not a storm. If no answer comes before the client's timeout, it records the
//! outcome as unknown (`info`, in Jepsen's vocabulary) and carries on with a fresh operation. A
//! manual client, driven by scenario scripts and the app, issues only the operations it is given.

use std::collections::{BTreeMap, VecDeque};

use crate::model::event::{Event, Response};
use crate::model::kv::{Cmd, KvOp};
use crate::model::rng::Rng;
use crate::model::types::{ClientId, Key, Micros, NodeId, OpId, Value, MS};

/// Workload settings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClientConfig {
    /// Number of random-workload clients.
    pub count: u32,
    /// Shortest pause between a client's operations.
    pub think_min: Micros,
    /// Longest pause between a client's operations.
    pub think_max: Micros,
    /// How long a client waits for an answer before recording `info`.
    pub timeout: Micros,
    /// Number of keys the workload touches.
    pub keys: u32,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            count: 0,
            think_min: 50 * MS,
            think_max: 150 * MS,
            timeout: 1_000 * MS,
            keys: 3,
        }
    }
}

/// What a client is doing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClientState {
    /// Between operations.
    Idle,
    /// Waiting for the answer to `cmd`, sent to `target`, until `deadline`.
    Waiting {
        /// The operation.
        cmd: Cmd,
        /// Where it was last sent (or, while backing off, will be sent).
        target: NodeId,
        /// When the client gives up.
        deadline: Micros,
        /// Redirects followed so far.
        redirects: u32,
        /// Backing off after a redirect: when to send to `target`.
        retry_at: Option<Micros>,
    },
}

/// One client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Client {
    /// Its id.
    pub id: ClientId,
    /// Whether it only runs operations it is given.
    pub manual: bool,
    /// What it is doing.
    pub state: ClientState,
    /// The node it believes leads.
    pub leader: Option<NodeId>,
    /// Wake-up generation; a stale wake-up is ignored.
    pub(crate) gen: u32,
    writes: u64,
    seen: BTreeMap<Key, Option<Value>>,
    queued: VecDeque<(Option<NodeId>, KvOp)>,
}

/// What a client asks the simulator to do.
#[derive(Clone, Debug)]
pub enum ClientAction<M> {
    /// Send `cmd` to node `to`.
    Send(NodeId, Cmd),
    /// Wake this client at the given absolute time.
    Wake(Micros),
    /// Record a trace event.
    Emit(Event<M>),
}

impl Client {
    /// A new client.
    pub fn new(id: ClientId, manual: bool) -> Self {
        Client {
            id,
            manual,
            state: ClientState::Idle,
            leader: None,
            gen: 0,
            writes: 0,
            seen: BTreeMap::new(),
            queued: VecDeque::new(),
        }
    }

    /// Queues a specific operation (manual clients), optionally aimed at one node.
    pub fn enqueue(&mut self, node: Option<NodeId>, op: KvOp) {
        self.queued.push_back((node, op));
    }

    /// Gives up on the operation in flight, if any, returning its id.
    pub fn abandon(&mut self) -> Option<OpId> {
        let ClientState::Waiting { cmd, .. } =
            std::mem::replace(&mut self.state, ClientState::Idle)
        else {
            return None;
        };
        self.gen += 1;
        Some(cmd.op)
    }

    /// True when the client waits for nothing and has nothing queued.
    pub fn is_idle(&self) -> bool {
        self.state == ClientState::Idle && self.queued.is_empty()
    }

    fn random_op(&mut self, cfg: &ClientConfig, rng: &mut Rng) -> KvOp {
        let key = 1 + rng.below(u64::from(cfg.keys.max(1))) as Key;
        let roll = rng.below(100);
        if roll < 45 {
            return KvOp::Get { key };
        }
        self.writes += 1;
        let value = (u64::from(self.id) << 32) | self.writes;
        if roll < 80 {
            KvOp::Put { key, value }
        } else {
            KvOp::Cas {
                key,
                from: self.seen.get(&key).copied().flatten(),
                to: value,
            }
        }
    }

    /// Starts the next operation: a queued one, or (for workload clients) a random one.
    pub fn start<M>(&mut self, ctx: &mut ClientCtx<'_>, out: &mut Vec<ClientAction<M>>) {
        if self.state != ClientState::Idle {
            return;
        }
        let (aim, kv) = match self.queued.pop_front() {
            Some(q) => q,
            None if self.manual => return,
            None => (None, self.random_op(ctx.cfg, ctx.rng)),
        };
        let op = *ctx.next_op;
        *ctx.next_op += 1;
        let cmd = Cmd {
            client: self.id,
            op,
            kv: kv.clone(),
        };
        let target = aim
            .or(self.leader)
            .unwrap_or_else(|| 1 + ctx.rng.below(u64::from(ctx.nodes)) as NodeId);
        let deadline = ctx.now + ctx.cfg.timeout;
        out.push(ClientAction::Emit(Event::Invoke {
            client: self.id,
            op,
            kv,
        }));
        out.push(ClientAction::Send(target, cmd.clone()));
        out.push(ClientAction::Wake(deadline));
        self.state = ClientState::Waiting {
            cmd,
            target,
            deadline,
            redirects: 0,
            retry_at: None,
        };
    }

    /// A wake-up: give up on a late operation, or start the next one.
    pub fn wake<M>(&mut self, ctx: &mut ClientCtx<'_>, out: &mut Vec<ClientAction<M>>) {
        if let ClientState::Waiting {
            cmd,
            target,
            deadline,
            retry_at,
            ..
        } = &mut self.state
        {
            if ctx.now < *deadline {
                if retry_at.is_some_and(|at| at <= ctx.now) {
                    *retry_at = None;
                    out.push(ClientAction::Send(*target, cmd.clone()));
                    out.push(ClientAction::Wake(*deadline));
                }
                return;
            }
            out.push(ClientAction::Emit(Event::Info {
                client: self.id,
                op: cmd.op,
            }));
            self.state = ClientState::Idle;
            self.leader = None;
            self.think(ctx, out);
            return;
        }
        self.start(ctx, out);
    }

    fn think<M>(&mut self, ctx: &mut ClientCtx<'_>, out: &mut Vec<ClientAction<M>>) {
        if self.manual {
            self.start(ctx, out);
        } else {
            let pause = ctx.rng.between(ctx.cfg.think_min, ctx.cfg.think_max);
            out.push(ClientAction::Wake(ctx.now + pause));
        }
    }

    /// An answer from node `from`.
    pub fn on_response<M>(
        &mut self,
        from: NodeId,
        r: Response,
        ctx: &mut ClientCtx<'_>,
        out: &mut Vec<ClientAction<M>>,
    ) {
        let ClientState::Waiting { cmd, .. } = &self.state else {
            return;
        };
        if cmd.op != r.op() {
            return;
        }
        let cmd = cmd.clone();
        match r {
            Response::Redirect { hint, .. } => return self.follow(from, hint, &cmd, ctx, out),
            Response::Ok { value, .. } => {
                self.leader = Some(from);
                self.remember(&cmd.kv, value);
                out.push(ClientAction::Emit(Event::Ok {
                    client: self.id,
                    op: cmd.op,
                    value,
                }));
            }
            Response::Fail { mismatch, .. } => {
                self.leader = Some(from);
                out.push(ClientAction::Emit(Event::Fail {
                    client: self.id,
                    op: cmd.op,
                    mismatch,
                }));
            }
        }
        self.state = ClientState::Idle;
        self.think(ctx, out);
    }

    /// A redirect from `from`: followed only if `from` is the node last asked and the client is
    /// not already backing off (anything else is a duplicate or stale), to the hint or the next
    /// node, at once or after [`backoff`].
    fn follow<M>(
        &mut self,
        from: NodeId,
        hint: Option<NodeId>,
        cmd: &Cmd,
        ctx: &mut ClientCtx<'_>,
        out: &mut Vec<ClientAction<M>>,
    ) {
        let ClientState::Waiting {
            target,
            deadline,
            redirects,
            retry_at,
            ..
        } = &mut self.state
        else {
            return;
        };
        if from != *target || retry_at.is_some() {
            return;
        }
        *redirects += 1;
        let hint = hint.filter(|h| *h != from);
        let next = hint.unwrap_or(from % ctx.nodes + 1);
        *target = next;
        self.leader = Some(next);
        match backoff(cmd, *redirects, hint.is_some()) {
            0 => out.push(ClientAction::Send(next, cmd.clone())),
            pause => {
                let at = (ctx.now + pause).min(*deadline);
                *retry_at = Some(at);
                out.push(ClientAction::Wake(at));
            }
        }
    }

    fn remember(&mut self, kv: &KvOp, read: Option<Value>) {
        let value = match kv {
            KvOp::Get { .. } => read,
            KvOp::Put { value, .. } => Some(*value),
            KvOp::Cas { to, .. } => Some(*to),
        };
        self.seen.insert(kv.key(), value);
    }
}

/// The pause before following the `redirects`-th redirect of operation `cmd`: none for the first
/// one that names a leader (the usual case: the client asked a follower), otherwise exponential
/// from 10 ms, at most 160 ms, somewhere between half and all of it (jitter, so that clients do
/// not retry in step). The jitter is a digest of the client, the operation and the count, not a
/// draw from the world's generator, so backing off leaves every other random choice of the run
/// as it was.
pub fn backoff(cmd: &Cmd, redirects: u32, hinted: bool) -> Micros {
    use std::hash::{Hash, Hasher};
    if redirects <= 1 && hinted {
        return 0;
    }
    let full = (10 * MS) << redirects.saturating_sub(1).min(4);
    let mut h = crate::model::hash::StableHasher::new();
    (cmd.client, cmd.op, redirects).hash(&mut h);
    full / 2 + h.finish() % (full / 2 + 1)
}

/// What a client needs from the world to act.
pub struct ClientCtx<'a> {
    /// Current time.
    pub now: Micros,
    /// Number of nodes.
    pub nodes: u32,
    /// Workload settings.
    pub cfg: &'a ClientConfig,
    /// The world's generator.
    pub rng: &'a mut Rng,
    /// The next free operation id.
    pub next_op: &'a mut OpId,
}
