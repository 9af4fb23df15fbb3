//! The part of the app's state that lives in the page URL's query string,
//! so a link reopens the same view: the language (`?lang=fr`) and the run
//! ([`SharedRun`]: preset, seed, the user's timed commands, the simulated
//! time and the tour step), e.g.
//!
//! `?lang=fr&preset=lb-two-fullstack&seed=7&tour=3&t=31.5&n=2&c=20@kill:primary-db&c=25.1@promote:replica-db`
//!
//! Commands are written in the simulation's own CLI syntax (`Command`'s
//! `Display` / `FromStr`), each after its simulated time in seconds (exact to
//! the nanosecond); `n` is how many follow, so a cut link is noticed.
//!
//! The URL is input from anyone who sends a link: parsing never panics, an
//! unknown or malformed value is dropped with a [`Notice`] / [`LinkNotice`]
//! the page shows, and parameters this module does not know are kept
//! untouched. A broken command keeps the ones before it (the nearest valid
//! state) and drops it and the rest, since later commands were given on top
//! of it.

use crate::locale::Locale;
use infraboard_sim::{presets, Command, SimTime};

/// Query parameter naming the language.
pub const LANG_PARAM: &str = "lang";
/// Query parameter naming the open mode of the workspace (its dock tab, or
/// presenter mode).
pub const MODE_PARAM: &str = "mode";

/// What the workspace shows beside the board: a tab of its dock, or
/// presenter mode. Every mode keeps the board and the live strip in view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// The controls and the inspector.
    #[default]
    Explore,
    /// The full live charts.
    Charts,
    /// The tour, the design review and the explanations.
    Learn,
    /// Predict-then-run and the rehearsal.
    Practice,
    /// Presenter mode (the dock makes room for the board).
    Present,
}

impl Mode {
    /// Every mode, in the order of the dock's tabs and of the keys 1 to 5.
    pub const ALL: [Mode; 5] =
        [Mode::Explore, Mode::Charts, Mode::Learn, Mode::Practice, Mode::Present];

    /// The word the link carries.
    pub fn code(self) -> &'static str {
        match self {
            Mode::Explore => "explore",
            Mode::Charts => "charts",
            Mode::Learn => "learn",
            Mode::Practice => "practice",
            Mode::Present => "present",
        }
    }

    /// The mode a link names (exactly, lower case).
    pub fn from_code(code: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// Longest value echoed back in a notice; a tampered link can be huge.
const NOTICE_VALUE_MAX_CHARS: usize = 24;

/// Something in the URL that was ignored, to tell the reader about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// `?lang=` named a language the app does not have (value as written,
    /// shortened).
    UnknownLanguage(String),
    /// `?mode=` named no mode of the workspace (value as written, shortened).
    UnknownMode(String),
}

/// The state read from a query string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlState {
    /// The language asked for, if valid.
    pub lang: Option<Locale>,
    /// The workspace mode asked for, if valid.
    pub mode: Option<Mode>,
}

/// Reads the state from a query string (with or without its leading `?`).
pub fn parse(query: &str) -> (UrlState, Vec<Notice>) {
    let mut state = UrlState::default();
    let mut notices = Vec::new();
    for (key, value) in pairs(query) {
        if key == LANG_PARAM {
            match Locale::from_tag(&value) {
                Some(locale) => state.lang = Some(locale),
                None => notices.push(Notice::UnknownLanguage(shorten(&value))),
            }
        } else if key == MODE_PARAM {
            match Mode::from_code(&value) {
                Some(mode) => state.mode = Some(mode),
                None => notices.push(Notice::UnknownMode(shorten(&value))),
            }
        }
    }
    (state, notices)
}

/// The query string with `key` set to `value` (replacing every earlier
/// occurrence, keeping other parameters in order), with its leading `?`.
pub fn with_param(query: &str, key: &str, value: &str) -> String {
    let mut parts: Vec<String> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| decode(p.split('=').next().unwrap_or_default()) != key)
        .map(str::to_string)
        .collect();
    parts.push(format!("{}={}", encode(key), encode(value)));
    format!("?{}", parts.join("&"))
}

/// Decoded `key=value` pairs of a query string; a bare `key` has value "".
fn pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (decode(k), decode(v))
    })
}

/// Percent-decoding (and `+` as space); a broken escape stays as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let escaped =
                    bytes.get(i + 1..i + 3).and_then(|h| Some(hex(h[0])? * 16 + hex(h[1])?));
                if let Some(byte) = escaped {
                    out.push(byte);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding of everything but unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn shorten(value: &str) -> String {
    let mut short: String = value.chars().take(NOTICE_VALUE_MAX_CHARS).collect();
    if value.chars().count() > NOTICE_VALUE_MAX_CHARS {
        short.push('…');
    }
    short
}

/// Query parameters of the run, in the order they are written (the ones a
/// cut link loses first come last).
pub const PRESET_PARAM: &str = "preset";
/// The seed.
pub const SEED_PARAM: &str = "seed";
/// The tour step, from 1 (absent: the tour is closed).
pub const TOUR_PARAM: &str = "tour";
/// The simulated time, seconds.
pub const TIME_PARAM: &str = "t";
/// How many commands follow.
pub const COUNT_PARAM: &str = "n";
/// One command: `SECONDS@COMMAND`, repeated in order.
pub const COMMAND_PARAM: &str = "c";
/// A design that is no built-in preset (edited on the board or imported),
/// as its one-line JSON; written instead of `preset`.
pub const DESIGN_PARAM: &str = "design";
const RUN_PARAMS: [&str; 7] =
    [DESIGN_PARAM, PRESET_PARAM, SEED_PARAM, TOUR_PARAM, TIME_PARAM, COUNT_PARAM, COMMAND_PARAM];

/// Furthest simulated time a link may ask for: opening it replays the run
/// up to there before the page answers, so it must stay a matter of seconds.
pub const MAX_LINK_TIME: SimTime = SimTime::from_secs(600);
/// Most commands a link may carry.
pub const MAX_LINK_COMMANDS: usize = 500;
/// Longest design a link may carry, in bytes of JSON: the presets take 1
/// to 3 KB on one line, a drawn design of 50 boxes about 20 KB.
pub const MAX_LINK_DESIGN: usize = 64 * 1024;

/// A run as a link carries it: opening the link replays it and pauses at
/// `time`, on the same tour step.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedRun {
    /// A built-in preset's name.
    pub preset: String,
    /// The design's JSON when it is no built-in preset (then `preset` is
    /// not used). Only text here: the simulation's validation reads it
    /// when the link is opened.
    pub design: Option<String>,
    /// The run's seed.
    pub seed: u64,
    /// Where the run stands (it is paused there on opening).
    pub time: SimTime,
    /// The open tour step (from 0), `None` when the tour is closed.
    pub tour_step: Option<usize>,
    /// The user's commands with the simulated time each was given at, in
    /// order (times never decrease). Some may lie after `time`: a future
    /// the user rewound past but can still play again.
    pub commands: Vec<(SimTime, Command)>,
}

/// Part of a shared link that was ignored, and why. Values are quoted as
/// written, shortened.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkNotice {
    /// `preset=` names no built-in preset; the default one is used.
    UnknownPreset(String),
    /// `seed=` is not a whole number; seed 1 is used.
    BadSeed(String),
    /// `t=` is not a time in seconds; the run stops at its last command.
    BadTime(String),
    /// `t=` is further than [`MAX_LINK_TIME`]; the run stops there.
    TimeTooFar(String),
    /// `tour=` is not a step of the tour; the tour stays closed.
    BadTourStep(String),
    /// Command number `number` (from 1) could not be read, or goes back in
    /// time, or lies past [`MAX_LINK_TIME`]; it and the `dropped_after`
    /// commands after it were ignored.
    BadCommand {
        /// Position in the link, from 1.
        number: usize,
        /// The parameter as written.
        text: String,
        /// Commands after it, ignored too.
        dropped_after: usize,
    },
    /// The simulation refused command `number` when it was replayed (the
    /// reason in words); it and the rest were ignored.
    RefusedCommand {
        /// Position in the link, from 1.
        number: usize,
        /// The command as written.
        text: String,
        /// Why the simulation refused it.
        error: infraboard_sim::CommandError,
        /// Commands after it, ignored too.
        dropped_after: usize,
    },
    /// The user stopped the replay of the link at `at`, `skipped` of its
    /// commands short (the board stays where the replay stood).
    ReplayStopped {
        /// Where the run stood.
        at: SimTime,
        /// Commands of the link not applied.
        skipped: usize,
    },
    /// More than [`MAX_LINK_COMMANDS`] commands; the rest were ignored.
    TooManyCommands {
        /// Commands ignored.
        dropped: usize,
    },
    /// `design=` is longer than [`MAX_LINK_DESIGN`]; the preset is shown.
    DesignTooLarge {
        /// Its length.
        bytes: usize,
    },
    /// The simulation refused the link's design (every problem with its
    /// JSON path); the preset is shown.
    BadDesign(Vec<infraboard_sim::Diagnostic>),
    /// The link announced `expected` commands but holds `found`: it was cut.
    Truncated {
        /// `n=` of the link.
        expected: usize,
        /// Commands present.
        found: usize,
    },
}

/// Reads the run from a query string: `None` when the link carries none
/// (then the app starts as usual). Never panics; whatever was ignored is in
/// the notices, and what remains is the nearest valid run. `tour_steps` is
/// how many steps the guided tour has (a `tour=` past it is refused).
pub fn parse_run(query: &str, tour_steps: usize) -> (Option<SharedRun>, Vec<LinkNotice>) {
    let mut notices = Vec::new();
    let (mut preset, mut seed, mut time, mut tour, mut count) = (None, None, None, None, None);
    let mut design = None;
    let mut raw_commands: Vec<String> = Vec::new();
    let mut any = false;
    for (key, value) in pairs(query) {
        let key = key.as_str();
        if !RUN_PARAMS.contains(&key) {
            continue;
        }
        any = true;
        match key {
            PRESET_PARAM => preset = Some(value),
            DESIGN_PARAM if value.len() > MAX_LINK_DESIGN => {
                notices.push(LinkNotice::DesignTooLarge { bytes: value.len() });
            }
            DESIGN_PARAM => design = Some(value),
            SEED_PARAM => seed = Some(value),
            TOUR_PARAM => tour = Some(value),
            TIME_PARAM => time = Some(value),
            COUNT_PARAM => count = Some(value),
            _ => {
                // Past the cap only the count matters; nothing more is kept.
                if raw_commands.len() <= MAX_LINK_COMMANDS {
                    raw_commands.push(value);
                } else {
                    raw_commands.push(String::new());
                }
            }
        }
    }
    if !any {
        return (None, notices);
    }

    let preset = match preset {
        Some(name) if presets::names().any(|n| n == name) => name,
        Some(name) => {
            notices.push(LinkNotice::UnknownPreset(shorten(&name)));
            presets::DEFAULT.to_string()
        }
        None => presets::DEFAULT.to_string(),
    };
    let seed = match seed.as_deref().map(str::parse::<u64>) {
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            notices.push(LinkNotice::BadSeed(shorten(seed.as_deref().unwrap_or_default())));
            1
        }
        None => 1,
    };
    let tour_step = match tour.as_deref().map(str::parse::<usize>) {
        Some(Ok(n)) if (1..=tour_steps).contains(&n) => Some(n - 1),
        Some(_) => {
            notices.push(LinkNotice::BadTourStep(shorten(tour.as_deref().unwrap_or_default())));
            None
        }
        None => None,
    };

    let found = raw_commands.len();
    if let Some(expected) = count.as_deref().and_then(|n| n.parse::<usize>().ok()) {
        if expected > found {
            notices.push(LinkNotice::Truncated { expected, found });
        }
    }
    let mut commands: Vec<(SimTime, Command)> = Vec::new();
    for (i, raw) in raw_commands.iter().enumerate().take(MAX_LINK_COMMANDS) {
        let last = commands.last().map_or(SimTime::ZERO, |(at, _)| *at);
        let read = raw.split_once('@').and_then(|(at, text)| {
            let at = parse_seconds(at).filter(|at| *at >= last && *at <= MAX_LINK_TIME)?;
            Some((at, text.parse::<Command>().ok()?))
        });
        match read {
            Some(c) => commands.push(c),
            None => {
                notices.push(LinkNotice::BadCommand {
                    number: i + 1,
                    text: shorten(raw),
                    dropped_after: found.min(MAX_LINK_COMMANDS) - i - 1,
                });
                break;
            }
        }
    }
    if found > MAX_LINK_COMMANDS {
        notices.push(LinkNotice::TooManyCommands { dropped: found - MAX_LINK_COMMANDS });
    }

    let last_command = commands.last().map_or(SimTime::ZERO, |(at, _)| *at);
    let time = match time {
        None => last_command,
        Some(text) => match parse_seconds(&text) {
            Some(t) if t <= MAX_LINK_TIME => t,
            Some(_) => {
                notices.push(LinkNotice::TimeTooFar(shorten(&text)));
                MAX_LINK_TIME
            }
            None => {
                notices.push(LinkNotice::BadTime(shorten(&text)));
                last_command
            }
        },
    };
    (Some(SharedRun { preset, design, seed, time, tour_step, commands }), notices)
}

/// The query string with the run written in (replacing any run already
/// there, keeping other parameters such as `lang` in place), with its `?`.
/// `None` takes the run out (a board a link cannot rebuild).
pub fn with_run(query: &str, run: Option<&SharedRun>) -> String {
    let mut parts: Vec<String> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| !RUN_PARAMS.contains(&decode(p.split('=').next().unwrap_or_default()).as_str()))
        .map(str::to_string)
        .collect();
    if let Some(run) = run {
        let mut put = |k: &str, v: &str| parts.push(format!("{k}={}", encode_readable(v)));
        match &run.design {
            Some(design) => put(DESIGN_PARAM, design),
            None => put(PRESET_PARAM, &run.preset),
        }
        put(SEED_PARAM, &run.seed.to_string());
        if let Some(step) = run.tour_step {
            put(TOUR_PARAM, &(step + 1).to_string());
        }
        put(TIME_PARAM, &format_seconds(run.time));
        if !run.commands.is_empty() {
            put(COUNT_PARAM, &run.commands.len().to_string());
        }
        for (at, command) in &run.commands {
            put(COMMAND_PARAM, &format!("{}@{command}", format_seconds(*at)));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Seconds written exactly: `31.5`, `20`, `0.000000001`.
pub fn format_seconds(t: SimTime) -> String {
    let (s, ns) = (t.0 / 1_000_000_000, t.0 % 1_000_000_000);
    if ns == 0 {
        s.to_string()
    } else {
        let frac = format!("{ns:09}");
        format!("{s}.{}", frac.trim_end_matches('0'))
    }
}

/// Reads [`format_seconds`]' form (digits, an optional point and at most
/// nine decimals) without going through floating point.
pub fn parse_seconds(text: &str) -> Option<SimTime> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 9 {
        return None;
    }
    let s: u64 = whole.parse().ok()?;
    let ns: u64 = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().ok()? };
    s.checked_mul(1_000_000_000)?.checked_add(ns).map(SimTime)
}

/// Like [`encode`], but keeps the characters a query value may hold as they
/// are (`:`, `@`, `*`, `,`, `/`), so a command reads in the address bar.
fn encode_readable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:@*,/!".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The run carried by the current page URL, if any, with what was ignored
/// (see [`parse_run`]).
pub fn run_from_location(tour_steps: usize) -> (Option<SharedRun>, Vec<LinkNotice>) {
    parse_run(&current_search(), tour_steps)
}

fn current_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// Writes the run into the page URL (no reload, no history entry); does
/// nothing when it is already there.
pub fn write_run(run: Option<&SharedRun>) {
    let search = current_search();
    let wanted = with_run(&search, run);
    if search != wanted {
        replace_search(&wanted);
    }
}

fn replace_search(wanted: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let url = format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        wanted,
        location.hash().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The language named by the current page URL, and a notice if the URL
/// named one the app does not have.
pub fn lang_from_location() -> (Option<Locale>, Option<Notice>) {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let (state, notices) = parse(&search);
    (state.lang, notices.into_iter().rfind(|n| matches!(n, Notice::UnknownLanguage(_))))
}

/// The workspace mode named by the current page URL, and a notice if the
/// URL named one the app does not have.
pub fn mode_from_location() -> (Option<Mode>, Option<Notice>) {
    let (state, notices) = parse(&current_search());
    (state.mode, notices.into_iter().rfind(|n| matches!(n, Notice::UnknownMode(_))))
}

/// Whether the page URL has a tour step (then Learn is where to open).
pub fn names_tour_step() -> bool {
    pairs(&current_search()).any(|(key, _)| key == TOUR_PARAM)
}

/// Puts the workspace mode into the page URL (no reload, no history entry);
/// the default mode is written only over one already there, so a plain
/// address stays plain.
pub fn write_mode(mode: Mode) {
    let search = current_search();
    if mode == Mode::default() && !pairs(&search).any(|(key, _)| key == MODE_PARAM) {
        return;
    }
    let wanted = with_param(&search, MODE_PARAM, mode.code());
    if search != wanted {
        replace_search(&wanted);
    }
}

/// Puts the language into the page URL without reloading or adding a
/// history entry (switching language is not a navigation step).
pub fn write_lang(locale: Locale) {
    let search = current_search();
    let wanted = with_param(&search, LANG_PARAM, locale.code());
    if search != wanted {
        replace_search(&wanted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run in `query`, for the guided tour as it is.
    fn parse_run(query: &str) -> (Option<SharedRun>, Vec<LinkNotice>) {
        super::parse_run(query, crate::study::tour::Step::ALL.len())
    }

    #[test]
    fn reads_the_language() {
        assert_eq!(parse("?lang=fr").0.lang, Some(Locale::Fr));
        assert_eq!(parse("lang=en&x=1").0.lang, Some(Locale::En));
        assert_eq!(parse("?x=1&lang=fr-CA").0.lang, Some(Locale::Fr));
        assert_eq!(parse("").0, UrlState::default());
    }

    #[test]
    fn an_unknown_language_is_ignored_with_a_notice() {
        let (state, notices) = parse("?lang=klingon");
        assert_eq!(state.lang, None);
        assert_eq!(notices, vec![Notice::UnknownLanguage("klingon".into())]);
    }

    #[test]
    fn tampered_values_never_panic_and_are_shortened() {
        let long = format!("?lang={}", "x".repeat(10_000));
        let (state, notices) = parse(&long);
        assert_eq!(state.lang, None);
        let Notice::UnknownLanguage(v) = &notices[0] else { panic!("{notices:?}") };
        assert!(v.chars().count() <= NOTICE_VALUE_MAX_CHARS + 1);
        for q in ["?lang=%", "?lang=%E", "?lang=%ZZ", "?=&&=", "?lang=%C3%28", "?lang"] {
            let _ = parse(q);
        }
        assert_eq!(parse("?lang=%66r").0.lang, Some(Locale::Fr));
    }

    #[test]
    fn reads_the_mode_and_ignores_an_unknown_one_with_a_notice() {
        for mode in Mode::ALL {
            let query = with_param("?lang=fr", MODE_PARAM, mode.code());
            assert_eq!(
                parse(&query),
                (UrlState { lang: Some(Locale::Fr), mode: Some(mode) }, vec![])
            );
        }
        let (state, notices) = parse("?mode=LEARN&lang=fr");
        assert_eq!(state, UrlState { lang: Some(Locale::Fr), mode: None });
        assert_eq!(notices, vec![Notice::UnknownMode("LEARN".into())]);
        let (state, notices) = parse(&format!("?mode={}", "%".repeat(5_000)));
        assert_eq!(state.mode, None);
        let Notice::UnknownMode(v) = &notices[0] else { panic!("{notices:?}") };
        assert!(v.chars().count() <= NOTICE_VALUE_MAX_CHARS + 1);
    }

    #[test]
    fn writing_keeps_other_parameters() {
        assert_eq!(with_param("", "lang", "fr"), "?lang=fr");
        assert_eq!(with_param("?seed=7&lang=en", "lang", "fr"), "?seed=7&lang=fr");
        assert_eq!(with_param("?lang=de&lang=en&a=b", "lang", "fr"), "?a=b&lang=fr");
        assert_eq!(with_param("?a=1", "note", "a b&c"), "?a=1&note=a%20b%26c");
    }

    fn run() -> SharedRun {
        SharedRun {
            preset: "split-tiers".into(),
            design: None,
            seed: 42,
            time: SimTime(31_500_000_001),
            tour_step: Some(3),
            commands: vec![
                (SimTime::from_secs(2), "rate:2500".parse().unwrap()),
                (SimTime::from_secs(20), "kill:primary-db".parse().unwrap()),
                (SimTime::from_secs(20), "fw:fw-1:allow:3306:internet".parse().unwrap()),
                (SimTime(25_123_456_789), "promote:replica-db".parse().unwrap()),
            ],
        }
    }

    #[test]
    fn a_run_survives_a_trip_through_the_url_with_other_parameters_kept() {
        let query = with_run("?lang=fr&x=1", Some(&run()));
        assert!(query.starts_with("?lang=fr&x=1&preset=split-tiers&seed=42&tour=4&t=31.500000001"));
        assert!(query.contains("&c=20@kill:primary-db&"), "readable commands: {query}");
        assert_eq!(parse_run(&query), (Some(run()), vec![]));
        assert_eq!(parse(&query).0.lang, Some(Locale::Fr));
        // Writing again replaces, never duplicates.
        assert_eq!(with_run(&query, Some(&run())), query);
        assert_eq!(with_run(&query, None), "?lang=fr&x=1");
    }

    #[test]
    fn a_design_survives_a_trip_through_the_url_in_place_of_the_preset() {
        let mut design = presets::default_scenario();
        design.name = "Ours: \"a & b\" #2 / 100%".into();
        // The preset is not written: reading gives the default one.
        let run = SharedRun {
            design: Some(design.to_json_compact()),
            preset: presets::DEFAULT.into(),
            ..run()
        };
        let query = with_run("?lang=fr", Some(&run));
        assert!(!query.contains("preset="), "{query}");
        assert!(!query.contains('"') && !query.contains('#') && !query.contains(' '), "{query}");
        let (got, notices) = parse_run(&query);
        assert_eq!(notices, vec![]);
        let got = got.unwrap();
        assert_eq!(got, run);
        let text = got.design.unwrap();
        assert_eq!(infraboard_sim::Scenario::from_json(&text).unwrap(), design);
    }

    #[test]
    fn a_design_too_long_for_a_link_is_ignored_with_a_notice() {
        let long = format!("?seed=3&design={}", "x".repeat(MAX_LINK_DESIGN + 1));
        let (got, notices) = parse_run(&long);
        assert_eq!(got.unwrap().design, None);
        assert_eq!(notices, vec![LinkNotice::DesignTooLarge { bytes: MAX_LINK_DESIGN + 1 }]);
    }

    #[test]
    fn a_link_without_a_run_starts_the_app_as_usual() {
        assert_eq!(parse_run("?lang=fr"), (None, vec![]));
        assert_eq!(parse_run(""), (None, vec![]));
    }

    #[test]
    fn a_broken_command_keeps_the_ones_before_it() {
        let query = with_run("", Some(&run())).replace("kill:primary-db", "kill:primary-db:zz");
        let (got, notices) = parse_run(&query);
        let got = got.unwrap();
        assert_eq!(got.commands, run().commands[..1]);
        assert_eq!(got.time, run().time, "the time is still the link's");
        assert_eq!(
            notices,
            vec![LinkNotice::BadCommand {
                number: 2,
                text: "20@kill:primary-db:zz".into(),
                dropped_after: 2
            }]
        );
        // Going back in time is as broken as a typo.
        let (got, notices) = parse_run("?c=5@rate:10&c=4@rate:20");
        assert_eq!(got.unwrap().commands.len(), 1);
        assert!(matches!(notices[..], [LinkNotice::BadCommand { number: 2, .. }]));
    }

    #[test]
    fn a_cut_link_says_so_and_keeps_what_arrived() {
        let full = with_run("", Some(&run()));
        let cut = &full[..full.find("&c=25").unwrap() + 6];
        let (got, notices) = parse_run(cut);
        assert_eq!(got.unwrap().commands, run().commands[..3]);
        assert!(matches!(
            notices[..],
            [LinkNotice::BadCommand { number: 4, dropped_after: 0, .. }]
        ));
        let cut = &full[..full.find("&c=25").unwrap()];
        let (got, notices) = parse_run(cut);
        assert_eq!(got.unwrap().commands.len(), 3);
        assert_eq!(notices, vec![LinkNotice::Truncated { expected: 4, found: 3 }]);
    }

    #[test]
    fn tampered_values_fall_back_to_the_defaults_with_a_notice_each() {
        let (got, notices) = parse_run("?preset=%3Cscript%3E&seed=-1&tour=11&t=1e3&c=1@explode:lb");
        let got = got.unwrap();
        assert_eq!(got.preset, presets::DEFAULT);
        assert_eq!((got.seed, got.tour_step, got.time), (1, None, SimTime::ZERO));
        assert!(got.commands.is_empty());
        assert_eq!(notices.len(), 5, "{notices:?}");
        assert_eq!(notices[0], LinkNotice::UnknownPreset("<script>".into()));
        let (got, notices) = parse_run("?t=99999");
        assert_eq!(got.unwrap().time, MAX_LINK_TIME);
        assert_eq!(notices, vec![LinkNotice::TimeTooFar("99999".into())]);
    }

    #[test]
    fn seconds_are_written_and_read_exactly() {
        for ns in [0, 1, 999_999_999, 1_000_000_000, 31_500_000_000, u64::MAX] {
            assert_eq!(parse_seconds(&format_seconds(SimTime(ns))), Some(SimTime(ns)));
        }
        for bad in ["", ".5", "1.0000000001", "-1", "1e3", "+1", "1..2", "99999999999999999999"] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_huge_link_is_cut_to_size_without_panicking() {
        let mut q = String::from("?preset=tiered-flow");
        while q.len() < 100_000 {
            q.push_str("&c=1@rate:10");
        }
        let (got, notices) = parse_run(&q);
        assert_eq!(got.unwrap().commands.len(), MAX_LINK_COMMANDS);
        assert!(matches!(notices[..], [LinkNotice::TooManyCommands { .. }]));
        let junk: String =
            (0..100_000u32).map(|i| char::from_u32(i % 0x2FF + 1).unwrap()).collect();
        let _ = parse_run(&junk);
        let _ = parse(&junk);
    }

    /// Fuzzing without nightly: proptest runners, `FUZZ_CASES` inputs each
    /// (`scripts/fuzz` sets a million; `cargo test` runs a few thousand).
    /// Prints the count and the time, like sim/tests/fuzz.rs.
    #[cfg(not(target_arch = "wasm32"))]
    fn fuzz<S: proptest::strategy::Strategy>(
        name: &str,
        strategy: S,
        check: impl Fn(S::Value) -> Result<(), proptest::test_runner::TestCaseError>,
    ) {
        use proptest::test_runner::{Config, TestRunner};
        let cases = std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
        let mut runner =
            TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
        let started = std::time::Instant::now();
        let result = runner.run(&strategy, check);
        println!(
            "fuzz {name}: {cases} inputs in {:.1} s, {}",
            started.elapsed().as_secs_f64(),
            if result.is_ok() { "no panic, decoded run within the link limits" } else { "FAILED" }
        );
        if let Err(e) = result {
            panic!("{name}: {e}");
        }
    }

    /// What a decoded link may hold, whatever the input: bounded time and
    /// command count, commands in time order.
    #[cfg(not(target_arch = "wasm32"))]
    fn within_limits(text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let (run, _notices) = parse_run(text);
        let _ = parse(text);
        if let Some(run) = run {
            proptest::prop_assert!(run.time <= MAX_LINK_TIME);
            proptest::prop_assert!(run.commands.len() <= MAX_LINK_COMMANDS);
            proptest::prop_assert!(run.commands.windows(2).all(|w| w[0].0 <= w[1].0));
        }
        Ok(())
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn url_state_decoder_never_panics_on_any_bytes() {
        fuzz("url/bytes", proptest::collection::vec(proptest::num::u8::ANY, 0..2000), |bytes| {
            within_limits(&String::from_utf8_lossy(&bytes))
        });
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn url_state_decoder_never_panics_on_link_shaped_text() {
        fuzz("url/link-shaped", "[?&=@:.%0-9a-z#*-]{0,400}", |text| within_limits(&text));
    }
}
