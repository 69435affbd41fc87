//! The recovery block's contents: two try blocks for one key-value operation, the software fault
//! of the primary routine, and the acceptance test. Pure functions, no node state.

use crate::model::event::Block;
use crate::model::hash::StableHasher;
use crate::model::kv::{Cmd, KvOp, KvResult, KvStore};
use crate::model::types::Key;

/// The key the faulty primary routine works on instead of `key`: its neighbour (1 and 2, 3 and 4,
/// ...), an off-by-one in the routine's key indexing.
pub fn neighbour(key: Key) -> Key {
    (key.wrapping_sub(1) ^ 1).wrapping_add(1)
}

/// Whether the primary routine's software fault strikes on this input: about one input in
/// `one_in`, decided by a stable hash of the client, the operation id and the operation, so the
/// same input fails the same way on every node and in every run.
pub fn is_faulty(cmd: &Cmd, one_in: u64) -> bool {
    let mut h = StableHasher::new();
    std::hash::Hash::hash(cmd, &mut h);
    one_in > 0 && std::hash::Hasher::finish(&h).is_multiple_of(one_in)
}

/// The same operation on another key.
fn on_key(op: &KvOp, key: Key) -> KvOp {
    match op {
        KvOp::Put { value, .. } => KvOp::Put { key, value: *value },
        KvOp::Get { .. } => KvOp::Get { key },
        KvOp::Cas { from, to, .. } => KvOp::Cas {
            key,
            from: *from,
            to: *to,
        },
    }
}

/// Runs one try block on `work`. The alternate is always correct; the primary routine, when its
/// fault strikes (`faulty`), performs the operation on the neighbouring key.
pub fn run_block(block: Block, faulty: bool, work: &mut KvStore, op: &KvOp) -> KvResult {
    match (block, faulty) {
        (Block::Primary, true) => work.execute(&on_key(op, neighbour(op.key()))),
        _ => work.execute(op),
    }
}

/// The acceptance test: the operation's postcondition on its own key, judged against the
/// recovery point `before`. A `put` must leave its value; a `get` must return what the key held
/// and leave it; a `cas` must write its new value if the key held the expected one, and otherwise
/// fail and leave the key alone. It does not look at other keys: like any acceptance test it is a
/// cheap check of the output, not a second computation.
pub fn acceptance_test(before: &KvStore, after: &KvStore, op: &KvOp, result: &KvResult) -> bool {
    let (old, new) = (before.get(op.key()), after.get(op.key()));
    match op {
        KvOp::Put { value, .. } => new == Some(*value) && *result == KvResult::Ok(None),
        KvOp::Get { .. } => new == old && *result == KvResult::Ok(old),
        KvOp::Cas { from, to, .. } if old == *from => {
            new == Some(*to) && *result == KvResult::Ok(None)
        }
        KvOp::Cas { .. } => new == old && *result == KvResult::CasFailed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(pairs: &[(Key, u64)]) -> KvStore {
        let mut s = KvStore::default();
        for (k, v) in pairs {
            s.execute(&KvOp::Put { key: *k, value: *v });
        }
        s
    }

    #[test]
    fn neighbours_pair_up_keys() {
        assert_eq!(
            [1, 2, 3, 4].map(neighbour),
            [2, 1, 4, 3],
            "1 and 2, 3 and 4"
        );
    }

    #[test]
    fn the_faulty_primary_routine_fails_the_test_and_the_alternate_passes() {
        let before = store(&[(1, 10), (2, 20)]);
        let put = KvOp::Put { key: 1, value: 11 };
        let mut work = before.clone();
        let r = run_block(Block::Primary, true, &mut work, &put);
        assert!(!acceptance_test(&before, &work, &put, &r));
        assert_eq!(work.get(2), Some(11), "it wrote the neighbour");
        let mut work = before.clone();
        let r = run_block(Block::Alternate, true, &mut work, &put);
        assert!(acceptance_test(&before, &work, &put, &r));
        let get = KvOp::Get { key: 2 };
        let mut work = before.clone();
        let r = run_block(Block::Primary, true, &mut work, &get);
        assert_eq!(r, KvResult::Ok(Some(10)));
        assert!(!acceptance_test(&before, &work, &get, &r));
    }

    #[test]
    fn without_rollback_the_alternate_passes_on_a_corrupted_state() {
        let before = store(&[(1, 10), (2, 20)]);
        let put = KvOp::Put { key: 1, value: 11 };
        let mut work = before.clone();
        run_block(Block::Primary, true, &mut work, &put);
        let r = run_block(Block::Alternate, true, &mut work, &put);
        assert!(acceptance_test(&before, &work, &put, &r));
        assert_eq!(work.get(2), Some(11), "the corruption survives");
    }

    #[test]
    fn a_cas_passes_only_with_the_outcome_its_expected_value_implies() {
        let before = store(&[(3, 5)]);
        let hit = KvOp::Cas {
            key: 3,
            from: Some(5),
            to: 6,
        };
        let mut work = before.clone();
        let r = run_block(Block::Alternate, false, &mut work, &hit);
        assert!(acceptance_test(&before, &work, &hit, &r));
        assert!(!acceptance_test(
            &before,
            &before,
            &hit,
            &KvResult::CasFailed
        ));
        let miss = KvOp::Cas {
            key: 3,
            from: None,
            to: 6,
        };
        assert!(acceptance_test(
            &before,
            &before,
            &miss,
            &KvResult::CasFailed
        ));
    }

    #[test]
    fn about_one_input_in_four_is_faulty() {
        let faulty = (1..=400)
            .filter(|op| {
                let cmd = Cmd {
                    client: 1,
                    op: *op,
                    kv: KvOp::Get { key: 1 },
                };
                is_faulty(&cmd, 4)
            })
            .count();
        assert!((60..=140).contains(&faulty), "{faulty} of 400");
    }
}
