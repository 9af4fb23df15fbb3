//! The driver's core under a long run, with a counting allocator (this
//! test binary only): once the per-second history and the snapshot slots
//! have filled, taking snapshots must not allocate and free the
//! simulation's thousands of blocks again and again. That churn fragmented
//! wasm's allocator, whose memory never shrinks: the browser's memory grew
//! ~0.15 MB per 1,000 simulated seconds while the bytes in use stayed flat
//! (issue 7; BENCHMARKS.md section 6).

use super::engine::{Engine, MAX_SLOTS};
use infraboard_sim::{presets, Command, SimTime};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;

struct Counting;

// Per thread, so that tests running in parallel do not count each other.
thread_local! {
    /// Bytes allocated and not freed yet.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// Calls to `alloc` (and `realloc` moves) so far.
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

fn note(size: usize, sign: isize) {
    let _ = LIVE.try_with(|l| l.set(l.get() + sign * size as isize));
    if sign > 0 {
        let _ = ALLOCS.try_with(|a| a.set(a.get() + 1));
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size(), 1);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(layout.size(), -1);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(layout.size(), -1);
        note(new_size, 1);
        // (Counted as an allocation: a grown block usually moves.)
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

fn live() -> isize {
    LIVE.with(|l| l.get())
}

fn allocs() -> u64 {
    ALLOCS.with(|a| a.get())
}

/// Runs `e` to `until`, the way the frame loop does at 100× (frames of
/// 1.67 simulated seconds, stopping at each snapshot time and taking the
/// copy after the frame).
fn play(e: &mut Engine, until: SimTime) {
    while e.now() < until {
        let target = e.now().plus_nanos(1_666_666_666).min(until);
        while e.now() < target {
            if e.advance_to_stop(target).unwrap() {
                e.settle_snapshot();
            }
        }
    }
}

#[test]
fn snapshots_reuse_their_memory_once_a_long_run_has_filled_them() {
    let mut e = Engine::new(Arc::new(presets::default_scenario()), 1).unwrap();
    e.apply(Command::SetRate { qps: 1_000.0 }, infraboard_sim::Origin::Control).unwrap();
    // Warm-up: the 600-second history is full, and every snapshot slot
    // has held a full-size copy (the bytes in use level off by ~1,000 s).
    play(&mut e, SimTime::from_secs(1_000));
    let (live0, allocs0) = (live(), allocs());
    // 600 simulated seconds: 300 snapshots, ~9 thinnings.
    play(&mut e, SimTime::from_secs(1_600));
    let snapshots = 300;
    let per_snapshot = (allocs() - allocs0) / snapshots;
    let grown = live() - live0;
    // The figures BENCHMARKS.md section 6 quotes (`cargo test -p infraboard
    // --lib soak -- --nocapture` prints them).
    println!(
        "soak: {per_snapshot} allocations per snapshot, bytes in use +{grown} over 600 simulated s"
    );
    // A fresh copy of the simulation is ~3,000 blocks (600 seconds of
    // history with five per-box vectors each): 3,055 allocations per
    // snapshot before the slots were reused. A reused copy needs none; what
    // remains (30 per 2 simulated s when last measured) is the running
    // simulation's own work.
    assert!(
        per_snapshot < 500,
        "{per_snapshot} allocations per snapshot: snapshots are allocated afresh"
    );
    // ~20 MB in use; last measured: +17 KB over these 600 s.
    assert!(grown < 128 * 1024, "bytes in use grew by {grown} in 600 simulated s");
    assert!(e.slots() <= MAX_SLOTS, "{} snapshot slots", e.slots());
    // Time travel still lands where it should on the reused copies.
    let seen = e.metrics().clone();
    e.seek(SimTime::from_secs(333)).unwrap();
    assert_eq!(e.now(), SimTime::from_secs(333));
    assert!(e.metrics().requests < seen.requests);
    e.seek(SimTime::from_secs(1_600)).unwrap();
    assert_eq!(e.metrics(), &seen, "the replayed future is the one seen");
}
