//! The printable review sheet: the board as it stands, then every finding of
//! the running design as the review panel shows it, with its explanation,
//! its fix and what its "show me" measured ([`super::ReviewState::print_sheet`]
//! has every finding measure itself first), to hand out after a review.
//! The copies go into `#review-sheet`, which the page's print stylesheet
//! shows alone while `<html data-print="sheet">`; then the browser's print
//! dialog opens ("Save as PDF" there gives a file).

use crate::i18n::{k, Locale};
use wasm_bindgen::{closure::Closure, JsCast};

const SHEET_ID: &str = "review-sheet";

/// Copies the board and the review's findings into the sheet and prints it.
pub(super) fn print(design: &str, locale: Locale) {
    let Some(window) = web_sys::window() else { return };
    let Some(doc) = window.document() else { return };
    if let Some(old) = doc.get_element_by_id(SHEET_ID) {
        old.remove();
    }
    let (Some(body), Some(html), Ok(sheet)) =
        (doc.body(), doc.document_element(), doc.create_element("section"))
    else {
        return;
    };
    sheet.set_id(SHEET_ID);
    let _ = sheet.set_attribute("data-testid", SHEET_ID);
    if let Ok(title) = doc.create_element("h1") {
        // The design's name is imported text: a text node, never HTML.
        title.set_text_content(Some(&k::review::sheet::title(locale, design)));
        let _ = sheet.append_child(&title);
    }
    for source in [".board svg.diagram", "[data-testid=review] .findings"] {
        if let Some(copy) = doc
            .query_selector(source)
            .ok()
            .flatten()
            .and_then(|e| e.clone_node_with_deep(true).ok())
        {
            let _ = sheet.append_child(&copy);
        }
    }
    if body.append_child(&sheet).is_err() {
        return;
    }
    let _ = html.set_attribute("data-print", "sheet");
    // Once the dialog closes, printing the page prints the page again.
    let restore = Closure::once_into_js(move || {
        let _ = html.remove_attribute("data-print");
    });
    window.set_onafterprint(Some(restore.unchecked_ref()));
    let _ = window.print();
}
