//! The canvas: pure layout of a frame into shapes, hit testing, and drawing.
