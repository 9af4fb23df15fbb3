//! Opening a scenario file: size first, then the simulation's own parser and
//! validation (`Scenario::from_json`, every problem with its JSON path).
//! Nothing here touches the running board: the caller swaps the board only
//! when [`read_scenario`] says yes, so a refused file loses nothing.
//!
//! Pure Rust (no web types), tested natively, including a 10 MB file and
//! JSON nested a million levels deep (refused by size, and by serde_json's
//! recursion limit, as a listed problem rather than a crash).

use crate::board::{component_name, kind_name};
use crate::i18n::{k, Locale};
use infraboard_sim::{Capped, Diagnostic, Misplaced, Missing, Problem, Scenario};

/// Largest file opened. The presets weigh 2 to 6 KB written out in full;
/// past this size the file is refused before it is read into memory.
pub const MAX_IMPORT_BYTES: u64 = 512 * 1024;

/// Why a file was not opened.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    /// Over [`MAX_IMPORT_BYTES`].
    TooLarge {
        /// The file's size.
        bytes: u64,
    },
    /// The browser could not read it.
    Unreadable,
    /// Nothing, or several files, were dropped.
    NotOneFile,
    /// The simulation refused it: every problem with its JSON path.
    Invalid(Vec<Diagnostic>),
}

/// Checks a file's size before reading it.
pub fn check_size(bytes: u64) -> Result<(), ImportError> {
    if bytes > MAX_IMPORT_BYTES {
        Err(ImportError::TooLarge { bytes })
    } else {
        Ok(())
    }
}

/// Reads a scenario from the file's text, or says every reason not to.
pub fn read_scenario(text: &str) -> Result<Scenario, ImportError> {
    check_size(text.len() as u64)?;
    Scenario::from_json(text).map_err(ImportError::Invalid)
}

/// One refusal line: the field (JSON path) and the problem in words.
pub fn problem_line(d: &Diagnostic, locale: Locale) -> (String, String) {
    let field = if d.path.is_empty() {
        k::share::import::WHOLE_FILE.text(locale).to_string()
    } else {
        d.path.clone()
    };
    (field, problem_text(&d.problem, locale))
}

/// A validation problem in the user's language.
pub fn problem_text(p: &Problem, locale: Locale) -> String {
    use k::share::import::problem as m;
    match p {
        Problem::Malformed(detail) => m::malformed(locale, detail),
        Problem::DuplicateId(id) => m::duplicate_id(locale, id),
        Problem::BadId(id) => m::bad_id(locale, id),
        Problem::UnknownNode(id) => m::unknown_node(locale, id),
        Problem::WrongKind { id, expected } => {
            m::wrong_kind(locale, id, kind_name(*expected).text(locale))
        }
        Problem::Missing(what) => m::missing(locale, missing_text(*what).text(locale)),
        Problem::TooMany { what, max } => m::too_many(locale, capped_text(*what).text(locale), max),
        Problem::OutOfRange { min, max } => m::out_of_range(locale, min, max),
        Problem::PrimaryCount(n) => m::primary_count(locale, n),
        Problem::NotAllowedHere(what) => {
            m::not_allowed_here(locale, misplaced_text(*what).text(locale))
        }
        Problem::DuplicateComponent(c) => {
            m::duplicate_component(locale, component_name(*c).text(locale))
        }
        Problem::WebNeedsApp => m::WEB_NEEDS_APP.text(locale).to_string(),
        Problem::AgentWithoutService => m::AGENT_WITHOUT_SERVICE.text(locale).to_string(),
        Problem::NoRouteToLoadBalancer => m::NO_ROUTE.text(locale).to_string(),
    }
}

/// A part a design lacks, in words.
fn missing_text(what: Missing) -> crate::i18n::Msg {
    use k::share::import::problem::missing_what as w;
    match what {
        Missing::Guards => w::GUARDS,
        Missing::Components => w::COMPONENTS,
        Missing::User => w::USER,
        Missing::LoadBalancer => w::LOAD_BALANCER,
        Missing::SecondLoadBalancer => w::SECOND_LOAD_BALANCER,
        Missing::WebAndApp => w::WEB_AND_APP,
        Missing::DnsForActiveActive => w::DNS_FOR_ACTIVE_ACTIVE,
    }
}

/// An element the model caps, in words.
fn capped_text(what: Capped) -> crate::i18n::Msg {
    use k::share::import::problem::capped as w;
    match what {
        Capped::Nodes => w::NODES,
        Capped::Rules => w::RULES,
        Capped::Servers => w::SERVERS,
        Capped::LoadBalancers => w::LOAD_BALANCERS,
        Capped::MysqlProcesses => w::MYSQL_PROCESSES,
        Capped::DnsNodes => w::DNS_NODES,
        Capped::MonitoringServices => w::MONITORING_SERVICES,
    }
}

/// What a kind of node cannot have, in words.
fn misplaced_text(what: Misplaced) -> crate::i18n::Msg {
    use k::share::import::problem::misplaced as w;
    match what {
        Misplaced::GuardingUserOrFirewall => w::GUARDING_USER_OR_FIREWALL,
        Misplaced::Guards => w::GUARDS,
        Misplaced::Rules => w::RULES,
        Misplaced::Cores => w::CORES,
        Misplaced::Pool => w::POOL,
        Misplaced::Agent => w::AGENT,
        Misplaced::Components => w::COMPONENTS,
        Misplaced::UserOutsideInternet => w::USER_OUTSIDE_INTERNET,
    }
}

/// A file name for a scenario: its name if it is a safe one, else `scenario`.
pub fn file_name(scenario_name: &str) -> String {
    let safe: String = scenario_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(64)
        .collect();
    let safe = safe.trim_matches('-');
    if safe.is_empty() {
        "scenario.json".to_string()
    } else {
        format!("{safe}.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infraboard_sim::presets;

    #[test]
    fn an_exported_preset_opens_again() {
        let json = presets::full_json("split-tiers").unwrap();
        let s = read_scenario(&json).unwrap();
        assert_eq!(s, presets::get("split-tiers").unwrap());
    }

    #[test]
    fn a_broken_file_lists_every_problem_with_its_field() {
        let mut v: serde_json::Value =
            serde_json::from_str(&presets::full_json(presets::DEFAULT).unwrap()).unwrap();
        v["nodes"][0]["id"] = "Bad Id!".into();
        v["nodes"][1]["x"] = 5000.0.into();
        let Err(ImportError::Invalid(problems)) = read_scenario(&v.to_string()) else {
            panic!("refused")
        };
        let fields: Vec<String> = problems.iter().map(|d| problem_line(d, Locale::En).0).collect();
        assert!(fields.contains(&"nodes[0].id".to_string()), "{fields:?}");
        assert!(fields.contains(&"nodes[1].x".to_string()), "{fields:?}");
        for d in &problems {
            assert!(!problem_line(d, Locale::Fr).1.is_empty());
        }
    }

    #[test]
    fn a_type_error_names_its_field_and_not_json_names_the_whole_file() {
        let Err(ImportError::Invalid(p)) = read_scenario(r#"{"name": 5}"#) else { panic!() };
        assert_eq!(p[0].path, "name");
        let Err(ImportError::Invalid(p)) = read_scenario("<script>alert(1)</script>") else {
            panic!()
        };
        assert_eq!(problem_line(&p[0], Locale::En).0, "(whole file)");
    }

    #[test]
    fn huge_or_deeply_nested_files_are_refused_not_crashed_on() {
        let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));
        assert_eq!(read_scenario(&huge), Err(ImportError::TooLarge { bytes: huge.len() as u64 }));
        assert!(check_size(10 * 1024 * 1024).is_err());
        let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
        match read_scenario(&deep) {
            Err(ImportError::Invalid(p)) => {
                assert!(matches!(p[0].problem, Problem::Malformed(_)), "{p:?}")
            }
            other => panic!("{other:?}"),
        }
        let deep_object = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
        assert!(matches!(read_scenario(&deep_object), Err(ImportError::Invalid(_))));
    }

    #[test]
    fn a_french_reader_gets_no_english_word_in_a_design_problem() {
        use infraboard_sim::{Component, NodeKind};
        let problems = [
            Problem::TooMany { what: Capped::DnsNodes, max: 1 },
            Problem::TooMany { what: Capped::Rules, max: 32 },
            Problem::NotAllowedHere(Misplaced::Components),
            Problem::NotAllowedHere(Misplaced::GuardingUserOrFirewall),
            Problem::WrongKind { id: "fw-1".into(), expected: NodeKind::LoadBalancer },
            Problem::DuplicateComponent(Component::MysqlPrimary),
        ];
        for p in &problems {
            let (fr, en) = (problem_text(p, Locale::Fr), problem_text(p, Locale::En));
            // The CLI's English names of each part (the sim's Display and Debug).
            let english = match p {
                Problem::TooMany { what, .. } => what.to_string(),
                Problem::NotAllowedHere(what) => what.to_string(),
                Problem::WrongKind { expected, .. } => format!("{expected:?}"),
                Problem::DuplicateComponent(c) => format!("{c:?}"),
                _ => unreachable!(),
            };
            assert!(!fr.contains(&english), "{fr:?} says {english:?}");
            assert_ne!(fr, en);
        }
    }

    #[test]
    fn file_names_never_carry_what_a_scenario_name_holds() {
        assert_eq!(file_name("lb-two-fullstack"), "lb-two-fullstack.json");
        assert_eq!(file_name("<img src=x onerror=alert(1)>"), "img-src-x-onerror-alert-1.json");
        assert_eq!(file_name("../../etc"), "etc.json");
        assert_eq!(file_name("???"), "scenario.json");
    }
}
