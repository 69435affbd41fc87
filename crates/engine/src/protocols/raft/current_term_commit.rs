//! CurrentTermCommit: a leader commits by counting replicas only an entry of its own term
//! (section 5.4.2 and Figure 8 of the paper; Figure 2's rule for leaders: "if there exists an N
//! such that N > commitIndex, a majority of matchIndex[i] >= N, and log[N].term == currentTerm:
//! set commitIndex = N").
//!
//! Entries of earlier terms are committed only indirectly, when an entry of the current term after
//! them is. Counting an old entry's replicas is the Figure 8 mistake: the entry can be on a
//! majority and still be overwritten by a later leader. The other checkers see that mistake only
//! if a later leader does overwrite it (StateMachineSafety, LeaderCompleteness), which takes a
//! rare schedule; this one sees the commit itself.
//!
//! It follows each node's log (`append`, `truncate`, `checkpoint`) and role (`role`, `crash`), and
//! checks every `commit` a leader writes: the entry at the new commit index must be of the
//! leader's term. Followers commit whatever index their leader reports, so their commits are not
//! checked.

use crate::model::text::text;
use std::collections::BTreeMap;

use super::mirror::{follow_logs, measure_mirrors, mirror_mut, Mirror};
use crate::check::Invariant;
use crate::model::chunked::Meter;
use crate::model::event::{Event, Message};
use crate::model::types::{Micros, NodeId};

/// CurrentTermCommit: a leader advances its commit index only to an entry of its current term.
#[derive(Clone, Debug, Default)]
pub struct CurrentTermCommit {
    logs: Vec<Mirror>,
    /// Nodes in the leader role, with their term.
    leaders: BTreeMap<NodeId, u64>,
}

impl CurrentTermCommit {
    fn check_commit(&mut self, node: NodeId, index: u64) -> Option<String> {
        let term = *self.leaders.get(&node)?;
        let log = mirror_mut(&mut self.logs, node);
        let entry_term = index
            .checked_sub(1)
            .filter(|i| *i < log.len() as u64)
            .map(|i| log.at(i as usize).term);
        match entry_term {
            Some(t) if t == term => None,
            Some(t) => Some(text!(OldTermCommit, node, term, index, t).to_string()),
            None => Some(text!(CommitPastEnd, node, term, index).to_string()),
        }
    }
}

impl<M: Message + 'static> Invariant<M> for CurrentTermCommit {
    fn name(&self) -> &'static str {
        "CurrentTermCommit"
    }

    fn describe(&self) -> &'static str {
        "A leader advances its commit index only to an entry of its current term; earlier entries commit with it."
    }

    fn observe(&mut self, _t: Micros, ev: &Event<M>) -> Option<String> {
        follow_logs(&mut self.logs, ev);
        match ev {
            Event::Role {
                node, role, epoch, ..
            } => {
                if role == "leader" {
                    self.leaders.insert(*node, *epoch);
                } else {
                    self.leaders.remove(node);
                }
            }
            Event::Crash { node } => {
                self.leaders.remove(node);
            }
            Event::Commit { node, index } => return self.check_commit(*node, *index),
            _ => {}
        }
        None
    }

    fn measure(&self, m: &mut Meter) {
        measure_mirrors(&self.logs, m);
        m.add(self.leaders.len() * 48);
    }

    fn box_clone(&self) -> Box<dyn Invariant<M>> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kv::{Cmd, Command, KvOp};
    use crate::model::trace::RawMsg;

    fn append(node: NodeId, index: u64, term: u64) -> Event<RawMsg> {
        Event::Append {
            node,
            index,
            term,
            cmd: Command::Client(Cmd {
                client: 1,
                op: index,
                kv: KvOp::Get { key: 1 },
            }),
        }
    }

    fn leader(node: NodeId, term: u64) -> Event<RawMsg> {
        Event::Role {
            node,
            role: "leader".into(),
            epoch_name: "term".into(),
            epoch: term,
        }
    }

    fn feed(c: &mut CurrentTermCommit, evs: Vec<Event<RawMsg>>) -> Vec<String> {
        evs.iter()
            .filter_map(|e| Invariant::<RawMsg>::observe(c, 0, e))
            .collect()
    }

    #[test]
    fn a_leader_committing_an_entry_of_an_earlier_term_by_counting_replicas_is_caught() {
        let mut c = CurrentTermCommit::default();
        let figure8 = feed(
            &mut c,
            vec![
                append(2, 1, 1),
                append(2, 2, 1),
                leader(2, 3),
                Event::Commit { node: 2, index: 2 },
            ],
        );
        assert_eq!(figure8.len(), 1, "{figure8:?}");
        assert!(figure8[0].contains("an entry of term 1"), "{figure8:?}");
    }

    #[test]
    fn an_old_entry_committed_with_a_current_term_entry_after_it_and_follower_commits_pass() {
        let mut c = CurrentTermCommit::default();
        let found = feed(
            &mut c,
            vec![
                append(2, 1, 1),
                append(3, 1, 1),
                Event::Commit { node: 3, index: 1 },
                leader(2, 3),
                append(2, 2, 3),
                Event::Commit { node: 2, index: 2 },
                Event::Crash { node: 2 },
                Event::Commit { node: 2, index: 1 },
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
