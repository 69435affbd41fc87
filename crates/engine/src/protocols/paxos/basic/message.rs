//! Basic Paxos's messages: the paper's two phases, their refusals, and how learners find out.

use crate::model::text::text;
use std::borrow::Cow;

use super::short;
use crate::model::event::{JsonFields, Message};
use crate::model::kv::Command;
use crate::model::view::MsgLook;
use crate::protocols::paxos::show;

/// A Basic Paxos message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PaxosMsg {
    /// Phase 1a: a proposer asks acceptors to promise to ignore ballots below `ballot`.
    Prepare {
        /// The proposer's ballot.
        ballot: u64,
    },
    /// Phase 1b: an acceptor promises, and reports its last acceptance.
    Promise {
        /// The ballot promised.
        ballot: u64,
        /// The acceptor's last acceptance (ballot and value), if any.
        accepted: Option<(u64, Command)>,
    },
    /// An acceptor refuses a `Prepare` or an `Accept` because it promised a higher ballot.
    Nack {
        /// The ballot refused.
        ballot: u64,
        /// The higher ballot the acceptor promised.
        promised: u64,
    },
    /// Phase 2a: a proposer asks acceptors to accept `value` at `ballot`.
    Accept {
        /// The ballot.
        ballot: u64,
        /// The value proposed.
        value: Command,
    },
    /// Phase 2b: an acceptor accepted the proposer's value at `ballot`.
    Accepted {
        /// The ballot accepted.
        ballot: u64,
    },
    /// A majority accepted `value` at `ballot`: it is chosen (proposer to learners).
    Chosen {
        /// The ballot in which it was chosen.
        ballot: u64,
        /// The chosen value.
        value: Command,
    },
    /// A restarted learner asks whether a value was chosen.
    WhatIsChosen,
    /// With `distinguished`: a node hands its value to node 1 after its one ballot failed.
    Forward {
        /// The value to propose.
        value: Command,
    },
}

fn reply(label: String, verdict: Option<bool>) -> MsgLook {
    MsgLook {
        label,
        reply: true,
        light: false,
        verdict,
    }
}

fn value_json(value: &Command) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

impl Message for PaxosMsg {
    fn kind(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            PaxosMsg::Prepare { .. } => "Prepare",
            PaxosMsg::Promise { .. } => "Promise",
            PaxosMsg::Nack { .. } => "Nack",
            PaxosMsg::Accept { .. } => "Accept",
            PaxosMsg::Accepted { .. } => "Accepted",
            PaxosMsg::Chosen { .. } => "Chosen",
            PaxosMsg::WhatIsChosen => "WhatIsChosen",
            PaxosMsg::Forward { .. } => "Forward",
        })
    }

    fn look(&self) -> MsgLook {
        match self {
            PaxosMsg::Prepare { ballot } => MsgLook::request(format!("P {}", show(*ballot))),
            PaxosMsg::Promise { ballot, .. } => reply(format!("P {}", show(*ballot)), Some(true)),
            PaxosMsg::Nack { ballot, .. } => reply(format!("nack {}", show(*ballot)), Some(false)),
            PaxosMsg::Accept { ballot, .. } => MsgLook::request(format!("A {}", show(*ballot))),
            PaxosMsg::Accepted { ballot } => reply(format!("A {}", show(*ballot)), Some(true)),
            PaxosMsg::Chosen { value, .. } => MsgLook::request(format!("chosen {}", short(value))),
            PaxosMsg::WhatIsChosen => MsgLook {
                label: "chosen?".into(),
                reply: false,
                light: true,
                verdict: None,
            },
            PaxosMsg::Forward { .. } => MsgLook::request("fwd"),
        }
    }

    fn milestone(&self) -> Option<String> {
        match self {
            PaxosMsg::Promise {
                ballot,
                accepted: None,
            } => Some(text!(PromiseEv, show(*ballot)).to_string()),
            PaxosMsg::Promise {
                ballot,
                accepted: Some((b, v)),
            } => Some(text!(PromiseAccepted, show(*ballot), short(v), show(*b)).to_string()),
            PaxosMsg::Nack { ballot, promised } => {
                Some(text!(Nack, show(*ballot), show(*promised)).to_string())
            }
            PaxosMsg::Chosen { ballot, value } => {
                Some(text!(ChosenAt, short(value), show(*ballot)).to_string())
            }
            _ => None,
        }
    }

    fn fields(&self, out: &mut JsonFields) {
        match self {
            PaxosMsg::Prepare { ballot } | PaxosMsg::Accepted { ballot } => {
                out.num("ballot", *ballot)
            }
            PaxosMsg::Promise { ballot, accepted } => {
                out.num("ballot", *ballot);
                out.opt("accepted_ballot", accepted.as_ref().map(|(b, _)| *b));
                let value = accepted
                    .as_ref()
                    .map_or("null".into(), |(_, v)| value_json(v));
                out.raw("accepted_value", &value);
            }
            PaxosMsg::Nack { ballot, promised } => {
                out.num("ballot", *ballot);
                out.num("promised", *promised);
            }
            PaxosMsg::Accept { ballot, value } | PaxosMsg::Chosen { ballot, value } => {
                out.num("ballot", *ballot);
                out.raw("value", &value_json(value));
            }
            PaxosMsg::WhatIsChosen => {}
            PaxosMsg::Forward { value } => out.raw("value", &value_json(value)),
        }
    }
}
