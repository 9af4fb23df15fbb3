//! The full model's future-event list: a timing wheel in front of the radix
//! heap.
//!
//! Almost everything the model schedules is due within a few tens of
//! milliseconds (network legs, CPU jobs), and about forty queued events fall in
//! each simulated millisecond at 10k QPS. A wheel of [`SLOTS`] slots of
//! 2^[`SHIFT`] ns (33 µs, 67 ms in all) files such an event with a shift and
//! a mask, and pops it by finding the next set bit of an occupancy bitmap:
//! no event moves once filed, where the radix heap moved each one about
//! three times (the full model spent ~225 instructions per event popping
//! from it). Each slot is a short list kept sorted by time, in scheduling
//! order among equal times, so it pops from its head.
//!
//! Events due beyond the wheel's reach (timers of a second, DNS misses, and
//! nearly everything in slow models) wait in an [`EventQueue`] and move into
//! the wheel as soon as the wheel's reach passes them, before anything else
//! can be scheduled at their time; so FIFO among equal times holds across
//! the two, without a sequence number.
//!
//! Monotone, like [`EventQueue`]: nothing may be scheduled before the time
//! last popped. Never allocates once its node pool has reached the largest
//! number of events pending in the wheel at once.

use crate::queue::EventQueue;
use crate::reuse::Overwrite;
use crate::time::SimTime;

/// log2 of a slot's width in nanoseconds (32.8 µs).
const SHIFT: u32 = 15;
/// Slots in the wheel (a power of two): 2^15 ns × 2,048 = 67 ms of reach.
/// (4,096 slots of 16 µs ran the same number of instructions at 10k QPS,
/// with twice the memory in every snapshot.)
const SLOTS: usize = 2048;
const MASK: u64 = SLOTS as u64 - 1;
const WORDS: usize = SLOTS / 64;
/// "No node".
const NIL: u32 = u32::MAX;

#[derive(Clone, Debug)]
struct Node<T> {
    at: u64,
    /// The next node in its slot (or in the free list).
    next: u32,
    item: Option<T>,
}

/// A min-queue of `T` ordered by time, FIFO among equal times; monotone.
#[derive(Debug)]
pub struct TimingWheel<T> {
    /// First and last node of each slot's list, or `NIL`. Fixed-size
    /// arrays indexed through `MASK`: no bounds checks on the hot path.
    heads: Box<[u32; SLOTS]>,
    tails: Box<[u32; SLOTS]>,
    /// Bit `s % 64` of word `s / 64` set when slot `s` is not empty.
    occupied: [u64; WORDS],
    nodes: Vec<Node<T>>,
    /// Head of the free-node list, linked through `next`.
    free: u32,
    /// Absolute slot number (`time >> SHIFT`) the wheel starts at: it holds
    /// exactly the events due before slot `cur + SLOTS`.
    cur: u64,
    /// The time last popped: nothing may be scheduled before it.
    last: u64,
    /// Events in the wheel.
    held: usize,
    /// Events due at or after slot `cur + SLOTS`.
    later: EventQueue<T>,
    /// The earliest time in `later` (`u64::MAX` if none), so that moving
    /// on to the next slot costs one comparison when nothing comes in reach.
    later_at: u64,
}

impl<T: Clone> Clone for TimingWheel<T> {
    fn clone(&self) -> Self {
        let mut copy = TimingWheel::default();
        copy.clone_from(self);
        copy
    }

    /// Into the slot arrays and node buffer already allocated (snapshots
    /// reuse their copies; see [`Simulation`](crate::Simulation)).
    fn clone_from(&mut self, source: &Self) {
        let TimingWheel { heads, tails, occupied, nodes, free, cur, last, held, later, later_at } =
            self;
        **heads = *source.heads;
        **tails = *source.tails;
        *occupied = source.occupied;
        nodes.overwrite_from(&source.nodes);
        *free = source.free;
        *cur = source.cur;
        *last = source.last;
        *held = source.held;
        later.clone_from(&source.later);
        *later_at = source.later_at;
    }
}

impl<T> Default for TimingWheel<T> {
    fn default() -> Self {
        TimingWheel {
            heads: Box::new([NIL; SLOTS]),
            tails: Box::new([NIL; SLOTS]),
            occupied: [0; WORDS],
            nodes: Vec::new(),
            free: NIL,
            cur: 0,
            last: 0,
            held: 0,
            later: EventQueue::default(),
            later_at: u64::MAX,
        }
    }
}

impl<T> TimingWheel<T> {
    /// Schedules `item` at `at` (not before the time last popped: a debug
    /// build checks it, a release build treats it as the time last popped).
    #[inline(always)]
    pub fn push(&mut self, at: SimTime, item: T) {
        debug_assert!(at.0 >= self.last, "scheduled at {at} before {}", SimTime(self.last));
        let at = at.0.max(self.last);
        if at >> SHIFT >= self.cur + SLOTS as u64 {
            self.later.push(SimTime(at), item);
            self.later_at = self.later_at.min(at);
        } else {
            self.file(at, item);
        }
    }

    /// Puts an event due within reach in its slot, after every event of
    /// that slot due at or before it.
    #[inline(always)]
    fn file(&mut self, at: u64, item: T) {
        let n = if self.free != NIL {
            let n = self.free;
            let node = &mut self.nodes[n as usize];
            self.free = node.next;
            *node = Node { at, next: NIL, item: Some(item) };
            n
        } else {
            self.nodes.push(Node { at, next: NIL, item: Some(item) });
            (self.nodes.len() - 1) as u32
        };
        self.held += 1;
        let s = ((at >> SHIFT) & MASK) as usize;
        let tail = self.tails[s];
        if tail == NIL {
            self.heads[s] = n;
            self.tails[s] = n;
            self.occupied[s / 64] |= 1 << (s % 64);
        } else if self.nodes[tail as usize].at <= at {
            // The usual case: later than everything already in the slot.
            self.nodes[tail as usize].next = n;
            self.tails[s] = n;
        } else {
            let head = self.heads[s];
            if self.nodes[head as usize].at > at {
                self.nodes[n as usize].next = head;
                self.heads[s] = n;
            } else {
                // Walk to the last node due at or before `at`; the tail is
                // due after it, so the walk stops before the end.
                let mut prev = head;
                loop {
                    let next = self.nodes[prev as usize].next;
                    if self.nodes[next as usize].at > at {
                        self.nodes[n as usize].next = next;
                        self.nodes[prev as usize].next = n;
                        break;
                    }
                    prev = next;
                }
            }
        }
    }

    /// The first non-empty slot at or after `cur`, going round once (the
    /// wheel must hold something).
    #[inline]
    fn next_slot(&self) -> usize {
        let p = (self.cur & MASK) as usize;
        let mut w = p / 64;
        let mut word = self.occupied[w] & (!0u64 << (p % 64));
        loop {
            if word != 0 {
                return (w * 64 + word.trailing_zeros() as usize) & (SLOTS - 1);
            }
            w = (w + 1) % WORDS;
            word = self.occupied[w];
        }
    }

    /// Moves the events now within reach from `later` into the wheel.
    #[inline]
    fn migrate(&mut self) {
        if self.later_at >> SHIFT < self.cur + SLOTS as u64 {
            self.migrate_due();
        }
    }

    #[inline(never)]
    fn migrate_due(&mut self) {
        let reach = self.cur + SLOTS as u64;
        while self.later_at >> SHIFT < reach {
            if let Some((at, item)) = self.later.pop() {
                self.file(at.0, item);
            }
            self.later_at = self.later.peek_time().map_or(u64::MAX, |t| t.0);
        }
    }

    /// The time of the earliest scheduled item, if any.
    #[must_use]
    pub fn peek_time(&self) -> Option<SimTime> {
        if self.held == 0 {
            return self.later.peek_time();
        }
        let s = self.next_slot();
        Some(SimTime(self.nodes[self.heads[s] as usize].at))
    }

    /// Removes and returns the earliest item if it is due at or before
    /// `limit` (one look for `advance_to`'s "peek, then pop").
    #[inline(always)]
    pub fn pop_until(&mut self, limit: SimTime) -> Option<(SimTime, T)> {
        if self.held == 0 {
            let next = self.later.peek_time()?;
            if next > limit {
                return None;
            }
            self.cur = next.0 >> SHIFT;
            self.migrate_due();
        }
        let s = self.next_slot();
        let head = self.heads[s];
        let node = &mut self.nodes[head as usize];
        let at = node.at;
        if at > limit.0 {
            return None;
        }
        let item = node.item.take();
        let next = node.next;
        node.next = self.free;
        self.free = head;
        self.heads[s] = next;
        if next == NIL {
            self.tails[s] = NIL;
            self.occupied[s / 64] &= !(1 << (s % 64));
        }
        self.held -= 1;
        self.last = at;
        let slot = at >> SHIFT;
        if slot != self.cur {
            self.cur = slot;
            self.migrate();
        }
        item.map(|item| (SimTime(at), item))
    }

    /// Removes and returns the earliest item.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        self.pop_until(SimTime(u64::MAX))
    }

    /// Every scheduled item, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.nodes.iter().filter_map(|n| n.item.as_ref()).chain(self.later.iter())
    }

    /// Number of scheduled items.
    pub fn len(&self) -> usize {
        self.held + self.later.len()
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_fifo_among_equal_times() {
        let mut q = TimingWheel::default();
        q.push(SimTime(5), "b");
        q.push(SimTime(1), "a");
        q.push(SimTime(5), "c");
        q.push(SimTime(1 << 40), "e");
        q.push(SimTime(5), "d");
        assert_eq!(q.peek_time(), Some(SimTime(1)));
        assert_eq!(q.len(), 5);
        assert_eq!(q.pop_until(SimTime(0)), None);
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, x)| x).collect();
        assert_eq!(order, ["a", "b", "c", "d", "e"]);
        assert!(q.is_empty());
        assert_eq!(q.peek_time(), None);
    }

    impl crate::queue::spec::Queue for TimingWheel<u32> {
        fn push(&mut self, at: SimTime, item: u32) {
            TimingWheel::push(self, at, item)
        }
        fn pop(&mut self) -> Option<(SimTime, u32)> {
            TimingWheel::pop(self)
        }
        fn pop_until(&mut self, limit: SimTime) -> Option<(SimTime, u32)> {
            TimingWheel::pop_until(self, limit)
        }
        fn peek_time(&self) -> Option<SimTime> {
            TimingWheel::peek_time(self)
        }
        fn len(&self) -> usize {
            TimingWheel::len(self)
        }
        fn count(&self) -> usize {
            self.iter().count()
        }
    }

    #[test]
    fn pops_in_time_then_push_order_like_a_sort() {
        // Delays within one slot, across the wheel, and far beyond its
        // reach, so that events move from `later` into slots already
        // holding others; many ties.
        crate::queue::spec::like_a_stable_sort(&mut TimingWheel::default(), 40_000, |x| {
            match x >> 60 {
                0 => 0,
                1..=3 => (x >> 33) % 50,
                4..=6 => (x >> 20) % 40_000,
                7..=10 => (x >> 20) % 70_000_000,
                11..=13 => 67_100_000 + (x >> 20) % 200_000,
                14 => (x >> 20) % 2_000_000_000,
                _ => (x >> 8) % (1 << 40),
            }
        });
    }
}
