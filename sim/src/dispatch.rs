//! A dispatcher in front of N single-server queues: load-balancer algorithms
//! as queueing theory sees them.
//!
//! Why it exists: the whiteboard's HAProxy offers round-robin, leastconn and
//! random-of-two, and the app claims they differ. This module isolates the
//! algorithm from everything else (no TLS, no firewalls, no database), so
//! the claim can be checked against theory: Poisson arrivals (rate `λ`) are
//! sent at once to one of `servers` identical FIFO servers (rate `μ` each),
//! and never move afterwards.
//!
//! What theory says, best to worst mean response time at high load:
//! - [`Policy::LeastConn`] (join the shortest queue) is close to the ideal of
//!   one shared line (M/M/c), which bounds it from below.
//! - [`Policy::RandomOfTwo`] (sample two, join the shorter) gets most of that
//!   gain; as N grows its mean response tends to `Σᵢ ρ^(2ⁱ−2) / μ`
//!   (Mitzenmacher's "power of two choices").
//! - [`Policy::RoundRobin`] makes each server see Erlang-N gaps, an E_N/M/1
//!   queue with an exact answer ([`round_robin_response`]).
//! - [`Policy::Random`] splits the Poisson stream into N independent M/M/1
//!   queues at `λ/N`: exactly `1/(μ − λ/N)` ([`random_response`]).

use crate::queue::EventQueue;
use crate::rng::{draw_ns, Exponential, Rng};
use crate::time::SimTime;
use std::collections::VecDeque;

/// How the dispatcher picks a server for each arriving request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Any server, uniformly at random.
    Random,
    /// Servers in turn: 0, 1, …, N−1, 0, …
    RoundRobin,
    /// Two distinct servers at random; the one with fewer requests wins.
    RandomOfTwo,
    /// The server with the fewest requests (ties: next in turn).
    LeastConn,
}

impl Policy {
    /// Every policy, worst to best at high load.
    pub const ALL: [Policy; 4] =
        [Policy::Random, Policy::RoundRobin, Policy::RandomOfTwo, Policy::LeastConn];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Random => "random",
            Policy::RoundRobin => "roundrobin",
            Policy::RandomOfTwo => "random2",
            Policy::LeastConn => "leastconn",
        }
    }
}

/// What to simulate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DispatchParams {
    /// How requests are spread.
    pub policy: Policy,
    /// Number of single-server queues behind the dispatcher (1 to 100,000).
    pub servers: u32,
    /// Mean arrivals per simulated second at the dispatcher, `λ`.
    pub arrival_rate: f64,
    /// Mean services per simulated second of each server, `μ`.
    pub service_rate: f64,
    /// How many requests arrive before the run drains.
    pub customers: u64,
    /// Fixes every random draw.
    pub seed: u64,
}

/// What a run measured. Times are in simulated seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct DispatchReport {
    /// Requests served.
    pub customers: u64,
    /// Mean time from arrival to the end of service.
    pub mean_response: f64,
    /// Standard error of `mean_response` by batch means (see
    /// [`crate::mmc::MmcReport::mean_wait_stderr`]). `None` below 100 requests.
    pub mean_response_stderr: Option<f64>,
    /// Mean time spent waiting behind other requests.
    pub mean_wait: f64,
    /// Events processed: one arrival and one departure per request.
    pub events: u64,
    /// Requests each server handled.
    pub per_server: Vec<u64>,
}

#[derive(Clone, Copy, Debug)]
enum Happening {
    Arrival,
    Departure { server: u32 },
}

/// One single-server FIFO queue: arrival times of the requests it holds,
/// the head being the one in service.
#[derive(Clone, Debug, Default)]
struct Server {
    holding: VecDeque<SimTime>,
    handled: u64,
}

/// Runs the dispatcher to completion.
pub fn run(params: &DispatchParams) -> Result<DispatchReport, crate::mmc::ParamError> {
    let mut problems = Vec::new();
    if params.servers == 0 || params.servers > 100_000 {
        problems.push(format!("servers must be 1 to 100000, got {}", params.servers));
    }
    for (name, rate) in
        [("arrival-rate", params.arrival_rate), ("service-rate", params.service_rate)]
    {
        if !(rate.is_finite() && rate > 0.0 && rate <= 1e9) {
            problems.push(format!("{name} must be a number above 0 and at most 1e9, got {rate}"));
        }
    }
    if params.customers == 0 || params.customers > 10_000_000_000 {
        problems.push(format!("customers must be 1 to 10000000000, got {}", params.customers));
    }
    // Integer nanoseconds must not run out (u64 lasts 584 years).
    let span_s = params.customers as f64 / params.arrival_rate + 50.0 / params.service_rate;
    if problems.is_empty() && span_s > 1e9 {
        problems.push(format!(
            "customers / arrival-rate is about {span_s:.3e} simulated seconds, above the 1e9 limit"
        ));
    }
    if !problems.is_empty() {
        return Err(crate::mmc::ParamError(problems.join("; ")));
    }

    let n = params.servers;
    let mut rng = Rng::new(params.seed);
    let exp = Exponential::shared();
    let mean_gap_ns = 1e9 / params.arrival_rate;
    let mean_service_ns = 1e9 / params.service_rate;
    let mut servers: Vec<Server> =
        (0..n).map(|_| Server { holding: VecDeque::with_capacity(64), handled: 0 }).collect();
    let mut queue: EventQueue<Happening> = EventQueue::default();
    let mut turn = 0u32;
    let mut arrived = 0u64;
    let mut events = 0u64;
    let mut response_ns: u128 = 0;
    let mut service_ns: u128 = 0;
    // Responses in the order they complete.
    let mut batches = crate::mmc::BatchMeans::new(params.customers);

    queue.push(SimTime(draw_ns(exp, &mut rng, mean_gap_ns)), Happening::Arrival);
    while let Some((now, happening)) = queue.pop() {
        events += 1;
        match happening {
            Happening::Arrival => {
                arrived += 1;
                let pick = choose(params.policy, &servers, &mut turn, &mut rng);
                let server = &mut servers[pick as usize];
                server.holding.push_back(now);
                if server.holding.len() == 1 {
                    let service = draw_ns(exp, &mut rng, mean_service_ns);
                    service_ns += u128::from(service);
                    queue.push(now.plus_nanos(service), Happening::Departure { server: pick });
                }
                if arrived < params.customers {
                    queue.push(
                        now.plus_nanos(draw_ns(exp, &mut rng, mean_gap_ns)),
                        Happening::Arrival,
                    );
                }
            }
            Happening::Departure { server: index } => {
                let server = &mut servers[index as usize];
                let since = server.holding.pop_front().expect("a departing server holds a request");
                server.handled += 1;
                response_ns += u128::from(now.0 - since.0);
                batches.add((now.0 - since.0) as f64);
                if !server.holding.is_empty() {
                    let service = draw_ns(exp, &mut rng, mean_service_ns);
                    service_ns += u128::from(service);
                    queue.push(now.plus_nanos(service), Happening::Departure { server: index });
                }
            }
        }
    }

    let count = params.customers as f64;
    let mean_response = response_ns as f64 / count / 1e9;
    Ok(DispatchReport {
        customers: params.customers,
        mean_response,
        mean_response_stderr: batches.stderr().map(|ns| ns / 1e9),
        mean_wait: mean_response - service_ns as f64 / count / 1e9,
        events,
        per_server: servers.iter().map(|s| s.handled).collect(),
    })
}

/// The dispatcher's decision for one request.
fn choose(policy: Policy, servers: &[Server], turn: &mut u32, rng: &mut Rng) -> u32 {
    let n = servers.len() as u32;
    let load = |i: u32| servers[i as usize].holding.len();
    match policy {
        Policy::Random => rng.below(n),
        Policy::RoundRobin => {
            let pick = *turn;
            *turn = (*turn + 1) % n;
            pick
        }
        Policy::RandomOfTwo => {
            if n == 1 {
                return 0;
            }
            let a = rng.below(n);
            let mut b = rng.below(n - 1);
            if b >= a {
                b += 1;
            }
            if load(b) < load(a) {
                b
            } else {
                a
            }
        }
        Policy::LeastConn => {
            // Scan from the round-robin cursor so ties rotate instead of
            // always landing on server 0.
            let start = *turn;
            *turn = (*turn + 1) % n;
            let mut best = start;
            for step in 1..n {
                let i = (start + step) % n;
                if load(i) < load(best) {
                    best = i;
                }
            }
            best
        }
    }
}

/// Exact mean response of [`Policy::Random`]: N independent M/M/1 queues,
/// each fed a Poisson stream of `λ/N`. `None` when overloaded.
pub fn random_response(servers: u32, arrival_rate: f64, service_rate: f64) -> Option<f64> {
    let per_server = arrival_rate / f64::from(servers);
    (per_server < service_rate).then(|| 1.0 / (service_rate - per_server))
}

/// Exact mean response of [`Policy::RoundRobin`]: each server is an E_N/M/1
/// queue (its gaps are sums of N exponential gaps of rate `λ`). GI/M/1
/// theory: `T = 1 / (μ (1 − σ))` where `σ` is the root in (0, 1) of
/// `σ = (λ / (λ + μ (1 − σ)))^N`. `None` when overloaded.
pub fn round_robin_response(servers: u32, arrival_rate: f64, service_rate: f64) -> Option<f64> {
    if arrival_rate >= f64::from(servers) * service_rate {
        return None;
    }
    // Fixed-point iteration from 0 climbs monotonically to the root below 1.
    let mut sigma = 0.0f64;
    for _ in 0..100_000 {
        let next =
            (arrival_rate / (arrival_rate + service_rate * (1.0 - sigma))).powi(servers as i32);
        if (next - sigma).abs() < 1e-15 {
            sigma = next;
            break;
        }
        sigma = next;
    }
    Some(1.0 / (service_rate * (1.0 - sigma)))
}

/// Mean response of [`Policy::RandomOfTwo`] in the limit of many servers
/// (mean-field): `Σᵢ≥1 ρ^(2ⁱ−2) / μ`. Finite N does a little worse.
pub fn random_of_two_limit(servers: u32, arrival_rate: f64, service_rate: f64) -> Option<f64> {
    let rho = arrival_rate / (f64::from(servers) * service_rate);
    if rho >= 1.0 {
        return None;
    }
    let mut total = 0.0;
    let mut exponent = 0.0f64; // 2^i − 2 for i = 1, 2, …
    let mut power_of_two = 2.0f64;
    loop {
        let term = rho.powf(exponent);
        total += term;
        if term < 1e-16 || exponent > 1e6 {
            break;
        }
        power_of_two *= 2.0;
        exponent = power_of_two - 2.0;
    }
    Some(total / service_rate)
}

/// Mean response of one shared line feeding all servers (M/M/c, Erlang C):
/// no dispatcher that commits requests on arrival can beat it.
pub fn pooled_response(servers: u32, arrival_rate: f64, service_rate: f64) -> Option<f64> {
    crate::mmc::erlang_c_wait(servers, arrival_rate, service_rate).map(|w| w + 1.0 / service_rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_robin_with_one_server_is_plain_mm1() {
        let t = round_robin_response(1, 0.8, 1.0).unwrap();
        assert!((t - 5.0).abs() < 1e-9, "{t}");
    }

    #[test]
    fn random_of_two_limit_at_low_load_is_about_one_service() {
        let t = random_of_two_limit(100, 1.0, 1.0).unwrap();
        assert!((t - 1.0).abs() < 1e-3, "{t}");
    }

    #[test]
    fn every_request_is_served_once() {
        for policy in Policy::ALL {
            let p = DispatchParams {
                policy,
                servers: 5,
                arrival_rate: 4.0,
                service_rate: 1.0,
                customers: 5_000,
                seed: 3,
            };
            let r = run(&p).unwrap();
            assert_eq!(r.per_server.iter().sum::<u64>(), 5_000, "{policy:?}");
            assert_eq!(r.events, 10_000, "{policy:?}");
        }
    }
}
