//! Small shapes drawn on the animation layer, in board units.

use web_sys::CanvasRenderingContext2d;

/// A padlock centred on (x, y), `scale` times its usual 14 units: shackle
/// closed when `closed`, swung open otherwise, so encryption reads without
/// relying on colour.
pub fn lock(ctx: &CanvasRenderingContext2d, x: f64, y: f64, closed: bool, scale: f64) {
    if scale != 1.0 {
        ctx.save();
        let _ = ctx.translate(x, y);
        let _ = ctx.scale(scale, scale);
        lock(ctx, 0.0, 0.0, closed, 1.0);
        ctx.restore();
        return;
    }
    let (body, ink) = if closed { ("#2a9d8f", "#15514a") } else { ("#fff1f0", "#c92a2a") };
    ctx.set_line_width(2.2);
    ctx.set_stroke_style_str(ink);
    ctx.begin_path();
    if closed {
        let _ = ctx.arc(x, y - 3.0, 5.0, std::f64::consts::PI, 0.0);
        ctx.line_to(x + 5.0, y + 1.0);
        ctx.move_to(x - 5.0, y - 3.0);
        ctx.line_to(x - 5.0, y + 1.0);
    } else {
        // Open: the shackle lifted and its left leg free.
        let _ = ctx.arc(x + 5.0, y - 6.0, 5.0, std::f64::consts::PI, 0.0);
        ctx.line_to(x + 10.0, y + 1.0);
    }
    ctx.stroke();
    ctx.set_fill_style_str(body);
    ctx.fill_rect(x - 7.0, y, 14.0, 10.0);
    ctx.stroke_rect(x - 7.0, y, 14.0, 10.0);
}

/// An arrowhead-tipped line from `a` to `b`, stopping short of both ends.
pub fn arrow(ctx: &CanvasRenderingContext2d, a: (f64, f64), b: (f64, f64)) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let (sx, sy) = (a.0 + ux * len * 0.3, a.1 + uy * len * 0.3);
    let (ex, ey) = (a.0 + ux * len * 0.7, a.1 + uy * len * 0.7);
    ctx.begin_path();
    ctx.move_to(sx, sy);
    ctx.line_to(ex, ey);
    ctx.move_to(ex - ux * 9.0 - uy * 6.0, ey - uy * 9.0 + ux * 6.0);
    ctx.line_to(ex, ey);
    ctx.line_to(ex - ux * 9.0 + uy * 6.0, ey - uy * 9.0 - ux * 6.0);
    ctx.stroke();
}
