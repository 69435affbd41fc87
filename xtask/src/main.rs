//! `cargo xtask`: Quorum Lab's own build and test driver.
//!
//! Every command runs its steps from the workspace root, prints a `==> step` header before each
//! step and its wall time after it, and stops at the first failing step with a line naming the
//! step and the exact command that reruns it. Only the standard library is used, so the driver
//! builds even when the rest of the workspace does not.

mod csp;
mod demo;
mod site;
mod step;
mod test;
mod tools;

use std::env;
use std::path::PathBuf;
use std::process::ExitCode;

use step::Failure;

/// The text printed for `help`, for no command at all, and after a usage error.
const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  test [options]    every check the project has, in order: fmt, clippy, native tests,
                    wasm determinism tests (Node), the site build and its size budget,
                    browser tests (Playwright + Chromium), chaos seed sweeps
      --skip-wasm       skip the wasm determinism tests
      --skip-e2e        skip the site build and the browser tests
      --skip-sweep      skip the seed sweeps
      --seeds A..B      sweep seeds A..B instead of each sweep's default range
  dist              build the site into dist/ (trunk build --release, wasm-opt 132), then
                    print every file's raw and gzipped size; fails over 250 KiB gzipped
  serve [--port N]  build the site and serve dist/ on http://127.0.0.1:N/ (default 8080)
  e2e [--no-build] [playwright args]
                    build the site (unless --no-build) and run the browser tests; args go
                    to `playwright test` (e.g. a spec file name, or -g 'leader')
  bench [--browser-only] [args]
                    engine throughput, seek time and memory natively (`quorum bench`, args
                    passed through) and in wasm under Node, then the browser frame-time
                    probe (headless Chromium) and the bundle size
  size              print the bundle size of the dist/ already built; fails over budget
  soak [--seeds A..B]
                    the long seed sweeps on demand: every protocol under chaos faults,
                    2 to 9 nodes, 3 or 10 clients, 200,000 seeds each (about 75 minutes)
  demo [args]       build the CLI in release and run a demo (raft, 5 nodes, seed 42, chaos)
                    that writes target/demo/trace.jsonl; args are passed to `quorum run`
                    and replace the demo's value of any option they repeat
  help              print this text

Each command first installs the tools its steps need when the right version is missing,
printing one line a tool: rustfmt and clippy and the wasm32 target (rustup), wasm-bindgen-cli
0.2.130 and trunk 0.21.14 (cargo install: about 20 minutes on 2 cores, once), npm's wasm-opt
132 in target/tools, Debian's chromium and chromium-driver (apt-get), and the Playwright
package in tests/e2e (npm ci). Install logs go to target/tools/logs/. $CARGO_HOME/bin and
target/tools/node_modules/.bin come first on the PATH of every child process.
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
        "dist" => demo::dist(&root, rest),
        "serve" => demo::serve(&root, rest),
        "e2e" => demo::e2e(&root, rest),
        "bench" => demo::bench(&root, rest),
        "size" => demo::size(&root, rest),
        "demo" => demo::demo(&root, rest),
        "soak" => test::soak(&root, rest),
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
