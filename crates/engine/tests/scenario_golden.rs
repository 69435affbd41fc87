//! Golden scenario tests: each `scenarios/NAME.scn` script runs, its expectations must hold,
//! and its output must equal `NAME.golden` beside it. After a deliberate change of behaviour,
//! regenerate with `UPDATE_GOLDEN=1 cargo test -p quorum-engine --test scenario_golden` and review
//! the diff like code.

use std::path::{Path, PathBuf};

use quorum_engine::run::runner::run_scenario;

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Runs `NAME.scn`: its expectations must hold and its output must equal `NAME.golden` (or, with
/// `UPDATE_GOLDEN=1`, becomes it). Returns what went wrong.
fn check(name: &str) -> Result<(), String> {
    let dir = scenario_dir();
    let script = std::fs::read_to_string(dir.join(format!("{name}.scn"))).expect("scenario file");
    let run = run_scenario(&script).map_err(|e| format!("{name}: {e}"))?;
    if !run.outcome.failures.is_empty() {
        return Err(format!(
            "{name}: failed expectations:\n{}\n\noutput:\n{}",
            run.outcome.failures.join("\n"),
            run.outcome.output
        ));
    }
    let golden = dir.join(format!("{name}.golden"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &run.outcome.output).expect("write golden");
        return Ok(());
    }
    let want = std::fs::read_to_string(&golden)
        .map_err(|_| format!("{name}: no golden file; run with UPDATE_GOLDEN=1"))?;
    if want != run.outcome.output {
        let diff = first_difference(&want, &run.outcome.output);
        return Err(format!("{name}: output differs from {}\n{diff}\n(regenerate with UPDATE_GOLDEN=1 if the change is intended)", golden.display()));
    }
    Ok(())
}

/// Every scenario script in `scenarios/`, by name (found by walking the folder, as etcd's
/// datadriven tests do: a new `.scn` file is a new test).
fn scenario_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .into_string()
                .ok()?
                .strip_suffix(".scn")
                .map(String::from)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_scenario_holds_its_expectations_and_matches_its_golden_trace() {
    let names = scenario_names();
    assert!(names.len() >= 50, "found only {names:?}");
    let failures: Vec<String> = names.iter().filter_map(|n| check(n).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let i = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    format!(
        "first difference at line {}:\n  want: {:?}\n  got:  {:?}",
        i + 1,
        w.get(i),
        g.get(i)
    )
}

/// The app's scenario menu replays stored links (`scenarios/catalog/PROTOCOL.links`); they must be
/// what the scripts produce today, and each scenario's protocol must be the one its script runs.
#[test]
fn the_catalog_links_are_what_the_scripts_produce() {
    let dir = scenario_dir();
    let mut files: std::collections::BTreeMap<&str, String> =
        quorum_engine::lab::catalog::LINK_FILES
            .iter()
            .map(|(p, _)| (*p, String::new()))
            .collect();
    for s in quorum_engine::lab::catalog::SCENARIOS {
        let script = std::fs::read_to_string(dir.join(format!("{}.scn", s.name))).expect("script");
        let run = run_scenario(&script).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        assert!(
            run.link.contains(&format!("&p={}&", s.protocol)),
            "{} is listed as {} but runs {}",
            s.name,
            s.protocol,
            run.link
        );
        let file = files
            .get_mut(s.protocol)
            .expect("a protocol with a link file");
        *file += &format!("{} {}\n", s.name, run.link);
    }
    for (protocol, text) in files {
        let path = dir.join("catalog").join(format!("{protocol}.links"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &text).expect("write a catalog file");
            continue;
        }
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            stored,
            text,
            "{} is stale: regenerate with UPDATE_GOLDEN=1",
            path.display()
        );
    }
}
