//! Recording the board as a WebM video: a canvas outside the page gets the
//! diagram (re-drawn from the live SVG once a second, since the SVG changes
//! at most a few times a second) and the request layer (every animation
//! frame: [`VideoFrames`] is the driver's `FrameRecorder`); `MediaRecorder` films that
//! canvas's `captureStream()`. Stopping hands the video over as a download.

use super::export;
use crate::sim_driver::{FrameRecorder, SimHandle};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::js_sys;
use web_sys::{HtmlCanvasElement, HtmlImageElement, MediaRecorder};

/// Video size: the board's 1000 × 600 at 1.28× (a 1280-wide video).
const VIDEO_W: u32 = 1280;
const VIDEO_H: u32 = 768;
/// Wall milliseconds between two snapshots of the SVG.
const SVG_REFRESH_MS: u32 = 1000;

/// Why recording did not start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The browser has no `MediaRecorder`.
    Unsupported,
    /// It has one, but it refused (no WebM, no capture …).
    Failed,
}

/// A recording in progress; [`Recording::stop`] ends it and downloads it.
pub struct Recording {
    recorder: MediaRecorder,
    /// Whose frame loop hands [`VideoFrames`] each frame.
    sim: SimHandle,
    _refresh: gloo_timers::callback::Interval,
    _keep: Vec<JsValue>,
}

/// Whether this browser can record at all.
pub fn supported() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::has(&w, &JsValue::from_str("MediaRecorder")).unwrap_or(false)
    })
}

/// The first WebM flavour the browser records.
fn webm_type() -> Option<&'static str> {
    ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"]
        .into_iter()
        .find(|t| MediaRecorder::is_type_supported(t))
}

impl Recording {
    /// Starts filming the board `sim` runs; `file_name` is the download's name.
    pub fn start(sim: SimHandle, file_name: &'static str) -> Result<Recording, RecordError> {
        if !supported() {
            return Err(RecordError::Unsupported);
        }
        let mime = webm_type().ok_or(RecordError::Failed)?;
        let canvas = export::canvas(VIDEO_W, VIDEO_H).map_err(|_| RecordError::Failed)?;
        let stream = canvas.capture_stream().map_err(|_| RecordError::Failed)?;
        let options = web_sys::MediaRecorderOptions::new();
        options.set_mime_type(mime);
        let recorder =
            MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &options)
                .map_err(|_| RecordError::Failed)?;

        let chunks = js_sys::Array::new();
        let on_data = Closure::<dyn FnMut(web_sys::BlobEvent)>::new({
            let chunks = chunks.clone();
            move |e: web_sys::BlobEvent| {
                if let Some(data) = e.data().filter(|d| d.size() > 0.0) {
                    chunks.push(&data);
                }
            }
        });
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        let on_stop = Closure::<dyn FnMut()>::new(move || {
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("video/webm");
            if let Ok(blob) = web_sys::Blob::new_with_blob_sequence_and_options(&chunks, &options) {
                let _ = export::download_blob(&blob, file_name);
            }
        });
        recorder.set_onstop(Some(on_stop.as_ref().unchecked_ref()));

        // The diagram as an image, refreshed from the live SVG.
        let board: Rc<RefCell<Option<HtmlImageElement>>> = Rc::new(RefCell::new(None));
        let refresh = {
            let board = board.clone();
            move || {
                if let Some(svg) = export::board_svg() {
                    let board = board.clone();
                    export::svg_image(&svg, move |img| {
                        if img.is_some() {
                            *board.borrow_mut() = img;
                        }
                    });
                }
            }
        };
        refresh();
        let interval = gloo_timers::callback::Interval::new(SVG_REFRESH_MS, refresh);

        recorder.start_with_time_slice(500).map_err(|_| RecordError::Failed)?;
        sim.set_recorder(Some(Box::new(VideoFrames { canvas, board })));
        Ok(Recording {
            recorder,
            sim,
            _refresh: interval,
            _keep: vec![on_data.into_js_value(), on_stop.into_js_value()],
        })
    }

    /// Stops filming; the browser then gets the video as a download.
    pub fn stop(self) {
        self.sim.set_recorder(None);
        let _ = self.recorder.stop();
    }
}

/// The video's canvas, given the board each animation frame.
pub struct VideoFrames {
    canvas: HtmlCanvasElement,
    /// The diagram, as last drawn from the live SVG.
    board: Rc<RefCell<Option<HtmlImageElement>>>,
}

impl FrameRecorder for VideoFrames {
    fn record(&mut self) {
        if let Some(img) = self.board.borrow().as_ref() {
            let _ = export::compose(&self.canvas, img);
        }
    }
}
