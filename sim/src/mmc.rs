//! A plain M/M/c queue on the simulation's own engine.
//!
//! Why it exists: it is the yardstick. Its answers are known in closed form
//! (Erlang C), so it checks that the engine ([`EventQueue`] + [`Rng`] over
//! integer nanoseconds) gets queueing right, and it is the model we race
//! against SimPy in `bench/vs-simpy`.
//!
//! Customers arrive as a Poisson stream (rate `arrival_rate`), wait in one
//! FIFO line and are served by the first of `servers` identical servers to be
//! free, each with exponential service times (rate `service_rate`). Rates are
//! per simulated second; every time reported is in simulated seconds.
//!
//! Exactly `customers` customers arrive; the run then drains, so the event
//! count is exactly two per customer (one arrival, one departure). The loop
//! allocates nothing per event: the future-event list holds at most
//! `servers` departures (the one next arrival is kept beside it) and the
//! waiting line is a ring buffer that only grows
//! when the line is longer than it has ever been.

use crate::queue::EventQueue;
use crate::rng::{draw_ns, Exponential, Rng};
use crate::time::SimTime;
use std::collections::VecDeque;
use std::fmt;

/// What to simulate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MmcParams {
    /// Number of identical servers, `c` (1 to 1,000,000).
    pub servers: u32,
    /// Mean arrivals per simulated second, `λ`.
    pub arrival_rate: f64,
    /// Mean services per simulated second per server, `μ`.
    pub service_rate: f64,
    /// How many customers arrive before the run drains.
    pub customers: u64,
    /// Fixes every random draw.
    pub seed: u64,
}

/// Why parameters of a theory model (this M/M/c queue, or the `dispatch`
/// module's dispatcher, which builds on it) were refused: every problem,
/// joined into one sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamError(pub String);

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParamError {}

/// What a run measured. Times are in simulated seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MmcReport {
    /// Customers served (equals `customers` asked for).
    pub customers: u64,
    /// Mean time a customer waited in line before service began.
    pub mean_wait: f64,
    /// Mean time a customer spent in the system (wait + service).
    pub mean_in_system: f64,
    /// Time-average number of customers in the system (Little's `L`).
    pub mean_number_in_system: f64,
    /// Share of server time spent serving, over the whole run.
    pub utilization: f64,
    /// Events the engine processed: one arrival and one departure per customer.
    pub events: u64,
    /// Simulated time when the last customer left.
    pub sim_seconds: f64,
    /// Longest the waiting line ever got.
    pub max_line: usize,
    /// Standard error of `mean_wait`, by batch means (the run cut into 50
    /// consecutive batches of customers): how far `mean_wait` may be from
    /// the true mean by chance alone. `None` below 100 customers.
    pub mean_wait_stderr: Option<f64>,
    /// Share of customers who found every server busy and had to wait.
    pub waited_share: f64,
    /// The mean wait again, estimated from what each arrival found rather
    /// than from the waits it then had: someone who finds `q` people in line
    /// and all `c` servers busy waits `(q + 1) / (c μ)` on average. Same
    /// quantity as `mean_wait`, much less noise when few customers wait
    /// (conditional Monte Carlo), so it checks the engine's queue dynamics.
    pub mean_wait_from_line: f64,
}

/// The two kinds of event: departures are queued, the one next arrival
/// waits beside the queue.
#[derive(Clone, Copy, Debug)]
enum Happening {
    /// The next customer walks in.
    Arrival,
    /// Some busy server finishes its customer.
    Departure,
}

impl MmcParams {
    /// Checks the parameters; every problem is listed.
    pub fn validate(&self) -> Result<(), ParamError> {
        let mut problems = Vec::new();
        if self.servers == 0 || self.servers > 1_000_000 {
            problems.push(format!("servers must be 1 to 1000000, got {}", self.servers));
        }
        for (name, rate) in
            [("arrival-rate", self.arrival_rate), ("service-rate", self.service_rate)]
        {
            if !(rate.is_finite() && rate > 0.0 && rate <= 1e9) {
                problems
                    .push(format!("{name} must be a number above 0 and at most 1e9, got {rate}"));
            }
        }
        if self.customers == 0 || self.customers > 10_000_000_000 {
            problems.push(format!("customers must be 1 to 10000000000, got {}", self.customers));
        }
        // Integer nanoseconds must not run out (u64 lasts 584 years).
        let span_s = self.customers as f64 / self.arrival_rate + 50.0 / self.service_rate;
        if problems.is_empty() && span_s > 1e9 {
            problems.push(format!(
                "customers / arrival-rate is about {span_s:.3e} simulated seconds, above the 1e9 limit"
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ParamError(problems.join("; ")))
        }
    }

    /// Offered load per server, `ρ = λ / (c μ)`.
    pub fn load(&self) -> f64 {
        self.arrival_rate / (f64::from(self.servers) * self.service_rate)
    }
}

/// Runs the queue to completion.
///
/// An overloaded queue (`ρ ≥ 1`) is allowed: it has no steady state, so the
/// line just keeps growing, but the run still ends after `customers`.
pub fn run(params: &MmcParams) -> Result<MmcReport, ParamError> {
    params.validate()?;
    let mut rng = Rng::new(params.seed);
    let exp = Exponential::shared();
    let mean_gap_ns = 1e9 / params.arrival_rate;
    let mean_service_ns = 1e9 / params.service_rate;
    let servers = u64::from(params.servers);

    let mut queue: EventQueue<()> = EventQueue::with_capacity(params.servers as usize);
    let mut line: VecDeque<SimTime> = VecDeque::with_capacity(1024);
    let mut now = SimTime::ZERO;
    let mut arrived = 0u64;
    let mut busy = 0u64;
    let mut events = 0u64;
    let mut max_line = 0usize;
    // Sums in nanoseconds; u128 so a long run cannot overflow.
    let mut wait_ns: u128 = 0;
    let mut service_ns: u128 = 0;
    // Integral of (customers in system) dt, for Little's L.
    let mut area: u128 = 0;
    let mut in_system = 0u64;
    // Customers who had to wait, and the sum of (line ahead of them + 1).
    let mut waited = 0u64;
    let mut ahead_plus_one: u128 = 0;
    // Waits in service order, which is arrival order (FIFO).
    let mut batches = BatchMeans::new(params.customers);

    // The next arrival waits in a field, not in the queue (as in the full
    // model): there is only ever one, so the queue holds departures alone
    // and does half the work. At equal times the queued departure goes
    // first, as in the full model.
    let mut next_arrival = Some(now.plus_nanos(draw_ns(exp, &mut rng, mean_gap_ns)));
    loop {
        let (at, happening) = match (next_arrival, queue.peek_time()) {
            (Some(a), Some(d)) if d <= a => (queue.pop().expect("peeked").0, Happening::Departure),
            (Some(a), _) => {
                next_arrival = None;
                (a, Happening::Arrival)
            }
            (None, Some(_)) => (queue.pop().expect("peeked").0, Happening::Departure),
            (None, None) => break,
        };
        events += 1;
        area += u128::from(in_system) * u128::from(at.0 - now.0);
        now = at;
        match happening {
            Happening::Arrival => {
                arrived += 1;
                in_system += 1;
                if busy < servers {
                    busy += 1;
                    batches.add(0.0);
                    let service = draw_ns(exp, &mut rng, mean_service_ns);
                    service_ns += u128::from(service);
                    queue.push(now.plus_nanos(service), ());
                } else {
                    waited += 1;
                    ahead_plus_one += line.len() as u128 + 1;
                    line.push_back(now);
                    max_line = max_line.max(line.len());
                }
                if arrived < params.customers {
                    next_arrival = Some(now.plus_nanos(draw_ns(exp, &mut rng, mean_gap_ns)));
                }
            }
            Happening::Departure => {
                in_system -= 1;
                // The freed server takes the head of the line, if any.
                if let Some(since) = line.pop_front() {
                    wait_ns += u128::from(now.0 - since.0);
                    batches.add((now.0 - since.0) as f64);
                    let service = draw_ns(exp, &mut rng, mean_service_ns);
                    service_ns += u128::from(service);
                    queue.push(now.plus_nanos(service), ());
                } else {
                    busy -= 1;
                }
            }
        }
    }

    let n = params.customers as f64;
    let end_ns = now.0.max(1) as f64;
    let mean_wait = wait_ns as f64 / n / 1e9;
    let mean_service = service_ns as f64 / n / 1e9;
    Ok(MmcReport {
        customers: params.customers,
        mean_wait,
        mean_in_system: mean_wait + mean_service,
        mean_number_in_system: area as f64 / end_ns,
        utilization: service_ns as f64 / (servers as f64 * end_ns),
        events,
        sim_seconds: now.as_secs_f64(),
        max_line,
        mean_wait_stderr: batches.stderr().map(|ns| ns / 1e9),
        waited_share: waited as f64 / n,
        mean_wait_from_line: ahead_plus_one as f64 / n / (servers as f64 * params.service_rate),
    })
}

/// Batch means: the classic way to put an error bar on the mean of a
/// correlated series (waits of successive customers are far from
/// independent). Fixed size, so it allocates nothing per event.
#[derive(Clone, Debug)]
pub(crate) struct BatchMeans {
    sums: [f64; BatchMeans::BATCHES],
    per_batch: u64,
    /// Index of the batch being filled (`BATCHES` once all are full).
    batch: usize,
    /// Values still to go into the current batch.
    left_in_batch: u64,
}

impl BatchMeans {
    const BATCHES: usize = 50;

    /// Ready for a series of exactly `total` values.
    pub(crate) fn new(total: u64) -> BatchMeans {
        let per_batch = (total / Self::BATCHES as u64).max(1);
        BatchMeans { sums: [0.0; Self::BATCHES], per_batch, batch: 0, left_in_batch: per_batch }
    }

    /// The next value of the series.
    #[inline]
    pub(crate) fn add(&mut self, value: f64) {
        // Values past the last full batch only count in the overall mean.
        if let Some(sum) = self.sums.get_mut(self.batch) {
            *sum += value;
            self.left_in_batch -= 1;
            if self.left_in_batch == 0 {
                self.batch += 1;
                self.left_in_batch = self.per_batch;
            }
        }
    }

    /// Standard error of the series' mean, if there were enough values.
    pub(crate) fn stderr(&self) -> Option<f64> {
        if self.per_batch < 2 || self.batch < Self::BATCHES {
            return None;
        }
        let b = Self::BATCHES as f64;
        let means = self.sums.map(|s| s / self.per_batch as f64);
        let grand = means.iter().sum::<f64>() / b;
        let var = means.iter().map(|m| (m - grand).powi(2)).sum::<f64>() / (b - 1.0);
        Some((var / b).sqrt())
    }
}

/// Erlang C: the probability that an arrival has to wait in an M/M/c queue
/// with offered load `a = λ/μ` Erlangs. `None` when `a ≥ c` (no steady state).
pub fn erlang_c(servers: u32, offered: f64) -> Option<f64> {
    let c = f64::from(servers);
    if servers == 0 || offered.is_nan() || offered < 0.0 || offered >= c {
        return None;
    }
    // Erlang B by its stable recursion, then C from B.
    let mut b = 1.0;
    for k in 1..=servers {
        b = offered * b / (f64::from(k) + offered * b);
    }
    Some(c * b / (c - offered * (1.0 - b)))
}

/// The analytic mean wait in line of an M/M/c queue, in seconds.
/// `None` when the queue is overloaded (`λ ≥ c μ`).
pub fn erlang_c_wait(servers: u32, arrival_rate: f64, service_rate: f64) -> Option<f64> {
    let p_wait = erlang_c(servers, arrival_rate / service_rate)?;
    Some(p_wait / (f64::from(servers) * service_rate - arrival_rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_matches_textbook_values() {
        // M/M/1: P(wait) = ρ.
        assert!((erlang_c(1, 0.7).unwrap() - 0.7).abs() < 1e-12);
        // M/M/2 with a = 1: C = 1/3.
        assert!((erlang_c(2, 1.0).unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(erlang_c(4, 4.0), None);
    }

    #[test]
    fn bad_parameters_are_refused_with_every_reason() {
        let p = MmcParams {
            servers: 0,
            arrival_rate: f64::NAN,
            service_rate: 1.0,
            customers: 0,
            seed: 1,
        };
        let message = run(&p).unwrap_err().0;
        assert!(message.contains("servers"), "{message}");
        assert!(message.contains("arrival-rate"), "{message}");
        assert!(message.contains("customers"), "{message}");
    }

    #[test]
    fn two_events_per_customer_and_same_seed_same_answer() {
        let p = MmcParams {
            servers: 3,
            arrival_rate: 2.4,
            service_rate: 1.0,
            customers: 10_000,
            seed: 9,
        };
        let a = run(&p).unwrap();
        assert_eq!(a.events, 20_000);
        assert_eq!(a, run(&p).unwrap());
        assert_ne!(a, run(&MmcParams { seed: 10, ..p }).unwrap());
    }
}
