//! The canvas's colours, from the stylesheet's custom properties.
//!
//! Defaults come from the Okabe–Ito palette (distinguishable with every common colour-vision
//! deficiency) and every meaning also has a shape: a letter per role, solid requests and hollow
//! replies, a check or a cross for a verdict.

use web_sys::Element;

use super::shapes::Role;

/// Okabe–Ito orange.
const ORANGE: &str = "#E69F00";
/// Okabe–Ito sky blue.
const SKY_BLUE: &str = "#56B4E9";
/// Okabe–Ito bluish green.
const BLUISH_GREEN: &str = "#009E73";
/// Okabe–Ito yellow.
const YELLOW: &str = "#F0E442";
/// Okabe–Ito blue.
const BLUE: &str = "#0072B2";
/// Okabe–Ito vermillion.
const VERMILLION: &str = "#D55E00";
/// Okabe–Ito reddish purple.
const PURPLE: &str = "#CC79A7";

/// Every colour the canvas uses, as CSS colour strings.
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    /// Background (`--bg`).
    pub bg: String,
    /// Text and strong strokes (`--fg`).
    pub fg: String,
    /// Secondary text and the timer (`--muted`).
    pub muted: String,
    /// Guides: the ring, timer tracks (`--grid`).
    pub grid: String,
    /// Follower nodes (`--role-follower`).
    pub follower: String,
    /// Candidate nodes (`--role-candidate`).
    pub candidate: String,
    /// Pre-candidate nodes (`--role-precandidate`).
    pub precandidate: String,
    /// Leader nodes (`--role-leader`).
    pub leader: String,
    /// Crashed nodes (`--role-down`).
    pub down: String,
    /// Request messages (`--msg-request`).
    pub request: String,
    /// Reply messages (`--msg-reply`).
    pub reply: String,
    /// Heartbeats and their acks (`--msg-heartbeat`).
    pub heartbeat: String,
    /// Granted votes, successful acks, votes received (`--ok`).
    pub ok: String,
    /// Refusals, lost messages, cut links (`--bad`).
    pub bad: String,
    /// Partition regions and picked nodes (`--partition`).
    pub partition: String,
    /// Selection rings and hover glow (`--select`).
    pub select: String,
    /// Term colours (`--term-0` .. `--term-7`), cycled by term.
    pub terms: [String; 8],
}

/// The dark letters drawn on role-coloured node fills (legible on every role colour).
pub const INK: &str = "#101216";

impl Palette {
    /// The dark theme's defaults.
    pub fn dark() -> Palette {
        Palette {
            bg: "#111318".into(),
            fg: "#F4F5F7".into(),
            muted: "#A3ABB7".into(),
            grid: "#2E343E".into(),
            down: "#5F6773".into(),
            heartbeat: "#8C96A4".into(),
            select: "#FFFFFF".into(),
            reply: SKY_BLUE.into(),
            terms: terms("#BBBBBB"),
            ..Palette::common()
        }
    }

    /// The light theme's defaults.
    pub fn light() -> Palette {
        Palette {
            bg: "#FFFFFF".into(),
            fg: "#111318".into(),
            muted: "#545C68".into(),
            grid: "#D5DAE1".into(),
            down: "#A0A7B1".into(),
            heartbeat: "#7D8794".into(),
            select: "#000000".into(),
            reply: BLUE.into(),
            terms: terms("#555555"),
            ..Palette::common()
        }
    }

    /// Colours both themes share (the theme-specific ones left empty, for the themes to fill).
    fn common() -> Palette {
        Palette {
            bg: String::new(),
            fg: String::new(),
            muted: String::new(),
            grid: String::new(),
            follower: SKY_BLUE.into(),
            candidate: ORANGE.into(),
            precandidate: YELLOW.into(),
            leader: BLUISH_GREEN.into(),
            down: String::new(),
            request: PURPLE.into(),
            reply: String::new(),
            heartbeat: String::new(),
            ok: BLUISH_GREEN.into(),
            bad: VERMILLION.into(),
            partition: BLUE.into(),
            select: String::new(),
            terms: terms(""),
        }
    }

    /// The palette the stylesheet defines for `el` (its computed custom properties). A missing
    /// property keeps the dark theme's colour, or the light theme's when the element's computed
    /// `color-scheme` is `light`.
    pub fn from_css(el: &Element) -> Palette {
        let style = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten());
        let Some(style) = style else {
            return Palette::dark();
        };
        let read = |name: &str| {
            let value = style.get_property_value(name).unwrap_or_default();
            let value = value.trim();
            (!value.is_empty()).then(|| value.to_owned())
        };
        let light =
            read("color-scheme").is_some_and(|s| s.split_whitespace().next() == Some("light"));
        let mut palette = if light {
            Palette::light()
        } else {
            Palette::dark()
        };
        for (name, slot) in palette.named_mut() {
            if let Some(v) = read(name) {
                *slot = v;
            }
        }
        for (i, slot) in palette.terms.iter_mut().enumerate() {
            if let Some(v) = read(&format!("--term-{i}")) {
                *slot = v;
            }
        }
        palette
    }

    /// Every colour but the terms, with its CSS custom property.
    fn named_mut(&mut self) -> [(&'static str, &mut String); 16] {
        [
            ("--bg", &mut self.bg),
            ("--fg", &mut self.fg),
            ("--muted", &mut self.muted),
            ("--grid", &mut self.grid),
            ("--role-follower", &mut self.follower),
            ("--role-candidate", &mut self.candidate),
            ("--role-precandidate", &mut self.precandidate),
            ("--role-leader", &mut self.leader),
            ("--role-down", &mut self.down),
            ("--msg-request", &mut self.request),
            ("--msg-reply", &mut self.reply),
            ("--msg-heartbeat", &mut self.heartbeat),
            ("--ok", &mut self.ok),
            ("--bad", &mut self.bad),
            ("--partition", &mut self.partition),
            ("--select", &mut self.select),
        ]
    }

    /// The fill of a node in `role`.
    pub fn role(&self, role: Role) -> &str {
        match role {
            Role::Follower | Role::Other(_) => &self.follower,
            Role::PreCandidate => &self.precandidate,
            Role::Candidate => &self.candidate,
            Role::Leader => &self.leader,
            Role::Down => &self.down,
        }
    }

    /// The colour of term (or ballot) `epoch`.
    pub fn term(&self, epoch: u64) -> &str {
        &self.terms[(epoch % self.terms.len() as u64) as usize]
    }
}

/// The Okabe–Ito colours as term colours, `last` standing in for its black.
fn terms(last: &str) -> [String; 8] {
    [
        ORANGE,
        SKY_BLUE,
        BLUISH_GREEN,
        YELLOW,
        BLUE,
        VERMILLION,
        PURPLE,
        last,
    ]
    .map(String::from)
}
