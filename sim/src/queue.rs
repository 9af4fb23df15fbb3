//! The deterministic future-event list.
//!
//! Events come out earliest first; events for the same instant come out in
//! the order they were scheduled (FIFO), as in SimPy and nexosim. This is
//! what makes equal-time ordering reproducible.
//!
//! A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan) rather than a binary
//! heap. A discrete-event simulation never schedules anything before the
//! event it is handling, so the queue is *monotone*: every time pushed is at
//! least the time last popped (`last`). Bucket `k` holds the events whose
//! time first differs from `last` at bit `k`; bucket "zero" holds those due
//! exactly at `last`, in scheduling order. Pushing is an XOR, a leading-zero
//! count and a `Vec` push; popping takes from "zero", and only when it is
//! empty spreads the lowest non-empty bucket over the buckets below it (each
//! event moves a few times in its life, always downwards). The full model's
//! binary heap cost about 250 instructions per event in `callgrind` (a
//! dozen levels of sifting with hard-to-predict branches); this costs a
//! fraction of that. FIFO needs no sequence number: events due at the same
//! time always sit in the same bucket, every bucket is appended to in
//! scheduling order, and spreading a bucket keeps its order.
//!
//! Never allocates once every bucket has reached its working size.

use crate::reuse::Overwrite;
use crate::time::SimTime;
use std::collections::VecDeque;

/// Buckets for times after `last`: one per bit of a `u64` time.
const BUCKETS: usize = 64;

/// A min-queue of `T` ordered by time, FIFO among equal times. Monotone:
/// nothing may be scheduled before the time last popped.
#[derive(Debug)]
pub struct EventQueue<T> {
    /// Slots of events due exactly at `last`, in scheduling order.
    zero: VecDeque<u32>,
    /// `buckets[k]`: `(time, slot)` of events whose time's highest bit
    /// differing from `last` is bit `k`, in scheduling order.
    buckets: Vec<Vec<(u64, u32)>>,
    /// Earliest time in each non-empty bucket.
    mins: [u64; BUCKETS],
    /// Bit `k` set when `buckets[k]` is not empty.
    filled: u64,
    /// The time last popped (or spread to), a lower bound of every time held.
    last: u64,
    /// The events themselves; buckets move only 12-byte `(time, slot)`
    /// pairs, whatever `T` is. Free slots are reused.
    items: Vec<Option<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T: Clone> Clone for EventQueue<T> {
    fn clone(&self) -> Self {
        let mut copy = EventQueue::with_capacity(0);
        copy.clone_from(self);
        copy
    }

    /// Into the buffers already allocated (the buckets' too).
    fn clone_from(&mut self, source: &Self) {
        let EventQueue { zero, buckets, mins, filled, last, items, free, len } = self;
        zero.overwrite_from(&source.zero);
        buckets.clone_from(&source.buckets);
        *mins = source.mins;
        *filled = source.filled;
        *last = source.last;
        items.overwrite_from(&source.items);
        free.overwrite_from(&source.free);
        *len = source.len;
    }
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue::with_capacity(0)
    }
}

impl<T> EventQueue<T> {
    /// An empty queue with room for `n` events due at once before it
    /// reallocates.
    pub fn with_capacity(n: usize) -> Self {
        EventQueue {
            zero: VecDeque::with_capacity(n),
            buckets: std::iter::repeat_with(Vec::new).take(BUCKETS).collect(),
            mins: [0; BUCKETS],
            filled: 0,
            last: 0,
            items: Vec::with_capacity(n),
            free: Vec::with_capacity(n),
            len: 0,
        }
    }

    /// Schedules `item` at `at`, which must not be before the time last
    /// popped (a simulation never schedules into the past; a debug build
    /// checks it, a release build treats it as "right now").
    #[inline]
    pub fn push(&mut self, at: SimTime, item: T) {
        debug_assert!(at.0 >= self.last, "scheduled at {at} before {}", SimTime(self.last));
        let at = at.0.max(self.last);
        self.len += 1;
        let slot = match self.free.pop() {
            Some(slot) => {
                self.items[slot as usize] = Some(item);
                slot
            }
            None => {
                self.items.push(Some(item));
                (self.items.len() - 1) as u32
            }
        };
        if at == self.last {
            self.zero.push_back(slot);
        } else {
            self.put(at, slot);
        }
    }

    /// Files an event due after `last` in its bucket.
    #[inline(always)]
    fn put(&mut self, at: u64, slot: u32) {
        let k = (63 - (at ^ self.last).leading_zeros()) as usize;
        let bit = 1u64 << k;
        if self.filled & bit == 0 {
            self.filled |= bit;
            self.mins[k] = at;
        } else if at < self.mins[k] {
            self.mins[k] = at;
        }
        self.buckets[k].push((at, slot));
    }

    /// The time of the earliest scheduled item, if any.
    #[must_use]
    pub fn peek_time(&self) -> Option<SimTime> {
        if !self.zero.is_empty() {
            Some(SimTime(self.last))
        } else if self.filled != 0 {
            Some(SimTime(self.mins[self.filled.trailing_zeros() as usize]))
        } else {
            None
        }
    }

    /// Removes and returns the earliest item.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        if self.zero.is_empty() {
            if self.filled == 0 {
                return None;
            }
            // Spread the lowest bucket: its earliest time becomes `last`,
            // so everything in it lands in lower buckets (or "zero").
            let k = self.filled.trailing_zeros() as usize;
            self.filled &= !(1u64 << k);
            self.last = self.mins[k];
            let mut bucket = std::mem::take(&mut self.buckets[k]);
            for (at, slot) in bucket.drain(..) {
                if at == self.last {
                    self.zero.push_back(slot);
                } else {
                    self.put(at, slot);
                }
            }
            // Keep the emptied bucket's storage for next time.
            self.buckets[k] = bucket;
        }
        let slot = self.zero.pop_front()?;
        let item = self.items[slot as usize].take()?;
        self.free.push(slot);
        self.len -= 1;
        Some((SimTime(self.last), item))
    }

    /// Every scheduled item, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.iter().flatten()
    }

    /// Number of scheduled items.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_fifo_among_equal_times() {
        let mut q = EventQueue::default();
        q.push(SimTime(5), "b");
        q.push(SimTime(1), "a");
        q.push(SimTime(5), "c");
        q.push(SimTime(5), "d");
        assert_eq!(q.peek_time(), Some(SimTime(1)));
        assert_eq!(q.len(), 4);
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, x)| x).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
        assert!(q.is_empty());
        assert_eq!(q.peek_time(), None);
    }

    impl spec::Queue for EventQueue<u32> {
        fn push(&mut self, at: SimTime, item: u32) {
            EventQueue::push(self, at, item)
        }
        fn pop(&mut self) -> Option<(SimTime, u32)> {
            EventQueue::pop(self)
        }
        fn pop_until(&mut self, limit: SimTime) -> Option<(SimTime, u32)> {
            // This queue has no limit of its own; the simulation peeks first.
            if self.peek_time()? <= limit {
                EventQueue::pop(self)
            } else {
                None
            }
        }
        fn peek_time(&self) -> Option<SimTime> {
            EventQueue::peek_time(self)
        }
        fn len(&self) -> usize {
            EventQueue::len(self)
        }
        fn count(&self) -> usize {
            self.iter().count()
        }
    }

    #[test]
    fn pops_in_time_then_push_order_like_a_sort() {
        // Delays from 0 to far beyond 2^32 ns, many ties.
        spec::like_a_stable_sort(&mut EventQueue::default(), 20_000, |x| match x >> 61 {
            0 => 0,
            1..=4 => (x >> 33) % 50,
            5 | 6 => (x >> 20) % 1_000_000,
            _ => (x >> 8) % (1 << 40),
        });
    }
}

/// The specification both event queues (this radix heap and the timing
/// wheel) are held to in their tests: a stable sort by time.
#[cfg(test)]
pub(crate) mod spec {
    use crate::time::SimTime;

    /// What the check needs of a queue of `u32` items.
    pub(crate) trait Queue {
        fn push(&mut self, at: SimTime, item: u32);
        fn pop(&mut self) -> Option<(SimTime, u32)>;
        /// The earliest item if it is due by `limit`.
        fn pop_until(&mut self, limit: SimTime) -> Option<(SimTime, u32)>;
        fn peek_time(&self) -> Option<SimTime>;
        fn len(&self) -> usize;
        /// Items seen by the queue's iterator.
        fn count(&self) -> usize;
    }

    /// Compares `q` with a stable sort by time over `n` pushes mixed with
    /// pops, each push at or after the time last popped (as in a
    /// simulation), with delays drawn by `delay` from a deterministic
    /// pseudo-random word; half the pops go through a limit, as
    /// `advance_to` does.
    pub(crate) fn like_a_stable_sort(q: &mut impl Queue, n: u32, delay: impl Fn(u64) -> u64) {
        let mut reference: Vec<(u64, u32)> = Vec::new();
        let mut popped = Vec::new();
        let mut expected = Vec::new();
        let mut now = 0u64;
        let mut x: u64 = 12345;
        for i in 0..n {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let at = now + delay(x);
            q.push(SimTime(at), i);
            reference.push((at, i));
            if i % 97 == 0 {
                assert_eq!(q.peek_time().map(|t| t.0), reference.iter().map(|r| r.0).min());
                assert_eq!(q.count(), reference.len());
            }
            if x.is_multiple_of(3) || (x >> 7).is_multiple_of(5) {
                reference.sort_by_key(|&(t, _)| t); // stable: push order kept
                let want = reference.remove(0);
                expected.push(want);
                let got = if i % 2 == 0 {
                    if want.0 > 0 {
                        assert_eq!(q.pop_until(SimTime(want.0 - 1)), None);
                    }
                    q.pop_until(SimTime(want.0))
                } else {
                    q.pop()
                };
                let got = got.map(|(t, v)| (t.0, v)).unwrap();
                now = got.0;
                popped.push(got);
            }
            assert_eq!(q.len(), reference.len());
        }
        reference.sort_by_key(|&(t, _)| t);
        expected.extend(reference);
        popped.extend(std::iter::from_fn(|| q.pop()).map(|(t, v)| (t.0, v)));
        assert_eq!(popped, expected);
    }
}
