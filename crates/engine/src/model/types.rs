//! Small shared vocabulary: ids, time and addresses.

use std::fmt;

/// Simulated time: integer microseconds since the start of the run.
pub type Micros = u64;

/// A node id: small integers starting at 1.
pub type NodeId = u32;

/// A client id: small integers starting at 1 (shown as `c1`, `c2`, ... in the trace).
pub type ClientId = u32;

/// A message id, unique in a run, in sending order.
pub type MsgId = u64;

/// A client operation id, unique in a run.
pub type OpId = u64;

/// A key of the replicated store.
pub type Key = u32;

/// A value of the replicated store.
pub type Value = u64;

/// Microseconds in one millisecond.
pub const MS: Micros = 1_000;

/// Microseconds in one second.
pub const SEC: Micros = 1_000_000;

/// The longest run the simulator accepts: one hour of simulated time (a run, a scenario's steps
/// together, a link's moment). Longer inputs are refused with a clear error, so memory stays
/// bounded for every accepted input.
pub const MAX_RUN: Micros = 3_600 * SEC;

/// One end of a message: a node of the cluster or a client outside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Addr {
    /// A cluster node.
    Node(NodeId),
    /// A client.
    Client(ClientId),
}

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Addr::Node(n) => write!(f, "{n}"),
            Addr::Client(c) => write!(f, "c{c}"),
        }
    }
}

/// Formats microseconds the way people read them (`1.250s`, `15ms`, `40us`).
pub fn fmt_time(t: Micros) -> String {
    if t >= SEC {
        let frac = format!("{:06}", t % SEC);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            format!("{}s", t / SEC)
        } else {
            format!("{}.{frac}s", t / SEC)
        }
    } else if t >= MS && t.is_multiple_of(MS) {
        format!("{}ms", t / MS)
    } else if t >= MS {
        format!("{}.{:03}ms", t / MS, t % MS)
    } else {
        format!("{t}us")
    }
}

/// Parses a duration such as `300ms`, `2s`, `1.5s`, `250us` or a bare number of milliseconds.
pub fn parse_duration(s: &str) -> Result<Micros, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => s.split_at(i),
        None => (s, "ms"),
    };
    let scale = match unit {
        "us" => 1,
        "ms" => MS,
        "s" => SEC,
        _ => return Err(format!("bad duration {s:?}: use a unit of us, ms or s")),
    };
    parse_scaled(num, scale).ok_or_else(|| format!("bad duration {s:?}"))
}

fn parse_scaled(num: &str, scale: Micros) -> Option<Micros> {
    let (whole, frac) = num.split_once('.').unwrap_or((num, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    let mut total = if whole.is_empty() {
        0
    } else {
        whole.parse::<Micros>().ok()?.checked_mul(scale)?
    };
    let mut place = scale;
    for c in frac.chars() {
        place /= 10;
        total = total.checked_add(u64::from(c.to_digit(10)?) * place)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_every_unit() {
        assert_eq!(parse_duration("300ms"), Ok(300 * MS));
        assert_eq!(parse_duration("2s"), Ok(2 * SEC));
        assert_eq!(parse_duration("1.5s"), Ok(1_500 * MS));
        assert_eq!(parse_duration("40us"), Ok(40));
        assert_eq!(parse_duration("15"), Ok(15 * MS));
        assert!(parse_duration("3h").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("x").is_err());
    }

    #[test]
    fn times_format_for_people() {
        assert_eq!(fmt_time(1_250_000), "1.25s");
        assert_eq!(fmt_time(2_000_000), "2s");
        assert_eq!(fmt_time(171_415), "171.415ms");
        assert_eq!(fmt_time(15_000), "15ms");
        assert_eq!(fmt_time(40), "40us");
    }
}
