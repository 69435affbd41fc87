//! The network's shape on the ring: for a partition, one region per group (a band through each
//! run of neighbouring members), a dashed cut line wherever ring neighbours are split apart, and
//! a legend line per group; for a one-way cut, an arrow on the lane its messages would take.

use crate::i18n::{tr, Msg};
use std::f64::consts::PI;

use quorum_engine::model::types::{Addr, NodeId};

use super::{angle, Scene, BEND};
use crate::canvas::shapes::{Curve, CutShape, Region, Wall};
use crate::canvas::trig;

/// A band's half width, in node radii.
const BAND_RADII: f64 = 1.4;
/// How far a cut line reaches either side of the ring, in node radii.
const WALL_RADII: f64 = 1.3;
/// The legend's distance from the canvas's top-left corner, px.
const LEGEND_PAD: f64 = 12.0;

/// Lays out the partition into `groups`; nothing when there is only one group.
pub(super) fn partition(scene: &mut Scene, groups: &[Vec<NodeId>]) {
    if groups.len() < 2 {
        return;
    }
    let group_of: Vec<Option<usize>> = scene
        .nodes
        .iter()
        .map(|n| groups.iter().position(|g| g.contains(&n.id)))
        .collect();
    let regions: Vec<Region> = (0..groups.len())
        .filter_map(|k| region(scene, &group_of, k))
        .collect();
    scene.regions = regions;
    let line = scene.fonts.small_px * 1.6;
    for (row, r) in scene.regions.iter_mut().enumerate() {
        r.label_at = (LEGEND_PAD, LEGEND_PAD + line * (row as f64 + 0.5));
    }
    scene.walls = walls(scene, &group_of);
}

/// The region of group `k`, if any node is in it.
fn region(scene: &Scene, group_of: &[Option<usize>], k: usize) -> Option<Region> {
    let n = scene.nodes.len();
    let idx: Vec<usize> = (0..n).filter(|&i| group_of[i] == Some(k)).collect();
    if idx.is_empty() {
        return None;
    }
    let runs = runs(&idx, n);
    let at = |i: usize| (scene.nodes[i].x, scene.nodes[i].y);
    let mut names: Vec<NodeId> = idx.iter().map(|&i| scene.nodes[i].id).collect();
    names.sort_unstable();
    let names: Vec<String> = names.iter().map(|id| format!("n{id}")).collect();
    let majority = idx.len() * 2 > n;
    let side = tr(
        scene.lang,
        if majority {
            Msg::Majority
        } else {
            Msg::Minority
        },
    );
    Some(Region {
        members: runs.iter().flatten().map(|&i| scene.nodes[i].id).collect(),
        bands: runs
            .iter()
            .map(|r| r.iter().map(|&i| at(i)).collect())
            .collect(),
        half_width: BAND_RADII * scene.node_r,
        label: format!("{side} {}/{n}: {}", idx.len(), names.join(" ")),
        label_at: (0.0, 0.0),
        majority,
    })
}

/// Splits sorted ring positions `idx` (of `n`) into runs of neighbours, joining a run that wraps
/// past the top of the ring.
fn runs(idx: &[usize], n: usize) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for &i in idx {
        match runs.last_mut() {
            Some(run) if run.last() == Some(&(i.wrapping_sub(1))) => run.push(i),
            _ => runs.push(vec![i]),
        }
    }
    let wraps =
        runs.len() > 1 && runs[0][0] == 0 && runs.last().and_then(|r| r.last()) == Some(&(n - 1));
    if wraps {
        let first = runs.remove(0);
        if let Some(last) = runs.last_mut() {
            last.extend(first);
        }
    }
    runs
}

/// A cut line halfway between every two ring neighbours in different groups.
fn walls(scene: &Scene, group_of: &[Option<usize>]) -> Vec<Wall> {
    let n = scene.nodes.len();
    let (inner, outer) = (
        scene.ring_r - WALL_RADII * scene.node_r,
        scene.ring_r + WALL_RADII * scene.node_r,
    );
    let (cx, cy) = scene.center;
    (0..n)
        .filter(|&i| n > 1 && group_of[i] != group_of[(i + 1) % n])
        .map(|i| {
            let a = angle(i, n) + PI / n as f64;
            let (c, s) = (trig::cos(a), trig::sin(a));
            Wall {
                from: (cx + inner * c, cy + inner * s),
                to: (cx + outer * c, cy + outer * s),
            }
        })
        .collect()
}

/// The one-way cut links, each along the lane of its direction.
pub(super) fn cuts(scene: &mut Scene, cuts: &[(NodeId, NodeId)]) {
    scene.cuts = cuts
        .iter()
        .filter_map(|&(from, to)| {
            let a = scene.endpoint(Addr::Node(from))?;
            let b = scene.endpoint(Addr::Node(to))?;
            let curve = Curve::between(a, b, BEND);
            Some(CutShape { from, to, curve })
        })
        .collect();
}
