//! The tools the steps need beyond Rust, each checked before the first step that needs it and
//! installed when the right version is missing, with the versions and methods of
//! shared/TOOLCHAIN.md: rustup components and targets, `cargo install`, npm into the workspace,
//! Debian's apt. Each tool prints one line (`trunk 0.21.14: already installed`); a long install
//! prints a progress line every 30 s, writes its own output to `target/tools/logs/`, and shows
//! the end of that log when it fails.

use std::env;
use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use crate::site::{CHROMIUM, E2E_DIR, TOOLS_BIN};
use crate::step::{format_duration, path_with_prefix, shell_quote};

/// The compilation target of the web app and of the wasm tests.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The wasm-bindgen CLI version: it must equal the `wasm-bindgen` crate's (`=0.2.130`).
pub const BINDGEN_VERSION: &str = "0.2.130";
/// The Trunk version the site build is verified with (0.22 needs a newer rustc).
pub const TRUNK_VERSION: &str = "0.21.14";
/// The binaryen (wasm-opt) version Trunk.toml names; Debian's wasm-opt 108 cannot read our wasm.
pub const WASM_OPT_VERSION: &str = "132";
/// The `@playwright/test` version tests/e2e/package.json pins.
pub const PLAYWRIGHT_VERSION: &str = "1.65.1";
/// Debian's chromium-driver, installed with Chromium.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// A font with Chinese glyphs (Debian's fonts-wqy-microhei, 1.6 MB), installed with Chromium:
/// without one, the browser tests' screenshots of the Chinese interface show empty boxes.
pub const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
/// Where each install writes its output, relative to the workspace root.
const LOGS: &str = "target/tools/logs";
/// How often a running install prints that it is still running.
const PROGRESS_EVERY: Duration = Duration::from_secs(30);
/// How many lines of a failed install's log are printed.
const LOG_TAIL_LINES: usize = 40;

/// A tool some step needs. The order of the variants is the order they are installed in:
/// the quick ones first, the two `cargo install`s last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// The rustfmt and clippy components (`cargo fmt`, `cargo clippy`).
    RustComponents,
    /// The wasm32-unknown-unknown standard library.
    WasmTarget,
    /// Node.js, which runs the wasm tests, the static server and Playwright (checked only).
    Node,
    /// npm's binaryen in `target/tools` (wasm-opt, run by Trunk).
    WasmOpt,
    /// The Playwright package in `tests/e2e`.
    Playwright,
    /// Debian's chromium and chromium-driver.
    Chromium,
    /// wasm-bindgen-cli: `wasm-bindgen` (run by Trunk) and `wasm-bindgen-test-runner`.
    WasmBindgen,
    /// Trunk, which builds the site.
    Trunk,
}

/// What the format check and clippy need.
pub const LINT: &[Tool] = &[Tool::RustComponents];
/// What the wasm tests and the wasm bench need (`cargo test --target wasm32-unknown-unknown`
/// runs them with `wasm-bindgen-test-runner` under Node).
pub const WASM_TESTS: &[Tool] = &[Tool::WasmTarget, Tool::WasmBindgen, Tool::Node];
/// What the site build needs.
pub const SITE_BUILD: &[Tool] = &[
    Tool::WasmTarget,
    Tool::WasmBindgen,
    Tool::Trunk,
    Tool::WasmOpt,
];
/// What the browser tests and the frame-time probe need.
pub const BROWSER: &[Tool] = &[Tool::Node, Tool::Chromium, Tool::Playwright];
/// What the static server needs.
pub const NODE: &[Tool] = &[Tool::Node];

/// The tools already checked (and installed when missing) by this run of `cargo xtask`.
static READY: Mutex<Vec<Tool>> = Mutex::new(Vec::new());

impl Tool {
    /// Every tool, in install order.
    pub const ALL: [Tool; 8] = [
        Tool::RustComponents,
        Tool::WasmTarget,
        Tool::Node,
        Tool::WasmOpt,
        Tool::Playwright,
        Tool::Chromium,
        Tool::WasmBindgen,
        Tool::Trunk,
    ];

    /// The tool and its version as printed on its line.
    pub fn label(self) -> String {
        match self {
            Tool::RustComponents => "rustfmt and clippy".to_string(),
            Tool::WasmTarget => format!("{WASM_TARGET} target"),
            Tool::Node => "node".to_string(),
            Tool::WasmOpt => format!("wasm-opt {WASM_OPT_VERSION} (npm binaryen in target/tools)"),
            Tool::Playwright => format!("@playwright/test {PLAYWRIGHT_VERSION} ({E2E_DIR})"),
            Tool::Chromium => "chromium, chromium-driver and a Chinese font (Debian)".to_string(),
            Tool::WasmBindgen => format!("wasm-bindgen-cli {BINDGEN_VERSION}"),
            Tool::Trunk => format!("trunk {TRUNK_VERSION}"),
        }
    }

    /// The name of the tool's install log in `target/tools/logs/`.
    fn log_name(self) -> &'static str {
        match self {
            Tool::RustComponents => "rust-components.log",
            Tool::WasmTarget => "wasm-target.log",
            Tool::Node => "node.log",
            Tool::WasmOpt => "binaryen.log",
            Tool::Playwright => "playwright.log",
            Tool::Chromium => "chromium.log",
            Tool::WasmBindgen => "wasm-bindgen-cli.log",
            Tool::Trunk => "trunk.log",
        }
    }
}

/// Every tool named in any of `lists`, once, in install order.
pub fn needed<'a>(lists: impl IntoIterator<Item = &'a [Tool]>) -> Vec<Tool> {
    let lists: Vec<&[Tool]> = lists.into_iter().collect();
    Tool::ALL
        .into_iter()
        .filter(|tool| lists.iter().any(|list| list.contains(tool)))
        .collect()
}

/// Makes sure every tool in `tools` is there in the right version, installing the missing
/// ones; prints one line a tool. Tools already made sure of by this run are skipped silently.
pub fn ensure(root: &Path, tools: &[Tool]) -> Result<(), String> {
    for &tool in tools {
        if is_ready(tool) {
            continue;
        }
        ensure_tool(root, tool)?;
        READY.lock().unwrap_or_else(|e| e.into_inner()).push(tool);
    }
    Ok(())
}

/// Whether this run already made sure of `tool`.
fn is_ready(tool: Tool) -> bool {
    READY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .contains(&tool)
}

/// Checks one tool and installs it when missing.
fn ensure_tool(root: &Path, tool: Tool) -> Result<(), String> {
    match tool {
        Tool::RustComponents => rust_components(root),
        Tool::WasmTarget => wasm_target(root),
        Tool::Node => node(root),
        Tool::WasmOpt => wasm_opt(root),
        Tool::Playwright => playwright(root),
        Tool::Chromium => chromium(root),
        Tool::WasmBindgen => wasm_bindgen(root),
        Tool::Trunk => trunk(root),
    }
}

/// The PATH of every child process `cargo xtask` starts: npm's `target/tools/node_modules/.bin`
/// (wasm-opt 132), then `$CARGO_HOME/bin` (what `cargo install` installed), then the inherited
/// PATH.
pub fn child_path(root: &Path) -> OsString {
    path_with_prefix(&root.join(TOOLS_BIN))
}

/// rustfmt and clippy: `rustup component add rustfmt clippy` unless `cargo fmt --version` and
/// `cargo clippy --version` both run.
fn rust_components(root: &Path) -> Result<(), String> {
    let install = Install {
        tool: Tool::RustComponents,
        estimate: "seconds",
        commands: vec![Cmd::new(
            "rustup",
            &["component", "add", "rustfmt", "clippy"],
        )],
    };
    install_if_missing(root, &install, || {
        let fmt = output_of(root, "cargo", &["fmt", "--version"]);
        let clippy = output_of(root, "cargo", &["clippy", "--version"]);
        match (fmt, clippy) {
            (Some(_), Some(_)) => Ok(()),
            _ => Err("`cargo fmt --version` or `cargo clippy --version` failed".to_string()),
        }
    })
}

/// The wasm target: `rustup target add wasm32-unknown-unknown` unless the active rustc's sysroot
/// has its standard library.
fn wasm_target(root: &Path) -> Result<(), String> {
    let install = Install {
        tool: Tool::WasmTarget,
        estimate: "seconds",
        commands: vec![Cmd::new("rustup", &["target", "add", WASM_TARGET])],
    };
    install_if_missing(root, &install, || {
        let sysroot = output_of(root, "rustc", &["--print", "sysroot"])
            .ok_or("`rustc --print sysroot` failed")?;
        let lib = target_lib(sysroot.trim());
        if lib.is_dir() {
            Ok(())
        } else {
            Err(format!("{} is missing", lib.display()))
        }
    })
}

/// Where a sysroot keeps the wasm target's standard library.
fn target_lib(sysroot: &str) -> PathBuf {
    Path::new(sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .join("lib")
}

/// Node.js: checked only (install Node.js 20 from Debian or nodejs.org when it is missing).
fn node(root: &Path) -> Result<(), String> {
    match output_of(root, "node", &["--version"]) {
        Some(version) => {
            println!("node {}: found", version.trim());
            Ok(())
        }
        None => Err(
            "node: not found on PATH; the wasm tests, the site server and the browser \
                     tests run under Node.js 20: install it (e.g. apt-get install -y nodejs npm)"
                .to_string(),
        ),
    }
}

/// wasm-opt 132: `npm install --prefix target/tools binaryen@132` unless
/// `target/tools/node_modules/.bin/wasm-opt --version` says 132.
fn wasm_opt(root: &Path) -> Result<(), String> {
    let install = Install {
        tool: Tool::WasmOpt,
        estimate: "seconds",
        commands: vec![binaryen_install()],
    };
    let wasm_opt = root.join(TOOLS_BIN).join("wasm-opt");
    install_if_missing(root, &install, || {
        // `wasm-opt version 132 (version_132)`
        let found = output_of(root, &wasm_opt.display().to_string(), &["--version"]);
        expect_version(found.as_deref(), 2, WASM_OPT_VERSION)
    })
}

/// The npm command that puts binaryen (wasm-opt) into `target/tools`.
fn binaryen_install() -> Cmd {
    let package = format!("binaryen@{WASM_OPT_VERSION}");
    Cmd::new(
        "npm",
        &[
            "install",
            "--prefix",
            "target/tools",
            "--no-audit",
            "--no-fund",
            &package,
        ],
    )
}

/// The Playwright package: `npm ci --prefix tests/e2e` (no browser download) unless
/// `tests/e2e/node_modules/@playwright/test` is [`PLAYWRIGHT_VERSION`].
fn playwright(root: &Path) -> Result<(), String> {
    let install = Install {
        tool: Tool::Playwright,
        estimate: "seconds",
        commands: vec![playwright_install()],
    };
    let package = root
        .join(E2E_DIR)
        .join("node_modules/@playwright/test/package.json");
    install_if_missing(root, &install, || {
        let text = fs::read_to_string(&package).unwrap_or_default();
        match json_string(&text, "version") {
            Some(version) if version == PLAYWRIGHT_VERSION => Ok(()),
            Some(version) => Err(format!("found {version}")),
            None => Err("not installed".to_string()),
        }
    })
}

/// The npm command that installs the browser tests' packages, never a browser.
fn playwright_install() -> Cmd {
    Cmd::new(
        "npm",
        &["ci", "--prefix", E2E_DIR, "--no-audit", "--no-fund"],
    )
    .with_env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
}

/// Chromium: Debian's chromium and chromium-driver, and a Chinese font, from apt-get (with sudo
/// when not root) unless all are installed. With `QUORUM_CHROMIUM` set, that file is checked and nothing installed.
fn chromium(root: &Path) -> Result<(), String> {
    if let Some(custom) = env::var_os("QUORUM_CHROMIUM") {
        return custom_chromium(Path::new(&custom));
    }
    let root_user = output_of(root, "id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    let install = Install {
        tool: Tool::Chromium,
        estimate: "about a minute",
        commands: apt_commands(root_user),
    };
    install_if_missing(root, &install, || {
        let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER, CJK_FONT]
            .into_iter()
            .filter(|path| !Path::new(path).is_file())
            .collect();
        match missing.as_slice() {
            [] => Ok(()),
            paths => Err(format!("{} missing", paths.join(" and "))),
        }
    })
}

/// The Chromium `QUORUM_CHROMIUM` names: it must exist, as nothing installs it there.
fn custom_chromium(path: &Path) -> Result<(), String> {
    if !path.is_file() {
        return Err(format!(
            "QUORUM_CHROMIUM={} is not a file; unset it to use (and install) Debian's {CHROMIUM}",
            path.display()
        ));
    }
    println!("chromium: {} (QUORUM_CHROMIUM)", path.display());
    Ok(())
}

/// `apt-get update` and `apt-get install -y chromium chromium-driver fonts-wqy-microhei`,
/// non-interactive, through `sudo env` unless run as root.
fn apt_commands(root_user: bool) -> Vec<Cmd> {
    let apt = |args: &[&str]| {
        let cmd = Cmd::new("apt-get", args).with_env("DEBIAN_FRONTEND", "noninteractive");
        if root_user {
            cmd
        } else {
            cmd.through_sudo()
        }
    };
    vec![
        apt(&["update"]),
        apt(&[
            "install",
            "-y",
            "chromium",
            "chromium-driver",
            "fonts-wqy-microhei",
        ]),
    ]
}

/// wasm-bindgen-cli: `cargo install wasm-bindgen-cli --version 0.2.130 --force` (without
/// `--locked`: its lock file asks for a webpki-roots the registry lacks) unless `wasm-bindgen`
/// and `wasm-bindgen-test-runner` are both that version.
fn wasm_bindgen(root: &Path) -> Result<(), String> {
    let install = Install {
        tool: Tool::WasmBindgen,
        estimate: "about 5-8 minutes on 2 cores",
        commands: vec![cargo_install(&["wasm-bindgen-cli"], BINDGEN_VERSION)],
    };
    install_if_missing(root, &install, || {
        for program in ["wasm-bindgen", "wasm-bindgen-test-runner"] {
            let found = output_of(root, program, &["--version"]);
            expect_version(found.as_deref(), 1, BINDGEN_VERSION)?;
        }
        Ok(())
    })
}

/// Trunk: `cargo install --locked trunk --version 0.21.14 --force` unless `trunk --version` says
/// that version.
fn trunk(root: &Path) -> Result<(), String> {
    let install = Install {
        tool: Tool::Trunk,
        estimate: "about 12 minutes on 2 cores",
        commands: vec![cargo_install(&["--locked", "trunk"], TRUNK_VERSION)],
    };
    install_if_missing(root, &install, || {
        let found = output_of(root, "trunk", &["--version"]);
        expect_version(found.as_deref(), 1, TRUNK_VERSION)
    })
}

/// `cargo install PACKAGE --version VERSION --force`: `--force` replaces another version's
/// binaries (it runs only when the version is wrong or missing).
fn cargo_install(package: &[&str], version: &str) -> Cmd {
    let mut args = vec!["install"];
    args.extend_from_slice(package);
    args.extend_from_slice(&["--version", version, "--force"]);
    Cmd::new("cargo", &args)
}

/// `Ok` when word `index` of a `--version` output is `want`; else what was found.
fn expect_version(output: Option<&str>, index: usize, want: &str) -> Result<(), String> {
    let Some(output) = output else {
        return Err("not found".to_string());
    };
    if output.split_whitespace().nth(index) == Some(want) {
        Ok(())
    } else {
        Err(format!("found `{}`", output.trim()))
    }
}

/// The string value of the first `"key": "value"` in a JSON text (enough for package.json).
fn json_string<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let quoted = format!("\"{key}\"");
    let after = &text[text.find(&quoted)? + quoted.len()..];
    let value = after.trim_start().strip_prefix(':')?.trim_start();
    let value = value.strip_prefix('"')?;
    Some(&value[..value.find('"')?])
}

/// A command an install runs, with the variables it sets.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cmd {
    program: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

impl Cmd {
    /// `program args`, with no variables set.
    fn new(program: &str, args: &[&str]) -> Self {
        Cmd {
            program: program.to_string(),
            args: args.iter().map(|arg| arg.to_string()).collect(),
            env: Vec::new(),
        }
    }

    /// The same command with `key=value` in its environment.
    fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// The same command run as root: `sudo env KEY=VALUE... program args` (sudo drops most
    /// variables, `env` sets them again).
    fn through_sudo(self) -> Self {
        let settings = self.env.iter().map(|(key, value)| format!("{key}={value}"));
        let args = std::iter::once("env".to_string())
            .chain(settings)
            .chain(std::iter::once(self.program))
            .chain(self.args)
            .collect();
        Cmd {
            program: "sudo".to_string(),
            args,
            env: Vec::new(),
        }
    }

    /// The command as a shell line: `KEY=VALUE program args`.
    fn shell_line(&self) -> String {
        let env = self.env.iter().map(|(key, value)| format!("{key}={value}"));
        let words = std::iter::once(&self.program).chain(&self.args).cloned();
        env.chain(words)
            .map(|word| shell_quote(&word))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// How to install one tool: which, how long it takes, and the commands.
struct Install {
    tool: Tool,
    estimate: &'static str,
    commands: Vec<Cmd>,
}

/// Runs `check`; when it fails, installs the tool and checks again. Prints the tool's line.
fn install_if_missing(
    root: &Path,
    install: &Install,
    check: impl Fn() -> Result<(), String>,
) -> Result<(), String> {
    let label = install.tool.label();
    let Err(found) = check() else {
        println!("{label}: already installed");
        return Ok(());
    };
    println!("{label}: installing ({found}; {})", install.estimate);
    let start = Instant::now();
    run_logged(root, install, start)?;
    check().map_err(|found| {
        format!(
            "{label} is still missing after installing it ({found}); PATH={}",
            child_path(root).to_string_lossy()
        )
    })?;
    println!("{label}: installed in {}", format_duration(start.elapsed()));
    Ok(())
}

/// Runs an install's commands in turn from `root`, their output going to the tool's log, with a
/// progress line every 30 s; on failure, the error holds the end of the log.
fn run_logged(root: &Path, install: &Install, start: Instant) -> Result<(), String> {
    let log = root.join(LOGS).join(install.tool.log_name());
    let shown = Path::new(LOGS).join(install.tool.log_name());
    fs::create_dir_all(root.join(LOGS)).map_err(|err| format!("cannot create {LOGS}: {err}"))?;
    File::create(&log).map_err(|err| format!("cannot create {}: {err}", shown.display()))?;
    for cmd in &install.commands {
        println!(
            "    $ {}   (output in {})",
            cmd.shell_line(),
            shown.display()
        );
        let child = spawn(root, cmd, &log)?;
        let status = wait_with_progress(child, &install.tool.label(), start)?;
        if !status.success() {
            let tail = last_lines(
                &fs::read_to_string(&log).unwrap_or_default(),
                LOG_TAIL_LINES,
            );
            return Err(format!(
                "installing {} failed: `{}` ended with {status}; the end of {}:\n{tail}",
                install.tool.label(),
                cmd.shell_line(),
                shown.display()
            ));
        }
    }
    Ok(())
}

/// Starts `cmd` from `root` with [`child_path`], appending its output to `log`.
fn spawn(root: &Path, cmd: &Cmd, log: &Path) -> Result<Child, String> {
    let open = || {
        File::options()
            .append(true)
            .open(log)
            .map_err(|err| format!("cannot open {}: {err}", log.display()))
    };
    Command::new(&cmd.program)
        .args(&cmd.args)
        .envs(cmd.env.iter().map(|(k, v)| (k, v)))
        .env("PATH", child_path(root))
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(open()?)
        .stderr(open()?)
        .spawn()
        .map_err(|err| format!("could not start `{}`: {err}", cmd.shell_line()))
}

/// Waits for `child`, printing a progress line every [`PROGRESS_EVERY`] since `start`.
fn wait_with_progress(mut child: Child, label: &str, start: Instant) -> Result<ExitStatus, String> {
    let mut next = PROGRESS_EVERY;
    loop {
        if let Some(status) = child.try_wait().map_err(|err| err.to_string())? {
            return Ok(status);
        }
        if start.elapsed() >= next {
            println!("{}", progress_line(label, start.elapsed()));
            next += PROGRESS_EVERY;
        }
        thread::sleep(Duration::from_millis(200));
    }
}

/// `    ... still installing trunk 0.21.14 (2m30s)`.
fn progress_line(label: &str, elapsed: Duration) -> String {
    let secs = elapsed.as_secs();
    let time = if secs < 60 {
        format!("{secs}s")
    } else {
        format!("{}m{:02}s", secs / 60, secs % 60)
    };
    format!("    ... still installing {label} ({time})")
}

/// The last `count` lines of `text`, each indented.
fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(count);
    lines[from..]
        .iter()
        .map(|line| format!("    | {line}\n"))
        .collect()
}

/// The standard output of `program args`, run from `root` with [`child_path`], when it succeeds.
fn output_of(root: &Path, program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .env("PATH", child_path(root))
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_version_lines() {
        assert_eq!(
            expect_version(Some("trunk 0.21.14\n"), 1, TRUNK_VERSION),
            Ok(())
        );
        assert_eq!(
            expect_version(Some("wasm-bindgen-test-runner 0.2.130"), 1, "0.2.130"),
            Ok(())
        );
        assert_eq!(
            expect_version(Some("wasm-opt version 132 (version_132)\n"), 2, "132"),
            Ok(())
        );
        assert_eq!(
            expect_version(Some("trunk 0.22.0\n"), 1, TRUNK_VERSION),
            Err("found `trunk 0.22.0`".to_string())
        );
        assert_eq!(
            expect_version(Some("wasm-opt version 108"), 2, "132"),
            Err("found `wasm-opt version 108`".to_string())
        );
        assert_eq!(
            expect_version(None, 1, TRUNK_VERSION),
            Err("not found".to_string())
        );
    }

    #[test]
    fn package_versions_are_read_from_package_json() {
        let text = "{\n  \"name\": \"@playwright/test\",\n  \"version\" : \"1.65.1\",\n}";
        assert_eq!(json_string(text, "version"), Some("1.65.1"));
        assert_eq!(json_string(text, "name"), Some("@playwright/test"));
        assert_eq!(json_string(text, "license"), None);
        assert_eq!(json_string("{\"version\": 3}", "version"), None);
        assert_eq!(json_string("", "version"), None);
    }

    #[test]
    fn the_e2e_package_pins_the_playwright_version_installed() {
        let root = crate::workspace_root();
        let text = fs::read_to_string(root.join(E2E_DIR).join("package.json")).unwrap();
        assert_eq!(
            json_string(&text, "@playwright/test"),
            Some(PLAYWRIGHT_VERSION)
        );
    }

    #[test]
    fn needed_tools_come_once_each_in_install_order() {
        assert_eq!(needed([LINT, LINT]), [Tool::RustComponents]);
        assert_eq!(
            needed([BROWSER, SITE_BUILD]),
            [
                Tool::WasmTarget,
                Tool::Node,
                Tool::WasmOpt,
                Tool::Playwright,
                Tool::Chromium,
                Tool::WasmBindgen,
                Tool::Trunk
            ]
        );
        assert_eq!(needed([&[][..]]), []);
        assert_eq!(needed([LINT, WASM_TESTS, SITE_BUILD, BROWSER]), Tool::ALL);
    }

    #[test]
    fn progress_lines_show_minutes_and_seconds() {
        assert_eq!(
            progress_line("trunk 0.21.14", Duration::from_secs(150)),
            "    ... still installing trunk 0.21.14 (2m30s)"
        );
        assert_eq!(
            progress_line("trunk 0.21.14", Duration::from_millis(30_400)),
            "    ... still installing trunk 0.21.14 (30s)"
        );
        assert_eq!(
            progress_line("x", Duration::from_secs(605)),
            "    ... still installing x (10m05s)"
        );
    }

    #[test]
    fn chromium_comes_from_apt_get_through_sudo_unless_root() {
        let lines = |root_user| -> Vec<String> {
            apt_commands(root_user)
                .iter()
                .map(Cmd::shell_line)
                .collect()
        };
        assert_eq!(
            lines(true),
            [
                "DEBIAN_FRONTEND=noninteractive apt-get update",
                "DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver \
                 fonts-wqy-microhei"
            ]
        );
        assert_eq!(
            lines(false),
            [
                "sudo env DEBIAN_FRONTEND=noninteractive apt-get update",
                "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
                 chromium-driver fonts-wqy-microhei"
            ]
        );
    }

    #[test]
    fn installs_use_the_pinned_versions_and_methods() {
        assert_eq!(
            cargo_install(&["--locked", "trunk"], TRUNK_VERSION).shell_line(),
            "cargo install --locked trunk --version 0.21.14 --force"
        );
        assert_eq!(
            cargo_install(&["wasm-bindgen-cli"], BINDGEN_VERSION).shell_line(),
            "cargo install wasm-bindgen-cli --version 0.2.130 --force",
            "never --locked: see shared/TOOLCHAIN.md"
        );
        assert_eq!(
            binaryen_install().shell_line(),
            "npm install --prefix target/tools --no-audit --no-fund binaryen@132"
        );
        assert_eq!(
            playwright_install().shell_line(),
            "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/e2e --no-audit --no-fund"
        );
    }

    #[test]
    fn a_failed_install_shows_the_end_of_its_log() {
        let text: String = (1..=50).map(|n| format!("line {n}\n")).collect();
        let tail = last_lines(&text, 3);
        assert_eq!(tail, "    | line 48\n    | line 49\n    | line 50\n");
        assert_eq!(last_lines("only\n", 3), "    | only\n");
    }

    /// An install of `Tool::Node` (any tool would do) that runs `sh -c script`.
    fn sh(script: &str) -> Install {
        Install {
            tool: Tool::Node,
            estimate: "seconds",
            commands: vec![Cmd::new("sh", &["-c", script])],
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_missing_tool_is_installed_then_checked_again() {
        let root = env::temp_dir().join(format!("xtask-tools-{}", std::process::id()));
        fs::create_dir_all(&root).unwrap();
        let marker = root.join("installed");
        let check = || match marker.is_file() {
            true => Ok(()),
            false => Err("not found".to_string()),
        };
        assert_eq!(
            install_if_missing(&root, &sh("touch installed"), check),
            Ok(())
        );
        assert_eq!(install_if_missing(&root, &sh("exit 9"), check), Ok(()));
        let broken = sh("echo half done; exit 3");
        let why = install_if_missing(&root, &broken, || Err("x".into())).unwrap_err();
        assert!(why.contains("exit status: 3"), "{why}");
        assert!(why.contains("    | half done\n"), "{why}");
        assert!(why.contains("target/tools/logs/node.log"), "{why}");
        let no_op = install_if_missing(&root, &sh("true"), || Err("found `x 1`".into()));
        let why = no_op.unwrap_err();
        assert!(why.contains("still missing after installing it (found `x 1`)"));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_wasm_target_library_is_under_the_sysroot() {
        assert_eq!(
            target_lib("/r/toolchains/stable"),
            Path::new("/r/toolchains/stable/lib/rustlib/wasm32-unknown-unknown/lib")
        );
    }
}
