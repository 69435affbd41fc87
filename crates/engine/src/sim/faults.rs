//! Randomized fault plans: what goes wrong, and when, decided by the seed alone.
//!
//! A plan is a timed list of [`Action`]s drawn from a generator of its own (so the plan does not
//! shift when the network draws more or fewer numbers). Levels add up:
//! - `none`: nothing goes wrong;
//! - `crash`: nodes crash and restart (durable state kept);
//! - `partition`: the network splits into groups and heals;
//! - `chaos`: all of the above plus one-way link cuts, message loss, duplication, latency spikes
//!   and clocks running fast or slow;
//! - `swarm`: swarm testing (Groce et al., 2012) with Jepsen-style nemeses: each seed turns on a
//!   random subset of the fault kinds, each at a rate of its own. Besides the kinds above there
//!   are nemeses aimed by role, which wait for their moment: crash the leader (or primary,
//!   coordinator) for a while right after it takes a client's request, so the entry is on it
//!   alone; cut it off on a minority side at the same moment; restart a node the instant it
//!   becomes leader (it loses its volatile state before doing anything); crash whoever leads now;
//!   and bursts of clock drift on several nodes at once. A seed that leaves most kinds off
//!   hammers the few it keeps, which finds bugs a uniform mix dilutes.
//!
//! After the safety phase comes the liveness phase ([`Action::Liveness`], scheduled by the runner):
//! everything is restarted and healed, and the run must make progress again.

use std::fmt;
use std::str::FromStr;

use crate::model::rng::Rng;
use crate::model::types::{Micros, NodeId, MS};
use crate::sim::action::{Action, LeaderFault, Strike};
use crate::sim::net::NetConfig;

/// How hostile the world is during the safety phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultLevel {
    /// No faults.
    None,
    /// Crashes and restarts.
    Crash,
    /// Partitions and heals.
    Partition,
    /// Everything.
    Chaos,
    /// A random subset of the kinds per seed, at random rates, with leader-aimed nemeses.
    Swarm,
}

impl FromStr for FaultLevel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "none" => FaultLevel::None,
            "crash" => FaultLevel::Crash,
            "partition" => FaultLevel::Partition,
            "chaos" => FaultLevel::Chaos,
            "swarm" => FaultLevel::Swarm,
            _ => {
                return Err(format!(
                    "unknown fault level {s:?} (use none, crash, partition, chaos or swarm)"
                ))
            }
        })
    }
}

impl fmt::Display for FaultLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FaultLevel::None => "none",
            FaultLevel::Crash => "crash",
            FaultLevel::Partition => "partition",
            FaultLevel::Chaos => "chaos",
            FaultLevel::Swarm => "swarm",
        })
    }
}

/// The fault kinds swarm plans draw their subset from.
const KINDS: u8 = 11;

struct Planner {
    rng: Rng,
    n: u32,
    down: Vec<NodeId>,
    split: bool,
    base: NetConfig,
    plan: Vec<(Micros, Action)>,
}

/// The fault plan for a safety phase of `duration` on `n` nodes with network settings `base`.
pub fn plan(
    level: FaultLevel,
    n: u32,
    duration: Micros,
    seed: u64,
    base: NetConfig,
) -> Vec<(Micros, Action)> {
    let mut p = Planner {
        rng: Rng::stream(seed, 2),
        n,
        down: Vec::new(),
        split: false,
        base,
        plan: Vec::new(),
    };
    if level == FaultLevel::None {
        return p.plan;
    }
    if level == FaultLevel::Swarm {
        p.swarm(duration);
        p.plan.sort_by_key(|(t, _)| *t);
        return p.plan;
    }
    let mut t = 0;
    loop {
        t += p.rng.between(150 * MS, 900 * MS);
        if t >= duration {
            break;
        }
        p.one(level, t);
    }
    p.plan.sort_by_key(|(t, _)| *t);
    p.plan
}

impl Planner {
    fn one(&mut self, level: FaultLevel, t: Micros) {
        let kinds: &[u8] = match level {
            FaultLevel::None => &[],
            FaultLevel::Crash => &[0],
            FaultLevel::Partition => &[1],
            FaultLevel::Chaos | FaultLevel::Swarm => &[0, 0, 1, 1, 2, 3, 4],
        };
        let kind = *self.rng.pick(kinds);
        self.kind(kind, t);
    }

    fn kind(&mut self, kind: u8, t: Micros) {
        match kind {
            0 => self.crash_or_restart(t),
            1 => self.partition_or_heal(t),
            2 => self.cut(t),
            3 => self.network(t),
            4 => self.drift(t),
            5 => self.at_leader(
                t,
                LeaderFault::Crash,
                (100 * MS, 1_500 * MS),
                Strike::OnRequest,
            ),
            6 => self.at_leader(t, LeaderFault::Crash, (MS, 60 * MS), Strike::OnElection),
            7 => self.duel(t),
            8 => {
                let with = self
                    .rng
                    .below(u64::from((self.n.saturating_sub(1) / 2).max(1)))
                    as u32;
                let fault = LeaderFault::Isolate { with };
                self.at_leader(t, fault, (200 * MS, 2_000 * MS), Strike::OnRequest);
            }
            9 => self.drift_burst(t),
            _ => self.at_leader(t, LeaderFault::Crash, (100 * MS, 1_500 * MS), Strike::Now),
        }
    }

    /// Swarm testing: a random subset of the [`KINDS`] kinds (node crashes, partitions, cut links,
    /// network changes, clock drift, duelling candidates with a voter bouncing, and the three
    /// leader nemeses: crash for a while, restart at once, cut off on a minority side), each on a
    /// timeline of its own with a mean gap drawn per seed from 100 ms to 1.5 s.
    fn swarm(&mut self, duration: Micros) {
        let mut on: Vec<u8> = (0..KINDS).filter(|_| self.rng.chance(500_000)).collect();
        if on.is_empty() {
            on.push(self.rng.below(u64::from(KINDS)) as u8);
        }
        for kind in on {
            let gap = *self.rng.pick(&[100 * MS, 250 * MS, 600 * MS, 1_500 * MS]);
            let mut t = 0;
            loop {
                t += self.rng.between(gap / 2, gap * 3 / 2);
                if t >= duration {
                    break;
                }
                self.kind(kind, t);
            }
        }
    }

    /// Two nodes' primary timers fire together (two candidates, or proposers, in one term),
    /// and a third node bounces while they ask for votes: what a vote or promise kept only in
    /// memory does not survive.
    fn duel(&mut self, t: Micros) {
        let mut ids: Vec<NodeId> = (1..=self.n).collect();
        self.shuffle(&mut ids);
        let [a, b, rest @ ..] = ids.as_slice() else {
            return self.plan.push((t, Action::Timeout(1)));
        };
        self.plan.push((t, Action::Timeout(*a)));
        self.plan.push((t, Action::Timeout(*b)));
        let Some(c) = rest.first().filter(|c| !self.down.contains(c)).copied() else {
            return;
        };
        // Votes arrive 5 to 15 ms after the timeouts: bounce the voter in between, so that it
        // may have voted for one candidate and hear the other after restarting.
        let crash = t + self.rng.between(5 * MS, 15 * MS);
        self.plan.push((crash, Action::Crash(c)));
        self.plan
            .push((crash + self.rng.between(0, 2 * MS), Action::Restart(c)));
    }

    fn shuffle(&mut self, ids: &mut [NodeId]) {
        for i in (1..ids.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            ids.swap(i, j);
        }
    }

    fn at_leader(&mut self, t: Micros, fault: LeaderFault, undo: (Micros, Micros), when: Strike) {
        let undo_after = self.rng.between(undo.0, undo.1);
        let nemesis = Action::AtLeader {
            fault,
            undo_after,
            when,
        };
        self.plan.push((t, nemesis));
    }

    /// Clocks of about half the nodes run much too fast or too slow at once (timeouts bunch up
    /// or stretch), and all run true again 0.3 to 3 s later.
    fn drift_burst(&mut self, t: Micros) {
        let back = t + self.rng.between(300 * MS, 3_000 * MS);
        for n in 1..=self.n {
            if !self.rng.chance(500_000) {
                continue;
            }
            let rate = match self.rng.chance(500_000) {
                true => self.rng.between(250, 600),
                false => self.rng.between(1_700, 3_000),
            } as u32;
            self.plan.push((t, Action::Drift(n, rate)));
            self.plan.push((back, Action::Drift(n, 1_000)));
        }
    }

    fn node(&mut self) -> NodeId {
        1 + self.rng.below(u64::from(self.n)) as NodeId
    }

    fn crash_or_restart(&mut self, t: Micros) {
        let restart = !self.down.is_empty()
            && (self.rng.chance(500_000) || self.down.len() as u32 > self.n / 2);
        if restart {
            let i = self.rng.below(self.down.len() as u64) as usize;
            let n = self.down.swap_remove(i);
            self.plan.push((t, Action::Restart(n)));
        } else {
            let n = self.node();
            if self.down.contains(&n) {
                return;
            }
            self.plan.push((t, Action::Crash(n)));
            if self.rng.chance(300_000) {
                // A bounce: the process restarts quickly, while its votes still matter.
                let back = t + self.rng.between(MS, 60 * MS);
                self.plan.push((back, Action::Restart(n)));
            } else {
                self.down.push(n);
            }
        }
    }

    fn partition_or_heal(&mut self, t: Micros) {
        if self.split && self.rng.chance(500_000) {
            self.split = false;
            return self.plan.push((t, Action::Heal));
        }
        let mut ids: Vec<NodeId> = (1..=self.n).collect();
        self.shuffle(&mut ids);
        let cut = 1 + self.rng.below(u64::from(self.n.max(2) - 1)) as usize;
        let (a, b) = ids.split_at(cut.min(ids.len()));
        let mut groups = vec![sorted(a), sorted(b)];
        groups.retain(|g| !g.is_empty());
        self.split = true;
        self.plan.push((t, Action::Partition(groups)));
    }

    fn cut(&mut self, t: Micros) {
        let (a, b) = (self.node(), self.node());
        if a != b {
            self.split = true;
            self.plan.push((t, Action::Cut(a, b)));
        }
    }

    fn network(&mut self, t: Micros) {
        let spike = self.rng.chance(300_000);
        let latency_max = if spike {
            self.base.latency_max * self.rng.between(3, 12)
        } else {
            self.base.latency_max
        };
        let cfg = NetConfig {
            latency_min: self.base.latency_min,
            latency_max,
            loss_ppm: self.rng.between(0, 200_000) as u32,
            dup_ppm: self.rng.between(0, 100_000) as u32,
        };
        self.plan.push((t, Action::Network(cfg)));
    }

    fn drift(&mut self, t: Micros) {
        let n = self.node();
        let rate = self.rng.between(500, 2_000) as u32;
        self.plan.push((t, Action::Drift(n, rate)));
    }
}

fn sorted(ids: &[NodeId]) -> Vec<NodeId> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_is_decided_by_its_seed() {
        let a = plan(FaultLevel::Chaos, 5, 10_000 * MS, 9, NetConfig::default());
        let b = plan(FaultLevel::Chaos, 5, 10_000 * MS, 9, NetConfig::default());
        let c = plan(FaultLevel::Chaos, 5, 10_000 * MS, 10, NetConfig::default());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.len() > 5);
        assert!(a.iter().all(|(t, _)| *t < 10_000 * MS));
    }

    #[test]
    fn levels_only_use_their_own_faults() {
        let crash = plan(FaultLevel::Crash, 5, 20_000 * MS, 1, NetConfig::default());
        assert!(crash
            .iter()
            .all(|(_, a)| matches!(a, Action::Crash(_) | Action::Restart(_))));
        let part = plan(
            FaultLevel::Partition,
            5,
            20_000 * MS,
            1,
            NetConfig::default(),
        );
        assert!(part
            .iter()
            .all(|(_, a)| matches!(a, Action::Partition(_) | Action::Heal)));
        assert!(plan(FaultLevel::None, 5, 20_000 * MS, 1, NetConfig::default()).is_empty());
        let chaos = plan(FaultLevel::Chaos, 5, 60_000 * MS, 1, NetConfig::default());
        assert!(chaos.iter().any(|(_, a)| matches!(a, Action::Cut(..))));
        assert!(chaos.iter().any(|(_, a)| matches!(a, Action::Drift(..))));
        assert!(chaos.iter().any(|(_, a)| matches!(a, Action::Network(..))));
    }

    #[test]
    fn swarm_seeds_differ_in_which_kinds_are_on_and_aim_at_leaders() {
        let kinds = |seed: u64| {
            let p = plan(
                FaultLevel::Swarm,
                5,
                20_000 * MS,
                seed,
                NetConfig::default(),
            );
            let mut names: Vec<&str> = p
                .iter()
                .map(|(_, a)| match a {
                    Action::Crash(_) | Action::Restart(_) => "crash",
                    Action::Partition(_) | Action::Heal => "partition",
                    Action::Cut(..) => "cut",
                    Action::Network(_) => "network",
                    Action::Drift(..) => "drift",
                    Action::AtLeader { .. } => "leader",
                    Action::Timeout(_) => "duel",
                    _ => "other",
                })
                .collect();
            names.sort_unstable();
            names.dedup();
            names
        };
        let sets: Vec<Vec<&str>> = (1..40).map(kinds).collect();
        assert!(sets.iter().all(|s| !s.is_empty() && !s.contains(&"other")));
        let distinct: std::collections::BTreeSet<_> = sets.iter().collect();
        assert!(distinct.len() > 10, "{distinct:?}");
        assert!(sets.iter().any(|s| s.len() <= 2) && sets.iter().any(|s| s.len() >= 5));
        assert!(sets.iter().filter(|s| s.contains(&"leader")).count() > 20);
        let p = plan(FaultLevel::Swarm, 5, 20_000 * MS, 3, NetConfig::default());
        assert!(p.windows(2).all(|w| w[0].0 <= w[1].0), "in time order");
        assert_eq!(
            p,
            plan(FaultLevel::Swarm, 5, 20_000 * MS, 3, NetConfig::default())
        );
    }

    #[test]
    fn fault_levels_parse_and_print() {
        for s in ["none", "crash", "partition", "chaos", "swarm"] {
            assert_eq!(s.parse::<FaultLevel>().unwrap().to_string(), s);
        }
        assert!("boom".parse::<FaultLevel>().is_err());
    }
}
