//! A fixed-size, log-bucketed latency histogram (HdrHistogram's idea, in
//! crate so it never allocates after creation and clones cheaply).
//!
//! Values are recorded in microseconds. Below 16 µs each value has its own
//! bucket; above, every power of two is split into 16 sub-buckets, so a
//! reported percentile is within ±3.2 % of the true value. Range: up to
//! 2^40 µs (12 days), larger values land in the top bucket.

/// Sub-buckets per power of two (precision).
const SUB: usize = 16;
const SUB_BITS: u32 = 4;
/// Powers of two covered above the linear part.
const OCTAVES: usize = 37;
/// Total buckets.
const BUCKETS: usize = SUB + OCTAVES * SUB;

/// Where a latency falls, shared by every histogram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Bucket(usize);

impl Bucket {
    /// The bucket of a latency given in nanoseconds.
    #[inline]
    pub(crate) fn of_ns(ns: u64) -> Bucket {
        Bucket(bucket(ns / 1000))
    }
}

/// Counts of latencies, bounded in size whatever is recorded.
#[derive(Debug, PartialEq)]
pub struct Histogram {
    counts: Box<[u64; BUCKETS]>,
    total: u64,
}

impl Clone for Histogram {
    fn clone(&self) -> Self {
        Histogram { counts: self.counts.clone(), total: self.total }
    }

    /// Copies into the counts already allocated.
    fn clone_from(&mut self, source: &Self) {
        *self.counts = *source.counts;
        self.total = source.total;
    }
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { counts: Box::new([0; BUCKETS]), total: 0 }
    }
}

fn bucket(us: u64) -> usize {
    if us < SUB as u64 {
        return us as usize;
    }
    let e = 63 - us.leading_zeros(); // >= 4
    let sub = ((us >> (e - SUB_BITS)) as usize) & (SUB - 1);
    (SUB + (e - SUB_BITS) as usize * SUB + sub).min(BUCKETS - 1)
}

/// A representative value (the middle) of bucket `i`, in microseconds.
fn value_of(i: usize) -> f64 {
    if i < SUB {
        return i as f64;
    }
    let octave = (i - SUB) / SUB;
    let sub = (i - SUB) % SUB;
    let e = octave as u32 + SUB_BITS;
    let width = (1u64 << (e - SUB_BITS)) as f64;
    let low = (1u64 << e) as f64 + sub as f64 * width;
    low + width / 2.0
}

impl Histogram {
    /// Records one latency given in nanoseconds.
    pub fn record_ns(&mut self, ns: u64) {
        self.record_bucket(Bucket::of_ns(ns));
    }

    /// Records a latency whose bucket was found once for several
    /// histograms (a response counts in four of them).
    #[inline]
    pub(crate) fn record_bucket(&mut self, b: Bucket) {
        self.counts[b.0] += 1;
        self.total += 1;
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The value below which a share `q` (0 to 1) of the values fall, in
    /// milliseconds; 0 when empty.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return value_of(i) / 1000.0;
            }
        }
        value_of(BUCKETS - 1) / 1000.0
    }

    /// Forgets everything (keeps the storage).
    pub fn clear(&mut self) {
        if self.total != 0 {
            self.counts.fill(0);
            self.total = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_within_bucket_precision() {
        let mut h = Histogram::default();
        for ms in 1..=1000u64 {
            h.record_ns(ms * 1_000_000);
        }
        for (q, want) in [(0.5, 500.0), (0.95, 950.0), (0.99, 990.0)] {
            let got = h.quantile_ms(q);
            assert!((got - want).abs() / want < 0.035, "q{q}: {got} vs {want}");
        }
        h.clear();
        assert_eq!(h.quantile_ms(0.5), 0.0);
    }
}
