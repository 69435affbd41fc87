//! The shapes a scene is made of: plain geometry in CSS pixels, ready to draw and to test.

use crate::canvas::trig;
use quorum_engine::model::types::{MsgId, NodeId};

/// A node's role as the canvas shows it (colour and letter).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Role {
    /// Follows a leader (F).
    #[default]
    Follower,
    /// Asks for pre-votes before campaigning (P).
    PreCandidate,
    /// Campaigns for votes (C).
    Candidate,
    /// Leads its term (L).
    Leader,
    /// Crashed: dimmed and crossed out.
    Down,
    /// A role of another protocol, shown by its initial.
    Other(char),
}

impl Role {
    /// The role of a node named `name` by the engine; a node that is not up is down.
    pub fn from_name(name: &str, up: bool) -> Role {
        if !up {
            return Role::Down;
        }
        match name {
            "follower" => Role::Follower,
            "pre-candidate" | "precandidate" => Role::PreCandidate,
            "candidate" => Role::Candidate,
            "leader" => Role::Leader,
            "down" => Role::Down,
            // Recovery blocks' idle nodes 3 and up: not an "S" like the shadow's.
            "spare" => Role::Other('\u{2013}'),
            other => Role::Other(other.chars().next().map_or('?', |c| c.to_ascii_uppercase())),
        }
    }

    /// The letter drawn inside the node (a cross for a crashed node).
    pub fn letter(self) -> char {
        match self {
            Role::Follower => 'F',
            Role::PreCandidate => 'P',
            Role::Candidate => 'C',
            Role::Leader => 'L',
            Role::Down => '\u{2715}',
            Role::Other(c) => c,
        }
    }

    /// Collecting votes (pre-votes or votes).
    pub fn campaigning(self) -> bool {
        matches!(self, Role::PreCandidate | Role::Candidate)
    }
}

/// A quadratic Bézier path from one rim to another, bent a little to one side so that A→B and
/// B→A traffic fly on separate lanes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Curve {
    /// Start point.
    pub x0: f64,
    /// Start point.
    pub y0: f64,
    /// Control point.
    pub cx: f64,
    /// Control point.
    pub cy: f64,
    /// End point.
    pub x1: f64,
    /// End point.
    pub y1: f64,
}

impl Curve {
    /// The path from the rim of circle `a` (centre, radius) to the rim of circle `b`, bent by
    /// `bend` times its length to the right of the direction of travel.
    pub fn between(a: (f64, f64, f64), b: (f64, f64, f64), bend: f64) -> Curve {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy);
        if len <= a.2 + b.2 {
            let (cx, cy) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
            return Curve {
                x0: a.0,
                y0: a.1,
                cx,
                cy,
                x1: b.0,
                y1: b.1,
            };
        }
        let (ux, uy) = (dx / len, dy / len);
        let (x0, y0) = (a.0 + ux * a.2, a.1 + uy * a.2);
        let (x1, y1) = (b.0 - ux * b.2, b.1 - uy * b.2);
        let off = bend * len;
        let (cx, cy) = ((x0 + x1) / 2.0 - uy * off, (y0 + y1) / 2.0 + ux * off);
        Curve {
            x0,
            y0,
            cx,
            cy,
            x1,
            y1,
        }
    }

    /// The point at `p` (0 start, 1 end).
    pub fn at(&self, p: f64) -> (f64, f64) {
        let q = 1.0 - p;
        let (a, b, c) = (q * q, 2.0 * q * p, p * p);
        (
            a * self.x0 + b * self.cx + c * self.x1,
            a * self.y0 + b * self.cy + c * self.y1,
        )
    }

    /// The direction of travel at `p`, as an angle in radians.
    pub fn heading(&self, p: f64) -> f64 {
        let q = 1.0 - p;
        let dx = 2.0 * q * (self.cx - self.x0) + 2.0 * p * (self.x1 - self.cx);
        let dy = 2.0 * q * (self.cy - self.y0) + 2.0 * p * (self.y1 - self.cy);
        trig::atan2(dy, dx)
    }
}

/// One node, ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeShape {
    /// Node id.
    pub id: NodeId,
    /// Centre.
    pub x: f64,
    /// Centre.
    pub y: f64,
    /// Role (colour, letter; `Down` when crashed).
    pub role: Role,
    /// The id label (`n3`).
    pub name: String,
    /// The epoch label (`term 4`; last known when crashed).
    pub epoch_text: String,
    /// The epoch value (picks the term colour).
    pub epoch: u64,
    /// Fraction of the election timer still to run (1 just armed, 0 firing), when armed.
    pub timer_left: Option<f64>,
    /// While campaigning: (votes received, votes needed).
    pub votes: Option<(u32, u32)>,
    /// Clock-rate badge (`×1.5`) when the clock drifts.
    pub drift: Option<String>,
    /// Selected in the inspector.
    pub selected: bool,
    /// Under the pointer.
    pub hovered: bool,
    /// Picked by the partition tool, not yet applied.
    pub picked: bool,
}

impl NodeShape {
    /// Crashed.
    pub fn down(&self) -> bool {
        self.role == Role::Down
    }
}

/// How a message looks: one batch of identical strokes and fills per style.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MsgStyle {
    /// A request: a solid dot.
    #[default]
    Request,
    /// A reply: a hollow ring.
    Reply,
    /// Routine traffic (heartbeats): a small, light dot.
    Heartbeat,
    /// A routine reply (heartbeat ack): a small, light ring.
    LightReply,
    /// A granted vote or successful ack: a ring with a check mark.
    Granted,
    /// A refused vote or failed ack: a ring with a cross.
    Refused,
}

impl MsgStyle {
    /// Every style, in drawing order (routine traffic underneath).
    pub const ALL: [MsgStyle; 6] = [
        MsgStyle::Heartbeat,
        MsgStyle::LightReply,
        MsgStyle::Request,
        MsgStyle::Reply,
        MsgStyle::Granted,
        MsgStyle::Refused,
    ];

    /// Drawn as a ring (a reply) rather than a solid dot.
    pub fn hollow(self) -> bool {
        !matches!(self, MsgStyle::Request | MsgStyle::Heartbeat)
    }
}

/// One message in flight (or fading out where it was lost), ready to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MsgShape {
    /// Message id.
    pub id: MsgId,
    /// Position.
    pub x: f64,
    /// Position.
    pub y: f64,
    /// A point a little behind it on its path (its motion tail).
    pub tail: (f64, f64),
    /// Radius of its dot.
    pub size: f64,
    /// How it looks.
    pub style: MsgStyle,
    /// For a lost message: how far it has faded, 0 (just lost) to 1 (gone).
    pub fade: Option<f64>,
    /// Index of its label in [`Scene::labels`](super::Scene::labels), when labelled.
    pub label: Option<u16>,
    /// Selected in the inspector.
    pub selected: bool,
    /// Under the pointer.
    pub hovered: bool,
}

impl MsgShape {
    /// Where its label starts: the left end of the label's baseline (text drawn bottom-aligned).
    pub fn label_at(&self) -> (f64, f64) {
        (self.x + self.size + 3.0, self.y - self.size * 0.4)
    }

    /// The opacity to draw it with.
    pub fn alpha(&self) -> f64 {
        self.fade.map_or(1.0, |f| 1.0 - f)
    }
}

/// One side of a partition: translucent bands along the ring through its nodes (one band per
/// run of ring neighbours), and a line in the legend.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Region {
    /// The group's nodes, in ring order.
    pub members: Vec<NodeId>,
    /// One spine per run of neighbouring members: their centres in ring order.
    pub bands: Vec<Vec<(f64, f64)>>,
    /// Half a band's width (its radius around each node).
    pub half_width: f64,
    /// The legend line: `majority 3/5: n3 n4 n5`.
    pub label: String,
    /// Where the legend line starts (left end, vertical middle).
    pub label_at: (f64, f64),
    /// Holds a majority of the cluster.
    pub majority: bool,
}

/// A dashed cut line across the ring, between two neighbours in different partition groups.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Wall {
    /// Inner end.
    pub from: (f64, f64),
    /// Outer end.
    pub to: (f64, f64),
}

/// A one-way cut link, drawn as a dashed arrow along the lane its messages would use, with a
/// cut mark at its middle.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CutShape {
    /// Sender side.
    pub from: NodeId,
    /// Receiver side (the arrow points here).
    pub to: NodeId,
    /// The path.
    pub curve: Curve,
}

/// The clients' hub at the centre of the ring, where client messages start and end.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Hub {
    /// Centre.
    pub x: f64,
    /// Centre.
    pub y: f64,
    /// Radius.
    pub r: f64,
}

/// CSS font shorthands sized for the scene.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fonts {
    /// The role letter inside a node.
    pub letter: String,
    /// A node's id label.
    pub name: String,
    /// A node's epoch label.
    pub epoch: String,
    /// Message labels, badges and region labels.
    pub small: String,
    /// Size of `name`, px (line height of node labels).
    pub name_px: f64,
    /// Size of `epoch`, px.
    pub epoch_px: f64,
    /// Size of `small`, px.
    pub small_px: f64,
}
