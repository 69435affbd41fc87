//! Numbers as people read them, with integer formatting only (float printing would add its code
//! to the bundle).

use quorum_engine::model::types::{Micros, MS, SEC};

/// `x` with `places` decimals (at most 3), rounded: `fixed(99.456, 1)` is `99.5`.
pub fn fixed(x: f64, places: u32) -> String {
    let scale = 10_i64.pow(places.min(3));
    let n = (x * scale as f64).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let (whole, frac) = (n.abs() / scale, n.abs() % scale);
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole}.{frac:0width$}",
            width = places.min(3) as usize
        )
    }
}

/// A duration: `0 ms`, `4.2 ms` under 10 ms, `152 ms` under a second, `1.52 s` from a second.
pub fn duration(t: Micros) -> String {
    if t == 0 {
        "0 ms".into()
    } else if t < 10 * MS {
        format!("{} ms", fixed(t as f64 / MS as f64, 1))
    } else if t < SEC {
        format!("{} ms", (t + MS / 2) / MS)
    } else {
        format!("{} s", fixed(t as f64 / SEC as f64, 2))
    }
}

/// A moment on a time axis: `0`, `500 ms`, `1 s`, `2.5 s`.
pub fn moment(t: Micros) -> String {
    if t == 0 {
        "0".into()
    } else if t < SEC {
        format!("{} ms", t / MS)
    } else if t.is_multiple_of(SEC) {
        format!("{} s", t / SEC)
    } else {
        format!("{} s", fixed(t as f64 / SEC as f64, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(fixed(99.456, 1), "99.5");
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(fixed(12.7, 0), "13");
        assert_eq!(duration(4_240), "4.2 ms");
        assert_eq!(duration(151_600), "152 ms");
        assert_eq!(duration(1_520_000), "1.52 s");
        assert_eq!(moment(0), "0");
        assert_eq!(moment(500 * MS), "500 ms");
        assert_eq!(moment(2 * SEC), "2 s");
        assert_eq!(moment(2_500 * MS), "2.5 s");
    }
}
