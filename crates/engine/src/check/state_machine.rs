//! StateMachineSafety, shared by every protocol that replicates a state machine (Raft,
//! Multi-Paxos, Basic Paxos as slot 1, primary-backup, recovery blocks): it reads `apply` events
//! only, so it needs nothing from any one protocol.

use super::Invariant;
use crate::model::chunked::{ChunkedVec, Meter};
use crate::model::event::{Event, Message};
use crate::model::text::text;
use crate::model::types::{Micros, NodeId};

/// StateMachineSafety: if a node has applied an entry at an index, no other node ever applies a
/// different entry at that index.
#[derive(Clone, Debug, Default)]
pub struct StateMachineSafety {
    applied: ChunkedVec<Option<(u64, NodeId, Option<u64>)>>,
}

impl<M: Message + 'static> Invariant<M> for StateMachineSafety {
    fn name(&self) -> &'static str {
        "StateMachineSafety"
    }

    fn describe(&self) -> &'static str {
        "No two nodes apply different commands at the same log index."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        let Event::Apply {
            node,
            index,
            term,
            cmd,
        } = ev
        else {
            return None;
        };
        let i = *index as usize;
        if self.applied.len() <= i {
            self.applied.resize(i + 1, None);
        }
        let d = cmd.digest();
        match self.applied.get(i).copied().flatten() {
            Some((other, by, other_term)) if other != d => Some(
                text!(
                    DiffCommand,
                    node,
                    describe_term(*term),
                    index,
                    by,
                    describe_term(other_term)
                )
                .to_string(),
            ),
            Some(_) => None,
            None => {
                if let Some(slot) = self.applied.get_mut(i) {
                    *slot = Some((d, *node, *term));
                }
                None
            }
        }
    }

    fn measure(&self, m: &mut Meter) {
        m.chunked(&self.applied);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

fn describe_term(term: Option<u64>) -> String {
    term.map_or_else(String::new, |t| text!(InTerm, t).to_string())
}
