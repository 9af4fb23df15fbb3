//! Who is handed each animation frame, named one by one.
//!
//! Right after the simulation moved, [`super::frame_loop`] hands the frame to
//! each consumer here, in the order of the fields. The consumers live above
//! the driver (the request layer in `canvas`, a recording in `share`), so
//! the driver names each one by its job, a trait with one implementation,
//! and the view that owns it fills its slot when it mounts and empties it
//! when it unmounts ([`super::SimHandle::set_request_painter`],
//! [`super::SimHandle::set_recorder`]). An empty slot costs nothing.
//!
//! What is redrawn at the ~15 Hz publication (charts, feed, panels) is not
//! here: it reads [`super::SimHandle::frame`].

use super::engine::Engine;

/// Draws the requests in flight over the board. Implemented by the request
/// layer's `Painter` (`src/canvas/mod.rs`).
pub trait RequestPainter {
    /// Draws `engine`'s hops, locks and drop bursts at its current time;
    /// returns how many request dots it drew (for the frame benchmark).
    fn paint(&mut self, engine: &Engine) -> usize;
}

/// Films the page, once per frame, after the request layer is painted.
/// Implemented by a recording in progress (`src/share/record.rs`).
pub trait FrameRecorder {
    /// Adds the board as it is now to the video.
    fn record(&mut self);
}

/// The frame's consumers, in the order they are handed a frame.
#[derive(Default)]
pub struct FrameConsumers {
    /// The board's request layer, while it is mounted.
    pub(super) requests: Option<Box<dyn RequestPainter>>,
    /// The video being recorded, while a recording runs (it copies the
    /// request layer, so it comes after it).
    pub(super) recording: Option<Box<dyn FrameRecorder>>,
}
