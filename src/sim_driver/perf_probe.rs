//! The frame benchmark's window into each frame: `bench/frames` defines
//! `window.__infraboardPerf(simMs, drawMs, publishMs, dots)` before the app
//! starts, and the frame loop reports every frame's phases to it. On every
//! normal page the function is absent, the probe is never found, and the
//! loop never calls out and pays nothing.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// The page's global object seen as the place a benchmark may leave a
    /// `__infraboardPerf(simMs, drawMs, publishMs, dots)` function.
    pub(super) type PerfProbe;
    #[wasm_bindgen(method, getter, js_name = __infraboardPerf)]
    fn perf_function(this: &PerfProbe) -> JsValue;
    /// One frame's phases, in wall milliseconds, and the dots it drew.
    #[wasm_bindgen(method, js_name = __infraboardPerf)]
    pub(super) fn report(this: &PerfProbe, sim_ms: f64, draw_ms: f64, publish_ms: f64, dots: f64);
}

impl PerfProbe {
    /// The probe, when the page defines `__infraboardPerf` (a benchmark).
    pub(super) fn find() -> Option<PerfProbe> {
        let global: PerfProbe = JsValue::from(leptos::prelude::window()).unchecked_into();
        global.perf_function().is_function().then_some(global)
    }
}
