use quorum_engine::faults::FaultLevel;
use quorum_engine::protocol::ProtocolOptions;
use quorum_engine::runner::{run, RunSpec};

#[test]
fn dbg() {
    for bug in ["vote-without-log-check", "commit-previous-term", "forget-vote", "keep-stale-suffix"] {
        for faults in [FaultLevel::Crash, FaultLevel::Partition, FaultLevel::Chaos] {
            let mut caught = vec![];
            for seed in 1..100 {
                let options = ProtocolOptions { bugs: vec![bug.into()], ..Default::default() };
                let spec = RunSpec { seed, faults, options, duration: 20_000_000, ..RunSpec::default() };
                let r = run(&spec).unwrap();
                if let Some(v) = r.violations.first() { caught.push((seed, v.invariant.to_string())); }
            }
            println!("{bug} {faults}: {} caught; first {:?}", caught.len(), caught.iter().take(4).collect::<Vec<_>>());
        }
    }
}
