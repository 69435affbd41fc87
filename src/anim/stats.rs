//! The frame-time probe: how long each animation frame's work took.

/// Per-frame work measurements, for the frame-time probe.
#[derive(Clone, Debug, Default)]
pub struct FrameStats {
    samples: Vec<f64>,
    next: usize,
    /// Frames measured in total.
    pub frames: u64,
}

impl FrameStats {
    const KEEP: usize = 600;

    /// Records one frame's work in milliseconds.
    pub fn record(&mut self, ms: f64) {
        if self.samples.len() < Self::KEEP {
            self.samples.push(ms);
        } else {
            self.samples[self.next] = ms;
        }
        self.next = (self.next + 1) % Self::KEEP;
        self.frames += 1;
    }

    /// The p-th percentile of the recent frames (0 when none).
    pub fn percentile(&self, p: f64) -> f64 {
        if self.samples.is_empty() {
            return 0.0;
        }
        let mut s = self.samples.clone();
        s.sort_by(f64::total_cmp);
        let i = ((s.len() - 1) as f64 * p / 100.0).round() as usize;
        s[i]
    }

    /// Forgets the samples (a new run starts), keeping the frame count.
    pub fn clear(&mut self) {
        self.samples.clear();
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_stats_report_percentiles() {
        let mut f = FrameStats::default();
        for i in 1..=100 {
            f.record(i as f64);
        }
        assert_eq!(f.percentile(50.0), 51.0);
        assert_eq!(f.percentile(100.0), 100.0);
        assert_eq!(f.frames, 100);
        f.clear();
        assert_eq!(f.percentile(95.0), 0.0);
        assert_eq!(f.frames, 100);
    }
}
