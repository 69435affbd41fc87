//! The coordinator (node 1): turns client operations into transactions, collects votes, decides,
//! makes sure every participant hears a commit (under presumed abort, an abort is sent once to
//! the prepared participants and forgotten), and recovers from its log after a crash.

use super::{plan, shard, Active, TwoPcMsg, TwoPhaseCommit, TxnRecord, COORDINATOR};
use crate::model::event::{Event, Response};
use crate::model::kv::{Cmd, KvOp};
use crate::model::types::{ClientId, Key, NodeId, OpId, Value};
use crate::sim::protocol::Out;

impl TwoPhaseCommit {
    /// A client's request. Other nodes redirect to node 1. The coordinator answers a request it
    /// has seen from its log (a retry or a duplicate is never executed twice), ignores one older
    /// than the client's latest, and otherwise begins a transaction.
    pub(super) fn handle_request(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<TwoPcMsg>) {
        if !self.is_coordinator() {
            let op = cmd.op;
            return out.reply(
                client,
                Response::Redirect {
                    op,
                    hint: Some(COORDINATOR),
                },
            );
        }
        match self.d.coordinator.sessions.get(&client) {
            Some((op, _)) if *op > cmd.op => {}
            Some((op, txn)) if *op == cmd.op => self.rejoin(client, cmd.op, *txn, out),
            _ => self.begin(client, cmd, out),
        }
    }

    /// The record of `txn`: on the log, or (presumed abort) in memory while it is voted on.
    pub(super) fn record(&self, txn: u64) -> Option<&TxnRecord> {
        let d = &self.d.coordinator;
        d.log.get(&txn).or_else(|| self.coord.voting.get(&txn))
    }

    /// A repeated request: answered if decided, else the client waits with the others. A
    /// transaction the coordinator does not know was aborted and forgotten (presumed abort).
    fn rejoin(&mut self, client: ClientId, op: OpId, txn: u64, out: &mut Out<TwoPcMsg>) {
        let Some(rec) = self.record(txn) else {
            let mismatch = false;
            return out.reply(client, Response::Fail { op, mismatch });
        };
        if rec.outcome.is_some() {
            return out.reply(client, response(rec));
        }
        if let Some(a) = self.coord.active.get_mut(&txn) {
            if !a.clients.contains(&client) {
                a.clients.push(client);
            }
        }
    }

    /// Phase 1: a new transaction id and the client's session on disk (with `presumed-nothing`,
    /// the begin record too), then `Prepare` to each participant with its own operations.
    fn begin(&mut self, client: ClientId, cmd: Cmd, out: &mut Out<TwoPcMsg>) {
        let d = &mut self.d.coordinator;
        let txn = d.next_txn;
        d.next_txn += 1;
        let parts = plan(&cmd.kv, self.n);
        let participants: Vec<NodeId> = parts.keys().copied().collect();
        d.sessions.insert(client, (cmd.op, txn));
        out.emit(Event::Begin {
            node: self.id,
            txn,
            cmd: cmd.clone(),
            participants: participants.clone(),
        });
        let rec = TxnRecord {
            cmd,
            participants: participants.clone(),
            outcome: None,
            read: None,
            done: false,
        };
        if self.cfg.presumed_nothing {
            d.log.insert(txn, rec);
        } else {
            self.coord.voting.insert(txn, rec);
        }
        let active = Active {
            clients: vec![client],
            ..Active::default()
        };
        self.coord.active.insert(txn, active);
        for (p, ops) in parts {
            let participants = participants.clone();
            out.send(
                p,
                TwoPcMsg::Prepare {
                    txn,
                    ops,
                    participants,
                },
            );
        }
        self.arm_tick(out);
    }

    /// A vote (`reads` is `Some` for yes). A no decides abort at once; yes from every participant
    /// decides commit. A late vote, on a decided transaction, changes nothing (the decision is
    /// on its way, and a commit is re-sent until acknowledged). Under presumed abort a yes vote on
    /// a transaction the coordinator does not know (aborted and forgotten) is answered `Abort`.
    pub(super) fn handle_vote(
        &mut self,
        from: NodeId,
        txn: u64,
        reads: Option<Vec<(Key, Option<Value>)>>,
        out: &mut Out<TwoPcMsg>,
    ) {
        let Some(rec) = self.record(txn) else {
            if reads.is_some() && !self.cfg.presumed_nothing {
                out.send(from, TwoPcMsg::Abort { txn });
            }
            return;
        };
        if rec.outcome.is_some() {
            return;
        }
        let home = shard(rec.cmd.kv.key(), self.n);
        let key = rec.cmd.kv.key();
        let all = rec.participants.len();
        let Some(a) = self.coord.active.get_mut(&txn) else {
            return;
        };
        match reads {
            Some(reads) => {
                a.votes.insert(from);
                if from == home {
                    a.read = reads.iter().find(|(k, _)| *k == key).and_then(|(_, v)| *v);
                }
            }
            None if self.cfg.bugs.commit_despite_no => {
                a.no = true;
                a.votes.insert(from);
            }
            None => return self.decide(txn, false, out),
        }
        if a.votes.len() == all {
            let commit = !a.no || self.cfg.bugs.commit_despite_no;
            self.decide(txn, commit, out);
        }
    }

    /// Phase 2: a commit goes to the log (the commit point), then to every participant, then to
    /// the waiting clients. Under presumed abort an abort goes nowhere but to the participants
    /// that voted yes, once, and the transaction is forgotten; with `presumed-nothing` it is
    /// logged and sent like a commit.
    fn decide(&mut self, txn: u64, commit: bool, out: &mut Out<TwoPcMsg>) {
        let a = self.coord.active.entry(txn).or_default();
        a.ticks = 0;
        let clients = std::mem::take(&mut a.clients);
        let read = a.read;
        let voted_yes = a.votes.clone();
        let mut rec = match self.coord.voting.remove(&txn) {
            Some(rec) => rec,
            None => self
                .d
                .coordinator
                .log
                .remove(&txn)
                .expect("a transaction decided was begun"),
        };
        rec.outcome = Some(commit);
        rec.read = if commit { read } else { None };
        out.emit(Event::Decide {
            node: self.id,
            txn,
            commit,
        });
        let forget = !commit && !self.cfg.presumed_nothing;
        for p in rec
            .participants
            .iter()
            .filter(|p| !forget || voted_yes.contains(p))
        {
            out.send(*p, decision(txn, commit));
        }
        for client in clients {
            out.reply(client, response(&rec));
        }
        if forget {
            self.coord.active.remove(&txn);
            self.coord.recovering.remove(&txn);
            self.coord.aborted += 1;
        } else {
            self.d.coordinator.log.insert(txn, rec);
        }
    }

    /// An acknowledgement; once every participant has acknowledged, the record is done.
    pub(super) fn handle_ack(&mut self, from: NodeId, txn: u64) {
        let (Some(rec), Some(a)) = (
            self.d.coordinator.log.get_mut(&txn),
            self.coord.active.get_mut(&txn),
        ) else {
            return;
        };
        if rec.outcome.is_none() {
            return;
        }
        a.acks.insert(from);
        if rec.participants.iter().all(|p| a.acks.contains(p)) {
            rec.done = true;
            self.coord.active.remove(&txn);
            self.coord.recovering.remove(&txn);
        }
    }

    /// A participant in doubt asks: the log's decision, abort for a transaction the coordinator
    /// does not know (the presumption), and silence while the votes are still being collected.
    pub(super) fn answer_what_happened(&self, from: NodeId, txn: u64, out: &mut Out<TwoPcMsg>) {
        match self.record(txn) {
            Some(TxnRecord {
                outcome: Some(commit),
                ..
            }) => out.send(
                from,
                TwoPcMsg::Outcome {
                    txn,
                    commit: *commit,
                },
            ),
            Some(_) => {}
            None => out.send(from, TwoPcMsg::Outcome { txn, commit: false }),
        }
    }

    /// A tick: abort transactions whose votes are late; re-send decisions not acknowledged.
    pub(super) fn coordinator_tick(&mut self, out: &mut Out<TwoPcMsg>) {
        let mut late = Vec::new();
        let mut resend = Vec::new();
        for (txn, a) in &mut self.coord.active {
            a.ticks += 1;
            let d = &self.d.coordinator;
            let rec = d.log.get(txn).or_else(|| self.coord.voting.get(txn));
            let decided = rec.and_then(|r| r.outcome);
            match decided {
                None if a.ticks >= self.cfg.vote_timeout_ticks => late.push(*txn),
                Some(commit) if a.ticks.is_multiple_of(self.cfg.resend_ticks) => {
                    resend.push((*txn, commit))
                }
                _ => {}
            }
        }
        for txn in late {
            self.decide(txn, false, out);
        }
        for (txn, commit) in resend {
            self.resend(txn, commit, out);
        }
        if !self.coord.active.is_empty() {
            self.arm_tick(out);
        }
    }

    /// Sends a decision again to the participants that have not acknowledged it.
    fn resend(&self, txn: u64, commit: bool, out: &mut Out<TwoPcMsg>) {
        let (Some(rec), Some(a)) = (
            self.d.coordinator.log.get(&txn),
            self.coord.active.get(&txn),
        ) else {
            return;
        };
        for p in rec.participants.iter().filter(|p| !a.acks.contains(p)) {
            out.send(*p, decision(txn, commit));
        }
    }

    /// Restart: every unfinished transaction on the log is resolved. A decided one has its
    /// decision re-sent; an undecided one (only `presumed-nothing` logs those) is aborted and the
    /// abort announced. Under presumed abort the transactions being voted on are simply gone:
    /// their participants, in doubt, will be told abort when they ask.
    pub(super) fn recover(&mut self, out: &mut Out<TwoPcMsg>) {
        let mut unfinished = Vec::new();
        for (txn, rec) in self.d.coordinator.log.iter() {
            if !rec.done {
                unfinished.push((txn, rec.outcome));
            }
        }
        for (txn, outcome) in unfinished {
            self.coord.recovering.insert(txn);
            self.coord.active.insert(txn, Active::default());
            match outcome {
                Some(commit) => self.resend(txn, commit, out),
                None => self.decide(txn, false, out),
            }
        }
        if !self.coord.active.is_empty() {
            self.arm_tick(out);
        }
    }

    /// The number of transactions the coordinator has decided (under presumed abort, aborts
    /// counted since it booted: it forgets them).
    pub(super) fn decided_count(&self) -> u64 {
        let log = self.d.coordinator.log.values();
        log.filter(|r| r.outcome.is_some()).count() as u64 + self.coord.aborted
    }
}

/// The phase-2 message for a decision.
fn decision(txn: u64, commit: bool) -> TwoPcMsg {
    if commit {
        TwoPcMsg::Commit { txn }
    } else {
        TwoPcMsg::Abort { txn }
    }
}

/// The client's answer for a decided transaction: `ok` (with what a `get` read) for a commit,
/// `fail` (definitely not applied) for an abort.
fn response(rec: &TxnRecord) -> Response {
    let op = rec.cmd.op;
    match (rec.outcome, &rec.cmd.kv) {
        (Some(true), KvOp::Get { .. }) => Response::Ok {
            op,
            value: rec.read,
        },
        (Some(true), _) => Response::Ok { op, value: None },
        _ => Response::Fail {
            op,
            mismatch: false,
        },
    }
}
