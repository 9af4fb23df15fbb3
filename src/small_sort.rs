//! Insertion sort for the app's short lists (the lit nodes of a step, a
//! drawing's pieces, a challenge's results, a scene's cues: tens of items at
//! most, a few hundred for a huge imported layout).
//!
//! Why not `slice::sort*`: the standard sorts are quicksort/driftsort with
//! small-sort networks, 2–4 KB of wasm for every element type they are used
//! with; the app sorted nine types, 30 KB raw of the bundle (BENCHMARKS.md,
//! "Bundle size"). These compile to a few hundred bytes each and give the
//! same order: [`sort_by_key`] is stable, like `sort_by_key`; [`sort`] sorts
//! totally ordered values, where stable and unstable orders agree.

/// Sorts `v` ascending (same result as `sort_unstable` for a total order).
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v[j - 1] > v[j] {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Sorts `v` by `key`, keeping equal keys in their order (stable, like
/// `slice::sort_by_key`).
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j - 1]) > key(&v[j]) {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library() {
        // A fixed pseudo-random walk over lengths 0..40 with many repeats.
        let mut x: u32 = 7;
        for len in 0..40 {
            let mut a: Vec<(u8, u16)> = (0..len)
                .map(|i| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (((x >> 16) % 5) as u8, i)
                })
                .collect();
            let mut b = a.clone();
            sort_by_key(&mut a, |p| p.0);
            b.sort_by_key(|p| p.0);
            assert_eq!(a, b, "stable by key, length {len}");
            sort(&mut a);
            b.sort_unstable();
            assert_eq!(a, b, "total order, length {len}");
        }
    }
}
