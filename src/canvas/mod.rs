//! The canvas: pure layout of a frame into shapes, hit testing, and drawing.
//!
//! [`layout`] turns an engine [`Frame`](quorum_engine::lab::Frame) and the view options into a
//! [`Scene`]: plain geometry in CSS pixels (nodes on a ring, messages along their paths, partition
//! regions, cut links), tested natively. [`draw`] paints a scene and is the only code that touches
//! the 2D context; [`Palette`] holds the colours, read from the stylesheet's custom properties.
//! The metrics panel's chart follows the same split: [`chart`] lays it out, [`draw_chart`]
//! paints it.

/// The canvas labels' font family: the system's interface font, then fonts with Simplified Chinese
/// glyphs, so Chinese labels never fall back to boxes.
macro_rules! font_family {
    () => {
        "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans CJK SC', 'PingFang SC', \
         'Microsoft YaHei', sans-serif"
    };
}

pub mod chart;
pub mod draw;
pub mod layout;
pub mod palette;
pub mod shapes;
pub mod spacetime;
pub mod trig;

pub use draw::{chart as draw_chart, draw, spacetime as draw_spacetime};
pub use layout::{hit_test, layout, Hit, Scene, ViewOptions};
pub use palette::Palette;
