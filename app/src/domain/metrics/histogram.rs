//! Fixed-bucket histograms of durations: what a daily rollup keeps so that a report over
//! any number of cases gives medians and 90th percentiles by adding counts.

/// How many buckets a histogram has.
pub const BUCKETS: usize = 24;

/// The exclusive upper bound of each bucket, in seconds (roughly log-spaced, in round
/// figures: 1 min … 30 days); the last bucket is open-ended.
const UPPER: [i64; BUCKETS - 1] = [
    60,
    2 * 60,
    5 * 60,
    10 * 60,
    15 * 60,
    30 * 60,
    45 * 60,
    3600,
    5400,
    2 * 3600,
    3 * 3600,
    4 * 3600,
    6 * 3600,
    8 * 3600,
    12 * 3600,
    86_400,
    129_600,
    2 * 86_400,
    3 * 86_400,
    5 * 86_400,
    7 * 86_400,
    14 * 86_400,
    30 * 86_400,
];

/// The bucket a duration of `seconds` falls in.
pub fn bucket_of(seconds: i64) -> usize {
    UPPER.iter().position(|upper| seconds < *upper).unwrap_or(BUCKETS - 1)
}

/// The figure a report gives for a bucket: its upper bound (the last, open-ended bucket
/// gives its lower bound, 30 days).
pub fn bucket_upper(bucket: usize) -> i64 {
    UPPER[bucket.min(BUCKETS - 2)]
}

/// Counts per bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Histogram(pub [i64; BUCKETS]);

impl Histogram {
    pub fn add(&mut self, seconds: i64) {
        self.0[bucket_of(seconds)] += 1;
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    pub fn count(&self) -> i64 {
        self.0.iter().sum()
    }

    /// The `q` quantile (0 < q ≤ 1) as the upper bound of the bucket holding it (nearest
    /// rank); `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<i64> {
        let total = self.count();
        if total <= 0 {
            return None;
        }
        let rank = ((q * total as f64).ceil() as i64).clamp(1, total);
        let mut seen = 0;
        for (bucket, n) in self.0.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return Some(bucket_upper(bucket));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_increasing_and_cover_every_duration() {
        assert!(UPPER.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(bucket_of(0), 0);
        assert_eq!(bucket_of(59), 0);
        assert_eq!(bucket_of(60), 1);
        assert_eq!(bucket_of(3599), 7);
        assert_eq!(bucket_of(i64::MAX), BUCKETS - 1);
    }

    #[test]
    fn median_and_p90_come_from_the_bucket_that_holds_them() {
        let mut h = Histogram::default();
        for s in [30, 90, 90, 400, 4000, 4000, 4000, 4000, 4000, 100_000] {
            h.add(s);
        }
        assert_eq!(h.quantile(0.5), Some(5400));
        assert_eq!(h.quantile(0.9), Some(5400));
        assert_eq!(h.quantile(1.0), Some(129_600));
        assert_eq!(Histogram::default().quantile(0.5), None);
    }
}
