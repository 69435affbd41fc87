//! Same seed and interventions, same run: natively here, and on wasm32 in `tests/wasm.rs`, both
//! against the digests pinned in `tests/golden/determinism.txt`. If a deliberate change alters
//! behaviour, regenerate with `UPDATE_GOLDEN=1 cargo test -p quorum-engine --test determinism`.

use quorum_engine::model::types::SEC;
use quorum_engine::protocols::raft::Raft;
use quorum_engine::run::runner::{build_sim, determinism_probe, run, RunSpec};
use quorum_engine::run::setup::Setup;
use quorum_engine::sim::faults::FaultLevel;
use quorum_engine::sim::timeline::{HistoryConfig, Sim};
use quorum_engine::Action;

const GOLDEN: &str = include_str!("golden/determinism.txt");

fn probe_text() -> String {
    determinism_probe()
}

#[test]
fn the_probe_matches_the_pinned_digests_that_wasm_also_checks() {
    let got = probe_text();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/determinism.txt");
        std::fs::write(path, &got).unwrap();
        return;
    }
    assert_eq!(got, GOLDEN, "native run differs from the pinned digests");
}

#[test]
fn the_same_seed_gives_a_byte_identical_trace() {
    let spec = RunSpec {
        setup: Setup {
            seed: 11,
            ..RunSpec::default().setup
        },
        faults: FaultLevel::Chaos,
        keep_trace: true,
        ..RunSpec::default()
    };
    let a = run(&spec).unwrap();
    let b = run(&spec).unwrap();
    assert_eq!(a.trace, b.trace);
    assert!(a.trace.as_ref().unwrap().lines().count() > 1000);
    let c = run(&RunSpec {
        setup: Setup {
            seed: 12,
            ..spec.setup.clone()
        },
        ..spec
    })
    .unwrap();
    assert_ne!(a.trace, c.trace, "different seeds must give different runs");
}

#[test]
fn replaying_interventions_from_scratch_reproduces_the_world() {
    let spec = RunSpec {
        setup: Setup {
            seed: 3,
            clients: 2,
            ..RunSpec::default().setup
        },
        ..RunSpec::default()
    };
    let mut live: Sim<Raft> = build_sim(&spec, HistoryConfig::default()).unwrap();
    live.run_until(SEC);
    live.intervene(Action::Crash(2));
    live.run_until(1_700_000);
    live.intervene(Action::Timeout(4));
    live.run_until(3 * SEC);
    let mut replay: Sim<Raft> = build_sim(&spec, HistoryConfig::default()).unwrap();
    for iv in live.interventions().to_vec() {
        replay.run_until(iv.at);
        replay.intervene(iv.action);
    }
    replay.run_until(3 * SEC);
    assert_eq!(live.digest(), replay.digest());
    assert_eq!(live.trace(), replay.trace());
}
