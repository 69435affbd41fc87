//! Basic Paxos node by node, without the simulator: messages are delivered in the order sent.

use std::collections::VecDeque;

use super::*;
use crate::model::event::{Event, Response};
use crate::model::kv::KvOp;
use crate::protocols::paxos::ballot;

struct Cluster {
    nodes: Vec<Paxos>,
    queue: VecDeque<(NodeId, NodeId, PaxosMsg)>,
    replies: Vec<(NodeId, ClientId, Response)>,
    events: Vec<Event<PaxosMsg>>,
}

impl Cluster {
    fn new(n: u32, durable: impl Fn(NodeId) -> PaxosDurable) -> Self {
        let cfg = PaxosConfig::default();
        let mut c = Cluster {
            nodes: Vec::new(),
            queue: VecDeque::new(),
            replies: Vec::new(),
            events: Vec::new(),
        };
        for id in 1..=n {
            let mut out = Out::new(id);
            let node = Paxos::boot(id, n, &cfg, durable(id), &mut out);
            c.nodes.push(node);
            c.take(out);
        }
        c
    }

    fn node(&self, id: NodeId) -> &Paxos {
        &self.nodes[id as usize - 1]
    }

    fn take(&mut self, out: Out<PaxosMsg>) {
        let from = out.node;
        self.queue
            .extend(out.sends.into_iter().map(|(to, m)| (from, to, m)));
        self.replies
            .extend(out.replies.into_iter().map(|(c, r)| (from, c, r)));
        self.events.extend(out.events);
    }

    fn request(&mut self, to: NodeId, client: ClientId, op: u64, value: u64) {
        let cmd = put(client, op, value);
        let mut out = Out::new(to);
        self.nodes[to as usize - 1].on_request(client, cmd, &mut out);
        self.take(out);
    }

    fn deliver_all(&mut self) {
        while let Some((from, to, msg)) = self.queue.pop_front() {
            let mut out = Out::new(to);
            self.nodes[to as usize - 1].on_message(from, msg, &mut out);
            self.take(out);
        }
    }

    fn chosen(&self, id: NodeId) -> Option<Command> {
        self.node(id).v.learned.as_ref().map(|l| l.value.clone())
    }
}

fn put(client: ClientId, op: u64, value: u64) -> Cmd {
    Cmd {
        client,
        op,
        kv: KvOp::Put { key: 1, value },
    }
}

#[test]
fn a_lone_proposer_gets_its_value_chosen_and_every_node_learns_it() {
    let mut c = Cluster::new(3, |_| PaxosDurable::default());
    c.request(1, 7, 1, 5);
    c.deliver_all();
    for id in 1..=3 {
        assert_eq!(c.chosen(id), Some(Command::Client(put(7, 1, 5))));
        assert_eq!(c.node(id).v.kv.get(1), Some(5));
    }
    assert_eq!(c.replies, vec![(1, 7, Response::Ok { op: 1, value: None })]);
    let applies = c.events.iter().filter(|e| matches!(e, Event::Apply { .. }));
    assert_eq!(applies.count(), 3);
}

#[test]
fn a_single_node_cluster_chooses_within_one_request() {
    let mut c = Cluster::new(1, |_| PaxosDurable::default());
    c.request(1, 7, 1, 5);
    assert_eq!(c.chosen(1), Some(Command::Client(put(7, 1, 5))));
}

#[test]
fn an_acceptor_refuses_a_ballot_below_its_promise() {
    let mut c = Cluster::new(3, |_| PaxosDurable::default());
    let mut out = Out::new(2);
    let n2 = &mut c.nodes[1];
    assert!(matches!(
        n2.handle_prepare(ballot(2, 3), &mut out),
        PaxosMsg::Promise { .. }
    ));
    assert_eq!(
        n2.handle_prepare(ballot(1, 1), &mut out),
        PaxosMsg::Nack {
            ballot: ballot(1, 1),
            promised: ballot(2, 3)
        }
    );
    let value = Command::Client(put(1, 1, 1));
    assert!(matches!(
        n2.handle_accept(ballot(1, 1), value, &mut out),
        PaxosMsg::Nack { .. }
    ));
    assert_eq!(n2.d.accepted, None);
}

#[test]
fn a_proposer_proposes_the_value_a_promise_reports_instead_of_its_own() {
    let old = Command::Client(put(9, 1, 42));
    let mut c = Cluster::new(3, |id| PaxosDurable {
        promised: ballot(1, 2),
        accepted: (id != 1).then(|| (ballot(1, 2), old.clone())),
    });
    c.queue.clear();
    c.request(1, 7, 2, 5);
    c.deliver_all();
    assert_eq!(c.chosen(1), Some(old.clone()));
    assert_eq!(c.chosen(3), Some(old));
    assert_eq!(
        c.replies,
        vec![(
            1,
            7,
            Response::Fail {
                op: 2,
                mismatch: false
            }
        )]
    );
}

#[test]
fn a_request_after_the_choice_is_answered_at_once() {
    let mut c = Cluster::new(3, |_| PaxosDurable::default());
    c.request(1, 7, 1, 5);
    c.deliver_all();
    c.request(2, 8, 2, 6);
    assert!(c.queue.is_empty());
    assert_eq!(
        c.replies.last(),
        Some(&(
            2,
            8,
            Response::Fail {
                op: 2,
                mismatch: false
            }
        ))
    );
}

#[test]
fn a_restarted_node_keeps_its_promise_and_asks_what_was_chosen() {
    let mut c = Cluster::new(3, |_| PaxosDurable::default());
    c.request(1, 7, 1, 5);
    c.deliver_all();
    let durable = c.nodes[2].clone().into_durable();
    assert_eq!(durable.promised, ballot(1, 1));
    let mut out = Out::new(3);
    c.nodes[2] = Paxos::boot(3, 3, &PaxosConfig::default(), durable, &mut out);
    assert_eq!(c.chosen(3), None);
    c.take(out);
    c.deliver_all();
    assert_eq!(c.chosen(3), Some(Command::Client(put(7, 1, 5))));
}

#[test]
fn unknown_options_and_bugs_are_refused_with_the_known_names() {
    let mut opts = ProtocolOptions::default();
    opts.flags.push(("prevote".into(), true));
    let e = Paxos::configure(&opts).unwrap_err().to_string();
    assert!(e.contains("backoff, distinguished"), "{e}");
    let mut opts = ProtocolOptions::default();
    opts.bugs.push("forget-vote".into());
    let e = Paxos::configure(&opts).unwrap_err().to_string();
    assert!(e.contains("accept-below-promise"), "{e}");
    opts.bugs = vec!["learner-counts-minority".into()];
    opts.flags = vec![("backoff".into(), false)];
    let cfg = Paxos::configure(&opts).unwrap();
    assert!(cfg.bugs.learner_counts_minority && !cfg.backoff);
}
