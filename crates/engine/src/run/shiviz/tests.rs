use std::collections::BTreeMap;

use super::*;
use crate::model::trace::parse_trace;
use crate::run::runner::{run, RunSpec};
use crate::sim::faults::FaultLevel;

/// A chaos run's export: messages lost, duplicated and delivered, clients and crashes.
fn chaos_export() -> String {
    let spec = RunSpec {
        faults: FaultLevel::Chaos,
        duration: 4 * crate::model::types::SEC,
        keep_trace: true,
        ..RunSpec::default()
    };
    let report = run(&spec).unwrap();
    let trace = parse_trace(report.trace.as_deref().unwrap()).unwrap();
    export(&trace.events)
}

/// One parsed event: (time, text, host, clock).
type Parsed = (u64, String, String, BTreeMap<String, u64>);

/// Parses the export the way ShiViz does: the first line is the expression, the second the
/// (empty) execution delimiter, and every match of the expression is one event.
fn parse_like_shiviz(text: &str) -> Vec<Parsed> {
    let (first, rest) = text.split_once('\n').unwrap();
    assert_eq!(first, REGEX);
    let (delimiter, log) = rest.split_once('\n').unwrap();
    assert_eq!(delimiter, "", "one execution: no delimiter");
    let re = regex::Regex::new(first).expect("ShiViz's expression compiles");
    let mut end = 0;
    let mut events = Vec::new();
    for c in re.captures_iter(log) {
        let m = c.get(0).unwrap();
        assert_eq!(log[end..m.start()].trim(), "", "text between events");
        end = m.end();
        let clock: BTreeMap<String, u64> = serde_json::from_str(&c["clock"]).expect("JSON clock");
        events.push((
            c["time"].parse().unwrap(),
            c["event"].to_string(),
            c["host"].to_string(),
            clock,
        ));
    }
    assert_eq!(log[end..].trim(), "", "text after the last event");
    events
}

#[test]
fn the_export_parses_with_shivizs_expression_and_keeps_the_vector_clock_rules() {
    let events = parse_like_shiviz(&chaos_export());
    assert!(events.len() > 1000, "{} events", events.len());
    let mut own: BTreeMap<&str, u64> = BTreeMap::new();
    let mut last_t = 0;
    for (t, _, host, clock) in &events {
        let n = own.entry(host).or_default();
        *n += 1;
        assert_eq!(
            clock.get(host.as_str()),
            Some(&*n),
            "{host} counts its events from 1 by 1"
        );
        assert!(*t >= last_t, "in time order");
        last_t = *t;
    }
    assert!(own.contains_key("n1") && own.contains_key("c1"), "{own:?}");
}

#[test]
fn a_receive_happens_after_its_send_and_lost_messages_say_why() {
    let events = parse_like_shiviz(&chaos_export());
    let sends: BTreeMap<&str, &BTreeMap<String, u64>> = events
        .iter()
        .filter_map(|(_, text, _, clock)| {
            let id = text.strip_prefix("send ")?.split(' ').next()?;
            Some((id, clock))
        })
        .collect();
    let mut received = 0;
    for (_, text, host, clock) in &events {
        let Some(id) = text
            .strip_prefix("receive ")
            .and_then(|r| r.split(' ').next())
        else {
            continue;
        };
        received += 1;
        let sent = sends[id];
        for (h, n) in sent {
            assert!(
                clock.get(h).is_some_and(|m| m >= n),
                "{host} {text}: {clock:?} < {sent:?}"
            );
        }
    }
    assert!(received > 500, "{received} deliveries");
    let lost: Vec<&String> = events
        .iter()
        .map(|e| &e.1)
        .filter(|t| t.starts_with("lost "))
        .collect();
    assert!(!lost.is_empty(), "chaos loses messages");
    assert!(
        lost.iter().all(|t| ["(loss)", "(partition)", "(node-down)"]
            .iter()
            .any(|r| t.ends_with(r))),
        "{lost:?}"
    );
}

#[test]
fn world_events_sit_on_their_own_host() {
    let events = parse_like_shiviz(&chaos_export());
    let world: Vec<&Parsed> = events.iter().filter(|e| e.2 == "world").collect();
    assert!(
        world
            .iter()
            .any(|e| e.1.starts_with("partition") || e.1 == "heal"),
        "{world:?}"
    );
    assert!(
        world.iter().all(|e| e.3.len() == 1),
        "the world takes part in no message"
    );
}
