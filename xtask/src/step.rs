//! One step of a command: a header, a child process run from the workspace root, its wall time,
//! and on failure the line that says how to rerun it.

use std::env;
use std::ffi::OsString;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use crate::tools::{self, Tool};

/// Why a command stopped early: the message for stderr and the exit status of `cargo xtask`.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong and how to go on, printed to stderr.
    pub message: String,
    /// The exit status `cargo xtask` ends with (never 0).
    pub code: u8,
}

/// Work done inside `cargo xtask` instead of by a child process; `Err` says what went wrong.
pub type Internal = fn(&Path) -> Result<(), String>;

/// A variable set for a step's child process, its value found when the step runs.
#[derive(Debug, Clone)]
enum EnvValue {
    /// A free TCP port on 127.0.0.1: this one when it is free, any free one otherwise.
    FreePort(u16),
}

/// A named external command run from the workspace root (or a folder under it), or a piece of
/// work done by `cargo xtask` itself.
#[derive(Debug, Clone)]
pub struct Step {
    name: String,
    program: String,
    args: Vec<String>,
    precheck: &'static [Tool],
    dir: Option<String>,
    env: Vec<(String, EnvValue)>,
    internal: Option<Internal>,
}

impl Step {
    /// A step that runs `program` with `args`.
    pub fn new(name: &str, program: &str, args: Vec<String>) -> Self {
        Step {
            name: name.to_string(),
            program: program.to_string(),
            args,
            precheck: &[],
            dir: None,
            env: Vec::new(),
            internal: None,
        }
    }

    /// A step done by `cargo xtask` itself; `rerun` is the xtask command line that redoes it.
    pub fn internal(name: &str, rerun: &[&str], work: Internal) -> Self {
        let mut step = Step::new(name, "cargo", strings(rerun));
        step.internal = Some(work);
        step
    }

    /// A step that runs `cargo` with `args`.
    pub fn cargo(name: &str, args: &[&str]) -> Self {
        Step::new(name, "cargo", strings(args))
    }

    /// The same step, which first makes sure of `tools` (see [`tools::ensure`]): each is
    /// checked and installed when missing, and the step fails if that fails.
    pub fn with_precheck(mut self, tools: &'static [Tool]) -> Self {
        self.precheck = tools;
        self
    }

    /// The same step, run from `dir` (relative to the workspace root).
    pub fn in_dir(mut self, dir: &str) -> Self {
        self.dir = Some(dir.to_string());
        self
    }

    /// The same step with `key` set to a free port: `preferred` if it is free when the step
    /// starts, another free one otherwise.
    pub fn with_free_port(mut self, key: &str, preferred: u16) -> Self {
        self.env
            .push((key.to_string(), EnvValue::FreePort(preferred)));
        self
    }

    /// The same step with `extra` appended to its arguments.
    pub fn with_args(mut self, extra: &[String]) -> Self {
        self.args.extend_from_slice(extra);
        self
    }

    /// The step's name, as shown in its header.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The tools the step needs.
    pub fn tools(&self) -> &'static [Tool] {
        self.precheck
    }

    /// The command as one shell-quoted line that can be pasted into a terminal (from the
    /// workspace root).
    pub fn command_line(&self) -> String {
        let cd = self
            .dir
            .iter()
            .map(|dir| format!("cd {} &&", shell_quote(dir)));
        let env = self.env.iter().map(|(key, value)| match value {
            EnvValue::FreePort(port) => format!("{key}={port}"),
        });
        let command = std::iter::once(&self.program)
            .chain(&self.args)
            .map(|word| shell_quote(word));
        cd.chain(env).chain(command).collect::<Vec<_>>().join(" ")
    }

    /// Runs the step from `root`, printing its header and, when it succeeds, its wall time.
    pub fn run(&self, root: &Path) -> Result<Duration, Failure> {
        println!("==> {}", self.name);
        println!("    $ {}", self.command_line());
        let start = Instant::now();
        tools::ensure(root, self.precheck).map_err(|why| self.failure(root, &why, 1))?;
        if let Some(work) = self.internal {
            work(root).map_err(|why| self.failure(root, &why, 1))?;
            let elapsed = start.elapsed();
            println!("    {} passed in {}", self.name, format_duration(elapsed));
            return Ok(elapsed);
        }
        let mut command = Command::new(&self.program);
        command.env("PATH", tools::child_path(root));
        command.args(&self.args).current_dir(
            self.dir
                .as_ref()
                .map_or(root.to_path_buf(), |d| root.join(d)),
        );
        for (key, value) in &self.env {
            let value = match value {
                EnvValue::FreePort(port) => {
                    let port = free_port(*port).map_err(|why| self.failure(root, &why, 1))?;
                    println!("    ({key}={port})");
                    OsString::from(port.to_string())
                }
            };
            command.env(key, value);
        }
        let status = command.status().map_err(|err| {
            let why = format!("could not start `{}`: {err}", self.program);
            self.failure(root, &why, 127)
        })?;
        let elapsed = start.elapsed();
        if !status.success() {
            let why = format!("{} after {}", describe(status), format_duration(elapsed));
            return Err(self.failure(root, &why, exit_code(status)));
        }
        println!("    {} passed in {}", self.name, format_duration(elapsed));
        Ok(elapsed)
    }

    /// The failure of this step: what happened, then the command that reruns it.
    fn failure(&self, root: &Path, why: &str, code: u8) -> Failure {
        let root = shell_quote(&root.display().to_string());
        Failure {
            message: format!(
                "error: step `{}` failed: {why}\nrerun it with: cd {root} && {}",
                self.name,
                self.command_line()
            ),
            code,
        }
    }
}

/// Runs `steps` in order, stopping at the first failure, then prints a summary of their times.
/// The tools the steps need are made sure of first.
pub fn run_all(root: &Path, title: &str, steps: &[Step]) -> Result<(), Failure> {
    let start = Instant::now();
    let mut times = Vec::with_capacity(steps.len() + 1);
    if let Some(time) = install_tools(root, steps)? {
        times.push(("tools", time));
    }
    for step in steps {
        times.push((step.name(), step.run(root)?));
    }
    println!("==> {title}: all {} steps passed", steps.len());
    for (name, time) in times {
        println!("    {:>8}  {name}", format_duration(time));
    }
    println!("    {:>8}  total", format_duration(start.elapsed()));
    Ok(())
}

/// Makes sure of every tool `steps` need, installing what is missing, under a `==> tools`
/// header; the time it took, or `None` when the steps need no tools.
pub fn install_tools(root: &Path, steps: &[Step]) -> Result<Option<Duration>, Failure> {
    let needed = tools::needed(steps.iter().map(Step::tools));
    if needed.is_empty() {
        return Ok(None);
    }
    let labels: Vec<String> = needed.iter().map(|tool| tool.label()).collect();
    println!("==> tools: {}", labels.join(", "));
    let start = Instant::now();
    tools::ensure(root, &needed).map_err(|why| Failure {
        message: format!("error: {why}"),
        code: 1,
    })?;
    Ok(Some(start.elapsed()))
}

/// PATH with `dir`, then the folder `cargo install` puts binaries in ([`cargo_bin`]), first,
/// each only when it exists.
pub fn path_with_prefix(dir: &Path) -> OsString {
    let path = env::var_os("PATH").unwrap_or_default();
    let first = [dir.to_path_buf(), cargo_bin()];
    let dirs = first
        .into_iter()
        .filter(|dir| dir.is_dir())
        .chain(env::split_paths(&path));
    env::join_paths(dirs.collect::<Vec<PathBuf>>()).unwrap_or(path)
}

/// Where `cargo install` puts binaries: `$CARGO_HOME/bin`, by default `$HOME/.cargo/bin`.
pub fn cargo_bin() -> PathBuf {
    cargo_bin_of(env::var_os("CARGO_HOME"), env::var_os("HOME"))
}

/// [`cargo_bin`] given the values of `CARGO_HOME` and `HOME`.
fn cargo_bin_of(cargo_home: Option<OsString>, home: Option<OsString>) -> PathBuf {
    let cargo_home = cargo_home
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    cargo_home.join("bin")
}

/// `preferred` when nothing listens on 127.0.0.1:`preferred`, else a port the system picks.
pub fn free_port(preferred: u16) -> Result<u16, String> {
    if TcpListener::bind(("127.0.0.1", preferred)).is_ok() {
        return Ok(preferred);
    }
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|err| format!("no free TCP port on 127.0.0.1: {err}"))
}

/// Owned copies of `words`.
pub fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| word.to_string()).collect()
}

/// A wall time as `12.3s`, or `4m 05s` from a minute on.
pub fn format_duration(time: Duration) -> String {
    let secs = time.as_secs();
    if secs < 60 {
        format!("{:.1}s", time.as_secs_f64())
    } else {
        format!("{}m {:02}s", secs / 60, secs % 60)
    }
}

/// `word` quoted for a POSIX shell when it holds anything beyond plain characters.
pub fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// How a child process ended, in words.
fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".to_string(),
    }
}

/// The exit status to end with after a child ended with `status`: its own code when it has one.
fn exit_code(status: ExitStatus) -> u8 {
    status
        .code()
        .and_then(|code| u8::try_from(code).ok())
        .filter(|&code| code != 0)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_unquoted() {
        assert_eq!(shell_quote("--seeds"), "--seeds");
        assert_eq!(shell_quote("1..300"), "1..300");
        assert_eq!(
            shell_quote("target/demo/trace.jsonl"),
            "target/demo/trace.jsonl"
        );
    }

    #[test]
    fn words_with_spaces_or_quotes_are_single_quoted() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn command_line_joins_program_and_arguments() {
        let step = Step::cargo("clippy", &["clippy", "--", "-D", "warnings"]);
        assert_eq!(step.command_line(), "cargo clippy -- -D warnings");
    }

    #[test]
    fn command_line_shows_folder_and_environment() {
        let step = Step::new("e2e", "npx", strings(&["playwright", "test"]))
            .in_dir("tests/e2e")
            .with_free_port("QUORUM_E2E_PORT", 8123);
        assert_eq!(
            step.command_line(),
            "cd tests/e2e && QUORUM_E2E_PORT=8123 npx playwright test"
        );
    }

    #[test]
    fn internal_steps_show_the_command_that_reruns_them() {
        let step = Step::internal("bundle size", &["xtask", "size"], |_| Ok(()));
        assert_eq!(step.command_line(), "cargo xtask size");
        assert!(step.run(Path::new(".")).is_ok());
        let failing = Step::internal("bundle size", &["xtask", "size"], |_| Err("too big".into()));
        let failure = failing.run(Path::new(".")).unwrap_err();
        assert!(failure.message.contains("too big"));
        assert!(failure.message.contains("cargo xtask size"));
    }

    #[test]
    fn the_prefix_folder_comes_first_and_a_missing_one_is_left_out() {
        let path = env::var_os("PATH").unwrap_or_default();
        let inherited: Vec<PathBuf> = env::split_paths(&path).collect();
        let without = path_with_prefix(Path::new("/no/such/folder"));
        let without: Vec<PathBuf> = env::split_paths(&without).collect();
        assert!(without.ends_with(&inherited), "{without:?}");
        assert!(!without.contains(&PathBuf::from("/no/such/folder")));
        let with = path_with_prefix(Path::new("/"));
        assert_eq!(env::split_paths(&with).next(), Some(PathBuf::from("/")));
    }

    #[test]
    fn cargo_install_binaries_are_in_cargo_home_or_home() {
        let bin = cargo_bin_of(Some("/ch".into()), Some("/home/u".into()));
        assert_eq!(bin, PathBuf::from("/ch/bin"));
        let bin = cargo_bin_of(None, Some("/home/u".into()));
        assert_eq!(bin, PathBuf::from("/home/u/.cargo/bin"));
        let bin = cargo_bin_of(Some("".into()), Some("/home/u".into()));
        assert_eq!(bin, PathBuf::from("/home/u/.cargo/bin"));
    }

    #[test]
    fn a_busy_port_is_replaced_by_a_free_one() {
        let busy = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = busy.local_addr().unwrap().port();
        let other = free_port(port).unwrap();
        assert_ne!(other, port);
    }

    #[test]
    fn durations_read_as_seconds_then_minutes() {
        assert_eq!(format_duration(Duration::from_millis(1_240)), "1.2s");
        assert_eq!(format_duration(Duration::from_secs(245)), "4m 05s");
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_step_names_itself_and_its_rerun_command() {
        let step = Step::new("always fails", "false", Vec::new());
        let failure = step.run(Path::new(".")).unwrap_err();
        assert_eq!(failure.code, 1);
        assert!(failure.message.contains("step `always fails` failed"));
        assert!(failure.message.contains("rerun it with: cd . && false"));
    }
}
