//! Numbers written the way each locale writes them, without ICU: the app
//! shows few number shapes (counts, rates, seconds), and ICU's data would
//! cost more bundle than the whole UI.

use super::{k, Locale};

/// `value` rounded to `decimals` places, grouped by thousands:
/// English `12,345.6`, French `12 345,6` (narrow no-break space U+202F
/// between groups, as French typography and CLDR write it, so a number never
/// breaks across lines).
pub fn format_number(locale: Locale, value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let (group, decimal) = match locale {
        Locale::En => (",", "."),
        Locale::Fr => ("\u{202F}", ","),
    };
    let fixed = infraboard_sim::decimal::fixed(value.abs(), decimals);
    let (int_part, frac_part) = match fixed.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (fixed.as_str(), None),
    };
    let mut out = String::with_capacity(fixed.len() + 8);
    // "-0.0" is not worth a sign: only a value that survives rounding keeps it.
    if value < 0.0 && fixed.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    let digits = int_part.len();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push_str(group);
        }
        out.push(c);
    }
    if let Some(frac) = frac_part {
        out.push_str(decimal);
        out.push_str(frac);
    }
    out
}

/// A request rate with its unit: `12,345.6 req/s` / `12 345,6 req/s`.
pub fn format_rate(locale: Locale, per_second: f64, decimals: usize) -> String {
    k::common::rate(locale, format_number(locale, per_second, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_groups_with_commas_and_uses_a_point() {
        assert_eq!(format_number(Locale::En, 12345.6, 1), "12,345.6");
        assert_eq!(format_number(Locale::En, 1234567.0, 0), "1,234,567");
        assert_eq!(format_number(Locale::En, 999.0, 0), "999");
        assert_eq!(format_number(Locale::En, 0.25, 2), "0.25");
    }

    #[test]
    fn french_groups_with_narrow_no_break_spaces_and_uses_a_comma() {
        assert_eq!(format_number(Locale::Fr, 12345.6, 1), "12\u{202F}345,6");
        assert_eq!(format_number(Locale::Fr, 100000.0, 0), "100\u{202F}000");
        assert_eq!(format_number(Locale::Fr, 3.0, 2), "3,00");
    }

    #[test]
    fn rounding_and_signs() {
        assert_eq!(format_number(Locale::En, 999.96, 1), "1,000.0");
        assert_eq!(format_number(Locale::En, -1234.5, 1), "-1,234.5");
        assert_eq!(format_number(Locale::En, -0.01, 1), "0.0");
        assert_eq!(format_number(Locale::Fr, f64::NAN, 1), "–");
    }

    #[test]
    fn rounding_follows_the_exact_binary_value() {
        // 0.05 is stored as 0.0500000000000000027…: up; 9.995 as 9.99499…: down.
        assert_eq!(format_number(Locale::En, 0.05, 1), "0.1");
        assert_eq!(format_number(Locale::Fr, 9.995, 2), "9,99");
        // An exact tie goes to the even digit, as `format!` does.
        assert_eq!(format_number(Locale::En, 0.125, 2), "0.12");
        assert_eq!(format_number(Locale::En, 2.5, 0), "2");
        assert_eq!(format_number(Locale::Fr, -0.05, 1), "-0,1");
        // -999.95 is -999.950000000000045…: away from zero, carrying into a group.
        assert_eq!(format_number(Locale::En, -999.95, 1), "-1,000.0");
        assert_eq!(format_number(Locale::En, 1e21, 0), "1,000,000,000,000,000,000,000");
        assert_eq!(format_number(Locale::Fr, f64::INFINITY, 0), "–");
        assert_eq!(format_number(Locale::En, f64::NEG_INFINITY, 2), "–");
    }

    #[test]
    fn rates_carry_the_unit_in_each_locale() {
        assert_eq!(format_rate(Locale::En, 12345.6, 1), "12,345.6 req/s");
        assert_eq!(format_rate(Locale::Fr, 12345.6, 1), "12\u{202F}345,6 req/s");
        assert_eq!(format_rate(Locale::En, 1234.0, 0), "1,234 req/s");
        assert_eq!(format_rate(Locale::Fr, 1234.0, 0), "1\u{202F}234 req/s");
    }
}
