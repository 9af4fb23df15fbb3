//! Decimal text to `f64` and back, exact, with no lookup table.
//!
//! Why not `str::parse::<f64>` and `format!("{:.2}")`: in the browser build
//! core's float parser brings a 10 KB table of powers of five and its
//! printers bring Grisu's and Dragon4's code and tables, ~20 KB of wasm
//! (gzip) for the few numbers the app reads and writes. This module does
//! both jobs with one small type, [`Decimal`]: a number held as decimal
//! digits, multiplied or divided by powers of two digit by digit (the
//! "simple decimal conversion" Go's `strconv` falls back on). It is slow
//! next to core's (microseconds, not nanoseconds) and the app calls it a
//! few times per frame at most.
//!
//! Both directions are exact: [`parse`] returns the correctly rounded
//! `f64` (round half to even) for any input, and [`fixed`] prints the
//! exact binary value rounded half to even, as `format!("{:.N}")` does.
//! [`shortest`] writes the fewest significant digits that [`parse`] reads
//! back to the same `f64`, so commands in share links survive the trip.
//! Tests compare all three with core's on random and edge-case values.

/// At most this many significant digits are held; 800 is more than the 767
/// an `f64` can need, so every finite `f64` is held exactly, and a longer
/// input only loses digits that cannot change the rounding (`truncated`
/// remembers that some were non-zero).
const MAX_DIGITS: usize = 800;

/// The largest shift done at once: `9 << 60` still fits in a `u64`.
const MAX_SHIFT: u32 = 60;

/// A non-negative number `0.d₁d₂d₃… × 10^point`, digits without leading or
/// trailing zeros (none at all for zero).
#[derive(Clone, Debug)]
struct Decimal {
    digits: Vec<u8>,
    point: i32,
    truncated: bool,
}

impl Decimal {
    fn push_digit(&mut self, d: u8) {
        if self.digits.len() < MAX_DIGITS {
            self.digits.push(d);
        } else if d != 0 {
            self.truncated = true;
        }
    }

    fn trim(&mut self) {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
        if self.digits.is_empty() {
            self.point = 0;
        }
    }

    /// Divides by `2^k`, `k <= MAX_SHIFT`.
    fn shift_right(&mut self, k: u32) {
        let mask = (1u64 << k) - 1;
        let mut read = 0;
        let mut n: u64 = 0;
        // Read until the quotient has a first digit.
        while n >> k == 0 {
            if read < self.digits.len() {
                n = n * 10 + u64::from(self.digits[read]);
            } else if n == 0 {
                return; // zero stays zero
            } else {
                n *= 10;
            }
            read += 1;
        }
        self.point -= read as i32 - 1;
        let mut out = Vec::with_capacity(self.digits.len() + k as usize);
        let mut truncated = self.truncated;
        loop {
            let d = (n >> k) as u8;
            n &= mask;
            if out.len() < MAX_DIGITS {
                out.push(d);
            } else if d != 0 {
                truncated = true;
            }
            if read < self.digits.len() {
                n = n * 10 + u64::from(self.digits[read]);
                read += 1;
            } else if n == 0 {
                break;
            } else {
                n *= 10;
            }
        }
        self.digits = out;
        self.truncated = truncated;
        self.trim();
    }

    /// Multiplies by `2^k`, `k <= MAX_SHIFT`.
    fn shift_left(&mut self, k: u32) {
        if self.digits.is_empty() {
            return;
        }
        // Last digit first, so the new digits come out reversed.
        let mut rev = Vec::with_capacity(self.digits.len() + 20);
        let mut n: u64 = 0;
        for &d in self.digits.iter().rev() {
            n += u64::from(d) << k;
            rev.push((n % 10) as u8);
            n /= 10;
        }
        while n > 0 {
            rev.push((n % 10) as u8);
            n /= 10;
        }
        self.point += (rev.len() - self.digits.len()) as i32;
        rev.reverse();
        // `rev` starts with a non-zero digit: the old first digit was one.
        self.digits.clear();
        for d in rev {
            self.push_digit(d);
        }
        self.trim();
    }

    /// Rounding at `n` digits goes up (half to even; a truncated tail is
    /// above the half).
    fn rounds_up(&self, n: i32) -> bool {
        if n < 0 || n as usize >= self.digits.len() {
            return false;
        }
        let n = n as usize;
        if self.digits[n] == 5 && n + 1 == self.digits.len() {
            return self.truncated || (n > 0 && self.digits[n - 1] % 2 == 1);
        }
        self.digits[n] >= 5
    }

    /// Keeps `n` significant digits (may be <= 0: then 0 or one unit of
    /// the first dropped place).
    fn round(&mut self, n: i32) {
        if n as i64 >= self.digits.len() as i64 {
            return;
        }
        if self.rounds_up(n) {
            let mut i = n as usize;
            while i > 0 && self.digits[i - 1] == 9 {
                i -= 1;
            }
            if i == 0 {
                self.digits.clear();
                self.digits.push(1);
                self.point += 1;
            } else {
                self.digits.truncate(i);
                self.digits[i - 1] += 1;
            }
        } else {
            self.digits.truncate(n.max(0) as usize);
        }
        self.truncated = false;
        self.trim();
    }

    /// The integer part, rounded half to even (callers keep it below 2^54).
    fn rounded_integer(&self) -> u64 {
        let mut n: u64 = 0;
        for i in 0..self.point.max(0) as usize {
            n = n * 10 + u64::from(self.digits.get(i).copied().unwrap_or(0));
        }
        n + u64::from(self.rounds_up(self.point))
    }

    /// The exact value of a finite, non-negative `f64`.
    fn from_f64(v: f64) -> Decimal {
        let bits = v.to_bits();
        let exp_bits = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        let (mantissa, exp) =
            if exp_bits == 0 { (frac, -1074) } else { (frac | (1u64 << 52), exp_bits - 1075) };
        let mut d = Decimal { digits: Vec::new(), point: 0, truncated: false };
        let text = mantissa.to_string();
        d.point = text.len() as i32;
        d.digits.extend(text.bytes().map(|b| b - b'0'));
        d.trim();
        let mut e = exp;
        while e > 0 {
            let k = (e as u32).min(MAX_SHIFT);
            d.shift_left(k);
            e -= k as i32;
        }
        while e < 0 {
            let k = ((-e) as u32).min(MAX_SHIFT);
            d.shift_right(k);
            e += k as i32;
        }
        d
    }

    /// The nearest `f64` (half to even); infinity above `f64::MAX`.
    fn into_f64(mut self) -> f64 {
        if self.digits.is_empty() {
            return 0.0;
        }
        if self.point > 310 {
            return f64::INFINITY;
        }
        if self.point < -330 {
            return 0.0;
        }
        // Bring the value into [1/2, 1), counting the binary exponent, with
        // shifts sized to move the decimal point by about one place per
        // 3.3 bits.
        const POWERS: [u32; 9] = [1, 3, 6, 9, 13, 16, 19, 23, 26];
        let mut exp: i32 = 0;
        while self.point > 0 {
            let k = POWERS.get(self.point as usize).copied().unwrap_or(27);
            self.shift_right(k);
            exp += k as i32;
        }
        while self.point < 0 || (self.point == 0 && self.digits[0] < 5) {
            let k = POWERS.get((-self.point) as usize).copied().unwrap_or(27);
            self.shift_left(k);
            exp -= k as i32;
        }
        // Now in [1/2, 1); an f64's significand is in [1, 2).
        exp -= 1;
        const MIN_EXP: i32 = -1022;
        if exp < MIN_EXP {
            // Subnormal: fewer bits of precision.
            let mut n = (MIN_EXP - exp) as u32;
            while n > 0 {
                let k = n.min(MAX_SHIFT);
                self.shift_right(k);
                n -= k;
            }
            exp = MIN_EXP;
        }
        if exp > 1023 {
            return f64::INFINITY;
        }
        self.shift_left(53);
        let mut mantissa = self.rounded_integer();
        if mantissa == 1 << 53 {
            // Rounding carried into a new bit.
            mantissa >>= 1;
            exp += 1;
            if exp > 1023 {
                return f64::INFINITY;
            }
        }
        let biased = if mantissa & (1 << 52) == 0 { 0 } else { (exp + 1023) as u64 };
        f64::from_bits((mantissa & ((1 << 52) - 1)) | (biased << 52))
    }
}

/// Reads decimal text: an optional sign, digits with an optional `.`
/// (`1`, `1.5`, `.5`, `1.`), an optional exponent (`e-3`, `E+2`); nothing
/// else, no spaces. `None` for anything else, including `inf` and `NaN`,
/// which core's parser accepts and no user means. Out-of-range magnitudes
/// give infinity or zero, as core's parser does.
pub fn parse(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let (negative, mut i) = match bytes.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut d = Decimal { digits: Vec::new(), point: 0, truncated: false };
    let (mut any_digit, mut seen_point, mut seen_nonzero) = (false, false, false);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => {
                any_digit = true;
                let digit = b - b'0';
                if digit == 0 && !seen_nonzero {
                    // Leading zero: only moves the point after a `.`.
                    if seen_point {
                        d.point -= 1;
                    }
                } else {
                    seen_nonzero = true;
                    d.push_digit(digit);
                    if !seen_point {
                        d.point += 1;
                    }
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if !any_digit {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        let negative_exp = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i32 = 0;
        while let Some(&b @ b'0'..=b'9') = bytes.get(i) {
            // Saturate: 1e99999 is infinite either way.
            e = e.saturating_mul(10).saturating_add(i32::from(b - b'0')).min(100_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        if seen_nonzero {
            d.point += if negative_exp { -e } else { e };
        }
    }
    if i != bytes.len() {
        return None;
    }
    if !seen_nonzero {
        d.digits.clear();
    }
    d.trim();
    let v = d.into_f64();
    Some(if negative { -v } else { v })
}

/// `value` with exactly `decimals` digits after the point, rounded half to
/// even from its exact binary value, as `format!("{:.N}", value)` writes
/// it (including `-0.0` for a negative that rounds to zero, `NaN`, `inf`).
pub fn fixed(value: f64, decimals: usize) -> String {
    let mut out = String::new();
    if write_special(&mut out, value) {
        return out;
    }
    let mut d = Decimal::from_f64(value.abs());
    d.round(d.point.saturating_add(decimals as i32));
    if value.is_sign_negative() {
        out.push('-');
    }
    write_plain(&mut out, &d, decimals);
    out
}

/// The fewest significant digits that [`parse`] reads back as `value`
/// exactly, written without an exponent like `f64`'s `Display` (`2500`,
/// `0.1`, `-1.25`, `1e21` as `1000000000000000000000`).
pub fn shortest(value: f64) -> String {
    let mut out = String::new();
    if write_special(&mut out, value) {
        return out;
    }
    if value.is_sign_negative() {
        out.push('-');
    }
    let exact = Decimal::from_f64(value.abs());
    // 17 significant digits always identify an f64.
    let mut found = exact.clone();
    for n in 1..=17 {
        let mut candidate = exact.clone();
        candidate.round(n);
        if candidate.clone().into_f64() == value.abs() {
            found = candidate;
            break;
        }
    }
    let decimals = (found.digits.len() as i32 - found.point).max(0) as usize;
    write_plain(&mut out, &found, decimals);
    out
}

fn write_special(out: &mut String, value: f64) -> bool {
    if value.is_nan() {
        out.push_str("NaN");
    } else if value.is_infinite() {
        out.push_str(if value < 0.0 { "-inf" } else { "inf" });
    } else {
        return false;
    }
    true
}

/// Digits of `d` as `int.frac` with `decimals` places (no sign).
fn write_plain(out: &mut String, d: &Decimal, decimals: usize) {
    let digit = |i: i64| -> char {
        if i >= 0 && (i as usize) < d.digits.len() {
            char::from(b'0' + d.digits[i as usize])
        } else {
            '0'
        }
    };
    if d.point <= 0 {
        out.push('0');
    } else {
        for i in 0..d.point as i64 {
            out.push(digit(i));
        }
    }
    if decimals > 0 {
        out.push('.');
        for i in 0..decimals as i64 {
            out.push(digit(d.point as i64 + i));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn std_parse(s: &str) -> Option<f64> {
        s.parse::<f64>().ok()
    }

    #[test]
    fn reads_what_a_person_types() {
        assert_eq!(parse("2500"), Some(2500.0));
        assert_eq!(parse("0.1"), Some(0.1));
        assert_eq!(parse("-1.25"), Some(-1.25));
        assert_eq!(parse("+3"), Some(3.0));
        assert_eq!(parse(".5"), Some(0.5));
        assert_eq!(parse("5."), Some(5.0));
        assert_eq!(parse("1e3"), Some(1000.0));
        assert_eq!(parse("1.5E-2"), Some(0.015));
        assert_eq!(parse("000.000"), Some(0.0));
        assert_eq!(parse("-0").map(f64::is_sign_negative), Some(true));
    }

    #[test]
    fn rejects_what_is_not_a_decimal_number() {
        for bad in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "inf", "NaN", "0x10",
            "1_000", "--1", "٣",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hard_cases_round_like_core() {
        let cases = [
            "9007199254740993",                        // 2^53 + 1: a tie, to even
            "9007199254740995",                        // tie, up to even
            "9007199254740993.0000000000000000000001", // just above the tie
            "2.2250738585072011e-308",                 // the largest subnormal region edge
            "2.2250738585072014e-308",                 // smallest normal
            "4.9406564584124654e-324",                 // smallest subnormal
            "2.4703282292062327e-324",                 // half of it: rounds to zero (tie, even)
            "2.4703282292062328e-324",                 // just above half: rounds up
            "1.7976931348623157e308",                  // f64::MAX
            "1.7976931348623158e308",                  // still MAX
            "1.7976931348623159e308",                  // above the midpoint: infinity
            "1e400",
            "1e-400",
            "0.1",
            "0.3",
            "123456789012345678901234567890",
            "0.000000000000000000000000000001",
            "1448997445238699",
            "8.988465674311580536566680e307",
        ];
        for c in cases {
            assert_eq!(parse(c).map(f64::to_bits), std_parse(c).map(f64::to_bits), "{c}");
        }
        let long = format!("0.{}1", "0".repeat(900));
        assert_eq!(parse(&long), Some(0.0));
        let many = format!("1.{}1", "0".repeat(1000)); // a tail past 800 digits
        assert_eq!(parse(&many), std_parse(&many));
    }

    #[test]
    fn fixed_rounds_the_exact_value_like_core() {
        let cases: [(f64, usize); 14] = [
            (0.05, 1),   // 0.05000000000000000277: up
            (0.25, 1),   // exact tie: to even, 0.2
            (0.35, 1),   // 0.34999999999999997780: down
            (2.5, 0),    // tie: 2
            (3.5, 0),    // tie: 4
            (9.995, 2),  // 9.99499999999999921840: down
            (999.96, 1), // carries to 1000.0
            (-1234.5, 1),
            (-0.01, 1), // "-0.0", as core writes it
            (1e300, 2),
            (f64::MAX, 0),
            (5e-324, 3),
            (0.0, 0),
            (123.456, 17),
        ];
        for (v, d) in cases {
            assert_eq!(fixed(v, d), format!("{v:.d$}"), "{v} {d}");
        }
        assert_eq!(fixed(f64::NAN, 1), "NaN");
        assert_eq!(fixed(f64::NEG_INFINITY, 1), "-inf");
    }

    #[test]
    fn shortest_reads_back_and_matches_display_on_usual_values() {
        for v in [0.0, 1.0, 0.1, 2500.0, 1234.5678, 1e21, 1e-7, 0.3, 2.0 / 3.0, 1e300, 5e-324] {
            assert_eq!(shortest(v), v.to_string(), "{v}");
            assert_eq!(parse(&shortest(v)), Some(v));
        }
    }

    fn any_finite() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |v| v.is_finite()),
            (-1e7..1e7f64),
            (0u32..2_000_000).prop_map(|n| f64::from(n) / 1000.0),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn parse_agrees_with_core_on_any_decimal(
            digits in "[0-9]{1,25}",
            frac in proptest::option::of("[0-9]{0,25}"),
            exp in proptest::option::of(-340i32..320),
            negative in any::<bool>(),
        ) {
            let mut s = String::new();
            if negative { s.push('-'); }
            s.push_str(&digits);
            if let Some(f) = &frac { s.push('.'); s.push_str(f); }
            if let Some(e) = exp { s.push_str(&format!("e{e}")); }
            prop_assert_eq!(parse(&s).map(f64::to_bits), std_parse(&s).map(f64::to_bits), "{}", s);
        }

        #[test]
        fn every_f64_survives_shortest_then_parse(v in any_finite()) {
            let text = shortest(v);
            prop_assert_eq!(parse(&text).map(f64::to_bits), Some(v.to_bits()), "{}", text);
            // Same digits as core's shortest form, unless core found an
            // equally short but closer string at a power of two's edge.
            let core = v.to_string();
            prop_assert!(text == core || text.len() == core.len(), "{} vs {}", text, core);
        }

        #[test]
        fn fixed_agrees_with_core(v in any_finite(), decimals in 0usize..8) {
            prop_assert_eq!(fixed(v, decimals), format!("{v:.decimals$}"));
        }
    }
}
