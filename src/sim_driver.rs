//! The bridge between wall time and simulated time, and the one handle every
//! component uses to read and steer the running simulation.
//!
//! [`provide_sim`] (called once, by the page) creates the run and starts one
//! `requestAnimationFrame` loop that advances the simulation by
//! `wall elapsed × speed` while playing, hands each frame to its named
//! consumers (the board's request layer, a recording; see `consumers.rs`),
//! and publishes a [`FrameStats`] about 15 times a second. Components get the
//! handle with [`use_sim`]:
//!
//! ```ignore
//! let sim = use_sim();
//! sim.playing.set(false);            // pause
//! sim.speed.set(10.0);               // 10× (clamped to 0.1–100)
//! let qps = move || sim.frame.with(|f| f.metrics.last_qps());
//! let tls = move || sim.with_sim(|s| s.tls_mode());   // re-runs ~15 Hz
//! sim.apply(Command::Kill(NodeRef::PrimaryDb), Origin::Control); // refusal → sim.message
//! sim.restart(None);                 // same seed, from zero
//! sim.load_preset("lb-two-fullstack");
//! ```
//!
//! Every command is on the engine's timeline with its simulated time and
//! origin: rewinding (←, the time bar) and playing forward again replays
//! it, so the run the user sees again is the same run. Scripts (a "show me",
//! challenges, a shared link) are scheduled on it ([`SimHandle::schedule`])
//! and land at their exact times. A user command given after rewinding
//! starts a new branch: the user's recorded future is forgotten, the
//! scripts play on (`infraboard_sim::timeline`).
//!
//! Architecture invariant: this module is the only place that converts wall
//! time into simulated time; the `sim` crate never sees a clock.
//!
//! One file per job: `handle.rs` (the handle, what it publishes, its
//! messages), `frame_loop.rs` (the animation frame), `pacing.rs` (wall time
//! against simulated time), `sampling.rs` (how many requests a dot stands
//! for), `consumers.rs` (who is handed each frame), `perf_probe.rs` (the
//! frame benchmark's hook), `engine.rs` (the run with its snapshots and
//! command log), `flights.rs` (the requests in flight the canvas draws).

mod consumers;
mod engine;
pub mod flights;
mod frame_loop;
mod handle;
pub(crate) mod history;
mod pacing;
mod perf_probe;
mod sampling;
#[cfg(test)]
mod soak;

pub use self::consumers::{FrameRecorder, RequestPainter};
pub use self::engine::Engine;
pub use self::handle::{provide_sim, use_sim, DriverMessage, FrameStats, SimHandle, SPEED_RANGE};
