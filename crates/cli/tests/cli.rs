//! The `quorum` binary as users call it: exit statuses 0 / 1 / 2, messages, files written.

use std::process::{Command, Output};

fn quorum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args(args)
        .output()
        .expect("run quorum")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("quorum-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn a_healthy_run_exits_zero() {
    let o = quorum(&[
        "run",
        "--protocol",
        "raft",
        "--nodes",
        "5",
        "--seed",
        "3",
        "--duration-ms",
        "3000",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("seed 3: ok"), "{}", stdout(&o));
}

#[test]
fn a_violation_exits_one_and_prints_the_seed_and_a_replay_command() {
    let o = quorum(&[
        "run",
        "--seed",
        "1",
        "--faults",
        "partition",
        "--duration-ms",
        "20000",
        "--bug",
        "vote-without-log-check",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("seed 1: VIOLATION LeaderCompleteness"),
        "{out}"
    );
    assert!(
        out.contains("replay: quorum run --protocol raft --nodes 5 --seed 1"),
        "{out}"
    );
}

#[test]
fn bad_input_exits_two_with_a_clear_message_and_no_output() {
    let cases: &[(&[&str], &str)] = &[
        (&["run", "--protocol", "zab"], "unknown protocol \"zab\""),
        (
            &["run", "--protocol", "recovery-block", "--nodes", "1"],
            "recovery-block needs at least 2 nodes",
        ),
        (
            &[
                "run",
                "--protocol",
                "recovery-block",
                "--option",
                "fault-rate=on",
            ],
            "unknown option \"fault-rate\" (known: software-fault)",
        ),
        (&["run", "--nodes", "0"], "--nodes must be between 1 and 64"),
        (
            &["run", "--nodes", "many"],
            "--nodes must be a non-negative integer",
        ),
        (
            &["run", "--faults", "meteor"],
            "unknown fault level \"meteor\"",
        ),
        (&["run", "--bug", "typo"], "unknown raft bug \"typo\""),
        (&["run", "--option", "warp=on"], "unknown option \"warp\""),
        (&["run", "--frobnicate"], "unknown option --frobnicate"),
        (
            &["run", "--scenario", "/nonexistent.scn"],
            "cannot read scenario",
        ),
        (&["sweep", "--seeds", "9..2"], "is empty"),
        (
            &["sweep", "--seeds", "1..=18446744073709551615"],
            "the end is too large",
        ),
        (
            &["sweep", "--seeds", "1..3", "--nodes", "2..=100"],
            "at most 64 values",
        ),
        (
            &[
                "sweep",
                "--seeds",
                "1..3",
                "--protocol",
                "recovery-block",
                "--nodes",
                "1..=3",
            ],
            "needs at least 2 nodes",
        ),
        (&["sweep"], "--seeds is required"),
        (&["check", "/nonexistent.jsonl"], "cannot read"),
        (&["check"], "usage: quorum check FILE.jsonl"),
        (&["bugs", "--protocol", "zab"], "unknown protocol"),
        (&["launch"], "unknown command"),
        (&["run", "--seeds", "1..3"], "unknown option --seeds"),
        (&["run", "stray"], "unexpected argument \"stray\""),
        (&["bugs", "extra"], "unexpected argument \"extra\""),
        (
            &["sweep", "--seeds", "1..3", "--seed", "4"],
            "unknown option --seed",
        ),
        (
            &["sweep", "--seeds", "1..3", "--trace", "x.jsonl"],
            "unknown option --trace",
        ),
        (
            &["run", "--scenario", "x.scn", "--nodes", "3"],
            "--nodes cannot be combined with --scenario",
        ),
    ];
    for (args, message) in cases {
        let o = quorum(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
        assert!(
            stdout(&o).is_empty(),
            "{args:?} wrote to stdout: {}",
            stdout(&o)
        );
    }
}

#[test]
fn a_malformed_scenario_names_its_line() {
    let path = tmp("bad.scn");
    std::fs::write(&path, "nodes 3\nrun 100ms\ncrash 9\n").unwrap();
    let o = quorum(&["run", "--scenario", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 3: node 9 does not exist"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn traces_round_trip_through_check() {
    let good = tmp("good.jsonl");
    let o = quorum(&[
        "run",
        "--seed",
        "2",
        "--faults",
        "chaos",
        "--duration-ms",
        "4000",
        "--trace",
        good.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = std::fs::read_to_string(&good).unwrap();
    assert!(text.starts_with("{\"t\":0,\"ev\":\"meta\",\"version\":1,\"protocol\":\"raft\""));
    let c = quorum(&["check", good.to_str().unwrap()]);
    assert_eq!(c.status.code(), Some(0), "{}", stdout(&c));
    assert!(stdout(&c).contains("every invariant holds"));

    let bad = tmp("bad.jsonl");
    let o = quorum(&[
        "run",
        "--seed",
        "1",
        "--faults",
        "partition",
        "--duration-ms",
        "20000",
        "--bug",
        "keep-stale-suffix",
        "--trace",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let c = quorum(&["check", bad.to_str().unwrap()]);
    assert_eq!(c.status.code(), Some(1));
    assert!(
        stdout(&c).contains("VIOLATION LogMatching"),
        "{}",
        stdout(&c)
    );
}

#[test]
fn a_malformed_trace_is_rejected_with_its_line_number() {
    let path = tmp("broken.jsonl");
    let meta =
        "{\"t\":0,\"ev\":\"meta\",\"version\":1,\"protocol\":\"raft\",\"nodes\":3,\"seed\":1}";
    for (body, message) in [
        (
            "{\"t\":5,\"ev\":\"deliver\",\"msg\":9}",
            "line 2: deliver of message 9, which was never sent",
        ),
        (
            "{\"t\":5,\"ev\":\"crash\"}",
            "line 2: missing field \"node\"",
        ),
        (
            "{\"t\":5,\"ev\":\"crash\",\"node\":0}",
            "line 2: field \"node\" must be at least 1",
        ),
        (
            "{\"t\":5,\"ev\":\"crash\",\"node\":4}",
            "line 2: node 4 does not exist",
        ),
        (
            "{\"t\":5,\"ev\":\"commit\",\"node\":1,\"index\":0}",
            "line 2: field \"index\" must be at least 1",
        ),
        ("not json", "line 2: not JSON"),
    ] {
        std::fs::write(&path, format!("{meta}\n{body}\n")).unwrap();
        let o = quorum(&["check", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{body}");
        assert!(stderr(&o).contains(message), "{body}: {}", stderr(&o));
    }
    std::fs::write(&path, meta.replace("\"version\":1", "\"version\":7")).unwrap();
    let o = quorum(&["check", path.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("version 7 is not supported"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn unknown_event_kinds_are_skipped_not_rejected() {
    let path = tmp("extended.jsonl");
    let meta =
        "{\"t\":0,\"ev\":\"meta\",\"version\":1,\"protocol\":\"raft\",\"nodes\":3,\"seed\":1}";
    std::fs::write(
        &path,
        format!("{meta}\n{{\"t\":5,\"ev\":\"teleport\",\"node\":1}}\n"),
    )
    .unwrap();
    let o = quorum(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("skipped 1 lines"), "{}", stdout(&o));
}

/// Twenty-two clients put at once, then two reads see the values in an order no sequence of
/// the puts allows: deciding that takes the search about 22 x 2^22 steps, past its budget.
#[test]
fn a_history_the_search_cannot_decide_is_reported_as_not_verified() {
    let path = tmp("undecidable.jsonl");
    let mut text =
        "{\"t\":0,\"ev\":\"meta\",\"version\":1,\"protocol\":\"raft\",\"nodes\":3,\"seed\":1}\n"
            .to_string();
    let op = |t: u64, ev: &str, c: u64, rest: &str| {
        format!("{{\"t\":{t},\"ev\":\"{ev}\",\"client\":\"c{c}\",\"op\":{c}{rest}}}\n")
    };
    for c in 1..=22 {
        text += &op(
            0,
            "invoke",
            c,
            &format!(",\"f\":\"put\",\"key\":1,\"value\":{c}"),
        );
    }
    for c in 1..=22 {
        text += &op(10, "ok", c, ",\"value\":null");
    }
    for (t, c, value) in [(20, 23, 22), (40, 24, 1)] {
        text += &op(t, "invoke", c, ",\"f\":\"get\",\"key\":1,\"value\":null");
        text += &op(t + 10, "ok", c, &format!(",\"value\":{value}"));
    }
    std::fs::write(&path, text).unwrap();
    let o = quorum(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("linearizability NOT VERIFIED (the search gave up on key 1)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_scenario_names_the_line_of_an_unknown_bug() {
    let path = tmp("unknown-bug.scn");
    std::fs::write(&path, "nodes 3\nbug flux-capacitor\nrun 10ms\n").unwrap();
    let o = quorum(&["run", "--scenario", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 2: unknown raft bug \"flux-capacitor\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn sweeps_report_counts_and_failing_seeds() {
    let o = quorum(&[
        "sweep",
        "--seeds",
        "1..6",
        "--faults",
        "chaos",
        "--duration-ms",
        "3000",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("sweep: 5 passed, 0 failed"),
        "{}",
        stdout(&o)
    );
    let o = quorum(&[
        "sweep",
        "--seeds",
        "1..=3",
        "--faults",
        "partition",
        "--bug",
        "vote-without-log-check",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("failing seeds: ["), "{}", stdout(&o));
}

#[test]
fn bugs_are_listed_one_a_line_with_a_sentence() {
    let o = quorum(&["bugs", "--protocol", "raft"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let names: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(names.len() >= 3);
    assert!(names.contains(&"vote-without-log-check") && names.contains(&"commit-previous-term"));
    assert!(out
        .lines()
        .all(|l| l.split_once("  ").is_some_and(|(_, s)| s.ends_with('.'))));
}

#[test]
fn scenarios_run_from_the_cli() {
    let dir = format!("{}/../engine/scenarios", env!("CARGO_MANIFEST_DIR"));
    let path = format!("{dir}/bug_forget_vote.scn");
    let o = quorum(&["run", "--scenario", &path]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "the scenario expects this violation"
    );
    assert!(
        stdout(&o).contains("expected violation ElectionSafety"),
        "{}",
        stdout(&o)
    );
    let script = std::fs::read_to_string(&path).unwrap();
    let unexpected = tmp("unexpected.scn");
    std::fs::write(
        &unexpected,
        script.replace("expect violation ElectionSafety", ""),
    )
    .unwrap();
    let o = quorum(&["run", "--scenario", unexpected.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("VIOLATION ElectionSafety"),
        "{}",
        stdout(&o)
    );
    let first = format!("{dir}/first_election.scn");
    assert_eq!(
        quorum(&["run", "--scenario", &first]).status.code(),
        Some(0)
    );
}

#[test]
fn bench_json_has_the_promised_keys() {
    let o = quorum(&["bench", "--quick", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("one JSON object");
    for key in [
        "raft5_msgs_per_s",
        "raft3_msgs_per_s",
        "raft9_msgs_per_s",
        "raft15_msgs_per_s",
        "raft51_msgs_per_s",
        "raft5_chaos_msgs_per_s",
        "history_bytes_per_sim_s",
        "seek_ms_p99",
    ] {
        assert!(
            v[key].as_f64().is_some_and(|x| x > 0.0),
            "{key} missing or zero in {v}"
        );
    }
}

#[test]
fn a_recovery_block_chaos_run_writes_a_trace_that_check_accepts() {
    let trace = tmp("rb.jsonl");
    let path = trace.to_str().unwrap();
    let o = quorum(&[
        "run",
        "--protocol",
        "recovery-block",
        "--nodes",
        "2",
        "--seed",
        "5",
        "--faults",
        "chaos",
        "--duration-ms",
        "5000",
        "--trace",
        path,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = std::fs::read_to_string(&trace).unwrap();
    for kind in ["try", "test", "rollback", "swap", "output"] {
        let needle = format!("\"ev\":\"{kind}\"");
        assert!(text.contains(&needle), "no {kind} event in the trace");
    }
    let c = quorum(&["check", path]);
    assert_eq!(c.status.code(), Some(0), "{}{}", stdout(&c), stderr(&c));
    assert!(
        stdout(&c).contains("every invariant holds"),
        "{}",
        stdout(&c)
    );
}

#[test]
fn a_recovery_block_bug_is_caught_in_the_run_and_again_by_check() {
    let trace = tmp("rb_bug.jsonl");
    let path = trace.to_str().unwrap();
    let o = quorum(&[
        "run",
        "--protocol",
        "recovery-block",
        "--nodes",
        "2",
        "--seed",
        "1",
        "--duration-ms",
        "2000",
        "--bug",
        "skip-acceptance-test",
        "--trace",
        path,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("VIOLATION AcceptedResultsOnly"),
        "{}",
        stdout(&o)
    );
    let c = quorum(&["check", path]);
    assert_eq!(c.status.code(), Some(1), "{}", stderr(&c));
    assert!(
        stdout(&c).contains("VIOLATION AcceptedResultsOnly"),
        "{}",
        stdout(&c)
    );
}

#[test]
fn recovery_block_lists_its_four_planted_bugs() {
    let o = quorum(&["bugs", "--protocol", "recovery-block"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for bug in [
        "skip-acceptance-test",
        "no-rollback",
        "swap-without-new-epoch",
        "ack-by-count",
    ] {
        assert!(out.contains(bug), "{out}");
    }
}

#[test]
fn a_sweep_draws_each_seeds_node_and_client_counts_from_the_lists_given() {
    let o = quorum(&[
        "sweep",
        "--seeds",
        "1..41",
        "--nodes",
        "2..=4",
        "--clients",
        "3,10",
        "--faults",
        "chaos",
        "--duration-ms",
        "2000",
        "--bug",
        "vote-without-log-check",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("seeds on 2/3/4 nodes, 3/10 clients, faults chaos)"),
        "{out}"
    );
    let shapes: std::collections::BTreeSet<(String, String)> = out
        .lines()
        .filter_map(|l| l.strip_prefix("replay: "))
        .map(|l| {
            let words: Vec<&str> = l.split(' ').collect();
            let after = |flag: &str| {
                let at = words.iter().position(|w| *w == flag).unwrap();
                words[at + 1].to_string()
            };
            (after("--nodes"), after("--clients"))
        })
        .collect();
    let nodes: std::collections::BTreeSet<&str> = shapes.iter().map(|s| s.0.as_str()).collect();
    let clients: std::collections::BTreeSet<&str> = shapes.iter().map(|s| s.1.as_str()).collect();
    assert!(
        nodes.len() >= 2 && nodes.is_subset(&["2", "3", "4"].into()),
        "{out}"
    );
    assert_eq!(clients, ["3", "10"].into(), "{out}");
}

#[test]
fn inputs_past_the_documented_limits_are_refused_with_exit_2() {
    let dir = tmp("limits");
    std::fs::create_dir_all(&dir).unwrap();
    let script = |name: &str, body: &str| {
        let path = dir.join(name);
        std::fs::write(&path, body).unwrap();
        path.display().to_string()
    };
    let cases = [
        (
            vec![
                "run".to_string(),
                "--duration-ms".into(),
                "100000000000".into(),
            ],
            "at most 3600000",
        ),
        (
            vec![
                "run".into(),
                "--scenario".into(),
                script("long.scn", "nodes 3\nrun 100000s\n"),
            ],
            "longer than one hour",
        ),
        (
            vec![
                "run".into(),
                "--scenario".into(),
                script("huge.scn", "nodes 3\nrun 18446744073709551615us\n"),
            ],
            "longer than one hour",
        ),
        (
            vec![
                "run".into(),
                "--scenario".into(),
                script("overlap.scn", "nodes 3\npartition 1 2 | 2 3\nrun 1s\n"),
            ],
            "node 2 is in two partition groups",
        ),
    ];
    for (args, message) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = quorum(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_instead_of_panicking() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args([
            "sweep",
            "--seeds",
            "1..300",
            "--faults",
            "chaos",
            "--duration-ms",
            "1000",
            "--bug",
            "vote-without-log-check",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("VIOLATION"), "{first}");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(141), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn a_trace_naming_a_huge_index_is_refused_instead_of_exhausting_memory() {
    for protocol in ["raft", "primary-backup", "paxos", "recovery-block"] {
        let path = tmp(&format!("huge-{protocol}.jsonl"));
        let header = format!(
            "{{\"t\":0,\"ev\":\"meta\",\"version\":1,\"protocol\":\"{protocol}\",\"nodes\":3,\"seed\":1}}"
        );
        let apply = "{\"t\":5,\"ev\":\"apply\",\"node\":1,\"index\":5000000000,\"term\":1,\
                     \"cmd\":{\"client\":\"c1\",\"op\":1,\"f\":\"get\",\"key\":1}}";
        std::fs::write(&path, format!("{header}\n{apply}\n")).unwrap();
        let o = quorum(&["check", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{protocol}");
        assert!(
            stderr(&o).contains("past the limit of 10000000"),
            "{protocol}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn run_with_metrics_prints_availability_and_each_faults_recovery() {
    let o = quorum(&[
        "run",
        "--protocol",
        "raft",
        "--seed",
        "3",
        "--faults",
        "crash",
        "--metrics",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("availability "), "{out}");
    assert!(
        out.contains("fault at ") && out.contains("crash n"),
        "{out}"
    );
    let json = quorum(&[
        "run",
        "--protocol",
        "raft",
        "--seed",
        "3",
        "--faults",
        "crash",
        "--metrics",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(stdout(&json).trim()).unwrap();
    assert_eq!(v["passed"], true);
    assert!(v["metrics"]["availability"].as_f64().unwrap() < 1.0);
    assert!(!v["metrics"]["faults"].as_array().unwrap().is_empty());
}

#[test]
fn quorum_metrics_reads_an_exported_trace() {
    let path = tmp("metrics.jsonl");
    let p = path.to_str().unwrap();
    let o = quorum(&[
        "run",
        "--protocol",
        "multi-paxos",
        "--faults",
        "chaos",
        "--trace",
        p,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m = quorum(&["metrics", p, "--json"]);
    assert_eq!(m.status.code(), Some(0), "{}", stderr(&m));
    let v: serde_json::Value = serde_json::from_str(stdout(&m).trim()).unwrap();
    assert!(v["ok"].as_u64().unwrap() > 0, "{v}");
    let bad = quorum(&["metrics"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("usage: quorum metrics"));
}

#[test]
fn compare_runs_one_schedule_against_every_protocol() {
    let o = quorum(&[
        "compare",
        "--protocols",
        "raft,primary-backup",
        "--seeds",
        "1..5",
        "--duration-ms",
        "5000",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("raft ") && out.contains("primary-backup "),
        "{out}"
    );
    assert!(out.contains("CDF"), "{out}");
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../engine/scenarios/compare_crash_the_leader.scn"
    );
    let s = quorum(&[
        "compare",
        "--scenario",
        scenario,
        "--protocols",
        "raft,multi-paxos",
        "--json",
    ]);
    assert_eq!(s.status.code(), Some(0), "{}", stderr(&s));
    let v: serde_json::Value = serde_json::from_str(stdout(&s).trim()).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let what = rows[1]["metrics"]["faults"][0]["what"].as_str().unwrap();
    assert!(
        what.contains("(leader)"),
        "crash leader hits the leader: {what}"
    );
    for bad in [
        vec!["compare", "--protocols", "raft,nope", "--seeds", "1..3"],
        vec!["compare", "--protocols", "raft"],
        vec!["compare", "--scenario", scenario, "--nodes", "3"],
    ] {
        let o = quorum(&bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(!stderr(&o).is_empty());
    }
}

#[test]
fn compare_takes_protocol_variants_and_narrow_election_timeouts_split_votes() {
    let o = quorum(&[
        "compare",
        "--protocols",
        "raft:election-max-ms=151,raft",
        "--seeds",
        "1..21",
        "--faults",
        "crash",
        "--json",
    ]);
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let election = |i: usize| v[i]["election"]["p50"].as_u64().unwrap();
    assert_eq!(v[0]["protocol"], "raft:election-max-ms=151");
    assert!(
        election(0) > 4 * election(1),
        "150-151 ms timeouts split votes: election p50 {} vs {}",
        election(0),
        election(1)
    );
    if let Some(replay) = v[0]["replay"].as_str() {
        assert!(replay.contains("--option election-max-ms=151"), "{replay}");
    }
    for bad in [
        "raft:bogus,raft",
        "raft:election-min-ms=20,raft",
        "raft:=1,raft",
    ] {
        let o = quorum(&["compare", "--protocols", bad, "--seeds", "1..2"]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("error:"), "{bad}");
    }
}

#[test]
fn quorum_shiviz_writes_a_log_shiviz_reads() {
    let path = tmp("shiviz.jsonl");
    let p = path.to_str().unwrap();
    let o = quorum(&["run", "--protocol", "2pc", "--nodes", "4", "--trace", p]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = quorum(&["shiviz", p]);
    assert_eq!(s.status.code(), Some(0), "{}", stderr(&s));
    let out = stdout(&s);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(quorum_engine::run::shiviz::REGEX));
    assert_eq!(lines.next(), Some(""));
    let events: Vec<&str> = lines.collect();
    assert!(
        events.len() > 100 && events.len().is_multiple_of(2),
        "{} lines",
        events.len()
    );
    assert!(
        events[1].starts_with("n") || events[1].starts_with("c"),
        "{}",
        events[1]
    );
    for bad in [vec!["shiviz"], vec!["shiviz", "/nonexistent.jsonl"]] {
        let o = quorum(&bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn a_linearizability_violation_is_explained_in_plain_words() {
    let o = quorum(&[
        "run",
        "--protocol",
        "primary-backup",
        "--bug",
        "ack-before-replication",
        "--faults",
        "chaos",
        "--seed",
        "5",
    ]);
    let out = stdout(&o);
    let why = out
        .lines()
        .find_map(|l| l.strip_prefix("why not linearizable: "))
        .unwrap_or_else(|| panic!("no explanation in {out}"));
    assert!(why.starts_with("On key "), "{why}");
    assert!(
        why.contains("no order of the operations explains it"),
        "{why}"
    );
    assert!(
        why.contains("The longest order that explains the history places"),
        "{why}"
    );
    let fine = quorum(&[
        "run",
        "--protocol",
        "primary-backup",
        "--faults",
        "chaos",
        "--seed",
        "5",
    ]);
    assert!(!stdout(&fine).contains("why not"), "{}", stdout(&fine));
}

#[test]
fn a_trace_whose_time_is_past_the_longest_run_is_refused_not_allocated_for() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../engine/tests/fuzz/trace-found-huge-time.jsonl"
    );
    for cmd in ["metrics", "check", "shiviz"] {
        let o = quorum(&[cmd, path]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert!(
            stderr(&o).contains("past the longest run"),
            "{cmd}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn bench_bugs_lists_every_planted_bug_with_how_often_it_was_caught() {
    let o = quorum(&["bench", "--bugs", "--seeds", "4", "--faults", "swarm"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let bugs = stdout(&quorum(&["bugs"]));
    for bug in bugs.lines().filter_map(|l| l.split_whitespace().next()) {
        assert!(
            out.contains(&format!(" {bug} ")),
            "{bug} missing from\n{out}"
        );
    }
    let snapshot = out
        .lines()
        .find(|l| l.contains("snapshot-uncommitted"))
        .unwrap();
    assert!(snapshot.contains("4/4"), "caught in every seed: {snapshot}");
    let bad = quorum(&["bench", "--seeds", "4"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("go with --bugs"));
    let strict = [
        "bench",
        "--bugs",
        "--seeds",
        "4",
        "--faults",
        "chaos",
        "--max-mean",
        "1",
    ];
    let slow = quorum(&strict);
    assert_eq!(
        slow.status.code(),
        Some(1),
        "forget-vote is never caught by chaos"
    );
    assert!(stdout(&slow).contains("raft forget-vote under chaos"));
    let lenient = quorum(&[
        "bench",
        "--bugs",
        "--seeds",
        "2",
        "--faults",
        "chaos",
        "--max-mean",
        "9",
    ]);
    assert_eq!(
        lenient.status.code(),
        Some(1),
        "0 of 2 is more than 9 on average"
    );
}

#[test]
fn bench_long_reports_history_and_seek_times_for_every_protocol() {
    let o = quorum(&["bench", "--long", "--minutes", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for p in [
        "raft",
        "paxos",
        "multi-paxos",
        "primary-backup",
        "2pc",
        "recovery-block",
    ] {
        let row = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(p))
            .unwrap_or_else(|| panic!("{p} missing from\n{out}"));
        assert!(row.trim_end().ends_with("ms"), "{row}");
    }
    for bad in [
        vec!["bench", "--long", "--minutes", "0"],
        vec!["bench", "--minutes", "3"],
    ] {
        assert_eq!(quorum(&bad).status.code(), Some(2), "{bad:?}");
    }
}
