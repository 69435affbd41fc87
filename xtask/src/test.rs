//! `cargo xtask test`: every check the project has, cheapest first.

use std::path::Path;

use crate::step::{run_all, strings, Failure, Step};
use crate::{site, usage_error, wasm};

/// One seed sweep: protocol, nodes, seed range, fault level and extra `quorum sweep` options.
type Sweep = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// The seed sweeps. Add a line to sweep another protocol; `--seeds A..B` on the command line
/// replaces every line's seed range. Each runs 20 s of simulated time with 3 clients.
const SWEEPS: &[Sweep] = &[
    ("raft", "5", "1..1001", "chaos", &[]),
    ("raft", "3", "1..301", "partition", &[]),
    ("raft", "7", "1..301", "crash", &[]),
    (
        "raft",
        "5",
        "1..201",
        "chaos",
        &[
            "--option",
            "prevote=on",
            "--option",
            "check-quorum=on",
            "--option",
            "conflict-hint=on",
        ],
    ),
    (
        "raft",
        "5",
        "1..301",
        "chaos",
        &["--option", "snapshot-interval=16"],
    ),
    ("paxos", "5", "1..301", "chaos", &[]),
    ("multi-paxos", "5", "1..501", "chaos", &[]),
    ("2pc", "4", "1..501", "chaos", &[]),
    ("primary-backup", "5", "1..501", "chaos", &[]),
    ("recovery-block", "2", "1..501", "chaos", &[]),
    ("recovery-block", "5", "1..201", "partition", &[]),
];

/// The `quorum sweep` arguments of one sweep.
fn sweep_args(&(protocol, nodes, seeds, faults, extra): &Sweep) -> Vec<&'static str> {
    let mut args = vec![
        "--protocol",
        protocol,
        "--nodes",
        nodes,
        "--seeds",
        seeds,
        "--faults",
        faults,
        "--duration-ms",
        "20000",
        "--clients",
        "3",
    ];
    args.extend_from_slice(extra);
    args
}

/// What `cargo xtask test` was asked to leave out or change.
#[derive(Debug, Default, PartialEq)]
struct Options {
    skip_wasm: bool,
    skip_e2e: bool,
    skip_sweep: bool,
    seeds: Option<String>,
}

/// Runs every test step in order, stopping at the first that fails.
pub fn run(root: &Path, args: &[String]) -> Result<(), Failure> {
    let options = parse(args)?;
    run_all(root, "test", &steps(&options))
}

/// Reads `--skip-wasm`, `--skip-e2e`, `--skip-sweep` and `--seeds A..B` (or `--seeds=A..B`).
fn parse(args: &[String]) -> Result<Options, Failure> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--skip-wasm" => options.skip_wasm = true,
            "--skip-e2e" => options.skip_e2e = true,
            "--skip-sweep" => options.skip_sweep = true,
            "--seeds" => options.seeds = Some(seed_range(args.next())?),
            other => match other.strip_prefix("--seeds=") {
                Some(range) => options.seeds = Some(seed_range(Some(&range.to_string()))?),
                None => return Err(usage_error(&format!("unknown option `{other}` for test"))),
            },
        }
    }
    Ok(options)
}

/// Checks that a `--seeds` value has the form `A..B` with integers `A <= B`.
fn seed_range(value: Option<&String>) -> Result<String, Failure> {
    let value = value.ok_or_else(|| usage_error("`--seeds` needs a range such as 1..300"))?;
    let bounds = value
        .split_once("..")
        .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)));
    match bounds {
        Some((first, last)) if first <= last => Ok(value.clone()),
        _ => Err(usage_error(&format!(
            "`--seeds {value}` is not a range A..B of seeds with A <= B (e.g. 1..300)"
        ))),
    }
}

/// The steps to run, in order, given the options.
fn steps(options: &Options) -> Vec<Step> {
    let mut steps = vec![
        Step::cargo("format check", &["fmt", "--all", "--", "--check"]),
        Step::cargo(
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        Step::cargo("native tests", &["test", "--workspace"]),
    ];
    if !options.skip_wasm {
        steps.push(wasm_step());
    }
    if !options.skip_e2e {
        steps.extend([site::build_step(), site::size_step(), site::e2e_step(&[])]);
    }
    if !options.skip_sweep {
        let seeds = options.seeds.as_deref();
        steps.extend(
            SWEEPS
                .iter()
                .map(|sweep| sweep_step(&sweep_args(sweep), seeds)),
        );
    }
    steps
}

/// The wasm determinism tests under Node, after checking their tools are installed.
fn wasm_step() -> Step {
    let args = [
        "test",
        "-p",
        "quorum-engine",
        "--target",
        wasm::TARGET,
        "--test",
        "wasm",
    ];
    Step::cargo("wasm determinism tests", &args).with_precheck(wasm::check_tools)
}

/// One `quorum sweep` in release, its seed range replaced by `seeds` when given.
fn sweep_step(sweep: &[&str], seeds: Option<&str>) -> Step {
    let mut sweep_args = strings(sweep);
    if let (Some(range), Some(at)) = (seeds, sweep.iter().position(|&a| a == "--seeds")) {
        if let Some(value) = sweep_args.get_mut(at + 1) {
            *value = range.to_string();
        }
    }
    let name = format!(
        "{} seed sweep ({})",
        flag_value(sweep, "--faults").unwrap_or("fault-free"),
        flag_value(sweep, "--protocol").unwrap_or("default protocol"),
    );
    let cli = ["run", "--release", "-p", "quorum-cli", "--", "sweep"];
    Step::cargo(&name, &cli).with_args(&sweep_args)
}

/// The value following `flag` in `args`, if any.
fn flag_value<'a>(args: &[&'a str], flag: &str) -> Option<&'a str> {
    let at = args.iter().position(|&arg| arg == flag)?;
    args.get(at + 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Options, Failure> {
        parse(&strings(args))
    }

    #[test]
    fn no_options_run_everything() {
        let steps = steps(&parsed(&[]).unwrap());
        let names: Vec<_> = steps.iter().map(Step::name).collect();
        assert_eq!(
            names[..8],
            [
                "format check",
                "clippy",
                "native tests",
                "wasm determinism tests",
                "site build (trunk, release)",
                "bundle size",
                "browser tests (Playwright, Chromium)",
                "chaos seed sweep (raft)"
            ]
        );
        assert_eq!(names.len(), 7 + SWEEPS.len());
    }

    #[test]
    fn the_browser_tests_run_playwright_on_a_free_port() {
        let steps = steps(&parsed(&["--skip-wasm", "--skip-sweep"]).unwrap());
        assert_eq!(
            steps[3].command_line(),
            "cargo xtask dist",
            "every page of the site, built by Trunk"
        );
        assert_eq!(steps[4].command_line(), "cargo xtask size");
        assert_eq!(
            steps[5].command_line(),
            "cd tests/e2e && QUORUM_E2E_PORT=8123 npx --no playwright test"
        );
    }

    #[test]
    fn the_default_sweep_is_the_documented_command() {
        let steps = steps(&parsed(&["--skip-wasm", "--skip-e2e"]).unwrap());
        assert_eq!(
            steps[3].command_line(),
            "cargo run --release -p quorum-cli -- sweep --protocol raft --nodes 5 \
             --seeds 1..1001 --faults chaos --duration-ms 20000 --clients 3"
        );
    }

    #[test]
    fn seeds_override_the_sweep_range() {
        for args in [&["--seeds", "5..9"][..], &["--seeds=5..9"]] {
            let steps = steps(&parsed(args).unwrap());
            assert!(steps
                .last()
                .unwrap()
                .command_line()
                .contains(" --seeds 5..9 "));
        }
    }

    #[test]
    fn skips_leave_out_their_steps() {
        let options = parsed(&["--skip-sweep", "--skip-wasm", "--skip-e2e"]).unwrap();
        assert_eq!(steps(&options).len(), 3);
        let options = parsed(&["--skip-sweep", "--skip-wasm"]).unwrap();
        assert_eq!(steps(&options).len(), 6);
    }

    #[test]
    fn bad_options_are_usage_errors() {
        for args in [
            &["--nope"][..],
            &["--seeds"],
            &["--seeds", "9..1"],
            &["--seeds", "1-300"],
        ] {
            assert_eq!(parsed(args).unwrap_err().code, 2, "{args:?}");
        }
    }
}
