//! Queueing theory checks of the engine (event queue + RNG over integer
//! nanoseconds): the simulated answers must match the closed-form ones.
//!
//! Tolerances: the issue asks for 3% at 1M customers. A run is one random
//! sample, so every check allows `max(3%, 4 standard errors)`, the standard
//! error measured by batch means on the run itself. At light load with many
//! servers (c = 16, ρ = 0.5) fewer than 1% of customers wait at all, and
//! 1M customers give a standard error of about 5%: no seed-independent test
//! could promise 3% there. Everywhere else 4 standard errors is at most a
//! few percent, and the joint check below (sum of squared z-scores against
//! the χ² table) catches a small bias shared by all nine runs.

use infraboard_sim::dispatch::{self, DispatchParams, Policy};
use infraboard_sim::mmc::{self, MmcParams};

const CUSTOMERS: u64 = 1_000_000;
const SEED: u64 = 2026;

/// |measured − expected| in units of the run's own standard error, and
/// whether it is within max(3%, 4 SE).
fn within(measured: f64, expected: f64, stderr: f64) -> (f64, bool) {
    let z = (measured - expected) / stderr;
    let ok = (measured - expected).abs() <= (0.03 * expected).max(4.0 * stderr);
    (z, ok)
}

#[test]
fn mmc_mean_wait_matches_erlang_c_and_littles_law_holds() {
    let mut failures = Vec::new();
    let mut chi2 = 0.0;
    eprintln!("   c    ρ   Erlang C Wq   simulated   error   stderr   Little L vs λW");
    for servers in [1u32, 4, 16] {
        for load in [0.5, 0.7, 0.85] {
            let arrival_rate = load * f64::from(servers);
            let params = MmcParams {
                servers,
                arrival_rate,
                service_rate: 1.0,
                customers: CUSTOMERS,
                seed: SEED + u64::from(servers) * 100 + (load * 100.0) as u64,
            };
            let report = mmc::run(&params).unwrap();
            let expected = mmc::erlang_c_wait(servers, arrival_rate, 1.0).unwrap();
            let stderr = report.mean_wait_stderr.unwrap();
            let (z, ok) = within(report.mean_wait, expected, stderr);
            chi2 += z * z;
            // Little's law: time-average number in system = λ × mean time in
            // system. Both sides come from the same run, measured in
            // different ways (an integral over time vs a sum over customers).
            let little =
                report.mean_number_in_system / (arrival_rate * report.mean_in_system) - 1.0;
            eprintln!(
                "{servers:>4} {load:>4} {expected:>12.5} {:>11.5} {:>+6.2}% {:>7.2}% {:>+10.3}%",
                report.mean_wait,
                (report.mean_wait / expected - 1.0) * 100.0,
                stderr / expected * 100.0,
                little * 100.0
            );
            if !ok {
                failures.push(format!(
                    "c={servers} ρ={load}: mean wait {} vs {expected}",
                    report.mean_wait
                ));
            }
            if little.abs() > 0.01 {
                failures.push(format!("c={servers} ρ={load}: Little's law off by {little}"));
            }
            // The error bar must be small enough for the check to mean something.
            if stderr > 0.1 * expected {
                failures.push(format!("c={servers} ρ={load}: standard error {stderr} too large"));
            }
            // Utilization is ρ, the most basic law of all.
            if (report.utilization / load - 1.0).abs() > 0.01 {
                failures.push(format!("c={servers} ρ={load}: utilization {}", report.utilization));
            }
        }
    }
    // Nine independent runs: Σz² follows χ² with 9 degrees of freedom when
    // the simulation is unbiased; 27.88 is its 99.9% quantile.
    eprintln!("Σz² = {chi2:.2} (χ²₉ 99.9% = 27.88)");
    if chi2 > 27.88 {
        failures.push(format!("Σz² = {chi2} over nine runs: the waits are biased"));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

fn balance(policy: Policy, servers: u32, load: f64) -> dispatch::DispatchReport {
    dispatch::run(&DispatchParams {
        policy,
        servers,
        arrival_rate: load * f64::from(servers),
        service_rate: 1.0,
        customers: CUSTOMERS,
        seed: SEED,
    })
    .unwrap()
}

#[test]
fn load_balancer_algorithms_rank_as_queueing_theory_says() {
    // Ten servers at 90% load: the regime where the algorithm matters.
    let (servers, load) = (10, 0.9);
    let lambda = load * f64::from(servers);
    let results: Vec<_> = Policy::ALL.iter().map(|&p| (p, balance(p, servers, load))).collect();
    for (policy, r) in &results {
        eprintln!(
            "{:>10}: mean response {:.3} ± {:.3} s",
            policy.name(),
            r.mean_response,
            r.mean_response_stderr.unwrap()
        );
    }
    // random > round-robin > random-of-two > leastconn.
    for pair in results.windows(2) {
        let ((worse, a), (better, b)) = (&pair[0], &pair[1]);
        assert!(
            a.mean_response > b.mean_response,
            "{} ({}) should be slower than {} ({})",
            worse.name(),
            a.mean_response,
            better.name(),
            b.mean_response
        );
    }
    let response = |p: Policy| &results.iter().find(|(q, _)| *q == p).unwrap().1;

    // Random split of a Poisson stream: N independent M/M/1 at λ/N, exactly.
    let r = response(Policy::Random);
    let exact = dispatch::random_response(servers, lambda, 1.0).unwrap();
    let (z, ok) = within(r.mean_response, exact, r.mean_response_stderr.unwrap());
    assert!(ok, "random: {} vs M/M/1 {exact} (z = {z:.2})", r.mean_response);

    // Round-robin: E_N/M/1 per server, exact by GI/M/1 theory.
    let r = response(Policy::RoundRobin);
    let exact = dispatch::round_robin_response(servers, lambda, 1.0).unwrap();
    let (z, ok) = within(r.mean_response, exact, r.mean_response_stderr.unwrap());
    assert!(ok, "round-robin: {} vs E_N/M/1 {exact} (z = {z:.2})", r.mean_response);

    // No dispatcher beats one shared line (M/M/c); leastconn comes close.
    let pooled = dispatch::pooled_response(servers, lambda, 1.0).unwrap();
    let r = response(Policy::LeastConn);
    assert!(r.mean_response > pooled, "leastconn {} beat M/M/c {pooled}", r.mean_response);
    assert!(
        r.mean_response < 1.25 * pooled,
        "leastconn {} far from M/M/c {pooled}",
        r.mean_response
    );

    // Random-of-two with few servers sits above its many-server limit.
    let limit = dispatch::random_of_two_limit(servers, lambda, 1.0).unwrap();
    let r = response(Policy::RandomOfTwo);
    assert!(r.mean_response > limit, "random2 {} below its limit {limit}", r.mean_response);
}

#[test]
fn random_of_two_approaches_its_many_server_limit() {
    // Mitzenmacher's mean-field value is exact as N → ∞; at N = 100 the
    // finite-size gap is about 1%.
    let (servers, load) = (100, 0.9);
    let r = balance(Policy::RandomOfTwo, servers, load);
    let limit = dispatch::random_of_two_limit(servers, load * f64::from(servers), 1.0).unwrap();
    let gap = r.mean_response / limit - 1.0;
    eprintln!(
        "random2 N=100 ρ=0.9: {:.4} vs limit {limit:.4} ({:+.2}%)",
        r.mean_response,
        gap * 100.0
    );
    assert!(gap.abs() < 0.05, "random2 {} vs limit {limit}", r.mean_response);
}
