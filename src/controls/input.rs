//! Checking what people type into the controls, before anything reaches the
//! simulation: a typed value is either taken, clamped into range with a note,
//! or refused with a reason, and a refused value never replaces the last good
//! one.
//!
//! Pure functions only, so the rules are unit-tested natively.

use infraboard_sim::decimal;
use infraboard_sim::validate::{MAX_RATE_QPS, MIN_RATE_QPS};

/// The traffic-rate range the controls offer, in requests per second: from
/// the simulation's own minimum …
pub const RATE_MIN: f64 = MIN_RATE_QPS;
/// … to a top the slider can reach in sensible steps, half what the
/// simulation accepts (a typed rate above it is clamped to it).
pub const RATE_MAX: f64 = 100_000.0;
const _: () = assert!(RATE_MAX <= MAX_RATE_QPS, "the controls never offer a rate the sim refuses");
/// Positions of the logarithmic rate slider (0 ↔ 1 req/s, max ↔ 100,000).
pub const RATE_SLIDER_STEPS: u32 = 1000;

/// The outcome of checking one typed value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Checked {
    /// In range: used as typed.
    Ok(f64),
    /// Out of range: the nearest allowed value is used instead.
    Clamped {
        /// What was typed.
        asked: f64,
        /// What is used.
        used: f64,
    },
    /// Not a number at all: nothing changes.
    Refused,
}

/// Reads a number the way people type it: spaces (including the French
/// thin spaces) and underscores as digit grouping, and either `.` or a lone
/// `,` as the decimal mark when `comma_is_decimal`, otherwise `,` as
/// grouping.
pub fn parse_number(text: &str, comma_is_decimal: bool) -> Option<f64> {
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '\u{202f}' && *c != '\u{a0}')
        .collect();
    if comma_is_decimal {
        s = s.replace(',', ".");
    } else {
        s.retain(|c| c != ',');
    }
    // `decimal::parse` takes no "inf" or "NaN" (core's parser does: not
    // numbers a person means as a request rate), and spares the wasm core's
    // float tables.
    decimal::parse(&s).filter(|v| v.is_finite())
}

/// Checks a typed number against `[min, max]`.
pub fn check_range(text: &str, comma_is_decimal: bool, min: f64, max: f64) -> Checked {
    match parse_number(text, comma_is_decimal) {
        None => Checked::Refused,
        Some(v) if v < min => Checked::Clamped { asked: v, used: min },
        Some(v) if v > max => Checked::Clamped { asked: v, used: max },
        Some(v) => Checked::Ok(v),
    }
}

/// Checks a typed traffic rate (requests per second), rounded to a whole
/// number of requests per second.
pub fn check_rate(text: &str, comma_is_decimal: bool) -> Checked {
    match check_range(text, comma_is_decimal, RATE_MIN, RATE_MAX) {
        Checked::Ok(v) => Checked::Ok(v.round().max(RATE_MIN)),
        other => other,
    }
}

/// Checks a typed TCP port (1 to 65,535, whole numbers only; a fraction is
/// refused rather than guessed).
pub fn check_port(text: &str) -> Checked {
    match parse_number(text, false) {
        Some(v) if v.fract() != 0.0 => Checked::Refused,
        Some(_) => check_range(text, false, 1.0, 65_535.0),
        None => Checked::Refused,
    }
}

/// Longest typed text a refusal quotes back; a paste can be megabytes long.
pub const QUOTE_MAX_CHARS: usize = 24;

/// The typed text as a refusal quotes it: whole when short, else its start
/// and an ellipsis, so a huge paste gives a one-line message, not a wall of
/// text that pushes the panel off the screen.
pub fn quote(text: &str) -> String {
    let mut short: String = text.chars().take(QUOTE_MAX_CHARS).collect();
    if text.chars().nth(QUOTE_MAX_CHARS).is_some() {
        short.push('…');
    }
    short
}

/// Rate shown at a slider position: equal steps are equal ratios.
pub fn rate_at_slider(pos: u32) -> f64 {
    let frac = f64::from(pos.min(RATE_SLIDER_STEPS)) / f64::from(RATE_SLIDER_STEPS);
    let rate = RATE_MIN * (RATE_MAX / RATE_MIN).powf(frac);
    round_nicely(rate)
}

/// Slider position closest to a rate.
pub fn slider_at_rate(rate: f64) -> u32 {
    let rate = rate.clamp(RATE_MIN, RATE_MAX);
    let frac = (rate / RATE_MIN).ln() / (RATE_MAX / RATE_MIN).ln();
    (frac * f64::from(RATE_SLIDER_STEPS)).round() as u32
}

/// Rounds to two significant digits, so the slider lands on rates a person
/// would say out loud (1,200 rather than 1,188).
fn round_nicely(v: f64) -> f64 {
    if v < 10.0 {
        return v.round().max(1.0);
    }
    let magnitude = 10f64.powi(v.log10().floor() as i32 - 1);
    (v / magnitude).round() * magnitude
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_rates_in_range_are_taken() {
        assert_eq!(check_rate("250", false), Checked::Ok(250.0));
        assert_eq!(check_rate(" 12 345 ", false), Checked::Ok(12_345.0));
        assert_eq!(check_rate("12,345", false), Checked::Ok(12_345.0));
        assert_eq!(check_rate("12\u{202f}345", true), Checked::Ok(12_345.0));
        assert_eq!(check_rate("1e3", false), Checked::Ok(1000.0));
    }

    #[test]
    fn french_comma_is_a_decimal_mark() {
        assert_eq!(parse_number("2,5", true), Some(2.5));
        assert_eq!(parse_number("2,5", false), Some(25.0));
    }

    #[test]
    fn absurd_rates_are_clamped_and_say_so() {
        assert_eq!(check_rate("1e12", false), Checked::Clamped { asked: 1e12, used: RATE_MAX });
        assert_eq!(check_rate("-5", false), Checked::Clamped { asked: -5.0, used: RATE_MIN });
        assert_eq!(check_rate("0", false), Checked::Clamped { asked: 0.0, used: RATE_MIN });
    }

    #[test]
    fn malformed_rates_are_refused() {
        for text in ["", "abc", "12abc", "NaN", "inf", "1e999", "--3", "½"] {
            assert_eq!(check_rate(text, false), Checked::Refused, "{text:?}");
        }
    }

    #[test]
    fn ports_are_whole_and_in_range() {
        assert_eq!(check_port("3306"), Checked::Ok(3306.0));
        assert_eq!(check_port("70000"), Checked::Clamped { asked: 70_000.0, used: 65_535.0 });
        assert_eq!(check_port("33.5"), Checked::Refused);
        assert_eq!(check_port("mysql"), Checked::Refused);
    }

    #[test]
    fn refusals_quote_a_short_start_of_what_was_typed() {
        assert_eq!(quote("abc"), "abc");
        assert_eq!(quote(&"x".repeat(QUOTE_MAX_CHARS)), "x".repeat(QUOTE_MAX_CHARS));
        let long = quote(&"é".repeat(100_000));
        assert_eq!(long.chars().count(), QUOTE_MAX_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn numbers_too_big_for_a_float_are_refused() {
        assert_eq!(check_rate(&"9".repeat(400), false), Checked::Refused);
        assert_eq!(check_port(&"9".repeat(400)), Checked::Refused);
    }

    #[test]
    fn slider_spans_one_to_a_hundred_thousand_logarithmically() {
        assert_eq!(rate_at_slider(0), RATE_MIN);
        assert_eq!(rate_at_slider(RATE_SLIDER_STEPS), RATE_MAX);
        // The middle of a log scale is the geometric mean: about 316.
        assert_eq!(rate_at_slider(RATE_SLIDER_STEPS / 2), 320.0);
        for rate in [1.0, 50.0, 1000.0, 100_000.0] {
            let back = rate_at_slider(slider_at_rate(rate));
            assert!((back - rate).abs() / rate < 0.05, "{rate} -> {back}");
        }
    }
}
