//! The still of the first board that a release page shows while its wasm
//! arrives (written into index.html at build time by
//! `scripts/prerender-first-board.mjs`). It is `inert`, so nothing in it can
//! be clicked or focused; the live page takes its place.

/// The id the prerender script gives the still.
const STILL_ID: &str = "first-board";

/// Removes the still. Called as `App`'s first act: the live page is mounted
/// in the same task, so no frame is painted between the two.
pub fn remove_still() {
    if let Some(still) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(STILL_ID))
    {
        still.remove();
    }
}
