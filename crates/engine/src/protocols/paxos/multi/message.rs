//! Multi-Paxos messages: phase 1 for all slots at once, phase 2 per slot, decisions, heartbeats.

use crate::model::text::text;
use std::borrow::Cow;

use super::slots::PValue;
use crate::model::event::{JsonFields, Message};
use crate::model::kv::Command;
use crate::model::view::MsgLook;
use crate::protocols::paxos::show;

/// A Multi-Paxos message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MultiPaxosMsg {
    /// Phase 1a: a candidate asks for a promise covering every slot from `from_slot` on.
    Prepare {
        /// The candidate's ballot.
        ballot: u64,
        /// The candidate's first slot not known chosen.
        from_slot: u64,
    },
    /// Phase 1b: the acceptor promised `ballot` and reports what it accepted from `from_slot` on.
    Promise {
        /// The ballot promised.
        ballot: u64,
        /// Accepted values: slot and pvalue, in slot order.
        accepted: Vec<(u64, PValue)>,
    },
    /// A refusal: the acceptor has promised a higher ballot than the one it was asked about.
    Nack {
        /// The ballot refused.
        ballot: u64,
        /// The acceptor's promise.
        promised: u64,
    },
    /// Phase 2a: accept `cmd` in `slot` at `ballot`.
    Accept {
        /// The leader's ballot.
        ballot: u64,
        /// The slot.
        slot: u64,
        /// The value proposed.
        cmd: Command,
    },
    /// Phase 2b: the acceptor accepted the leader's value in `slot`.
    Accepted {
        /// The ballot accepted.
        ballot: u64,
        /// The slot.
        slot: u64,
    },
    /// A decision: `cmd` is chosen in `slot` (it was accepted by a majority in `ballot`).
    Decide {
        /// The slot.
        slot: u64,
        /// The ballot in which the value was chosen.
        ballot: u64,
        /// The chosen value.
        cmd: Command,
    },
    /// The leader is alive; `commit` is the end of its run of decided slots.
    Heartbeat {
        /// The leader's ballot.
        ballot: u64,
        /// Every slot up to here is decided at the leader.
        commit: u64,
    },
    /// A follower behind the leader's commit point asks for the decisions after `applied`.
    HeartbeatReply {
        /// The leader's ballot, echoed.
        ballot: u64,
        /// Every slot up to here is decided (and applied) at the follower.
        applied: u64,
    },
}

impl MultiPaxosMsg {
    /// A ballot the sender claims as current (its own, or an acceptor's promise in a nack): one
    /// above the receiver's own makes a leader or candidate step down.
    pub fn claimed_ballot(&self) -> Option<u64> {
        match self {
            MultiPaxosMsg::Prepare { ballot, .. }
            | MultiPaxosMsg::Accept { ballot, .. }
            | MultiPaxosMsg::Heartbeat { ballot, .. } => Some(*ballot),
            MultiPaxosMsg::Nack { promised, .. } => Some(*promised),
            _ => None,
        }
    }

    /// The leader a message reveals: the proposer of an `Accept`'s or a `Heartbeat`'s ballot.
    pub fn leader_hint(&self) -> Option<crate::model::types::NodeId> {
        match self {
            MultiPaxosMsg::Accept { ballot, .. } | MultiPaxosMsg::Heartbeat { ballot, .. } => {
                Some(crate::protocols::paxos::proposer_of(*ballot))
            }
            _ => None,
        }
    }
}

fn reply(label: String, verdict: Option<bool>, light: bool) -> MsgLook {
    MsgLook {
        label,
        reply: true,
        light,
        verdict,
    }
}

impl Message for MultiPaxosMsg {
    fn kind(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            MultiPaxosMsg::Prepare { .. } => "Prepare",
            MultiPaxosMsg::Promise { .. } => "Promise",
            MultiPaxosMsg::Nack { .. } => "Nack",
            MultiPaxosMsg::Accept { .. } => "Accept",
            MultiPaxosMsg::Accepted { .. } => "Accepted",
            MultiPaxosMsg::Decide { .. } => "Decide",
            MultiPaxosMsg::Heartbeat { .. } => "Heartbeat",
            MultiPaxosMsg::HeartbeatReply { .. } => "HeartbeatReply",
        })
    }

    fn look(&self) -> MsgLook {
        match self {
            MultiPaxosMsg::Prepare { ballot, from_slot } => {
                MsgLook::request(format!("P {} s{from_slot}+", show(*ballot)))
            }
            MultiPaxosMsg::Promise { ballot, .. } => {
                reply(format!("promise {}", show(*ballot)), Some(true), false)
            }
            MultiPaxosMsg::Nack { promised, .. } => {
                reply(format!("nack {}", show(*promised)), Some(false), false)
            }
            MultiPaxosMsg::Accept { ballot, slot, .. } => {
                MsgLook::request(format!("A {} s{slot}", show(*ballot)))
            }
            MultiPaxosMsg::Accepted { slot, .. } => reply(format!("ok s{slot}"), Some(true), false),
            MultiPaxosMsg::Decide { slot, .. } => MsgLook::request(format!("D s{slot}")),
            MultiPaxosMsg::Heartbeat { .. } => MsgLook {
                light: true,
                ..MsgLook::request("hb")
            },
            MultiPaxosMsg::HeartbeatReply { applied, .. } => {
                reply(format!("need s{}+", applied + 1), None, true)
            }
        }
    }

    fn milestone(&self) -> Option<String> {
        match self {
            MultiPaxosMsg::Promise { ballot, accepted } => {
                Some(text!(PromiseFor, show(*ballot), accepted.len()).to_string())
            }
            MultiPaxosMsg::Nack { ballot, promised } => {
                Some(text!(NackOf, show(*ballot), show(*promised)).to_string())
            }
            _ => None,
        }
    }

    fn fields(&self, out: &mut JsonFields) {
        match self {
            MultiPaxosMsg::Prepare { ballot, from_slot } => {
                out.num("ballot", *ballot);
                out.num("slot", *from_slot);
            }
            MultiPaxosMsg::Promise { ballot, accepted } => {
                out.num("ballot", *ballot);
                out.raw("accepted", &accepted_json(accepted));
            }
            MultiPaxosMsg::Nack { ballot, promised } => {
                out.num("ballot", *ballot);
                out.num("promised", *promised);
            }
            MultiPaxosMsg::Accept { ballot, slot, cmd } => {
                out.num("ballot", *ballot);
                out.num("slot", *slot);
                out.raw("cmd", &cmd_json(cmd));
            }
            MultiPaxosMsg::Accepted { ballot, slot } => {
                out.num("ballot", *ballot);
                out.num("slot", *slot);
            }
            MultiPaxosMsg::Decide { slot, ballot, cmd } => {
                out.num("ballot", *ballot);
                out.num("slot", *slot);
                out.raw("cmd", &cmd_json(cmd));
            }
            MultiPaxosMsg::Heartbeat { ballot, commit } => {
                out.num("ballot", *ballot);
                out.num("commit", *commit);
            }
            MultiPaxosMsg::HeartbeatReply { ballot, applied } => {
                out.num("ballot", *ballot);
                out.num("applied", *applied);
            }
        }
    }
}

fn cmd_json(cmd: &Command) -> String {
    serde_json::to_string(cmd).unwrap_or_default()
}

fn accepted_json(accepted: &[(u64, PValue)]) -> String {
    let list: Vec<String> = accepted
        .iter()
        .map(|(slot, pv)| {
            format!(
                "{{\"slot\":{slot},\"ballot\":{},\"cmd\":{}}}",
                pv.ballot,
                cmd_json(&pv.cmd)
            )
        })
        .collect();
    format!("[{}]", list.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_and_fields_name_ballots_and_slots() {
        let a = MultiPaxosMsg::Accept {
            ballot: 302,
            slot: 7,
            cmd: Command::noop(),
        };
        assert_eq!(a.look().label, "A 3.2 s7");
        let mut f = JsonFields::default();
        a.fields(&mut f);
        assert_eq!(f.text, ",\"ballot\":302,\"slot\":7,\"cmd\":{\"noop\":true}");
        let nack = MultiPaxosMsg::Nack {
            ballot: 101,
            promised: 302,
        };
        assert_eq!(nack.look().verdict, Some(false));
        assert_eq!(nack.claimed_ballot(), Some(302));
        assert!(nack.milestone().is_some());
        let hb = MultiPaxosMsg::Heartbeat {
            ballot: 101,
            commit: 0,
        };
        assert!(hb.look().light && hb.milestone().is_none());
    }
}
