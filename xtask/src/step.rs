//! One step of a command: a header, a child process run from the workspace root, its wall time,
//! and on failure the line that says how to rerun it.

use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

/// Why a command stopped early: the message for stderr and the exit status of `cargo xtask`.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong and how to go on, printed to stderr.
    pub message: String,
    /// The exit status `cargo xtask` ends with (never 0).
    pub code: u8,
}

/// A check run before a step's command; `Err` says what is missing and how to install it.
pub type Precheck = fn() -> Result<(), String>;

/// A named external command run from the workspace root.
#[derive(Debug, Clone)]
pub struct Step {
    name: String,
    program: String,
    args: Vec<String>,
    precheck: Option<Precheck>,
}

impl Step {
    /// A step that runs `program` with `args`.
    pub fn new(name: &str, program: &str, args: Vec<String>) -> Self {
        Step {
            name: name.to_string(),
            program: program.to_string(),
            args,
            precheck: None,
        }
    }

    /// A step that runs `cargo` with `args`.
    pub fn cargo(name: &str, args: &[&str]) -> Self {
        Step::new(name, "cargo", strings(args))
    }

    /// The same step, which first runs `check` and fails with its message if it fails.
    pub fn with_precheck(mut self, check: Precheck) -> Self {
        self.precheck = Some(check);
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

    /// The command as one shell-quoted line that can be pasted into a terminal.
    pub fn command_line(&self) -> String {
        std::iter::once(&self.program)
            .chain(&self.args)
            .map(|word| shell_quote(word))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs the step from `root`, printing its header and, when it succeeds, its wall time.
    pub fn run(&self, root: &Path) -> Result<Duration, Failure> {
        println!("==> {}", self.name);
        println!("    $ {}", self.command_line());
        let start = Instant::now();
        if let Some(check) = self.precheck {
            check().map_err(|why| self.failure(root, &why, 1))?;
        }
        let status = Command::new(&self.program)
            .args(&self.args)
            .current_dir(root)
            .status()
            .map_err(|err| {
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
pub fn run_all(root: &Path, title: &str, steps: &[Step]) -> Result<(), Failure> {
    let start = Instant::now();
    let mut times = Vec::with_capacity(steps.len());
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
