//! Drawing one time-series chart onto a `<canvas>` with plotters.
//!
//! Knows nothing about the simulation: it gets lines of `(t, value)` points
//! and already-localized axis words, and draws them sharp on HiDPI screens
//! by sizing the canvas backing store in device pixels and scaling every
//! length by the device-pixel ratio.

use super::backend::ChartCanvas;
use crate::i18n::{format_number, Locale};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use web_sys::HtmlCanvasElement;

/// One line on a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Points as (simulated seconds, value).
    pub points: Vec<(f64, f64)>,
    /// Colour of the stroke.
    pub color: RGBColor,
    /// Dashed lines mark the monitoring service's delayed view, so the two
    /// views differ by more than colour.
    pub dashed: bool,
    /// Thick lines are totals, thin ones per-server.
    pub thick: bool,
}

/// Words and ranges of a chart; all text already localized.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Visible time window, in simulated seconds.
    pub x_range: (f64, f64),
    /// The y axis starts at 0 and reaches at least this.
    pub y_min_top: f64,
    /// Where the y axis stops while the data stays below it (100 for a
    /// percentage), so rounding up never shows an impossible 200 %.
    pub y_cap: Option<f64>,
    /// Title of the x axis, with its unit.
    pub x_desc: String,
    /// Title of the y axis, with its unit.
    pub y_desc: String,
    /// Decimals shown on the y tick labels.
    pub y_decimals: usize,
    /// Locale of the tick labels' digits.
    pub locale: Locale,
}

/// CSS pixels of the tick labels and axis titles: readable from the back of
/// a room on a projector.
const FONT_PX: f64 = 15.0;

/// Sizes the canvas to its layout box times the device-pixel ratio, then
/// draws. Returns silently when the canvas has no size (hidden) or the
/// browser refuses a 2D context.
pub fn draw(canvas: &HtmlCanvasElement, frame: &Frame, lines: &[Line]) {
    let Some(window) = web_sys::window() else { return };
    let dpr = window.device_pixel_ratio().max(1.0);
    let css_w = f64::from(canvas.client_width());
    let css_h = f64::from(canvas.client_height());
    if css_w < 50.0 || css_h < 50.0 {
        return;
    }
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let Some(backend) = ChartCanvas::new(canvas) else { return };
    // A failed draw leaves the previous frame: nothing to recover.
    let _ = render(backend, dpr, frame, lines);
}

fn render(
    backend: ChartCanvas,
    dpr: f64,
    frame: &Frame,
    lines: &[Line],
) -> Result<(), Box<dyn std::error::Error>> {
    let px = |css: f64| (css * dpr).round() as u32;
    let root = backend.into_drawing_area();
    root.fill(&WHITE)?;
    let (x0, x1) = frame.x_range;
    let top = lines
        .iter()
        .flat_map(|l| l.points.iter())
        .filter(|(t, _)| *t >= x0)
        .map(|(_, v)| *v)
        .fold(frame.y_min_top, f64::max);
    let top = match frame.y_cap {
        Some(cap) if top <= cap => nice_ceiling(top * 1.1).min(cap),
        _ => nice_ceiling(top * 1.1),
    };
    // The family as an enum, not the string "sans-serif": plotters turns a
    // family name into the enum with `str::to_lowercase`, which links core's
    // 12 KB Unicode lowercase table into the wasm.
    let font = FontDesc::new(FontFamily::SansSerif, FONT_PX * dpr, FontStyle::Normal)
        .color(&RGBColor(0x1b, 0x26, 0x3b));
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(10.0))
        .margin_right(px(16.0))
        .x_label_area_size(px(44.0))
        .y_label_area_size(px(70.0))
        .build_cartesian_2d(x0..x1, 0f64..top)?;
    let (locale, decimals) = (frame.locale, frame.y_decimals);
    let y_label = move |v: &f64| format_number(locale, *v, decimals);
    let x_label = |v: &f64| infraboard_sim::decimal::fixed(*v, 0);
    chart
        .configure_mesh()
        .light_line_style(RGBColor(0xee, 0xf0, 0xf4))
        .bold_line_style(RGBColor(0xd5, 0xda, 0xe3))
        .axis_style(ShapeStyle {
            color: RGBColor(0x55, 0x60, 0x70).to_rgba(),
            filled: false,
            stroke_width: px(1.5),
        })
        .x_labels(7)
        .y_labels(5)
        .label_style(font.clone())
        .axis_desc_style(font.clone().pos(Pos::new(HPos::Center, VPos::Center)))
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_desc(frame.x_desc.as_str())
        .y_desc(frame.y_desc.as_str())
        .draw()?;
    for line in lines {
        let visible = line.points.iter().copied().filter(|(t, _)| *t >= x0 - 1.0 && *t <= x1);
        let style = ShapeStyle {
            color: line.color.to_rgba(),
            filled: false,
            stroke_width: px(if line.thick { 3.0 } else { 1.8 }),
        };
        if line.dashed {
            chart.draw_series(DashedLineSeries::new(visible, px(7.0), px(5.0), style))?;
        } else {
            chart.draw_series(LineSeries::new(visible, style))?;
        }
    }
    root.present()?;
    Ok(())
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `v`, so the top tick is round.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::nice_ceiling;

    #[test]
    fn top_of_the_axis_is_a_round_number() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(0.7), 1.0);
        assert_eq!(nice_ceiling(130.0), 200.0);
        assert_eq!(nice_ceiling(480.0), 500.0);
        assert_eq!(nice_ceiling(5001.0), 10_000.0);
    }
}
