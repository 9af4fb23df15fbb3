//! The request animation layer: one Canvas2D above the SVG board, redrawn
//! every animation frame from the driver's ring of hops in flight (`Painter`
//! is the driver's `RequestPainter`: the frame loop hands it each frame).
//!
//! No DOM element per request: dots are batched into one path per style.
//! Shapes carry the meaning (circle = read, square = write), colour only
//! repeats it; each link with traffic carries a lock glyph, closed when the
//! user's data crossed it encrypted and open when it crossed in plaintext.
//! With `prefers-reduced-motion: reduce` nothing moves: each link shows a
//! static arrow and its hop rate instead.

mod glyphs;

use crate::board::{drop_label, node_size, BuildUp, Stage};
use crate::i18n::{use_i18n, I18n};
use crate::sim_driver::flights::{DotKind, Flight};
use crate::sim_driver::{use_sim, Engine, RequestPainter};
use crate::watched::Watched;
use infraboard_sim::DropReason;
use infraboard_sim::Scenario;
use leptos::html::Canvas;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, MediaQueryList};

/// Board units: the SVG's viewBox is 1000 × 600.
pub const BOARD_W: f64 = 1000.0;
/// Board height in board units.
pub const BOARD_H: f64 = 600.0;
/// Most dots drawn in one frame, whatever the ring holds (the driver aims
/// at about 1,000; this bounds a frame's drawing if it overshoots).
const MAX_DOTS: usize = 1600;
/// Frames between two reads of the canvas' layout size. Reading it forces a
/// layout when the page changed since the last frame; every 30 frames (half
/// a second) a resize still shows at once to the eye.
const FIT_EVERY_FRAMES: u32 = 30;

/// The colours and sizes of the layer that follow the page's theme (the
/// theme itself is chosen by presenter mode, `present`); the default is the light page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ink {
    /// Stroke of the links that carried traffic.
    pub link: &'static str,
    /// Their width, in board units.
    pub link_width: f64,
    /// Size of the padlock glyphs (1 = 14 board units wide).
    pub lock_scale: f64,
    /// Size of the drop labels' bold text, in board units.
    pub label_px: f64,
    /// Background behind a drop label.
    pub label_bg: &'static str,
    /// Text of a drop label.
    pub label_ink: &'static str,
    /// The ring of a drop burst.
    pub burst: &'static str,
    /// Its width, in board units.
    pub burst_width: f64,
}

impl Default for Ink {
    fn default() -> Ink {
        Ink {
            link: "rgba(61, 90, 128, 0.35)",
            link_width: 2.0,
            lock_scale: 1.0,
            label_px: 14.0,
            label_bg: "rgba(255,255,255,0.92)",
            label_ink: "#a61e1e",
            burst: "#c92a2a",
            burst_width: 3.0,
        }
    }
}

/// The [`Ink`] in force, when a theme provides one (read once per frame).
#[derive(Clone, Copy)]
pub struct CanvasInk(pub Watched<Ink>);

/// The canvas, sized to cover the board exactly.
#[component]
pub fn RequestLayer() -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let sim = use_sim();
    let attached = StoredValue::new(false);
    let i18n = use_i18n();
    let ink = use_context::<CanvasInk>();
    // Presenter mode's build-up: parts not built yet carry no traffic on screen.
    let build = use_context::<BuildUp>();
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        if attached.get_value() {
            return;
        }
        if let Some(painter) = Painter::new(el, i18n, ink, build) {
            sim.set_request_painter(Some(Box::new(painter)));
            attached.set_value(true);
        }
    });
    // The painter goes with the canvas it paints (and the signals it reads).
    on_cleanup(move || {
        if attached.get_value() {
            sim.set_request_painter(None);
        }
    });
    view! { <canvas node_ref=canvas class="request-layer" aria-hidden="true" data-testid="request-layer"></canvas> }
}

/// A request dot found on screen this frame, in board units.
#[derive(Clone, Copy)]
struct Dot {
    kind: DotKind,
    plaintext: bool,
    x: f64,
    y: f64,
}

struct Painter {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    reduced_motion: Option<MediaQueryList>,
    scenario: Option<Arc<Scenario>>,
    positions: Vec<(f64, f64)>,
    /// Half width and half height of each node's box: hops are drawn from
    /// box edge to box edge, so dots never cover a node's name.
    half_sizes: Vec<(f64, f64)>,
    size: (u32, u32),
    scale: f64,
    /// Frames left before the layout size is read again.
    fit_in: u32,
    /// Per link (by index in `Flights::links`): hop total and time at the last
    /// rate probe, and the rate it gave, for the reduced-motion labels.
    rates: Vec<(u64, u64, f64)>,
    label: String,
    i18n: I18n,
    /// Per node: the newest burst drawn this frame (index into the bursts).
    newest_burst: Vec<Option<usize>>,
    ink_in: Option<CanvasInk>,
    ink: Ink,
    /// The CSS font of the drop labels, rebuilt when the ink changes.
    label_font: String,
    build: Option<BuildUp>,
    /// The build-up stage `shown` was computed for (`None`: the whole board).
    stage: Option<Stage>,
    /// Per node: drawn on the board at the current build-up stage.
    shown: Vec<bool>,
    /// The dots of the current frame (kept to reuse its memory).
    dots: Vec<Dot>,
}

impl Painter {
    fn new(
        canvas: HtmlCanvasElement,
        i18n: I18n,
        ink_in: Option<CanvasInk>,
        build: Option<BuildUp>,
    ) -> Option<Painter> {
        let ctx =
            canvas.get_context("2d").ok().flatten()?.dyn_into::<CanvasRenderingContext2d>().ok()?;
        let reduced_motion =
            window().match_media("(prefers-reduced-motion: reduce)").ok().flatten();
        Some(Painter {
            canvas,
            ctx,
            reduced_motion,
            scenario: None,
            positions: Vec::new(),
            half_sizes: Vec::new(),
            size: (0, 0),
            scale: 1.0,
            fit_in: 0,
            rates: Vec::with_capacity(32),
            label: String::with_capacity(32),
            i18n,
            newest_burst: Vec::with_capacity(32),
            ink_in,
            ink: Ink::default(),
            label_font: font(Ink::default().label_px),
            build,
            stage: None,
            shown: Vec::with_capacity(32),
            dots: Vec::with_capacity(MAX_DOTS),
        })
    }

    /// Matches the backing store to the element's CSS size × devicePixelRatio
    /// so lines stay sharp on HiDPI screens and projectors.
    fn fit(&mut self) {
        if self.fit_in > 0 && self.size != (0, 0) {
            self.fit_in -= 1;
            return;
        }
        self.fit_in = FIT_EVERY_FRAMES;
        let dpr = window().device_pixel_ratio().max(1.0);
        let css_w = self.canvas.client_width().max(1) as f64;
        let w = (css_w * dpr).round() as u32;
        let h = (css_w * BOARD_H / BOARD_W * dpr).round() as u32;
        if (w, h) != self.size {
            self.canvas.set_width(w);
            self.canvas.set_height(h);
            self.size = (w, h);
        }
        self.scale = w as f64 / BOARD_W;
    }

    fn sync_scenario(&mut self, engine: &Engine) {
        let current = engine.scenario();
        if self.scenario.as_ref().is_some_and(|s| Arc::ptr_eq(s, current)) {
            return;
        }
        self.positions.clear();
        self.positions.extend(current.nodes.iter().map(|n| (n.x, n.y)));
        self.half_sizes.clear();
        self.half_sizes.extend(current.nodes.iter().map(|n| {
            let (w, h) = node_size(n);
            (w / 2.0, h / 2.0)
        }));
        self.rates.clear();
        self.newest_burst.clear();
        self.newest_burst.resize(current.nodes.len(), None);
        self.scenario = Some(current.clone());
        self.stage = None;
        self.shown.clear();
        self.shown.resize(current.nodes.len(), true);
    }

    /// Follows the theme and the build-up stage (both change rarely).
    fn sync_look(&mut self) {
        if let Some(ink) = self.ink_in.map(|i| i.0.get_untracked()) {
            if ink != self.ink {
                self.label_font = font(ink.label_px);
                self.ink = ink;
            }
        }
        let stage = self.build.and_then(|b| b.0.get_untracked());
        if stage == self.stage {
            return;
        }
        self.stage = stage;
        let Some(scenario) = self.scenario.as_ref() else { return };
        for (i, shown) in self.shown.iter_mut().enumerate() {
            *shown = stage.is_none_or(|s| s.shows_node(scenario, i));
        }
    }

    /// Whether both ends of a hop are on the board.
    fn drawn(&self, from: u16, to: u16) -> bool {
        let on = |i: u16| self.shown.get(i as usize).copied().unwrap_or(true);
        on(from) && on(to)
    }
}

impl RequestPainter for Painter {
    fn paint(&mut self, engine: &Engine) -> usize {
        self.fit();
        self.sync_scenario(engine);
        self.sync_look();
        let ctx = &self.ctx;
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, self.size.0 as f64, self.size.1 as f64);
        // Draw in board units from here on.
        let _ = ctx.set_transform(self.scale, 0.0, 0.0, self.scale, 0.0, 0.0);
        let now = engine.now().0;
        let reduced = self.reduced_motion.as_ref().is_some_and(|m| m.matches());
        self.draw_locks(engine);
        let dots = if reduced {
            self.draw_static(engine, now);
            0
        } else {
            self.draw_dots(engine, now)
        };
        self.draw_bursts(engine, now, reduced);
        dots
    }
}

impl Painter {
    /// A red burst where requests are dropped, and one short label per node
    /// saying why (the newest reason there).
    fn draw_bursts(&mut self, engine: &Engine, now: u64, reduced: bool) {
        let life = engine.flights.min_visible_ns().saturating_mul(3);
        for slot in self.newest_burst.iter_mut() {
            *slot = None;
        }
        let bursts = engine.flights.bursts();
        let ctx = &self.ctx;
        ctx.begin_path();
        for (i, b) in bursts.iter().enumerate() {
            if now < b.at || now - b.at >= life || !self.drawn(b.node, b.node) {
                continue;
            }
            let Some((x, y)) = self.positions.get(b.node as usize).copied() else { continue };
            let p = (now - b.at) as f64 / life as f64;
            let r = if reduced { 14.0 } else { 8.0 + 22.0 * p };
            ctx.move_to(x + r, y);
            let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
            if let Some(slot) = self.newest_burst.get_mut(b.node as usize) {
                if slot.is_none_or(|j| bursts[j].at <= b.at) {
                    *slot = Some(i);
                }
            }
        }
        ctx.set_stroke_style_str(self.ink.burst);
        ctx.set_line_width(self.ink.burst_width);
        ctx.stroke();
        let Some(scenario) = self.scenario.as_ref() else { return };
        let ctx = &self.ctx;
        let locale = self.i18n.locale_untracked();
        // Setting a font is not free (the first one cost ~17 ms in the
        // profile of a page load): only when there is a label to write.
        if self.newest_burst.iter().any(Option::is_some) {
            ctx.set_font(&self.label_font);
        }
        for (node, slot) in self.newest_burst.iter().enumerate() {
            let Some(i) = *slot else { continue };
            let Some((x, y)) = self.positions.get(node).copied() else { continue };
            let reason = bursts[i].reason;
            let rule_port = match reason {
                DropReason::FirewallRule { firewall, rule } => engine
                    .sim()
                    .firewall(firewall)
                    .and_then(|f| f.rules.get(rule))
                    .and_then(|r| r.port),
                _ => None,
            };
            let text = drop_label(scenario, &reason, node, rule_port, locale);
            let width = ctx.measure_text(&text).map_or(100.0, |m| m.width());
            // Below the element, clear of its name.
            let below = self.half_sizes.get(node).map_or(40.0, |h| h.1) + 22.0;
            let (lx, ly) = ((x - width / 2.0).clamp(4.0, BOARD_W - width - 4.0), y + below);
            // The band behind the text follows its size (14 units: 21 high).
            let grow = self.ink.label_px / 14.0;
            ctx.set_fill_style_str(self.ink.label_bg);
            ctx.fill_rect(lx - 5.0, ly - 15.0 * grow, width + 10.0, 21.0 * grow);
            ctx.set_fill_style_str(self.ink.label_ink);
            let _ = ctx.fill_text(&text, lx, ly);
        }
    }

    fn point(&self, index: u16) -> Option<(f64, f64)> {
        self.positions.get(index as usize).copied()
    }

    /// The visible part of the hop `from → to`: from where it leaves the
    /// first box to where it enters the second (the whole centre-to-centre
    /// line when the boxes touch or it is a hop inside one box).
    fn hop_ends(&self, from: u16, to: u16) -> Option<((f64, f64), (f64, f64))> {
        let (a, b) = (self.point(from)?, self.point(to)?);
        let half = |i: u16| self.half_sizes.get(i as usize).copied().unwrap_or((0.0, 0.0));
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        // Fraction of the line inside a box of half size (hw, hh) around an end.
        let inside = |(hw, hh): (f64, f64)| {
            let tx = if dx == 0.0 { f64::INFINITY } else { hw / dx.abs() };
            let ty = if dy == 0.0 { f64::INFINITY } else { hh / dy.abs() };
            tx.min(ty)
        };
        let (ta, tb) = (inside(half(from)), inside(half(to)));
        if ta + tb >= 1.0 {
            return Some((a, b));
        }
        Some(((a.0 + dx * ta, a.1 + dy * ta), (b.0 - dx * tb, b.1 - dy * tb)))
    }

    fn draw_locks(&self, engine: &Engine) {
        let ctx = &self.ctx;
        ctx.begin_path();
        for link in engine.flights.links().iter().filter(|l| self.drawn(l.from, l.to)) {
            let (Some(a), Some(b)) = (self.point(link.from), self.point(link.to)) else { continue };
            ctx.move_to(a.0, a.1);
            ctx.line_to(b.0, b.1);
        }
        ctx.set_stroke_style_str(self.ink.link);
        ctx.set_line_width(self.ink.link_width);
        ctx.stroke();
        if self.stage.is_some_and(|s| !s.shows_certificate()) {
            return;
        }
        let scale = self.ink.lock_scale;
        for link in engine.flights.links().iter().filter(|l| self.drawn(l.from, l.to)) {
            let Some((a, b)) = self.hop_ends(link.from, link.to) else { continue };
            let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
            glyphs::lock(&self.ctx, mx, my - 16.0 * scale, link.encrypted, scale);
        }
    }

    /// Returns how many dots it drew.
    fn draw_dots(&mut self, engine: &Engine, now: u64) -> usize {
        // One pass over the ring finds the dots on screen (the ring also
        // holds hops already drawn and hops still waiting their turn); then
        // one path per style: DNS, reads, writes, attacks; then a ring around
        // plaintext dots. (Copying a pre-drawn sprite per dot instead was
        // tried: slower, drawImage costs more than a short path.)
        let mut dots = std::mem::take(&mut self.dots);
        dots.clear();
        for f in engine.flights.iter() {
            if dots.len() >= MAX_DOTS {
                break;
            }
            if now < f.start || now >= f.end || !self.drawn(f.from, f.to) {
                continue;
            }
            if let Some((x, y)) = self.position(f, now) {
                dots.push(Dot { kind: f.kind, plaintext: !f.encrypted, x, y });
            }
        }
        let drawn = dots.len();
        let ctx = &self.ctx;
        for (kind, fill) in [
            (DotKind::Dns, "#7b8794"),
            (DotKind::Read, "#1d6fd1"),
            (DotKind::Write, "#d9480f"),
            (DotKind::Attack, "#c92a2a"),
        ] {
            ctx.begin_path();
            let mut any = false;
            for &Dot { x, y, .. } in dots.iter().filter(|d| d.kind == kind) {
                any = true;
                match kind {
                    DotKind::Read => {
                        ctx.move_to(x + 6.0, y);
                        let _ = ctx.arc(x, y, 6.0, 0.0, std::f64::consts::TAU);
                    }
                    DotKind::Write => ctx.rect(x - 5.5, y - 5.5, 11.0, 11.0),
                    DotKind::Attack => {
                        ctx.move_to(x, y - 8.0);
                        ctx.line_to(x + 7.5, y + 6.0);
                        ctx.line_to(x - 7.5, y + 6.0);
                        ctx.close_path();
                    }
                    DotKind::Dns => {
                        ctx.move_to(x, y - 5.0);
                        ctx.line_to(x + 5.0, y);
                        ctx.line_to(x, y + 5.0);
                        ctx.line_to(x - 5.0, y);
                        ctx.close_path();
                    }
                }
            }
            if any {
                ctx.set_fill_style_str(fill);
                ctx.fill();
            }
        }
        ctx.begin_path();
        let mut any = false;
        // Locks describe user data: attack packets carry none.
        for d in dots.iter().filter(|d| d.plaintext && d.kind != DotKind::Attack) {
            any = true;
            ctx.move_to(d.x + 9.0, d.y);
            let _ = ctx.arc(d.x, d.y, 9.0, 0.0, std::f64::consts::TAU);
        }
        if any {
            ctx.set_stroke_style_str("rgba(201, 42, 42, 0.75)");
            ctx.set_line_width(1.5);
            ctx.stroke();
        }
        self.dots = dots;
        drawn
    }

    fn position(&self, f: &Flight, now: u64) -> Option<(f64, f64)> {
        if now < f.start || now >= f.end {
            return None;
        }
        let (a, b) = self.hop_ends(f.from, f.to)?;
        let p = (now - f.start) as f64 / (f.end - f.start) as f64;
        Some((a.0 + (b.0 - a.0) * p, a.1 + (b.1 - a.1) * p))
    }

    /// Reduced motion: an arrow on each link and its hop rate, no movement.
    fn draw_static(&mut self, engine: &Engine, now: u64) {
        let links = engine.flights.links();
        self.rates.resize(links.len(), (0, 0, 0.0));
        for (i, link) in links.iter().enumerate() {
            let (hops0, t0, rate) = self.rates[i];
            if now < t0 || hops0 > link.hops {
                self.rates[i] = (link.hops, now, 0.0);
            } else if now - t0 >= 1_000_000_000 {
                let r = (link.hops - hops0) as f64 / ((now - t0) as f64 / 1e9);
                self.rates[i] = (link.hops, now, r);
            } else {
                self.rates[i].2 = rate;
            }
        }
        let ctx = &self.ctx;
        ctx.set_font("600 13px system-ui, sans-serif");
        ctx.set_fill_style_str("#1b263b");
        ctx.set_stroke_style_str("#1d6fd1");
        ctx.set_line_width(3.0);
        for (i, link) in links.iter().enumerate() {
            let (Some(a), Some(b)) = (self.point(link.from), self.point(link.to)) else { continue };
            if !self.drawn(link.from, link.to) {
                continue;
            }
            glyphs::arrow(ctx, a, b);
            self.label.clear();
            self.label.push_str(&infraboard_sim::decimal::fixed(self.rates[i].2, 0));
            self.label.push_str("/s");
            let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
            let _ = ctx.fill_text(&self.label, mx + 12.0, my + 18.0);
        }
    }
}

fn font(px: f64) -> String {
    format!("700 {px}px system-ui, sans-serif")
}
