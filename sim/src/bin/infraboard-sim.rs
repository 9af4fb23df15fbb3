//! `infraboard-sim`: runs a scenario headless and prints its metrics as JSON.

use infraboard_sim::{presets, SimTime, Simulation};
use std::process::ExitCode;

const USAGE: &str = "usage: infraboard-sim run [--seed N] [--duration 10s]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("infraboard-sim: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("run") => {}
        Some(other) => return Err(format!("unknown command `{other}`")),
        None => return Err("missing command".to_string()),
    }
    let mut seed = 1u64;
    let mut duration_s = 10u64;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("`{flag}` needs a value"))?;
        match flag.as_str() {
            "--seed" => seed = value.parse().map_err(|_| format!("bad seed `{value}`"))?,
            "--duration" => {
                let digits = value.strip_suffix('s').unwrap_or(&value);
                duration_s = digits.parse().map_err(|_| format!("bad duration `{value}`"))?;
            }
            _ => return Err(format!("unknown flag `{flag}`")),
        }
    }
    let scenario = presets::default_scenario();
    let mut sim = Simulation::new(&scenario, seed).map_err(|e| e.to_string())?;
    let mut events = 0u64;
    for s in 1..=duration_s {
        sim.advance_to(SimTime::from_secs(s)).map_err(|e| e.to_string())?;
        while sim.poll_event().is_some() {
            events += 1;
        }
    }
    let m = sim.metrics();
    let qps: Vec<String> = m.qps_history.iter().map(u64::to_string).collect();
    println!(
        "{{\"requests\":{},\"served\":{},\"qps\":[{}],\"events\":{}}}",
        m.requests,
        m.served,
        qps.join(","),
        events
    );
    Ok(())
}
