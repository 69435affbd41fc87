//! Sine, cosine and arctangent for the canvas.
//!
//! In the browser they call JavaScript's `Math`: the canvas needs no bit-exact trigonometry, and
//! Rust's own implementations (with their argument reduction tables) add about 7 KB to the
//! download. Natively (the layout tests) they are Rust's.

/// The sine of `x` (radians).
pub fn sin(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::sin(x);
    #[cfg(not(target_arch = "wasm32"))]
    return x.sin();
}

/// The cosine of `x` (radians).
pub fn cos(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::cos(x);
    #[cfg(not(target_arch = "wasm32"))]
    return x.cos();
}

/// The angle of the point `(x, y)` from the positive x axis, in `(-π, π]`.
pub fn atan2(y: f64, x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Math::atan2(y, x);
    #[cfg(not(target_arch = "wasm32"))]
    return y.atan2(x);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agree_with_the_unit_circle() {
        let quarter = std::f64::consts::FRAC_PI_2;
        assert!((sin(quarter) - 1.0).abs() < 1e-12);
        assert!(cos(quarter).abs() < 1e-12);
        assert!((atan2(1.0, 0.0) - quarter).abs() < 1e-12);
        assert!((atan2(0.0, -1.0) - std::f64::consts::PI).abs() < 1e-12);
    }
}
