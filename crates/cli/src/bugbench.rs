//! `quorum bench --bugs`: how fast random testing finds each planted bug.
//!
//! For every planted bug of every protocol, seeds 1 to N (`--seeds`, default 100) run with the
//! bug on, under each fault level (`--faults`, default `chaos,swarm`), 20 s of safety phase and
//! three clients, with the settings of the bug's own scenario (its node count and options: the
//! Figure 8 bug, for one, shows only with Raft's no-op off). A seed *catches* the bug when an
//! invariant checker reports a violation (a liveness failure alone does not count). The table gives
//! the seeds that caught it and the mean number of seeds until one does, N / caught (the mean of a
//! geometric distribution), and the invariant that fired most often. With `--max-mean M` the
//! command fails (exit 1) if some bug needs more than M seeds on average under some level: the
//! CI's guard on the fault planner.

use std::collections::BTreeMap;

use quorum_engine::lab::catalog;
use quorum_engine::model::types::SEC;
use quorum_engine::run::link;
use quorum_engine::run::runner::{self, RunSpec, PROTOCOLS};
use quorum_engine::sim::faults::FaultLevel;
use quorum_engine::sim::protocol::Bug;

use crate::args::Args;
use crate::Outcome;

/// One bug under one fault level.
struct Found {
    caught: usize,
    invariant: Option<String>,
}

/// `quorum bench --bugs [--seeds N] [--faults L,M] [--max-mean M]`.
pub fn bugs_table(a: &Args) -> Result<Outcome, String> {
    let n: u64 = a.num("seeds", 100)?;
    let max_mean: Option<u64> = a
        .get("max-mean")
        .map(|_| a.num("max-mean", 0))
        .transpose()?;
    if !(1..=100_000).contains(&n) {
        return Err("--seeds for --bugs is a count, 1 to 100000".into());
    }
    let levels: Vec<FaultLevel> = a
        .get("faults")
        .unwrap_or("chaos,swarm")
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let seeds: Vec<u64> = (1..=n).collect();
    let mut head = format!("{:<15} {:<26}", "protocol", "bug");
    for l in &levels {
        head += &format!(" {:>16} {:>9}", format!("{l}: caught"), "mean");
    }
    say!("{head}  most often caught by");
    let mut slow = Vec::new();
    for (protocol, _) in PROTOCOLS.iter().filter(|(_, ok)| *ok) {
        for bug in runner::bugs(protocol)? {
            let found: Vec<Found> = levels
                .iter()
                .map(|l| hunt(protocol, bug, *l, &seeds))
                .collect::<Result<_, _>>()?;
            say!("{}", row(protocol, bug, &found, n));
            for (level, f) in levels.iter().zip(&found) {
                if max_mean.is_some_and(|m| f.caught as u64 * m < n) {
                    slow.push(format!("{protocol} {} under {level}", bug.name));
                }
            }
        }
    }
    match (max_mean, slow.is_empty()) {
        (Some(m), false) => {
            say!(
                "FAILED: more than {m} seeds on average to catch: {}",
                slow.join(", ")
            );
            Ok(Outcome::Violated)
        }
        _ => Ok(Outcome::Holds),
    }
}

fn row(protocol: &str, bug: &Bug, found: &[Found], n: u64) -> String {
    let mut line = format!("{protocol:<15} {:<26}", bug.name);
    for f in found {
        let mean = match f.caught {
            0 => format!(">{n}"),
            c => format!("{:.1}", n as f64 / c as f64),
        };
        line += &format!(" {:>16} {mean:>9}", format!("{}/{n}", f.caught));
    }
    let by = found
        .iter()
        .find_map(|f| f.invariant.clone())
        .unwrap_or("-".into());
    format!("{line}  {by}")
}

/// Runs the seeds with `bug` on under `level`.
fn hunt(protocol: &str, bug: &Bug, level: FaultLevel, seeds: &[u64]) -> Result<Found, String> {
    let spec = bug_spec(protocol, bug, level)?;
    let firsts = crate::par::over_seeds(seeds, |seed| {
        let mut one = spec.clone();
        one.setup.seed = seed;
        let r = runner::run(&one)?;
        Ok(r.violations.first().map(|v| v.invariant.to_string()))
    })?;
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for inv in firsts.iter().flatten() {
        *by.entry(inv.clone()).or_default() += 1;
    }
    Ok(Found {
        caught: firsts.iter().filter(|f| f.is_some()).count(),
        invariant: by.into_iter().max_by_key(|(_, c)| *c).map(|(i, _)| i),
    })
}

/// The run settings of a bug's hunt: its scenario's nodes and options, the bug on.
fn bug_spec(protocol: &str, bug: &Bug, level: FaultLevel) -> Result<RunSpec, String> {
    let mut spec = RunSpec {
        duration: 20 * SEC,
        faults: level,
        ..RunSpec::default()
    };
    if let Some(state) = catalog::find(bug.scenario)
        .and_then(|s| s.link())
        .and_then(|l| link::decode(l).ok())
    {
        spec.setup.nodes = state.config.nodes.max(3);
        spec.setup.options = state.config.options;
    }
    spec.setup.protocol = protocol.to_string();
    spec.setup.clients = 3;
    spec.setup.options.bugs = vec![bug.name.to_string()];
    runner::validate(&spec)?;
    Ok(spec)
}
