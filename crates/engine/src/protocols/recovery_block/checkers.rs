//! Recovery blocks' safety properties, each an independent observer of the trace.
//!
//! - [`AcceptedResultsOnly`] reads `try`, `test`, `output` and `crash`: a node delivers a result
//!   only after the acceptance test passed that very result, for that input and try block, since
//!   the try block last started there.
//! - OnePrimaryPerEpoch reads `role`: two nodes primary in one epoch is split brain, caught
//!   before either delivers.
//! - [`OneDelivererPerEpoch`] reads `output`: two nodes delivering in one epoch is split brain,
//!   a stale primary that was not fenced.
//! - [`ConsistentOutputs`] reads `output`: an input delivered twice (by a new primary, or again
//!   after a retry) is delivered with the same command and the same result.
//! - [`StateMachineSafety`] (shared, in `check`) reads `apply`: no two nodes apply different inputs at one
//!   input number.
//!
//! Linearizability of the client history is checked for every protocol at the end of a run.

use crate::model::text::{text, Phrase};
use std::collections::BTreeMap;

use crate::check::StateMachineSafety;
use crate::check::{EpochRule, Invariant, OnePerEpoch, Seat};
use crate::model::chunked::{ChunkedVec, Meter};
use crate::model::event::{Block, Event, Message};
use crate::model::kv::{Command, KvResult};
use crate::model::types::{Micros, NodeId};

/// The checkers for a recovery-block run.
pub fn checkers<M: Message + 'static>() -> Vec<Box<dyn Invariant<M>>> {
    vec![
        Box::new(AcceptedResultsOnly::default()),
        Box::new(OnePerEpoch::new(&ONE_PRIMARY_PER_EPOCH)),
        Box::new(OnePerEpoch::new(&ONE_DELIVERER_PER_EPOCH)),
        Box::new(ConsistentOutputs::default()),
        Box::new(StateMachineSafety::default()),
    ]
}

/// AcceptedResultsOnly: every delivered result passed the acceptance test.
#[derive(Clone, Debug, Default)]
pub struct AcceptedResultsOnly {
    /// Results that passed, by (node, input, block), since that try block last started.
    passed: BTreeMap<(NodeId, u64, Block), KvResult>,
}

impl AcceptedResultsOnly {
    fn check_output(
        &mut self,
        node: NodeId,
        input: u64,
        block: Block,
        result: &KvResult,
    ) -> Option<String> {
        match self.passed.remove(&(node, input, block)) {
            Some(r) if r == *result => None,
            Some(r) => Some(
                text!(
                    DeliveredWrong,
                    node,
                    format!("{result:?}"),
                    input,
                    block.name(),
                    format!("{r:?}")
                )
                .to_string(),
            ),
            None => Some(text!(DeliveredUntested, node, block.name(), input).to_string()),
        }
    }
}

impl<M: Message + 'static> Invariant<M> for AcceptedResultsOnly {
    fn name(&self) -> &'static str {
        "AcceptedResultsOnly"
    }

    fn describe(&self) -> &'static str {
        "Every delivered result passed the acceptance test on the node that delivers it."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        match ev {
            Event::Try { node, input, block } => {
                let n = *node;
                self.passed
                    .retain(|(other, i, b), _| *other != n || (*i >= *input && *b != *block));
            }
            Event::Test {
                node,
                input,
                block,
                pass: true,
                result,
            } => {
                self.passed.insert((*node, *input, *block), result.clone());
            }
            Event::Crash { node } => self.passed.retain(|(other, _, _), _| other != node),
            Event::Output {
                node,
                input,
                block,
                result,
                ..
            } => return self.check_output(*node, *input, *block, result),
            _ => {}
        }
        None
    }

    fn measure(&self, m: &mut Meter) {
        m.add(self.passed.len() * 64);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

/// OnePrimaryPerEpoch: at most one node takes the primary role in a given epoch (a takeover, a
/// recovery and a restart all start a new epoch; a primary may adopt its restarted shadow's).
pub const ONE_PRIMARY_PER_EPOCH: EpochRule = EpochRule {
    name: "OnePrimaryPerEpoch",
    describe: "At most one node is primary in a given epoch.",
    seat: Seat::Role("primary"),
    clash: Phrase::BothPrimary,
};

/// OneDelivererPerEpoch: at most one node, the primary, delivers results in a given epoch.
pub const ONE_DELIVERER_PER_EPOCH: EpochRule = EpochRule {
    name: "OneDelivererPerEpoch",
    describe: "At most one node, the primary, delivers results in a given epoch.",
    seat: Seat::Output,
    clash: Phrase::BothDelivered,
};

/// ConsistentOutputs: no input is delivered twice with different commands or results.
#[derive(Clone, Debug, Default)]
pub struct ConsistentOutputs {
    /// By input number: a digest of the command and result first delivered, and the node.
    outputs: ChunkedVec<Option<(u64, NodeId)>>,
}

fn output_digest(cmd: &Command, result: &KvResult) -> u64 {
    let mut h = crate::model::hash::StableHasher::new();
    std::hash::Hash::hash(&(cmd, result), &mut h);
    std::hash::Hasher::finish(&h)
}

impl<M: Message + 'static> Invariant<M> for ConsistentOutputs {
    fn name(&self) -> &'static str {
        "ConsistentOutputs"
    }

    fn describe(&self) -> &'static str {
        "No input is delivered twice with different commands or results."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        let Event::Output {
            node,
            input,
            cmd,
            result,
            ..
        } = ev
        else {
            return None;
        };
        let i = *input as usize;
        if self.outputs.len() <= i {
            self.outputs.resize(i + 1, None);
        }
        let d = output_digest(cmd, result);
        let slot = self.outputs.get_mut(i)?;
        match *slot {
            Some((other, by)) if other != d => {
                Some(text!(DeliveredDifferently, node, input, by).to_string())
            }
            Some(_) => None,
            None => {
                *slot = Some((d, *node));
                None
            }
        }
    }

    fn measure(&self, m: &mut Meter) {
        m.chunked(&self.outputs);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}
