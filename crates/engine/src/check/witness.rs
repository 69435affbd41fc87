//! Why a key's history is not linearizable, in a form people read: the longest order of
//! operations that explains part of the history, the operation that cannot be placed after it,
//! the operations that cannot come next either, and a paragraph in plain words.
//!
//! Porcupine draws the first three; Elle explains an anomaly in a sentence. The paragraph names
//! clients, values and times, as a student would say it: "client 2 read 5 at 3.2 s, but client 1's
//! write of 7 had been answered at 3.1 s".

use crate::check::lin::{LinKind, LinOp};
use crate::model::kv::short_value;
use crate::model::text::{join, text, Phrase, Text};
use crate::model::types::{fmt_time, Key};

/// The search's deepest dead end on a key (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// The longest linearizable prefix found, in linearization order.
    pub prefix: Vec<LinOp>,
    /// The key's value after the prefix (`None`: absent).
    pub state: Option<u64>,
    /// The operation whose response was reached while it could not be placed.
    pub blocked: LinOp,
    /// The operation that placing `blocked` would have left unexplainable, if that was why.
    pub stranded: Option<LinOp>,
    /// Other operations that could come next in real time but are impossible with the key
    /// holding `state`.
    pub cannot_follow: Vec<LinOp>,
    /// Operations of the key the search considered.
    pub total: usize,
    /// The blocked operation saw a value that no operation which may have taken effect wrote.
    pub unwritten: bool,
}

impl Witness {
    /// One paragraph in plain words about key `key`.
    pub fn explain(&self, key: Key) -> Text {
        let story = match &self.stranded {
            Some(s) => self.stranded_story(key, s),
            None => self.blocked_story(key),
        };
        let tail = match self.cannot_follow.len() {
            0 => text!(Period),
            1 => text!(TailOne, list(&self.cannot_follow)),
            _ => text!(TailMany, list(&self.cannot_follow)),
        };
        text!(Paragraph, story, self.prefix.len(), self.total, tail)
    }

    /// The blocked operation's result is impossible after the prefix (a read saw the wrong value).
    fn blocked_story(&self, key: Key) -> Text {
        let b = &self.blocked;
        if self.unwritten {
            return text!(Unwritten, key, who(b), action(&b.kind), span(b));
        }
        let held = value(self.state);
        let writer = self
            .prefix
            .iter()
            .rev()
            .find(|op| writes(&op.kind).is_some());
        let by_then = match writer {
            Some(w) => text!(HeldBy, held, who(w), action(&w.kind), span(w)),
            None => text!(StillHeld, held),
        };
        let need = match required(&b.kind) {
            Some(want) => text!(Needed, value(want)),
            None => text!(Period),
        };
        text!(
            Unexplained,
            key,
            who(b),
            action(&b.kind),
            span(b),
            by_then,
            need
        )
    }

    /// The blocked operation (a write) had to take effect, and doing so replaces the value a later
    /// operation (`s`) still saw.
    fn stranded_story(&self, key: Key, s: &LinOp) -> Text {
        let b = &self.blocked;
        let first = match b.complete {
            Some(done) if done < s.invoke => text!(
                AnsweredBefore,
                fmt_time(done),
                s.client,
                short_noun(&s.kind),
                fmt_time(s.invoke)
            ),
            Some(done) => text!(EffectBy, fmt_time(done)),
            None => text!(TookEffect),
        };
        text!(
            Stranded,
            key,
            who(s),
            action(&s.kind),
            span(s),
            text!(ClientCap, b.client),
            noun(&b.kind),
            b.op,
            first,
            value(self.state)
        )
    }
}

/// An operation as a noun: `write of 7`, `read of 5`, `swap of 3 for 4`, `failed swap`.
fn noun(kind: &LinKind) -> Text {
    match *kind {
        LinKind::Put { value: v } => text!(WriteOf, short_value(v)),
        LinKind::Get { value: v } => text!(ReadOf, value(v)),
        LinKind::Cas { from, to } => text!(SwapOf, value(from), short_value(to)),
        LinKind::CasFailed { .. } => text!(FailedSwap),
    }
}

/// `read`, `write`, `swap`.
fn short_noun(kind: &LinKind) -> Phrase {
    match kind {
        LinKind::Put { .. } => Phrase::WriteNoun,
        LinKind::Get { .. } => Phrase::ReadNoun,
        LinKind::Cas { .. } | LinKind::CasFailed { .. } => Phrase::SwapNoun,
    }
}

/// `client 2`.
fn who(op: &LinOp) -> Text {
    text!(ClientN, op.client)
}

/// What an operation did, as a clause: `read 5`, `wrote 7`, `swapped 3 for 4`.
fn action(kind: &LinKind) -> Text {
    match *kind {
        LinKind::Put { value: v } => text!(Wrote, short_value(v)),
        LinKind::Get { value: v } => text!(Read, value(v)),
        LinKind::Cas { from, to } => text!(Swapped, value(from), short_value(to)),
        LinKind::CasFailed { from } => text!(SwapFailed, value(from)),
    }
}

/// The value an operation requires the key to hold, if any.
fn required(kind: &LinKind) -> Option<Option<u64>> {
    match *kind {
        LinKind::Get { value } => Some(value),
        LinKind::Cas { from, .. } => Some(from),
        LinKind::Put { .. } | LinKind::CasFailed { .. } => None,
    }
}

fn writes(kind: &LinKind) -> Option<u64> {
    match *kind {
        LinKind::Put { value } => Some(value),
        LinKind::Cas { to, .. } => Some(to),
        _ => None,
    }
}

/// `invoked at 1.2s, answered at 1.25s` or `invoked at 1.2s, never answered`.
fn span(op: &LinOp) -> Text {
    match op.complete {
        Some(c) => text!(Answered, op.op, fmt_time(op.invoke), fmt_time(c)),
        None => text!(NeverAnswered, op.op, fmt_time(op.invoke)),
    }
}

fn value(v: Option<u64>) -> Text {
    v.map_or_else(|| text!(Absent), |v| text!(Word, short_value(v)))
}

/// At most four operations, `client 3's read of 5 (op 12)`, and how many more.
fn list(ops: &[LinOp]) -> Text {
    let mut parts: Vec<Text> = ops
        .iter()
        .take(4)
        .map(|op| text!(OpItem, who(op), action(&op.kind), op.op))
        .collect();
    if ops.len() > 4 {
        parts.push(text!(AndMore, ops.len() - 4));
    }
    join(parts, Phrase::Items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::lin::{check_key, LinResult};
    use crate::model::types::MS;

    fn op(client: u32, id: u64, invoke: u64, complete: u64, kind: LinKind) -> LinOp {
        LinOp {
            client,
            op: id,
            invoke: invoke * MS,
            complete: Some(complete * MS),
            kind,
        }
    }

    fn witness(ops: &[LinOp]) -> Witness {
        match check_key(None, ops, 1_000_000) {
            LinResult::Violation { witness, .. } => *witness,
            other => panic!("expected a violation, got {other:?}"),
        }
    }

    #[test]
    fn a_stale_read_names_the_write_it_missed() {
        let ops = [
            op(1, 1, 0, 100, LinKind::Put { value: 5 }),
            op(1, 2, 200, 300, LinKind::Put { value: 7 }),
            op(2, 3, 3100, 3200, LinKind::Get { value: Some(5) }),
        ];
        let w = witness(&ops);
        assert_eq!(w.prefix.iter().map(|o| o.op).collect::<Vec<_>>(), [1]);
        assert_eq!(
            (w.blocked.op, w.stranded.as_ref().map(|s| s.op)),
            (2, Some(3))
        );
        let text = w.explain(4).to_string();
        assert!(
            text.starts_with("On key 4, client 2 read 5 (op 3, invoked at 3.1"),
            "{text}"
        );
        assert!(
            text.contains("Client 1's write of 7 (op 2) was answered at 300ms, before client 2's read was invoked at 3.1"),
            "{text}"
        );
        assert!(text.contains("it replaced 5."), "{text}");
        assert!(text.contains("places 1 of its 3 operations"), "{text}");
    }

    #[test]
    fn a_write_that_had_to_come_first_is_named_with_the_read_it_spoils() {
        let ops = [
            op(1, 1, 0, 100, LinKind::Put { value: 5 }),
            op(3, 3, 160, 300, LinKind::Get { value: None }),
        ];
        let w = witness(&ops);
        assert_eq!(
            (w.blocked.op, w.stranded.as_ref().map(|s| s.op)),
            (1, Some(3))
        );
        assert!(w.cannot_follow.is_empty());
        let text = w.explain(1).to_string();
        assert!(
            text.starts_with("On key 1, client 3 read nothing (absent) (op 3"),
            "{text}"
        );
        assert!(
            text.contains("Client 1's write of 5 (op 1) was answered at 100ms"),
            "{text}"
        );
    }

    #[test]
    fn operations_that_cannot_come_next_are_listed() {
        let ops = [
            op(1, 1, 0, 100, LinKind::Put { value: 5 }),
            op(2, 2, 50, 400, LinKind::Get { value: Some(9) }),
            op(3, 3, 60, 300, LinKind::Get { value: Some(7) }),
            op(1, 4, 500, 600, LinKind::Put { value: 9 }),
            op(1, 5, 700, 800, LinKind::Put { value: 7 }),
        ];
        let w = witness(&ops);
        assert_eq!((w.blocked.op, w.state), (3, Some(5)));
        assert_eq!(
            w.cannot_follow.iter().map(|o| o.op).collect::<Vec<_>>(),
            [2]
        );
        let text = w.explain(1).to_string();
        assert!(
            text.contains("By then the key held 5: client 1 wrote 5 (op 1"),
            "{text}"
        );
        assert!(
            text.contains(
                "one other operation could come next and is impossible too: client 2 read 9 (op 2)"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_read_of_a_value_nobody_wrote_says_so() {
        let ops = [op(2, 1, 0, 10, LinKind::Get { value: Some(3) })];
        let w = witness(&ops);
        assert!(w.prefix.is_empty());
        let text = w.explain(2).to_string();
        assert!(
            text.starts_with("On key 2, client 2 read 3 (op 1"),
            "{text}"
        );
        assert!(
            text.contains("no operation that may have taken effect wrote that value"),
            "{text}"
        );
    }
}
