//! `cargo xtask serve` (a CLI demo until the web app lands) and `cargo xtask bench`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use crate::step::{shell_quote, Failure, Step};

/// The demo's `quorum run` options, as (option, value) pairs.
const DEMO_RUN: &[(&str, &str)] = &[
    ("--protocol", "raft"),
    ("--nodes", "5"),
    ("--seed", "42"),
    ("--duration-ms", "10000"),
    ("--faults", "chaos"),
    ("--clients", "3"),
    ("--trace", "target/demo/trace.jsonl"),
];

/// Builds the CLI in release, runs the demo with `extra` appended, and says where the trace is.
pub fn serve(root: &Path, extra: &[String]) -> Result<(), Failure> {
    let args = demo_args(extra);
    let trace = option_value(&args, "--trace").unwrap_or("target/demo/trace.jsonl");
    Step::cargo(
        "build the CLI (release)",
        &["build", "--release", "-p", "quorum-cli"],
    )
    .run(root)?;
    create_parent(root, trace)?;
    let quorum = quorum_binary(root);
    Step::new("demo run", &quorum.display().to_string(), args.clone()).run(root)?;
    let shown = quorum.strip_prefix(root).unwrap_or(&quorum).display();
    println!("trace written to {}", root.join(trace).display());
    println!(
        "next: quorum check {}   (quorum is {shown})",
        shell_quote(trace)
    );
    Ok(())
}

/// Runs `quorum bench` in release with `extra` passed through.
pub fn bench(root: &Path, extra: &[String]) -> Result<(), Failure> {
    let cli = ["run", "--release", "-p", "quorum-cli", "--", "bench"];
    Step::cargo("native engine bench", &cli)
        .with_args(extra)
        .run(root)?;
    let wasm = [
        "test",
        "--release",
        "-p",
        "quorum-engine",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "wasm_bench",
        "--",
        "--include-ignored",
        "--nocapture",
    ];
    Step::cargo("wasm engine bench (Node)", &wasm)
        .with_precheck(crate::wasm::check_tools)
        .run(root)?;
    Ok(())
}

/// `run` and the demo options, minus any option `extra` gives again, followed by `extra`.
fn demo_args(extra: &[String]) -> Vec<String> {
    let given = |option: &str| {
        extra
            .iter()
            .any(|arg| arg == option || arg.starts_with(&format!("{option}=")))
    };
    let defaults = DEMO_RUN
        .iter()
        .filter(|(option, _)| !given(option))
        .flat_map(|&(option, value)| [option, value]);
    std::iter::once("run")
        .chain(defaults)
        .map(str::to_string)
        .chain(extra.iter().cloned())
        .collect()
}

/// The value of `option` in `args`, given as `option value` or `option=value`; the last wins.
fn option_value<'a>(args: &'a [String], option: &str) -> Option<&'a str> {
    let prefix = format!("{option}=");
    let mut found = None;
    for (at, arg) in args.iter().enumerate() {
        if arg == option {
            found = args.get(at + 1).map(String::as_str);
        } else if let Some(value) = arg.strip_prefix(&prefix) {
            found = Some(value);
        }
    }
    found
}

/// Creates the directory the trace goes into (`target/demo` for the demo).
fn create_parent(root: &Path, trace: &str) -> Result<(), Failure> {
    let Some(dir) = root.join(trace).parent().map(Path::to_path_buf) else {
        return Ok(());
    };
    fs::create_dir_all(&dir).map_err(|err| Failure {
        message: format!("error: could not create {}: {err}", dir.display()),
        code: 1,
    })
}

/// Where `cargo build --release` puts `quorum`, honouring `CARGO_TARGET_DIR`.
fn quorum_binary(root: &Path) -> PathBuf {
    let target_dir = env::var_os("CARGO_TARGET_DIR")
        .or_else(|| env::var_os("CARGO_BUILD_TARGET_DIR"))
        .map_or_else(|| root.join("target"), |dir| root.join(dir));
    target_dir
        .join("release")
        .join(format!("quorum{}", env::consts::EXE_SUFFIX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::step::strings;

    #[test]
    fn the_demo_runs_the_documented_command() {
        assert_eq!(
            demo_args(&[]).join(" "),
            "run --protocol raft --nodes 5 --seed 42 --duration-ms 10000 --faults chaos \
             --clients 3 --trace target/demo/trace.jsonl"
        );
    }

    #[test]
    fn extra_arguments_are_appended_and_replace_repeated_options() {
        let args = demo_args(&strings(&[
            "--seed",
            "7",
            "--bug=stale-vote",
            "--faults=none",
        ]));
        assert_eq!(
            args.join(" "),
            "run --protocol raft --nodes 5 --duration-ms 10000 --clients 3 \
             --trace target/demo/trace.jsonl --seed 7 --bug=stale-vote --faults=none"
        );
    }

    #[test]
    fn the_trace_path_follows_a_given_trace_option() {
        let args = demo_args(&strings(&["--trace=out/t.jsonl"]));
        assert_eq!(option_value(&args, "--trace"), Some("out/t.jsonl"));
        assert_eq!(
            option_value(&demo_args(&[]), "--trace"),
            Some("target/demo/trace.jsonl")
        );
    }
}
