//! The engine's shape, checked from its source: a protocol is one folder, and no protocol reaches
//! into another (what several share lives in `replicated/` and `check/`).

use std::path::{Path, PathBuf};

const PROTOCOLS: &[&str] = &["raft", "paxos", "primary_backup", "twopc", "recovery_block"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn no_protocol_imports_another_protocol() {
    let mut found = Vec::new();
    for protocol in PROTOCOLS {
        for file in rust_files(&src().join(protocol)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for other in PROTOCOLS.iter().filter(|o| *o != protocol) {
                if text.contains(&format!("crate::{other}::")) {
                    found.push(format!("{} uses crate::{other}", file.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "protocols reaching into each other:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_shared_layers_import_no_protocol() {
    let mut found = Vec::new();
    for layer in ["replicated", "check"] {
        for file in rust_files(&src().join(layer)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for protocol in PROTOCOLS {
                if text.contains(&format!("crate::{protocol}")) {
                    found.push(format!("{} uses crate::{protocol}", file.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
