//! `quorum`: Quorum Lab's headless runner.
//!
//! ```text
//! quorum run   --protocol P --nodes N --seed S --duration-ms MS [--faults none|crash|partition|chaos|swarm]
//!              [--clients K] [--scenario FILE] [--bug NAME] [--option NAME=on|off] [--trace FILE.jsonl]
//! quorum sweep --protocol P --nodes N --seeds A..B [--faults ...] [--bug NAME] [--duration-ms MS]
//! quorum check FILE.jsonl
//! quorum metrics FILE.jsonl [--json]
//! quorum shiviz FILE.jsonl
//! quorum compare --protocols P,Q (--scenario FILE | --seeds A..B [--faults LEVEL]) [--json]
//! quorum bugs  [--protocol P]
//! quorum bench [--json] [--quick]
//! ```
//!
//! Exit status: 0 when no invariant was violated, 1 when one was (the violation and the seed are
//! printed), 2 for bad input (a clear message on stderr, nothing else written).

/// mimalloc instead of the system allocator: a run that keeps its trace in memory allocates
/// hundreds of megabytes; mimalloc's reuse of freed pages and cheaper small allocations make
/// `quorum bench` about 25% faster (docs/performance.md has both figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `println!` for the CLI's output: a closed pipe (`quorum sweep ... | head`) ends the program
/// quietly with status 141, as a Unix tool killed by SIGPIPE would, instead of panicking.
macro_rules! say {
    ($($t:tt)*) => { $crate::write_out(format_args!("{}\n", format_args!($($t)*))) };
}

/// `print!` with the same handling of a closed pipe.
macro_rules! say_raw {
    ($($t:tt)*) => { $crate::write_out(format_args!($($t)*)) };
}

mod args;
mod bench;
mod bugbench;
mod commands;
mod compare;
mod longbench;
mod par;

/// Writes to stdout; on a closed pipe exits with 141, on any other error with 2.
pub fn write_out(text: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(text).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        eprintln!("error: cannot write the output: {e}");
        std::process::exit(2);
    }
}

use std::process::ExitCode;

/// How a command ended.
pub enum Outcome {
    /// Every invariant held.
    Holds,
    /// An invariant (or liveness) was violated.
    Violated,
}

const USAGE: &str = "\
quorum: deterministic simulation of distributed protocols under faults

Usage:
  quorum run   --protocol P --nodes N --seed S --duration-ms MS [--faults none|crash|partition|chaos|swarm]
               [--clients K] [--scenario FILE] [--bug NAME] [--option NAME=on|off] [--trace FILE.jsonl]
               [--metrics [--json]]
  quorum sweep --protocol P --nodes N|A..=B|N,M --seeds A..B [--faults LEVEL] [--bug NAME] [--duration-ms MS]
               [--clients K|K,L]   (node and client counts drawn per seed from the lists)
  quorum check FILE.jsonl
  quorum metrics FILE.jsonl [--json]   (availability, recovery per fault, latency; also run --metrics)
  quorum shiviz FILE.jsonl             (the trace as a ShiViz log: a space-time diagram elsewhere)
  quorum compare [--protocols P,Q,...] (--scenario FILE | --seeds A..B [--faults LEVEL] [--nodes N]
                 [--clients K] [--duration-ms MS]) [--json]   (one fault schedule, every protocol)
  quorum bugs  [--protocol P]
  quorum bench [--json] [--quick] | --snapshots | --bugs [--seeds N] [--faults L,M] [--max-mean M] | --long [--minutes M]

Protocols: raft, paxos, multi-paxos, primary-backup, 2pc, recovery-block (2 nodes or more).
Runs with faults end in a 5 s liveness phase: everything healed and restarted; the run fails
with \"liveness\" unless every client completes an operation then. A history the linearizability
search cannot decide is reported NOT VERIFIED (exit 0).
Exit status: 0 invariants hold, 1 a violation (seed printed), 2 bad input (limits: one hour of
simulated time, 1 to 64 nodes, 1,000 clients), 141 output closed early.
";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match commands::dispatch(&argv) {
        Ok(Outcome::Holds) => ExitCode::SUCCESS,
        Ok(Outcome::Violated) => ExitCode::from(1),
        Err(msg) => {
            eprintln!("error: {msg}");
            eprintln!("(run `quorum help` for usage)");
            ExitCode::from(2)
        }
    }
}
