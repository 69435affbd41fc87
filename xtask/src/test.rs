//! `cargo xtask test`: every check the project has, cheapest first.

use std::path::Path;

use crate::step::{run_all, strings, Failure, Step};
use crate::{site, tools, usage_error};

/// One seed sweep of `quorum sweep`. `nodes` and `clients` are a number, a list `3,10` or a
/// range `2..=9`: the sweep draws each seed's node and client counts from them, so a short
/// sweep still covers every cluster size and both a light and a heavy client load.
pub struct Sweep {
    /// Protocol name.
    pub protocol: &'static str,
    /// Node counts.
    pub nodes: &'static str,
    /// Client counts.
    pub clients: &'static str,
    /// Seed range `A..B`.
    pub seeds: &'static str,
    /// Fault level.
    pub faults: &'static str,
    /// Extra `quorum sweep` options.
    pub extra: &'static [&'static str],
}

const fn sweep(
    protocol: &'static str,
    nodes: &'static str,
    seeds: &'static str,
    faults: &'static str,
    extra: &'static [&'static str],
) -> Sweep {
    Sweep {
        protocol,
        nodes,
        clients: "3,10",
        seeds,
        faults,
        extra,
    }
}

/// The seed sweeps of `cargo xtask test`. Add a line to sweep another protocol; `--seeds A..B`
/// on the command line replaces every line's seed range. Each runs 20 s of simulated time, with
/// 3 or 10 clients and the node count drawn per seed. The `swarm` lines are the planner that finds
/// every planted bug within 20 seeds on average (`quorum bench --bugs`). Together about 4 minutes
/// on one core.
pub const SWEEPS: &[Sweep] = &[
    sweep("raft", "3..=7", "1..1001", "chaos", &[]),
    sweep("raft", "2..=9", "1..301", "partition", &[]),
    sweep("raft", "2..=9", "1..301", "crash", &[]),
    sweep(
        "raft",
        "3..=7",
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
    sweep(
        "raft",
        "3..=7",
        "1..301",
        "chaos",
        &["--option", "snapshot-interval=16"],
    ),
    sweep("paxos", "2..=9", "1..501", "chaos", &[]),
    sweep("multi-paxos", "2..=9", "1..501", "chaos", &[]),
    sweep("2pc", "2..=9", "1..501", "chaos", &[]),
    sweep("primary-backup", "2..=9", "1..501", "chaos", &[]),
    sweep("recovery-block", "2..=5", "1..1001", "chaos", &[]),
    sweep("recovery-block", "2..=5", "1..301", "crash", &[]),
    sweep("recovery-block", "2..=9", "1..201", "partition", &[]),
    sweep("raft", "3..=7", "1..501", "swarm", &[]),
    sweep(
        "raft",
        "3..=7",
        "1..201",
        "swarm",
        &["--option", "noop=off", "--option", "snapshot-interval=8"],
    ),
    sweep("paxos", "2..=9", "1..301", "swarm", &[]),
    sweep("multi-paxos", "2..=9", "1..301", "swarm", &[]),
    sweep("2pc", "2..=9", "1..301", "swarm", &[]),
    sweep("primary-backup", "2..=9", "1..301", "swarm", &[]),
    sweep("recovery-block", "2..=5", "1..501", "swarm", &[]),
];

/// The long sweeps of `cargo xtask soak`: every protocol under chaos, 2 to 9 nodes, 3 or 10
/// clients, 200,000 seeds each (about 100,000 with each client count), and the recovery-block
/// sweeps that found issue 15's lost write. About 75 minutes on one core.
pub const SOAK: &[Sweep] = &[
    sweep("recovery-block", "2", "1..150001", "chaos", &[]),
    sweep("recovery-block", "2", "1..150001", "crash", &[]),
    sweep("recovery-block", "2..=9", "1..200001", "chaos", &[]),
    sweep("primary-backup", "2..=9", "1..200001", "chaos", &[]),
    sweep("2pc", "2..=9", "1..200001", "chaos", &[]),
    sweep("raft", "2..=9", "1..200001", "chaos", &[]),
    sweep("multi-paxos", "2..=9", "1..200001", "chaos", &[]),
    sweep("paxos", "2..=9", "1..200001", "chaos", &[]),
];

/// The `quorum sweep` arguments of one sweep.
fn sweep_args(sweep: &Sweep) -> Vec<&'static str> {
    let mut args = vec![
        "--protocol",
        sweep.protocol,
        "--nodes",
        sweep.nodes,
        "--seeds",
        sweep.seeds,
        "--faults",
        sweep.faults,
        "--duration-ms",
        "20000",
        "--clients",
        sweep.clients,
    ];
    args.extend_from_slice(sweep.extra);
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
        Step::cargo("format check", &["fmt", "--all", "--", "--check"]).with_precheck(tools::LINT),
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
        )
        .with_precheck(tools::LINT),
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
        steps.extend(sweep_steps(SWEEPS, seeds));
        steps.push(bug_hunt_step());
    }
    steps
}

/// The guard on the fault planner: under `swarm`, every planted bug of every protocol is caught
/// within 20 seeds on average (`quorum bench --bugs --max-mean 20`, seeds 1 to 100).
fn bug_hunt_step() -> Step {
    let cli = [
        "run",
        "--release",
        "-p",
        "quorum-cli",
        "--",
        "bench",
        "--bugs",
    ];
    Step::cargo("planted bugs found within 20 seeds (swarm)", &cli).with_args(&strings(&[
        "--seeds",
        "100",
        "--faults",
        "swarm",
        "--max-mean",
        "20",
    ]))
}

/// One step per sweep, each seed range replaced by `seeds` when given.
fn sweep_steps(sweeps: &[Sweep], seeds: Option<&str>) -> Vec<Step> {
    sweeps
        .iter()
        .map(|sweep| sweep_step(&sweep_args(sweep), seeds))
        .collect()
}

/// `cargo xtask soak [--seeds A..B]`: the long sweeps of [`SOAK`], on demand.
pub fn soak(root: &Path, args: &[String]) -> Result<(), Failure> {
    let seeds = match args {
        [] => None,
        [flag, range] if flag == "--seeds" => Some(seed_range(Some(range))?),
        _ => return Err(usage_error("soak takes only `--seeds A..B`")),
    };
    run_all(root, "soak", &sweep_steps(SOAK, seeds.as_deref()))
}

/// The wasm determinism tests under Node, after making sure of their tools.
fn wasm_step() -> Step {
    let args = [
        "test",
        "-p",
        "quorum-engine",
        "--target",
        tools::WASM_TARGET,
        "--test",
        "wasm",
    ];
    Step::cargo("wasm determinism tests", &args).with_precheck(tools::WASM_TESTS)
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

/// The rows of the sweep table in docs/cli.md, one per sweep of [`SWEEPS`].
#[cfg(test)]
fn sweep_table() -> String {
    SWEEPS
        .iter()
        .map(|s| {
            let options: Vec<String> = s
                .extra
                .iter()
                .filter(|a| !a.starts_with("--"))
                .map(|a| format!("`{a}`"))
                .collect();
            format!(
                "| `{}` | {} | {} | `{}` | `{}` | {} |\n",
                s.protocol,
                s.nodes,
                s.clients,
                s.seeds,
                s.faults,
                options.join(", ")
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::Tool;

    #[test]
    fn the_sweep_table_in_the_cli_docs_is_the_list_of_sweeps() {
        let path = crate::workspace_root().join("docs/cli.md");
        let doc = std::fs::read_to_string(&path).unwrap();
        let start = "|---|---|---|---|---|---|\n";
        let at = doc.find("<!-- sweeps: generated").unwrap();
        let from = at + doc[at..].find(start).unwrap() + start.len();
        let to = from + doc[from..].find("<!-- end sweeps -->").unwrap();
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            let text = format!("{}{}{}", &doc[..from], sweep_table(), &doc[to..]);
            std::fs::write(&path, text).unwrap();
            return;
        }
        assert_eq!(
            doc[from..to],
            sweep_table(),
            "docs/cli.md's sweep table is stale: UPDATE_GOLDEN=1 cargo test -p xtask"
        );
    }

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
        assert_eq!(names.len(), 8 + SWEEPS.len());
        assert_eq!(
            steps.last().unwrap().command_line(),
            "cargo run --release -p quorum-cli -- bench --bugs --seeds 100 --faults swarm \
             --max-mean 20",
            "the planner's guard comes last"
        );
    }

    #[test]
    fn the_browser_tests_run_playwright_on_a_free_port() {
        let steps = steps(&parsed(&["--skip-wasm", "--skip-sweep"]).unwrap());
        assert_eq!(
            steps[3].command_line(),
            "cargo xtask dist",
            "the site, built by Trunk"
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
            "cargo run --release -p quorum-cli -- sweep --protocol raft --nodes 3..=7 \
             --seeds 1..1001 --faults chaos --duration-ms 20000 --clients 3,10"
        );
    }

    #[test]
    fn seeds_override_the_sweep_range() {
        for args in [&["--seeds", "5..9"][..], &["--seeds=5..9"]] {
            let steps = steps(&parsed(args).unwrap());
            assert!(steps[steps.len() - 2]
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

    /// The tools the steps of `cargo xtask test ARGS` need.
    fn tools_for(args: &[&str]) -> Vec<Tool> {
        tools::needed(steps(&parsed(args).unwrap()).iter().map(Step::tools))
    }

    #[test]
    fn each_test_run_needs_only_the_tools_of_its_steps() {
        assert_eq!(tools_for(&[]), Tool::ALL, "everything");
        assert_eq!(
            tools_for(&["--skip-e2e", "--skip-wasm"]),
            [Tool::RustComponents]
        );
        assert_eq!(
            tools_for(&["--skip-e2e"]),
            [
                Tool::RustComponents,
                Tool::WasmTarget,
                Tool::Node,
                Tool::WasmBindgen
            ]
        );
        assert!(!tools_for(&["--skip-wasm"]).is_empty());
        assert_eq!(
            tools_for(&["--skip-wasm"]),
            Tool::ALL,
            "the site needs them all"
        );
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
