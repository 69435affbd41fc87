//! The documentation that lists what the code declares is checked against the code: the planted
//! bugs table of docs/cli.md (regenerated with `UPDATE_GOLDEN=1`), and the bug and protocol names
//! docs/scenarios.md lists for scripts.

use quorum_engine::run::runner;

fn doc(name: &str) -> (std::path::PathBuf, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// The rows of the planted-bugs table: protocol, bug, invariant, scenario.
fn bug_table() -> String {
    runner::PROTOCOLS
        .iter()
        .flat_map(|(p, _)| {
            runner::bugs(p).unwrap().iter().map(move |b| {
                format!(
                    "| `{p}` | `{}` | {} | `{}.scn` |\n",
                    b.name, b.caught_by, b.scenario
                )
            })
        })
        .collect()
}

#[test]
fn the_cli_docs_list_every_planted_bug_as_the_code_declares_it() {
    let (path, text) = doc("cli.md");
    let head = "|---|---|---|---|\n";
    let at = text.find("<!-- bugs: generated").expect("the marker");
    let from = at + text[at..].find(head).unwrap() + head.len();
    let to = from + text[from..].find("<!-- end bugs -->").unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let new = format!("{}{}{}", &text[..from], bug_table(), &text[to..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    assert_eq!(
        text[from..to],
        bug_table(),
        "docs/cli.md's bug table is stale: UPDATE_GOLDEN=1 cargo test -p quorum-engine --test docs"
    );
}

#[test]
fn the_scenario_docs_name_every_bug_and_protocol() {
    let (_, text) = doc("scenarios.md");
    for (p, _) in runner::PROTOCOLS {
        assert!(
            text.contains(&format!("`{p}`")),
            "scenarios.md lacks protocol {p}"
        );
        for b in runner::bugs(p).unwrap() {
            assert!(
                text.contains(&format!("`{}`", b.name)),
                "scenarios.md lacks bug {}",
                b.name
            );
        }
    }
}
