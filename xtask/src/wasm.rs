//! The tools the wasm determinism tests need, and a check that says how to install them.

use std::path::Path;
use std::process::Command;

/// The compilation target of the wasm tests.
pub const TARGET: &str = "wasm32-unknown-unknown";

/// The wasm-bindgen-cli version the tests need: it must equal the `wasm-bindgen` crate's.
pub const BINDGEN_VERSION: &str = "0.2.130";

/// Checks the wasm target, `wasm-bindgen-test-runner` and Node; `Err` lists what to install.
pub fn check_tools(_root: &Path) -> Result<(), String> {
    let problems: Vec<String> = [target_problem(), runner_problem(), node_problem()]
        .into_iter()
        .flatten()
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the wasm tests need tools this machine lacks:\n{}\n\
         `.ci/run` installs the target and wasm-bindgen-cli when they are missing; \
         `cargo xtask test --skip-wasm` leaves this step out.",
        problems.join("\n")
    ))
}

/// What to do when the wasm target is not installed.
pub fn target_problem() -> Option<String> {
    let Some(installed) = output_of("rustup", &["target", "list", "--installed"]) else {
        return Some(format!(
            "  - `rustup target list --installed` failed; install rustup, then:\n      \
             rustup target add {TARGET}"
        ));
    };
    if installed.lines().any(|line| line.trim() == TARGET) {
        return None;
    }
    Some(format!(
        "  - the {TARGET} target is not installed; install it with:\n      \
         rustup target add {TARGET}"
    ))
}

/// What to do when `wasm-bindgen-test-runner` is missing or is not [`BINDGEN_VERSION`].
fn runner_problem() -> Option<String> {
    let found = output_of("wasm-bindgen-test-runner", &["--version"]);
    let version = found
        .as_deref()
        .and_then(|out| out.split_whitespace().last());
    if version == Some(BINDGEN_VERSION) {
        return None;
    }
    let found = found.map_or("not found on PATH".to_string(), |out| {
        out.trim().to_string()
    });
    Some(format!(
        "  - wasm-bindgen-test-runner {BINDGEN_VERSION} is needed ({found}); install it with:\n      \
         cargo install wasm-bindgen-cli --version {BINDGEN_VERSION}\n    \
         (without --locked, about 5 minutes) and put $HOME/.cargo/bin on PATH"
    ))
}

/// What to do when Node, which runs the wasm tests, is missing.
pub fn node_problem() -> Option<String> {
    if output_of("node", &["--version"]).is_some() {
        return None;
    }
    Some("  - Node.js is not on PATH; the wasm tests run under Node (CI uses Node 20)".to_string())
}

/// The standard output of `program args` when it runs and succeeds.
pub fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
