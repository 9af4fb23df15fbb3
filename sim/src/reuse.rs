//! Copying into buffers that already exist.
//!
//! The app's time-travel snapshots keep their copies of the simulation and
//! overwrite them (`Simulation::clone_from`) instead of allocating new ones:
//! allocating and freeing ~3,000 blocks per snapshot fragmented wasm's
//! allocator (issue 7). Every buffer on that path is copied with
//! [`Overwrite::overwrite_from`], which grows it by exactly what it lacks:
//! growing by doubling would leave each reused copy up to twice the size of
//! a fresh one.

use std::collections::VecDeque;

/// `clone_from` into what `self` already holds, item by item, growing it by
/// exactly the room it lacks.
pub(crate) trait Overwrite {
    fn overwrite_from(&mut self, source: &Self);
}

impl<T: Clone> Overwrite for Vec<T> {
    fn overwrite_from(&mut self, source: &Self) {
        self.reserve_exact(source.len().saturating_sub(self.len()));
        // Item by item (`Clone::clone_from`), then the rest appended.
        self.clone_from(source);
    }
}

impl<T: Clone> Overwrite for VecDeque<T> {
    fn overwrite_from(&mut self, source: &Self) {
        self.truncate(source.len());
        self.reserve_exact(source.len() - self.len());
        let kept = self.len();
        // Each kept item into its own buffers (an item may own vectors).
        for (mine, theirs) in self.iter_mut().zip(source) {
            mine.clone_from(theirs);
        }
        self.extend(source.iter().skip(kept).cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::Overwrite;
    use std::collections::VecDeque;

    #[test]
    fn the_copy_equals_the_source_and_reuses_the_room_it_has() {
        let mut vec: Vec<Vec<u32>> = vec![vec![1; 8]; 5];
        let room = vec.capacity();
        vec.overwrite_from(&vec![vec![2; 3]; 2]);
        assert_eq!(vec, vec![vec![2; 3]; 2]);
        assert_eq!(vec.capacity(), room);
        vec.overwrite_from(&vec![vec![3]; 9]);
        assert_eq!(vec, vec![vec![3]; 9]);
        assert_eq!(vec.capacity(), 9, "grown by exactly what it lacked");

        let mut deque: VecDeque<Vec<u32>> = (0..4).map(|i| vec![i; 4]).collect();
        let source: VecDeque<Vec<u32>> = (10..16).map(|i| vec![i; 2]).collect();
        deque.overwrite_from(&source);
        assert_eq!(deque, source);
        deque.overwrite_from(&VecDeque::from(vec![vec![7]]));
        assert_eq!(deque, VecDeque::from(vec![vec![7]]));
    }
}
