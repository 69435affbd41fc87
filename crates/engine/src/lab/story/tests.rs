//! The stories of the menu's scenarios, replayed in a lab.

use crate::lab::{new_lab, Lab};

/// The lab of a menu scenario, at the end of its recording.
fn scenario_lab(name: &str) -> Lab {
    let built_in = crate::lab::catalog::find(name).expect("a menu scenario");
    let state = crate::run::link::decode(built_in.link().expect("a recording")).unwrap();
    let mut lab = new_lab(&state.config).unwrap();
    lab.load_interventions(state.interventions).unwrap();
    lab.seek(state.t);
    lab
}

fn rows(name: &str) -> Vec<Vec<String>> {
    let rows = scenario_lab(name).story().expect("a story").rows;
    rows.iter()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect()
}

#[test]
fn failover_shows_detection_promotion_and_catch_up() {
    let rows = rows("pb_primary_fails_backup_takes_over");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "1");
    assert_eq!(rows[0][2], "—", "the first epoch replaces nobody: {rows:?}");
    let second = &rows[1];
    assert_eq!(second[0], "2");
    assert!(second[2].starts_with("n1 crashed at"), "{second:?}");
    for cell in &second[3..] {
        assert!(cell.ends_with("ms"), "a duration: {second:?}");
    }
}

#[test]
fn a_blocked_participant_is_shown_in_doubt_until_the_coordinator_returns() {
    let lab = scenario_lab("twopc_coordinator_crash_blocks");
    let story = lab.story().unwrap();
    let t1: Vec<String> = story.rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(t1[0], "t1");
    assert_eq!(t1[1], "n2 yes, n3 yes");
    assert!(
        t1[2].starts_with("commit") || t1[2].starts_with("abort"),
        "{t1:?}"
    );
    // At the end the coordinator is back and both know the outcome: no one is blocked now.
    assert!(!t1[3].contains("BLOCKED"), "{t1:?}");

    let mut early = scenario_lab("twopc_coordinator_crash_blocks");
    early.seek(500 * crate::model::types::MS); // after 420ms they call themselves blocked
    let now = early.story().unwrap();
    assert_eq!(now.rows[0][2].to_string(), "none yet", "{:?}", now.rows);
    assert!(
        now.rows[0][3].to_string().contains("BLOCKED"),
        "{:?}",
        now.rows
    );
}

#[test]
fn the_alternate_saving_the_day_shows_the_failed_test_rollback_and_swap() {
    let rows = rows("rb_alternate_saves_the_day");
    let first = &rows[0];
    assert_eq!(first[0], "i1");
    assert!(
        first[1].contains("n1: primary \u{2717} \u{2192} rollback"),
        "{first:?}"
    );
    assert!(first[1].contains("n2: alternate \u{2713}"), "{first:?}");
    assert!(
        first[2].starts_with("n2, alternate result, epoch 2"),
        "{first:?}"
    );
    assert!(first[2].contains("took over from n1"), "{first:?}");
}

#[test]
fn checkpoints_and_recoveries_are_counted_per_node() {
    let rows = rows("raft_snapshot_restart_recovers");
    assert!(
        rows.iter().any(|r| r[1] != "0"),
        "someone took a snapshot: {rows:?}"
    );
    assert!(
        rows.iter().any(|r| r[5].starts_with("from snapshot")),
        "a restart recovered from one: {rows:?}"
    );
}

#[test]
fn protocols_without_a_story_have_none() {
    assert!(scenario_lab("paxos_single_proposer").story().is_none());
}

#[test]
fn smaller_snapshot_intervals_write_more_and_replay_less() {
    let config = crate::run::setup::Setup {
        clients: 3,
        ..crate::run::setup::Setup::default()
    };
    let rows = super::snapshot_tradeoff(&config, 20 * crate::model::types::SEC).unwrap();
    assert_eq!(rows.len(), super::TRADEOFF_INTERVALS.len());
    let (small, off) = (&rows[0], rows.last().unwrap());
    assert_eq!((small.interval, off.interval), (8, 0));
    assert!(small.taken > 0 && small.bytes > 0, "{small:?}");
    assert_eq!((off.taken, off.bytes), (0, 0), "{off:?}");
    assert!(small.taken >= rows[3].taken, "{rows:?}");
    let per = |f: &crate::run::runner::SnapshotFigures| f.replayed * 1000 / f.recoveries.max(1);
    assert!(off.recoveries > 0, "the chaos plan restarts nodes: {off:?}");
    assert!(per(small) <= per(off), "{rows:?}");
}

#[test]
fn captions_say_what_a_node_is_doing() {
    let mut lab = scenario_lab("twopc_coordinator_crash_blocks");
    lab.seek(500 * crate::model::types::MS);
    let captions: Vec<Option<String>> = lab
        .frame()
        .nodes
        .iter()
        .map(|n| n.detail.as_ref().and_then(|d| d.caption.clone()))
        .collect();
    assert_eq!(captions[1].as_deref(), Some("in doubt: t1"), "{captions:?}");
    assert_eq!(captions[2].as_deref(), Some("in doubt: t1"), "{captions:?}");
    assert_eq!(captions[3], None, "n4 takes no part in t1");

    let mut rb = scenario_lab("rb_alternate_saves_the_day");
    rb.seek(8 * crate::model::types::MS); // node 1 is running its primary routine on input 1
    let n1 = rb.frame().nodes[0].detail.clone().unwrap();
    assert_eq!(n1.caption.as_deref(), Some("i1: trying primary"));
}
