//! The primary node: numbering client inputs, forwarding them to the shadow, sending accepted
//! results and delivering them once the shadow has acknowledged, heartbeats.

use super::{state_digest, RecoveryBlock, RecoveryBlockMsg, Role, HEARTBEAT};
use crate::model::event::{Block, Event, Response};
use crate::model::kv::{Cmd, Command, KvResult};
use crate::model::types::{ClientId, NodeId};
use crate::sim::protocol::Out;

/// The answer a client gets for a result.
fn response(op: u64, result: &KvResult) -> Response {
    match result {
        KvResult::Ok(value) => Response::Ok { op, value: *value },
        KvResult::CasFailed => Response::Fail { op, mismatch: true },
    }
}

impl RecoveryBlock {
    /// Queues a client operation (once, however often it arrives). One the store has already
    /// applied is answered from the client's session, without running it again.
    pub(super) fn handle_client_command(
        &mut self,
        client: ClientId,
        cmd: Cmd,
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        if let Some((last, result)) = self.d.store.session(cmd.client) {
            if last == cmd.op {
                return out.reply(client, response(cmd.op, result));
            }
            if last > cmd.op {
                return;
            }
        }
        let same = |c: &Cmd| c.client == cmd.client && c.op == cmd.op;
        let running = self.v.job.as_ref().is_some_and(|j| same(&j.cmd));
        if running || self.v.queue.iter().any(same) {
            return;
        }
        self.v.queue.push_back(cmd);
        self.start_next(out);
    }

    /// With no input in progress, takes the next queued one: the next input number, forwarded to
    /// the shadow, then the primary routine first.
    pub(super) fn start_next(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        if self.v.role != Role::Primary || self.v.job.is_some() {
            return;
        }
        let Some(cmd) = self.v.queue.pop_front() else {
            return;
        };
        let input = self.d.applied + 1;
        if self.v.shadow_in_sync {
            let msg = RecoveryBlockMsg::Input {
                epoch: self.d.epoch,
                input,
                cmd: cmd.clone(),
            };
            out.send(self.peer(), msg);
        }
        self.start_job(input, cmd, Block::Primary, out);
    }

    /// Sends the accepted result (and the state it produced) to the shadow, to be acknowledged.
    pub(super) fn send_result(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        let Some((block, result)) = self.accepted() else {
            return;
        };
        let epoch = self.d.epoch;
        let peer = self.peer();
        let Some(job) = self.v.job.as_mut() else {
            return;
        };
        let mut installed = job.work.clone();
        installed.remember(&job.cmd, result.clone());
        job.awaiting_ack = Some(state_digest(job.input, &installed));
        let msg = RecoveryBlockMsg::Result {
            epoch,
            input: job.input,
            block,
            cmd: Box::new(job.cmd.clone()),
            result,
            store: Box::new(job.work.clone()),
        };
        out.send(peer, msg);
    }

    /// Delivers the accepted result: the state it produced becomes the applied state (durably),
    /// and the client gets its answer. Then the next input.
    pub(super) fn deliver(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        let Some((block, result)) = self.accepted() else {
            return;
        };
        let Some(job) = self.v.job.take() else {
            return;
        };
        self.d.store = job.work;
        self.d.store.remember(&job.cmd, result.clone());
        self.d.applied = job.input;
        let cmd = Command::Client(job.cmd.clone());
        out.emit(Event::Apply {
            node: self.id,
            index: job.input,
            term: Some(self.d.epoch),
            cmd: cmd.clone(),
        });
        out.emit(Event::Output {
            node: self.id,
            input: job.input,
            epoch: self.d.epoch,
            block,
            cmd,
            result: result.clone(),
        });
        out.reply(job.cmd.client, response(job.cmd.op, &result));
        self.start_next(out);
    }

    /// The shadow acknowledges the state `(applied, digest)`: a result awaiting exactly that
    /// state is delivered; a joining node that now holds exactly this node's state becomes the
    /// shadow again. An acknowledgement of any other state (another command at the same input
    /// number) delivers nothing: it is matched by epoch (checked on receipt), input number and
    /// content, never by count alone.
    pub(super) fn handle_ack(
        &mut self,
        from: NodeId,
        (applied, digest): (u64, u64),
        out: &mut Out<RecoveryBlockMsg>,
    ) {
        if self.v.role != Role::Primary {
            return;
        }
        let awaited = self
            .v
            .job
            .as_ref()
            .and_then(|j| Some((j.input, j.awaiting_ack?)));
        let of_result = awaited.is_some_and(|awaited| self.acknowledges(applied, digest, awaited));
        if self.v.joining {
            // The joining node holds this node's state, or already the awaited result's.
            let mine = (self.d.applied, state_digest(self.d.applied, &self.d.store));
            if !of_result && !self.acknowledges(applied, digest, mine) {
                if applied < self.d.applied {
                    self.send_state(from, out);
                }
                return;
            }
            self.v.joining = false;
            self.v.shadow_in_sync = true;
        }
        if of_result {
            self.deliver(out);
        }
    }

    /// Whether an `Ack` of `(applied, digest)` acknowledges the state `(input, expected)`: the
    /// same input number and the same content. The planted bug `ack-by-count` takes any
    /// acknowledgement of at least as many inputs.
    fn acknowledges(&self, applied: u64, digest: u64, (input, expected): (u64, u64)) -> bool {
        if self.cfg.bugs.ack_by_count {
            return applied >= input;
        }
        (applied, digest) == (input, expected)
    }

    /// Every heartbeat interval: tell the shadow the primary is alive, and re-send a result still
    /// waiting for its acknowledgement.
    pub(super) fn heartbeat(&mut self, out: &mut Out<RecoveryBlockMsg>) {
        let msg = RecoveryBlockMsg::Heartbeat {
            epoch: self.d.epoch,
            applied: self.d.applied,
        };
        out.send(self.peer(), msg);
        let waiting = self
            .v
            .job
            .as_ref()
            .is_some_and(|j| j.awaiting_ack.is_some());
        if self.v.shadow_in_sync && (waiting || self.accepted().is_some()) {
            self.send_result(out);
        }
        out.set_timer(HEARTBEAT, self.cfg.heartbeat_interval);
    }
}
