//! Fuzzing the parsers of everything a user can hand the simulator: share links (single and
//! compare), scenario scripts and traces. Each target must never panic and must answer bad input
//! with a clear message (a non-empty error), and what it accepts must run.
//!
//! A small mutational fuzzer, deterministic from its seed: it starts from a corpus of valid inputs
//! (the built-in scenarios' links, the scenario scripts of `scenarios/`, the files of
//! `tests/fuzz/`), and mutates them (characters flipped, inserted, deleted, spans repeated or
//! spliced from another input, numbers swapped for boundary values). cargo-fuzz needs a nightly
//! toolchain and libFuzzer, which a fresh CI machine does not have; this runs on stable.
//!
//! `cargo test` runs a short round of each target (`FUZZ_ITERS`, default 1500 inputs per target,
//! a few seconds); run longer on demand:
//! `FUZZ_ITERS=200000 FUZZ_SEED=7 cargo test --release -p quorum-engine --test fuzz -- --nocapture`.
//! An input that panics is printed and written to `target/fuzz-failure-TARGET.txt`; add it to
//! `tests/fuzz/` once fixed, so it stays in the corpus. With `FUZZ_TRACK=1` every input is written
//! there before it runs, so an abort (out of memory) leaves the culprit behind.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use quorum_engine::lab::catalog::SCENARIOS;
use quorum_engine::lab::compare::{is_compare_link, Comparison};
use quorum_engine::lab::new_lab;
use quorum_engine::model::rng::Rng;
use quorum_engine::model::trace::parse_trace;
use quorum_engine::model::types::MS;
use quorum_engine::run::{link, runner, scenario, shiviz};

/// Boundary values a mutation may put in place of a number.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "9",
    "10",
    "255",
    "4294967296",
    "9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999",
    "-1",
    "1e9",
    "",
];

/// Characters that mean something to one of the parsers.
const SPECIAL: &[u8] = b"&=~._-,: \n\t{}[]\"!#?|@0123456789xcrtphqdDULNsv";

/// The longest simulated time a fuzzed input may ask to run: longer ones are only parsed, so a
/// round stays a few seconds.
const RUN_LIMIT: u64 = 3_000 * MS;

fn iterations() -> u64 {
    std::env::var("FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500)
}

fn seed() -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

fn corpus_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz")
}

/// The files of `tests/fuzz/` whose names start with `prefix`.
fn corpus_files(prefix: &str) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .expect("tests/fuzz")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// One mutation of `input`, sometimes spliced with `other`.
fn mutate(rng: &mut Rng, input: &str, other: &str) -> String {
    let mut bytes = input.as_bytes().to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = bytes.len() as u64;
        let at = if len == 0 { 0 } else { rng.below(len) as usize };
        match rng.below(8) {
            0 if len > 0 => bytes[at] = SPECIAL[rng.below(SPECIAL.len() as u64) as usize],
            1 => bytes.insert(at, SPECIAL[rng.below(SPECIAL.len() as u64) as usize]),
            2 if len > 0 => {
                let end = (at + 1 + rng.below(12) as usize).min(bytes.len());
                bytes.drain(at..end);
            }
            3 if len > 0 => {
                let end = (at + 1 + rng.below(40) as usize).min(bytes.len());
                let span = bytes[at..end].to_vec();
                bytes.splice(at..at, span);
            }
            4 if !other.is_empty() => {
                let o = other.as_bytes();
                let from = rng.below(o.len() as u64) as usize;
                let end = (from + 1 + rng.below(60) as usize).min(o.len());
                bytes.splice(at..at, o[from..end].iter().copied());
            }
            5 => replace_number(rng, &mut bytes),
            6 => bytes.truncate(at),
            _ => replace_number(rng, &mut bytes),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Replaces one run of digits with a boundary value.
fn replace_number(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let runs: Vec<(usize, usize)> = digit_runs(bytes);
    if runs.is_empty() {
        return;
    }
    let (start, end) = runs[rng.below(runs.len() as u64) as usize];
    let n = NUMBERS[rng.below(NUMBERS.len() as u64) as usize];
    bytes.splice(start..end, n.bytes());
}

fn digit_runs(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// Runs `target` on `iterations()` mutants of the corpus; fails on the first panic, printing
/// and saving the input.
fn fuzz(name: &str, corpus: &[String], target: impl Fn(&str)) {
    assert!(!corpus.is_empty(), "{name}: empty corpus");
    for input in corpus {
        check_one(name, input, &target);
    }
    let mut rng = Rng::new(seed() ^ name.len() as u64);
    for _ in 0..iterations() {
        let a = &corpus[rng.below(corpus.len() as u64) as usize];
        let b = &corpus[rng.below(corpus.len() as u64) as usize];
        check_one(name, &mutate(&mut rng, a, b), &target);
    }
}

fn check_one(name: &str, input: &str, target: &impl Fn(&str)) {
    if std::env::var_os("FUZZ_TRACK").is_some() {
        // An abort (out of memory) cannot be caught: keep the input about to run.
        let _ = std::fs::write(failure_path(name), input);
    }
    let prior = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| target(input)));
    std::panic::set_hook(prior);
    if let Err(panic) = outcome {
        let why = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let path = failure_path(name);
        let _ = std::fs::write(&path, input);
        panic!(
            "{name} panicked ({why}) on {input:?} (saved to {}; FUZZ_SEED={})",
            path.display(),
            seed()
        );
    }
}

fn failure_path(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/fuzz-failure-{name}.txt"))
}

/// An error must say something.
fn clear(e: &str, input: &str) {
    assert!(!e.trim().is_empty(), "an empty error message for {input:?}");
}

fn link_corpus() -> Vec<String> {
    let mut links: Vec<String> = SCENARIOS
        .iter()
        .filter_map(|s| s.link())
        .map(String::from)
        .collect();
    links.extend(
        corpus_files("link")
            .iter()
            .flat_map(|f| f.lines().map(String::from).collect::<Vec<_>>()),
    );
    links
}

/// A link that decodes must open as a lab and replay to its moment (when the moment is short).
fn open_link(input: &str) {
    match link::decode(input) {
        Err(e) => clear(&e.to_string(), input),
        Ok(state) => {
            if state.t > RUN_LIMIT {
                return;
            }
            let Ok(mut lab) = new_lab(&state.config) else {
                return;
            };
            if lab.load_interventions(state.interventions).is_ok() {
                lab.seek(state.t);
                let _ = lab.frame();
                let _ = lab.invariants();
            }
        }
    }
}

#[test]
fn share_links_never_panic() {
    fuzz("link", &link_corpus(), open_link);
}

/// The moment a compare link asks for, if it can be read.
fn compare_moment(input: &str) -> Option<u64> {
    input
        .split(['&', '?', '#'])
        .find_map(|p| p.strip_prefix("t="))
        .and_then(|t| t.parse().ok())
}

#[test]
fn compare_links_never_panic() {
    let corpus = corpus_files("compare")
        .iter()
        .flat_map(|f| f.lines().map(String::from).collect::<Vec<_>>())
        .collect::<Vec<_>>();
    fuzz("compare", &corpus, |input| {
        if !is_compare_link(input) || compare_moment(input).is_none_or(|t| t > RUN_LIMIT) {
            return;
        }
        match Comparison::from_link(input) {
            Err(e) => clear(&e.to_string(), input),
            Ok(c) => {
                let _ = c.link();
                let _ = c.divergence();
            }
        }
    });
}

#[test]
fn scenario_scripts_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut corpus: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "scn"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    corpus.sort();
    corpus.extend(corpus_files("scenario"));
    fuzz("scenario", &corpus, |input| {
        if let Err(e) = scenario::parse_script(input) {
            clear(&e.to_string(), input);
        }
    });
}

#[test]
fn traces_never_panic() {
    let mut corpus = corpus_files("trace");
    for protocol in ["raft", "paxos", "2pc"] {
        let spec = runner::RunSpec {
            setup: quorum_engine::run::setup::Setup {
                protocol: protocol.into(),
                nodes: 3,
                clients: 1,
                ..runner::RunSpec::default().setup
            },
            duration: 300 * MS,
            keep_trace: true,
            ..runner::RunSpec::default()
        };
        corpus.push(runner::run(&spec).unwrap().trace.unwrap());
    }
    fuzz("trace", &corpus, |input| match parse_trace(input) {
        Err(e) => clear(&e.to_string(), input),
        Ok(trace) => {
            let _ = runner::trace_metrics(&trace);
            if let Err(e) = runner::check_trace(&trace) {
                clear(&e, input);
            }
            let _ = shiviz::export(&trace.events);
        }
    });
}

#[test]
fn the_mutator_changes_inputs_and_is_deterministic() {
    let mut a = Rng::new(3);
    let mut b = Rng::new(3);
    let inputs = ["v=1&p=raft&n=5&t=0", "nodes 3\nrun 1s\n"];
    let changed = (0..50)
        .filter(|i| {
            let x = mutate(&mut a, inputs[i % 2], inputs[0]);
            assert_eq!(x, mutate(&mut b, inputs[i % 2], inputs[0]));
            x != inputs[i % 2]
        })
        .count();
    assert!(changed > 40, "{changed} of 50 mutants differ");
}
