//! Hand-rolled flag parsing: `--flag value` or `--flag=value`, a fixed set
//! of flags per command, every mistake reported by name.

use crate::Failure;
use std::str::FromStr;

/// The flags and positional arguments of one command.
#[derive(Debug, Default)]
pub(crate) struct Args {
    /// Flag/value pairs in command-line order (a flag may repeat, e.g. `--at`).
    pub(crate) flags: Vec<(String, String)>,
    /// Arguments that are not flags.
    pub(crate) positional: Vec<String>,
}

/// Flags that may be given more than once.
const REPEATABLE: &[&str] = &["--at"];

impl Args {
    /// Parses `raw`, accepting only the flags in `known` and exactly
    /// `positional` other arguments.
    pub(crate) fn parse(
        raw: &[String],
        known: &[&str],
        positional: usize,
    ) -> Result<Args, Failure> {
        let mut args = Args::default();
        let mut raw = raw.iter();
        while let Some(arg) = raw.next() {
            if !arg.starts_with("--") {
                args.positional.push(arg.clone());
                continue;
            }
            let (flag, value) = match arg.split_once('=') {
                Some((flag, value)) => (flag.to_string(), value.to_string()),
                None => {
                    let value = raw
                        .next()
                        .ok_or_else(|| Failure::usage(format!("`{arg}` needs a value")))?;
                    (arg.clone(), value.clone())
                }
            };
            if !known.contains(&flag.as_str()) {
                return Err(Failure::usage(if known.is_empty() {
                    format!("unknown flag `{flag}` (this command takes none)")
                } else {
                    format!("unknown flag `{flag}` (expected one of: {})", known.join(", "))
                }));
            }
            if !REPEATABLE.contains(&flag.as_str()) && args.flags.iter().any(|(f, _)| *f == flag) {
                return Err(Failure::usage(format!("`{flag}` given twice")));
            }
            args.flags.push((flag, value));
        }
        if args.positional.len() != positional {
            return Err(Failure::usage(match (positional, args.positional.len()) {
                (0, _) => format!("unexpected argument `{}`", args.positional[0]),
                (1, 0) => "missing argument".to_string(),
                (want, got) => format!("expected {want} argument(s), got {got}"),
            }));
        }
        Ok(args)
    }

    /// The raw value of a flag given at most once.
    pub(crate) fn value(&self, flag: &str) -> Option<&str> {
        self.flags.iter().find(|(f, _)| f == flag).map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable flag, in order.
    pub(crate) fn values<'a>(&'a self, flag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.flags.iter().filter(move |(f, _)| f == flag).map(|(_, v)| v.as_str())
    }

    /// A flag parsed as `T`, if given.
    pub(crate) fn optional<T: FromStr>(&self, flag: &str) -> Result<Option<T>, Failure> {
        self.value(flag)
            .map(|raw| {
                raw.trim()
                    .parse()
                    .map_err(|_| Failure::usage(format!("bad value `{raw}` for `{flag}`")))
            })
            .transpose()
    }

    /// A flag parsed as `T`; missing is an error.
    pub(crate) fn required<T: FromStr>(&self, flag: &str) -> Result<T, Failure> {
        self.optional(flag)?.ok_or_else(|| Failure::usage(format!("`{flag}` is required")))
    }
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
