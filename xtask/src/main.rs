//! `cargo xtask`: Quorum Lab's own build and test driver.
//!
//! Every command runs its steps from the workspace root, prints a `==> step` header before each
//! step and its wall time after it, and stops at the first failing step with a line naming the
//! step and the exact command that reruns it. Only the standard library is used, so the driver
//! builds even when the rest of the workspace does not.

mod demo;
mod step;
mod test;
mod wasm;

use std::env;
use std::path::PathBuf;
use std::process::ExitCode;

use step::Failure;

/// The text printed for `help`, for no command at all, and after a usage error.
const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  test [options]    every check the project has, in order: fmt, clippy, native tests,
                    wasm determinism tests (Node), chaos seed sweeps
      --skip-wasm       skip the wasm determinism tests
      --skip-sweep      skip the seed sweeps
      --seeds A..B      sweep seeds A..B instead of each sweep's default range
  serve [args]      build the CLI in release and run a demo (raft, 5 nodes, seed 42, chaos)
                    that writes target/demo/trace.jsonl; args are passed to `quorum run`
                    and replace the demo's value of any option they repeat
  bench [args]      run `quorum bench` in release; args are passed through (e.g. --json)
  help              print this text

When the web app lands, `serve` will serve it and `dist` will build the site.
Set CARGO_BUILD_JOBS=1 to keep every cargo step on one core.
";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Reads the command line and runs the command it names.
fn run() -> Result<(), Failure> {
    let args = command_line()?;
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(());
    };
    let root = workspace_root();
    match command.as_str() {
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        "test" => test::run(&root, rest),
        "serve" => demo::serve(&root, rest),
        "bench" => demo::bench(&root, rest),
        other => Err(usage_error(&format!("unknown command `{other}`"))),
    }
}

/// The arguments after `cargo xtask`, refusing any that are not valid UTF-8.
fn command_line() -> Result<Vec<String>, Failure> {
    env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string()
                .map_err(|bad| usage_error(&format!("argument {bad:?} is not valid UTF-8")))
        })
        .collect()
}

/// The workspace root: the parent of this package's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// A bad command line: the reason, then the usage text, with exit status 2.
pub fn usage_error(reason: &str) -> Failure {
    Failure {
        message: format!("error: {reason}\n\n{USAGE}"),
        code: 2,
    }
}
