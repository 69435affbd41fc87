//! The determinism probe on wasm32 (run under Node by wasm-bindgen-test-runner): its digests must
//! equal the native ones pinned in `tests/golden/determinism.txt`.
#![cfg(target_arch = "wasm32")]

use quorum_engine::run::runner::determinism_probe;
use wasm_bindgen_test::wasm_bindgen_test;

const GOLDEN: &str = include_str!("golden/determinism.txt");

#[wasm_bindgen_test]
fn wasm_runs_are_byte_identical_to_native_runs() {
    assert_eq!(determinism_probe(), GOLDEN);
}
