//! Parsers of option values that several subcommands share: numbers,
//! simulated durations, timed commands and preset names. Each reports what
//! is wrong in words; clap adds which option it was.

use infraboard_sim::{presets, Command};
use std::fmt::Display;
use std::str::FromStr;

/// A number; spaces around it are allowed (a script may quote it so).
pub(crate) fn number<T: FromStr>(raw: &str) -> Result<T, String>
where
    T::Err: Display,
{
    raw.trim().parse().map_err(|e: T::Err| e.to_string())
}

/// The name of a built-in preset; clap lists them when another is given.
pub(crate) fn preset_name() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(presets::names())
}

/// A command given at a simulated time (`--at 20s=kill:primary-db`).
#[derive(Clone, Debug)]
pub(crate) struct Timed {
    /// When, in simulated nanoseconds from the start.
    pub(crate) at_ns: u64,
    /// The argument as typed, for messages.
    pub(crate) raw: String,
    /// The command as typed (the part after `=`), for the report.
    pub(crate) text: String,
    pub(crate) command: Command,
}

/// `TIME=COMMAND`, e.g. `20s=kill:primary-db`.
pub(crate) fn timed(raw: &str) -> Result<Timed, String> {
    let (at, text) =
        raw.split_once('=').ok_or("expected TIME=COMMAND, e.g. 20s=kill:primary-db".to_string())?;
    let at_ns = parse_duration(at)?;
    let command: Command = text.parse().map_err(|e| format!("{e}"))?;
    Ok(Timed { at_ns, raw: raw.to_string(), text: text.to_string(), command })
}

/// A simulated duration such as `60s`, `1500ms`, `2m`, `1h` or `90` (seconds),
/// in nanoseconds.
pub(crate) fn parse_duration(raw: &str) -> Result<u64, String> {
    let raw = raw.trim();
    let (digits, unit_ns) = if let Some(d) = raw.strip_suffix("ms") {
        (d, 1e6)
    } else if let Some(d) = raw.strip_suffix('s') {
        (d, 1e9)
    } else if let Some(d) = raw.strip_suffix('m') {
        (d, 60e9)
    } else if let Some(d) = raw.strip_suffix('h') {
        (d, 3600e9)
    } else {
        (raw, 1e9)
    };
    let amount: f64 =
        digits.parse().map_err(|_| format!("bad duration `{raw}` (e.g. 60s, 500ms, 2m)"))?;
    let ns = amount * unit_ns;
    if !(0.0..=31.0 * 24.0 * 3600e9).contains(&ns) {
        return Err(format!("duration `{raw}` out of range (0 to 31 days)"));
    }
    Ok(ns.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_read_like_a_human_wrote_them() {
        assert_eq!(parse_duration("60s"), Ok(60_000_000_000));
        assert_eq!(parse_duration("1500ms"), Ok(1_500_000_000));
        assert_eq!(parse_duration("2m"), Ok(120_000_000_000));
        assert_eq!(parse_duration("7"), Ok(7_000_000_000));
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("1e30s").is_err());
    }
}
