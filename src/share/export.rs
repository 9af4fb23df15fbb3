//! Files out of the page: the board as SVG or PNG, the metrics as CSV, the
//! scenario as JSON. Everything is made in the page and handed to the
//! browser as a download (a `blob:` URL); nothing goes over the network.
//!
//! The SVG on screen is styled by the page's CSS, which a lone `.svg` file
//! does not have: each element of a copy gets its computed style written as
//! presentation attributes (`fill`, `stroke`, `font-size` …). Attributes,
//! not `style="…"`, because the page's Content-Security-Policy forbids
//! inline styles and presentation attributes are not styles to it.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::js_sys;
use web_sys::{Element, HtmlCanvasElement, HtmlImageElement};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// The board's coordinate system (the SVG's `viewBox`).
pub const BOARD_W: f64 = 1000.0;
/// Height of the board's coordinate system.
pub const BOARD_H: f64 = 600.0;
/// CSS properties that decide how an SVG element looks.
const STYLE_PROPS: [&str; 17] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "paint-order",
    "letter-spacing",
];

/// The on-screen diagram.
fn diagram() -> Option<Element> {
    web_sys::window()?.document()?.query_selector(".board svg.diagram").ok()?
}

/// The request layer drawn over the diagram.
fn request_layer() -> Option<HtmlCanvasElement> {
    web_sys::window()?
        .document()?
        .query_selector(".board canvas.request-layer")
        .ok()??
        .dyn_into()
        .ok()
}

/// The board as a standalone SVG document (styles inlined, a background).
pub fn board_svg() -> Option<String> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let svg = diagram()?;
    let copy: Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let originals = svg.query_selector_all("*").ok()?;
    let copies = copy.query_selector_all("*").ok()?;
    let inline = |from: &Element, to: &Element| {
        let Ok(Some(style)) = window.get_computed_style(from) else { return };
        for prop in STYLE_PROPS {
            if let Ok(v) = style.get_property_value(prop) {
                if !v.is_empty() {
                    let _ = to.set_attribute(prop, &v);
                }
            }
        }
        if style.get_property_value("display").is_ok_and(|d| d == "none") {
            let _ = to.set_attribute("display", "none");
        }
        if style.get_property_value("visibility").is_ok_and(|v| v == "hidden") {
            let _ = to.set_attribute("visibility", "hidden");
        }
    };
    inline(&svg, &copy);
    for i in 0..originals.length().min(copies.length()) {
        let (Some(a), Some(b)) = (originals.item(i), copies.item(i)) else { continue };
        if let (Ok(a), Ok(b)) = (a.dyn_into::<Element>(), b.dyn_into::<Element>()) {
            inline(&a, &b);
        }
    }
    let _ = copy.set_attribute("xmlns", SVG_NS);
    let _ = copy.set_attribute("width", &BOARD_W.to_string());
    let _ = copy.set_attribute("height", &BOARD_H.to_string());
    // The board's paper colour, behind everything.
    let paper = svg
        .closest(".board")
        .ok()
        .flatten()
        .and_then(|b| window.get_computed_style(&b).ok().flatten())
        .and_then(|s| s.get_property_value("background-color").ok())
        .filter(|c| !c.is_empty() && c != "rgba(0, 0, 0, 0)")
        .unwrap_or_else(|| "white".to_string());
    if let Ok(rect) = document.create_element_ns(Some(SVG_NS), "rect") {
        for (k, v) in [("x", "0"), ("y", "0"), ("width", "100%"), ("height", "100%")] {
            let _ = rect.set_attribute(k, v);
        }
        let _ = rect.set_attribute("fill", &paper);
        let _ = copy.prepend_with_node_1(&rect);
    }
    web_sys::XmlSerializer::new().ok()?.serialize_to_string(&copy).ok()
}

/// Hands `text` to the browser as a file download.
pub fn download_text(text: &str, mime: &str, file_name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    download_blob(&blob, file_name)
}

/// Hands `blob` to the browser as a file download.
pub fn download_blob(blob: &web_sys::Blob, file_name: &str) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or(JsValue::NULL)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    // The download has started from the URL; free it a little later
    // (Leptos' timer: a forgotten gloo `Timeout` would never free its closure).
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// Turns the board's SVG into an image, then calls `done` with it (or
/// `None` when the browser cannot draw it).
pub fn svg_image(svg: &str, done: impl FnOnce(Option<HtmlImageElement>) + 'static) {
    let made = (|| -> Result<(HtmlImageElement, String), JsValue> {
        let parts = js_sys::Array::of1(&JsValue::from_str(svg));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("image/svg+xml");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        Ok((HtmlImageElement::new()?, url))
    })();
    let Ok((img, url)) = made else {
        done(None);
        return;
    };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let finish = {
        let (img, url, done) = (img.clone(), url.clone(), done.clone());
        move |ok: bool| {
            let _ = web_sys::Url::revoke_object_url(&url);
            img.set_onload(None);
            img.set_onerror(None);
            if let Some(f) = done.borrow_mut().take() {
                f(ok.then_some(img));
            }
        }
    };
    let on_load = Closure::once_into_js({
        let finish = finish.clone();
        move || finish(true)
    });
    let on_error = Closure::once_into_js(move || finish(false));
    img.set_onload(Some(on_load.unchecked_ref()));
    img.set_onerror(Some(on_error.unchecked_ref()));
    img.set_src(&url);
}

/// Draws the board (the SVG image, then the request layer where it sits
/// over the diagram) onto `out`, scaled to fill it.
pub fn compose(out: &HtmlCanvasElement, board: &HtmlImageElement) -> Result<(), JsValue> {
    let ctx: web_sys::CanvasRenderingContext2d =
        out.get_context("2d")?.ok_or(JsValue::NULL)?.dyn_into()?;
    let (w, h) = (out.width() as f64, out.height() as f64);
    ctx.draw_image_with_html_image_element_and_dw_and_dh(board, 0.0, 0.0, w, h)?;
    let (Some(svg), Some(layer)) = (diagram(), request_layer()) else { return Ok(()) };
    // The part of the layer's pixels that lies over the SVG's viewBox
    // (the SVG keeps its aspect ratio inside its box, centred).
    let (s, l) = (svg.get_bounding_client_rect(), layer.get_bounding_client_rect());
    if l.width() <= 0.0 || l.height() <= 0.0 {
        return Ok(());
    }
    let scale = (s.width() / BOARD_W).min(s.height() / BOARD_H);
    let left = s.left() + (s.width() - BOARD_W * scale) / 2.0;
    let top = s.top() + (s.height() - BOARD_H * scale) / 2.0;
    let (px, py) = (layer.width() as f64 / l.width(), layer.height() as f64 / l.height());
    ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        &layer,
        (left - l.left()) * px,
        (top - l.top()) * py,
        BOARD_W * scale * px,
        BOARD_H * scale * py,
        0.0,
        0.0,
        w,
        h,
    )
}

/// A canvas of `w` × `h` pixels, not in the page.
pub fn canvas(w: u32, h: u32) -> Result<HtmlCanvasElement, JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or(JsValue::NULL)?;
    let c: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    c.set_width(w);
    c.set_height(h);
    Ok(c)
}

/// The board as a PNG download (twice the board's size, for sharp slides);
/// `failed` runs when the browser cannot draw it.
pub fn download_png(file_name: &'static str, failed: impl Fn() + 'static) {
    let Some(svg) = board_svg() else {
        failed();
        return;
    };
    svg_image(&svg, move |img| {
        let drawn = img.ok_or(JsValue::NULL).and_then(|img| {
            let out = canvas((BOARD_W * 2.0) as u32, (BOARD_H * 2.0) as u32)?;
            compose(&out, &img)?;
            Ok(out)
        });
        let Ok(out) = drawn else {
            failed();
            return;
        };
        let on_blob =
            Closure::once_into_js(move |blob: JsValue| match blob.dyn_into::<web_sys::Blob>() {
                Ok(blob) if download_blob(&blob, file_name).is_ok() => {}
                _ => failed(),
            });
        let _ = out.to_blob(on_blob.unchecked_ref());
    });
}
