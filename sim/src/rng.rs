//! A small, portable, seeded random number generator (PCG-XSH-RR 64/32).
//!
//! In-crate on purpose: the output for a given seed must never change with a
//! dependency upgrade, and must be identical on native and wasm32.
//!
//! Exponential draws (every arrival gap and service time) go through one
//! shared ziggurat ([`Exponential`]): a table look-up and a multiply instead
//! of a logarithm per draw.

use std::sync::OnceLock;

/// PCG32 generator; the only source of randomness in the simulation.
#[derive(Clone)]
pub struct Rng {
    state: u64,
    inc: u64,
    /// The shared ziggurat tables, looked up once rather than per draw.
    zig: &'static Exponential,
}

impl std::fmt::Debug for Rng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rng").field("state", &self.state).field("inc", &self.inc).finish()
    }
}

impl Rng {
    const MULT: u64 = 6_364_136_223_846_793_005;

    /// A generator whose whole future is fixed by `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut rng =
            Rng { state: 0, inc: (seed.rotate_left(17) << 1) | 1, zig: Exponential::shared() };
        rng.next_u32();
        rng.state = rng.state.wrapping_add(seed ^ 0x9E37_79B9_7F4A_7C15);
        rng.next_u32();
        rng
    }

    /// The next 32 uniformly distributed bits.
    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.state = old.wrapping_mul(Self::MULT).wrapping_add(self.inc);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rot = (old >> 59) as u32;
        xorshifted.rotate_right(rot)
    }

    /// The next 64 uniformly distributed bits.
    pub fn next_u64(&mut self) -> u64 {
        (u64::from(self.next_u32()) << 32) | u64::from(self.next_u32())
    }

    /// A uniform float in `[0, 1)` with 53 bits of precision.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// An exponentially distributed sample with the given mean.
    #[inline]
    pub fn exp(&mut self, mean: f64) -> f64 {
        let zig = self.zig;
        zig.sample(self) * mean
    }

    /// A uniform whole number of nanoseconds in `[lo, hi)`.
    pub fn range_ns(&mut self, lo: u64, hi: u64) -> u64 {
        lo + (self.next_f64() * hi.saturating_sub(lo) as f64) as u64
    }

    /// A uniform integer in `0..n` (`n` must be non-zero).
    pub fn below(&mut self, n: u32) -> u32 {
        // Lemire's multiply-shift: unbiased enough for simulation purposes.
        ((u64::from(self.next_u32()) * u64::from(n)) >> 32) as u32
    }
}

/// Exponential variates by Marsaglia and Tsang's ziggurat: one table look-up
/// and one multiply in about 99% of draws, instead of a logarithm in every
/// one (the logarithm was a quarter of the M/M/c benchmark's time). Uses
/// only the shared [`Rng`]; the tables are built once per process
/// ([`Exponential::shared`]) from constants, so every build and target gets
/// the same tables.
#[derive(Clone, Debug)]
pub(crate) struct Exponential {
    /// Layer edges, `x[0]` the base strip's virtual width, `x[256] = 0`.
    x: [f64; 257],
    /// `e^(−x[i])`, the density at each edge.
    f: [f64; 257],
}

impl Exponential {
    /// Where the tail starts, and the area of every layer, for 256 layers.
    const R: f64 = 7.697_117_470_131_05;
    const V: f64 = 0.003_949_659_822_581_557;

    /// The tables, built on first use.
    pub(crate) fn shared() -> &'static Exponential {
        static TABLES: OnceLock<Exponential> = OnceLock::new();
        TABLES.get_or_init(Exponential::new)
    }

    fn new() -> Exponential {
        let mut x = [0.0; 257];
        let mut f = [0.0; 257];
        x[0] = Self::V / (-Self::R).exp();
        x[1] = Self::R;
        for i in 1..256 {
            f[i] = (-x[i]).exp();
            // Each layer has area V: x[i] · (f(x[i+1]) − f(x[i])) = V.
            x[i + 1] = if i == 255 { 0.0 } else { -(f[i] + Self::V / x[i]).ln() };
        }
        f[256] = 1.0;
        Exponential { x, f }
    }

    /// A draw with mean 1.
    #[inline(always)]
    pub(crate) fn sample(&self, rng: &mut Rng) -> f64 {
        loop {
            let bits = rng.next_u64();
            let layer = (bits & 0xff) as usize;
            let u = (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            let x = u * self.x[layer];
            if x < self.x[layer + 1] {
                return x;
            }
            if layer == 0 {
                // The tail beyond R is itself exponential (memoryless).
                return Self::R - (1.0 - rng.next_f64()).ln();
            }
            let y = self.f[layer] + rng.next_f64() * (self.f[layer + 1] - self.f[layer]);
            if y < (-x).exp() {
                return x;
            }
        }
    }
}

/// An exponential duration in whole nanoseconds (at least 1, so time moves).
#[inline(always)]
pub(crate) fn draw_ns(exp: &Exponential, rng: &mut Rng, mean_ns: f64) -> u64 {
    // Through i64: one signed conversion instruction; durations stay far
    // below 2^63 ns (292 years) for any accepted rate.
    (exp.sample(rng) * mean_ns + 0.5).max(1.0) as i64 as u64
}

#[cfg(test)]
mod tests {
    use super::{Exponential, Rng};

    #[test]
    fn same_seed_same_stream_different_seed_different_stream() {
        let a: Vec<u32> = (0..8)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u32()
            })
            .collect();
        let b: Vec<u32> = (0..8)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u32()
            })
            .collect();
        let c: Vec<u32> = (0..8)
            .map({
                let mut r = Rng::new(8);
                move |_| r.next_u32()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn ziggurat_draws_have_the_exponential_mean_and_tail() {
        let exp = Exponential::shared();
        let mut rng = Rng::new(5);
        let n = 400_000;
        let draws: Vec<f64> = (0..n).map(|_| exp.sample(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.01, "mean {mean}");
        // P(X > t) = e^(−t), inside the layers and past the tail start R.
        for t in [0.1, 1.0, 3.0, 8.0] {
            let share = draws.iter().filter(|&&d| d > t).count() as f64 / n as f64;
            let want = (-t).exp();
            assert!(
                (share - want).abs() < 4.0 * (want / n as f64).sqrt() + 1e-5,
                "t={t}: {share} vs {want}"
            );
        }
    }

    #[test]
    fn exponential_mean_is_close() {
        let mut r = Rng::new(42);
        let n = 200_000;
        let mean = (0..n).map(|_| r.exp(2.0)).sum::<f64>() / n as f64;
        assert!((mean - 2.0).abs() < 0.02, "mean {mean}");
    }
}
