use quorum_engine::faults::FaultLevel;
use quorum_engine::runner::{run, RunSpec};

#[test]
fn smoke() {
    for faults in [
        FaultLevel::None,
        FaultLevel::Crash,
        FaultLevel::Partition,
        FaultLevel::Chaos,
    ] {
        for seed in 1..40 {
            let spec = RunSpec {
                seed,
                faults,
                duration: 20_000_000,
                ..RunSpec::default()
            };
            let r = run(&spec).unwrap();
            println!("{faults} {}", r.summary());
        }
    }
}
