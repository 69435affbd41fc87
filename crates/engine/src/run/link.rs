//! Share links: a whole lab state as a URL query string.
//!
//! A link carries the format version, the settings (protocol, nodes, seed, clients, options, bugs,
//! network), every user intervention with its stamp, and the current time. Opening it rebuilds the
//! run from the seed, replays the interventions at exactly their steps, and seeks to the time: the
//! same world, digest for digest. Only URL-unreserved characters are used, so a link survives
//! copying, e-mail and iframe `src` attributes unchanged.
//!
//! ```text
//! v=1&p=raft&n=5&seed=42&c=1&opt=prevote,!check-quorum&bug=forget-vote&net=5000-15000-0-0
//!    &iv=1500000.4312.c3~2100000.5120.p1_2-3_4_5&t=2500000
//! ```
//!
//! Interventions are `AT.STEP.ACTION` separated by `~`, with actions: `cN` crash, `rN` restart,
//! `tN` time out, `h` heal, `pA_B-C_D` partition (groups separated by `-`), `xA_B` cut A→B,
//! `dN_RATE` clock drift, `DID` drop, `UID` duplicate, `LID_US` delay a message,
//! `NMIN_MAX_LOSS_DUP` network, `qN_put_K_V` / `qN_get_K` / `qN_cas_K_FROM_TO` a client request
//! to node N (0: wherever the client goes; FROM `n` means absent).

use crate::model::kv::KvOp;
use crate::model::text::{quoted, text, Phrase, Text};
use crate::model::types::{Micros, NodeId};
use crate::run::setup::Setup;
use crate::sim::action::{Action, LeaderFault, Strike};
use crate::sim::net::NetConfig;
use crate::sim::protocol::ProtocolOptions;
use crate::sim::timeline::Intervention;

/// The link format version this build writes and reads.
pub const LINK_VERSION: u32 = 1;

/// A decoded link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedState {
    /// Settings.
    pub config: Setup,
    /// Interventions, in order.
    pub interventions: Vec<Intervention>,
    /// The moment to show.
    pub t: Micros,
    /// The built-in scenario it came from, if any (informational).
    pub scenario: Option<String>,
}

/// Writes a share link's query string (without the leading `?`).
pub fn encode(state: &SharedState) -> String {
    let c = &state.config;
    let mut parts = vec![
        format!("v={LINK_VERSION}"),
        format!("p={}", c.protocol),
        format!("n={}", c.nodes),
        format!("seed={}", c.seed),
        format!("c={}", c.clients),
    ];
    if !c.options.flags.is_empty() || !c.options.values.is_empty() {
        let values = c.options.values.iter().map(|(n, v)| format!("{n}.{v}"));
        let flags: Vec<String> = c
            .options
            .flags
            .iter()
            .map(|(n, on)| if *on { n.clone() } else { format!("!{n}") })
            .chain(values)
            .collect();
        parts.push(format!("opt={}", flags.join(",")));
    }
    if !c.options.bugs.is_empty() {
        parts.push(format!("bug={}", c.options.bugs.join(",")));
    }
    if c.net != NetConfig::default() {
        parts.push(format!("net={}", net_text(&c.net, "-")));
    }
    if !state.interventions.is_empty() {
        let items: Vec<String> = state.interventions.iter().map(intervention_text).collect();
        parts.push(format!("iv={}", items.join("~")));
    }
    if let Some(sc) = &state.scenario {
        parts.push(format!("sc={sc}"));
    }
    parts.push(format!("t={}", state.t));
    parts.join("&")
}

fn net_text(n: &NetConfig, sep: &str) -> String {
    [
        n.latency_min,
        n.latency_max,
        u64::from(n.loss_ppm),
        u64::from(n.dup_ppm),
    ]
    .map(|x| x.to_string())
    .join(sep)
}

fn intervention_text(iv: &Intervention) -> String {
    format!("{}.{}.{}", iv.at, iv.after_step, action_text(&iv.action))
}

fn join(ids: &[NodeId]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("_")
}

/// The link text of one action (`live` and the leader-aimed nemeses `AC…`/`AI…` are not user
/// actions: a link never carries them, and reading one refuses them).
pub fn action_text(a: &Action) -> String {
    match a {
        Action::Crash(n) => format!("c{n}"),
        Action::Restart(n) => format!("r{n}"),
        Action::Timeout(n) => format!("t{n}"),
        Action::Heal => "h".into(),
        Action::Partition(groups) => {
            format!(
                "p{}",
                groups.iter().map(|g| join(g)).collect::<Vec<_>>().join("-")
            )
        }
        Action::Cut(a, b) => format!("x{a}_{b}"),
        Action::Drift(n, r) => format!("d{n}_{r}"),
        Action::DropMessage(id) => format!("D{id}"),
        Action::DuplicateMessage(id) => format!("U{id}"),
        Action::DelayMessage(id, by) => format!("L{id}_{by}"),
        Action::Network(cfg) => format!("N{}", net_text(cfg, "_")),
        Action::Request { node, op } => format!("q{}_{}", node.unwrap_or(0), op_text(op)),
        Action::Liveness => "live".into(),
        Action::AtLeader {
            fault,
            undo_after,
            when,
        } => {
            let when = match when {
                Strike::Now => "",
                Strike::OnRequest => "r",
                Strike::OnElection => "e",
            };
            match fault {
                LeaderFault::Crash => format!("AC{undo_after}{when}"),
                LeaderFault::Isolate { with } => format!("AI{with}_{undo_after}{when}"),
            }
        }
    }
}

/// The operation's words joined by `_`; an absent `cas` value is written `n` (short, and what
/// links have always carried).
fn op_text(op: &KvOp) -> String {
    let words = op.words();
    let short: Vec<&str> = words
        .iter()
        .map(|w| if w == "none" { "n" } else { w.as_str() })
        .collect();
    short.join("_")
}

/// Reads a share link: a full URL, a query string with or without `?`, or a `#` fragment. An
/// error says what is wrong (its `Display` is the English).
pub fn decode(link: &str) -> Result<SharedState, Text> {
    let query = link.split_once('?').map_or(link, |(_, q)| q);
    let query = query
        .split('#')
        .next()
        .unwrap_or("")
        .trim_start_matches('#');
    let mut version = None;
    let mut state = SharedState {
        config: Setup::default(),
        interventions: Vec::new(),
        t: 0,
        scenario: None,
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "v" => version = Some(number::<u32>(value, Phrase::FormatVersion)?),
            "embed" | "theme" => {}
            _ => apply_param(&mut state, key, value)?,
        }
    }
    match version {
        Some(LINK_VERSION) => {}
        Some(v) => return Err(text!(OtherVersion, v, LINK_VERSION)),
        None => return Err(Text::word(Phrase::NoVersion)),
    }
    validate(&state)?;
    Ok(state)
}

fn number<T: std::str::FromStr>(s: &str, what: Phrase) -> Result<T, Text> {
    s.parse().map_err(|_| text!(NotANumber, what, quoted(s)))
}

fn apply_param(state: &mut SharedState, key: &str, value: &str) -> Result<(), Text> {
    let c = &mut state.config;
    match key {
        "p" => c.protocol = value.to_string(),
        "n" => c.nodes = number(value, Phrase::NodeCount)?,
        "seed" => c.seed = number(value, Phrase::Seed)?,
        "c" => c.clients = number(value, Phrase::ClientCount)?,
        "opt" => parse_flags(value, &mut c.options)?,
        "bug" => {
            c.options.bugs = value
                .split(',')
                .filter(|b| !b.is_empty())
                .map(String::from)
                .collect()
        }
        "net" => c.net = parse_net(value, '-')?,
        "iv" => state.interventions = parse_interventions(value)?,
        "t" => state.t = number(value, Phrase::Time)?,
        "sc" => state.scenario = Some(value.to_string()),
        other => return Err(text!(UnknownParameter, quoted(other))),
    }
    Ok(())
}

/// Options: `name` (on), `!name` (off) and `name.N` (a number).
fn parse_flags(value: &str, options: &mut ProtocolOptions) -> Result<(), Text> {
    options.flags.clear();
    options.values.clear();
    for f in value.split(',').filter(|f| !f.is_empty()) {
        match (f.strip_prefix('!'), f.split_once('.')) {
            (Some(off), _) => options.flags.push((off.to_string(), false)),
            (None, Some((name, n))) => options
                .values
                .push((name.to_string(), number(n, Phrase::OptionValue)?)),
            (None, None) => options.flags.push((f.to_string(), true)),
        }
    }
    Ok(())
}

fn parse_net(value: &str, sep: char) -> Result<NetConfig, Text> {
    let parts: Vec<&str> = value.split(sep).collect();
    let [min, max, loss, dup] = parts.as_slice() else {
        return Err(text!(NetNeedsFour, quoted(value)));
    };
    let net = NetConfig {
        latency_min: number(min, Phrase::MinLatency)?,
        latency_max: number(max, Phrase::MaxLatency)?,
        loss_ppm: number(loss, Phrase::Loss)?,
        dup_ppm: number(dup, Phrase::Duplication)?,
    };
    if net.latency_min > net.latency_max || net.loss_ppm > 1_000_000 || net.dup_ppm > 1_000_000 {
        return Err(Text::word(Phrase::NetOutOfRange));
    }
    Ok(net)
}

fn parse_interventions(value: &str) -> Result<Vec<Intervention>, Text> {
    value
        .split('~')
        .filter(|i| !i.is_empty())
        .enumerate()
        .map(|(i, item)| parse_intervention(item).map_err(|e| text!(InterventionN, i + 1, e)))
        .collect()
}

fn parse_intervention(item: &str) -> Result<Intervention, Text> {
    let mut fields = item.splitn(3, '.');
    let (Some(at), Some(step), Some(action)) = (fields.next(), fields.next(), fields.next()) else {
        return Err(text!(NotAtStepAction, quoted(item)));
    };
    Ok(Intervention {
        at: number(at, Phrase::Time)?,
        after_step: number(step, Phrase::Step)?,
        action: parse_action(action)?,
    })
}

fn ids(s: &str) -> Result<Vec<u64>, Text> {
    s.split('_')
        .map(|x| number::<u64>(x, Phrase::Number))
        .collect()
}

fn node(x: u64) -> Result<NodeId, Text> {
    NodeId::try_from(x).map_err(|_| text!(NodeOutOfRange, x))
}

/// Reads the link text of one action.
pub fn parse_action(s: &str) -> Result<Action, Text> {
    let (tag, rest) = s.split_at(s.chars().next().map_or(0, char::len_utf8));
    let bad = || text!(UnknownAction, quoted(s));
    let one = |rest: &str| -> Result<u64, Text> { number(rest, Phrase::Number) };
    Ok(match tag {
        "c" => Action::Crash(node(one(rest)?)?),
        "r" => Action::Restart(node(one(rest)?)?),
        "t" => Action::Timeout(node(one(rest)?)?),
        "h" if rest.is_empty() => Action::Heal,
        "p" => {
            let groups: Vec<Vec<NodeId>> = rest
                .split('-')
                .map(|g| ids(g)?.into_iter().map(node).collect())
                .collect::<Result<_, Text>>()?;
            crate::sim::action::check_groups(&groups)?;
            Action::Partition(groups)
        }
        "x" => match ids(rest)?.as_slice() {
            [a, b] => Action::Cut(node(*a)?, node(*b)?),
            _ => return Err(bad()),
        },
        "d" => match ids(rest)?.as_slice() {
            [n, r] => Action::Drift(node(*n)?, u32::try_from(*r).map_err(|_| bad())?),
            _ => return Err(bad()),
        },
        "D" => Action::DropMessage(one(rest)?),
        "U" => Action::DuplicateMessage(one(rest)?),
        "L" => match ids(rest)?.as_slice() {
            [id, by] => Action::DelayMessage(*id, *by),
            _ => return Err(bad()),
        },
        "N" => Action::Network(parse_net(rest, '_')?),
        "q" => parse_request(rest).ok_or_else(bad)?,
        _ => return Err(bad()),
    })
}

fn parse_request(rest: &str) -> Option<Action> {
    let w: Vec<&str> = rest.split('_').collect();
    let to: u64 = w.first()?.parse().ok()?;
    let node = (to > 0).then_some(NodeId::try_from(to).ok()?);
    let op = KvOp::parse_words(&w[1..]).ok()?;
    Some(Action::Request { node, op })
}

fn validate(state: &SharedState) -> Result<(), Text> {
    if state.t > crate::model::types::MAX_RUN {
        return Err(Text::word(Phrase::MomentTooLate));
    }
    let n = state.config.nodes;
    if !crate::run::setup::LAB_NODES.contains(&n) {
        return Err(text!(LinkNodes, n));
    }
    if state.config.clients > 20 {
        return Err(Text::word(Phrase::LinkClients));
    }
    let mut last = (0, 0);
    for (i, iv) in state.interventions.iter().enumerate() {
        if (iv.after_step, iv.at) < last {
            return Err(text!(InterventionOrder, i + 1));
        }
        last = (iv.after_step, iv.at);
        if let Some(bad) = node_ids(&iv.action)
            .into_iter()
            .find(|id| *id == 0 || *id > n)
        {
            return Err(text!(InterventionNode, i + 1, bad, n));
        }
        if iv.action == Action::Liveness {
            return Err(text!(InterventionNotUser, i + 1));
        }
    }
    Ok(())
}

/// The nodes an action names.
pub(crate) fn node_ids(a: &Action) -> Vec<NodeId> {
    match a {
        Action::Crash(n) | Action::Restart(n) | Action::Timeout(n) | Action::Drift(n, _) => {
            vec![*n]
        }
        Action::Cut(a, b) => vec![*a, *b],
        Action::Partition(groups) => groups.concat(),
        Action::Request { node: Some(n), .. } => vec![*n],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::protocol::ProtocolOptions;

    fn sample() -> SharedState {
        let interventions = [
            Action::Crash(3),
            Action::Partition(vec![vec![1, 2], vec![3, 4, 5]]),
            Action::Cut(1, 4),
            Action::Drift(2, 1500),
            Action::DropMessage(17),
            Action::DuplicateMessage(18),
            Action::DelayMessage(19, 30_000),
            Action::Network(NetConfig {
                latency_min: 1,
                latency_max: 9,
                loss_ppm: 5,
                dup_ppm: 7,
            }),
            Action::Request {
                node: Some(2),
                op: KvOp::Cas {
                    key: 1,
                    from: None,
                    to: 6,
                },
            },
            Action::Request {
                node: None,
                op: KvOp::Get { key: 3 },
            },
            Action::Timeout(4),
            Action::Restart(3),
            Action::Heal,
        ]
        .into_iter()
        .enumerate()
        .map(|(i, action)| Intervention {
            at: 1000 * i as u64,
            after_step: 10 * i as u64,
            action,
        })
        .collect();
        SharedState {
            config: Setup {
                protocol: "raft".into(),
                nodes: 5,
                seed: 42,
                net: NetConfig {
                    latency_min: 2000,
                    ..NetConfig::default()
                },
                options: ProtocolOptions {
                    flags: vec![("prevote".into(), true), ("check-quorum".into(), false)],
                    values: vec![("snapshot-interval".into(), 16)],
                    bugs: vec!["forget-vote".into()],
                },
                clients: 2,
            },
            interventions,
            t: 2_500_000,
            scenario: Some("figure8".into()),
        }
    }

    #[test]
    fn every_state_round_trips_through_a_link() {
        let s = sample();
        let link = encode(&s);
        assert!(
            link.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~=&,!".contains(c)),
            "{link}"
        );
        assert_eq!(decode(&link).unwrap(), s);
        assert_eq!(
            decode(&format!("https://example.org/lab/?{link}&embed=1")).unwrap(),
            s
        );
    }

    #[test]
    fn broken_links_say_what_is_wrong() {
        let msg = |l: &str| decode(l).unwrap_err().to_string();
        assert!(msg("p=raft&n=5").contains("no format version"));
        assert!(msg("v=9&n=5").contains("format version 9"));
        assert!(msg("v=1&n=50").contains("2 to 9"));
        assert!(msg("v=1&n=1").contains("2 to 9"));
        assert!(msg("v=1&seed=abc").contains("seed"));
        assert!(msg("v=1&iv=10.1.c9").contains("names node 9"));
        assert!(msg("v=1&iv=10.1.zz").contains("not an action"));
        assert!(msg("v=1&iv=10.5.c1~5.1.c2").contains("out of order"));
        assert!(msg("v=1&iv=garbage").contains("AT.STEP.ACTION"));
        assert!(msg("v=1&net=1-2-3").contains("four numbers"));
        assert!(msg("v=1&wat=1").contains("unknown parameter"));
    }
}
