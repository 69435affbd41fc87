//! The throughput benchmark compiled to wasm32 and run under Node (`cargo xtask bench`). Ignored
//! in normal test runs; it prints figures, it does not judge them.
#![cfg(target_arch = "wasm32")]

use quorum_engine::model::types::SEC;
use quorum_engine::run::runner::bench_sim;
use quorum_engine::sim::faults::FaultLevel;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn throughput(nodes: u32, faults: FaultLevel) -> f64 {
    let mut sim = bench_sim::<quorum_engine::protocols::raft::Raft>(nodes, faults);
    let start = now_ms();
    let mut t = 0;
    while now_ms() - start < 1_000.0 {
        t += 10 * SEC;
        sim.run_until(t);
    }
    sim.world().counters().delivered as f64 / ((now_ms() - start) / 1e3)
}

#[wasm_bindgen_test]
#[ignore]
fn wasm_throughput() {
    for (name, nodes, faults) in [
        ("raft5_msgs_per_s", 5, FaultLevel::None),
        ("raft9_msgs_per_s", 9, FaultLevel::None),
        ("raft5_chaos_msgs_per_s", 5, FaultLevel::Chaos),
    ] {
        let best = (0..3)
            .map(|_| throughput(nodes, faults))
            .fold(0.0, f64::max);
        console_log!("wasm {name} {best:.0}");
        assert!(best > 0.0);
    }
}
