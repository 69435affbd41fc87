//! The engine's shape, checked from its source: the folders are layers that import only the layers
//! before them (no circles), a protocol is one folder, and no protocol reaches into another (what
//! several share lives in `replicated/` and `check/`).

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
        for file in rust_files(&src().join("protocols").join(protocol)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for other in PROTOCOLS.iter().filter(|o| *o != protocol) {
                if text.contains(&format!("protocols::{other}")) {
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
                if text.contains(&format!("protocols::{protocol}")) {
                    found.push(format!("{} uses crate::{protocol}", file.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The layers in dependency order: each may use only itself and the layers before it.
const LAYERS: &[&str] = &[
    "model",
    "check",
    "metrics",
    "sim",
    "replicated",
    "protocols",
    "run",
    "lab",
];

/// The layers a file names as `crate::<layer>` (comments included: a doc link upwards is a sign of
/// a misplaced item too).
fn layers_named(text: &str) -> Vec<&'static str> {
    LAYERS
        .iter()
        .copied()
        .filter(|layer| text.contains(&format!("crate::{layer}::")))
        .collect()
}

#[test]
fn every_layer_uses_only_the_layers_before_it() {
    let mut found = Vec::new();
    for (rank, layer) in LAYERS.iter().enumerate() {
        for file in rust_files(&src().join(layer)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for used in layers_named(&text) {
                if LAYERS.iter().position(|l| *l == used).unwrap() > rank {
                    found.push(format!("{} ({layer}) uses crate::{used}", file.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "imports against the layer order:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_source_file_belongs_to_a_layer() {
    let stray: Vec<_> = std::fs::read_dir(src())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "lib.rs" && !LAYERS.contains(&name.as_str()))
        .collect();
    assert!(stray.is_empty(), "outside the layers: {stray:?}");
}
