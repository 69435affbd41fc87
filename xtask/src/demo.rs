//! The commands besides `test`: `dist`, `serve`, `e2e`, `size` (the web site), `bench` (engine
//! and browser figures) and `demo` (the CLI demo run).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use crate::step::{install_tools, run_all, shell_quote, Failure, Step};
use crate::usage_error;
use crate::{site, tools};

/// The port `cargo xtask serve` uses unless `--port` says otherwise.
const SERVE_PORT: u16 = 8080;

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

/// `cargo xtask dist`: builds the site into `dist/` and checks its size.
pub fn dist(root: &Path, args: &[String]) -> Result<(), Failure> {
    no_arguments("dist", args)?;
    run_all(root, "dist", &[site::build_step(), site::size_step()])
}

/// `cargo xtask size`: the size report of the `dist/` already built.
pub fn size(root: &Path, args: &[String]) -> Result<(), Failure> {
    no_arguments("size", args)?;
    site::size_step().run(root).map(|_| ())
}

/// `cargo xtask serve [--port N]`: installs the missing tools, builds the site, then serves
/// `dist/` until interrupted.
pub fn serve(root: &Path, args: &[String]) -> Result<(), Failure> {
    let port = serve_port(args)?;
    let steps = serve_steps(port);
    install_tools(root, &steps)?;
    let [build, size, server] = steps;
    build.run(root)?;
    size.run(root)?;
    println!("==> Quorum Lab: http://127.0.0.1:{port}/   (Ctrl-C stops the server)");
    server.run(root).map(|_| ())
}

/// The steps of `cargo xtask serve`: the site build, its size report, the server.
fn serve_steps(port: u16) -> [Step; 3] {
    [site::build_step(), report_step(), site::serve_step(port)]
}

/// The bundle-size report of `serve` and `bench`: over the budget is only a warning.
fn report_step() -> Step {
    Step::internal("bundle size", &["xtask", "size"], site::report_bundle)
}

/// `cargo xtask e2e [--no-build] [playwright args]`: the browser tests alone.
pub fn e2e(root: &Path, args: &[String]) -> Result<(), Failure> {
    let build = !args.iter().any(|arg| arg == "--no-build");
    let rest: Vec<String> = args
        .iter()
        .filter(|arg| *arg != "--no-build")
        .cloned()
        .collect();
    let mut steps = Vec::new();
    if build {
        steps.extend([site::build_step(), site::size_step()]);
    }
    steps.push(site::e2e_step(&rest));
    run_all(root, "e2e", &steps)
}

/// The port given by `--port N` or `--port=N`, else [`SERVE_PORT`].
fn serve_port(args: &[String]) -> Result<u16, Failure> {
    let mut port = SERVE_PORT;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--port" => args.next().map(String::as_str),
            other => match other.strip_prefix("--port=") {
                Some(value) => Some(value),
                None => return Err(usage_error(&format!("unknown option `{other}` for serve"))),
            },
        };
        port = value
            .and_then(|v| v.parse::<u16>().ok())
            .filter(|&p| p != 0)
            .ok_or_else(|| usage_error("`--port` needs a port number from 1 to 65535"))?;
    }
    Ok(port)
}

/// A usage error when a command that takes no arguments was given some.
fn no_arguments(command: &str, args: &[String]) -> Result<(), Failure> {
    match args.first() {
        None => Ok(()),
        Some(arg) => Err(usage_error(&format!(
            "unknown option `{arg}` for {command}"
        ))),
    }
}

/// Builds the CLI in release, runs the demo with `extra` appended, and says where the trace is.
pub fn demo(root: &Path, extra: &[String]) -> Result<(), Failure> {
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

/// Runs `quorum bench` in release with `extra` passed through, the wasm engine bench under Node,
/// then builds the site and runs the browser frame-time probe. `--browser-only` runs only the
/// last two. The missing tools are installed first.
pub fn bench(root: &Path, extra: &[String]) -> Result<(), Failure> {
    let steps = bench_steps(extra);
    install_tools(root, &steps)?;
    for step in &steps {
        step.run(root)?;
    }
    Ok(())
}

/// The steps of `cargo xtask bench EXTRA`.
fn bench_steps(extra: &[String]) -> Vec<Step> {
    let browser_only = extra.iter().any(|arg| arg == "--browser-only");
    let extra: Vec<String> = extra
        .iter()
        .filter(|arg| *arg != "--browser-only")
        .cloned()
        .collect();
    let mut steps = if browser_only {
        Vec::new()
    } else {
        Vec::from(engine_bench_steps(&extra))
    };
    steps.extend([site::build_step(), report_step(), site::probe_step()]);
    steps
}

/// The engine benchmarks: `quorum bench` natively, then the wasm bench under Node.
fn engine_bench_steps(extra: &[String]) -> [Step; 2] {
    let cli = ["run", "--release", "-p", "quorum-cli", "--", "bench"];
    let native = Step::cargo("native engine bench", &cli).with_args(extra);
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
    let wasm = Step::cargo("wasm engine bench (Node)", &wasm).with_precheck(tools::WASM_TESTS);
    [native, wasm]
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
    fn serve_reads_its_port() {
        assert_eq!(serve_port(&[]).unwrap(), SERVE_PORT);
        assert_eq!(serve_port(&strings(&["--port", "9000"])).unwrap(), 9000);
        assert_eq!(serve_port(&strings(&["--port=9001"])).unwrap(), 9001);
        for bad in [
            &["--port"][..],
            &["--port", "0"],
            &["--port", "x"],
            &["--nope"],
        ] {
            assert_eq!(serve_port(&strings(bad)).unwrap_err().code, 2, "{bad:?}");
        }
    }

    #[test]
    fn serve_and_bench_need_only_the_tools_of_their_steps() {
        use tools::Tool::*;
        let serve = serve_steps(8080);
        let serve = tools::needed(serve.iter().map(Step::tools));
        assert_eq!(serve, [WasmTarget, Node, WasmOpt, WasmBindgen, Trunk]);
        let browser = bench_steps(&strings(&["--browser-only"]));
        let browser = tools::needed(browser.iter().map(Step::tools));
        assert_eq!(
            browser,
            [
                WasmTarget,
                Node,
                WasmOpt,
                Playwright,
                Chromium,
                WasmBindgen,
                Trunk
            ]
        );
        assert_eq!(bench_steps(&strings(&["--seconds", "5"])).len(), 5);
    }

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
