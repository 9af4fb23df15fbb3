//! A request's way through the infrastructure, one queued step at a time:
//! arrival (user or attack), the load balancer, the web server (Nginx then
//! the app), MySQL, then the answer or the drop, with the metrics each step
//! counts. The network between two steps is `travel.rs`.

use super::pending::{PackedReason, Pending, Req, NONE16, NONE8};
use super::pools::Place;
use super::Simulation;
use crate::database::Role;
use crate::dns::Lookup;
use crate::event::{DropReason, Event, RequestKind};
use crate::histogram::Bucket;
use crate::scenario::{PairMode, ReadPolicy};
use crate::time::SimTime;
use crate::tls;
use std::sync::Arc;

/// Requests per simulated second the animation stream aims at.
const SAMPLED_PER_SECOND: f64 = 500.0;

impl Simulation {
    #[inline(always)]
    pub(super) fn service_ns(&mut self, mean_ms: f64) -> u64 {
        // Through i64: one conversion instruction (u64 takes several);
        // durations stay far below 2^63 ns.
        self.rng.exp(mean_ms * 1e6) as i64 as u64
    }

    /// How long a box may make a job wait: the load balancer's timeout.
    pub(super) fn timeout_ns(&self) -> u64 {
        u64::from(self.topo.scenario.load_balancer.timeout_ms) * 1_000_000
    }

    /// Picks "1 dot = N requests" (1, 2, 5, 10, 20 …) so that about
    /// `SAMPLED_PER_SECOND` requests a second are shown.
    pub(super) fn update_sampling(&mut self) {
        let rate = self.traffic.rate_qps + self.traffic.attack_qps;
        let mut n = 1u64;
        let steps = [2, 5, 10];
        let mut k = 0;
        let mut base = 1u64;
        while rate / n as f64 > SAMPLED_PER_SECOND {
            n = base * steps[k];
            k += 1;
            if k == steps.len() {
                k = 0;
                base *= 10;
            }
        }
        self.sample_every = n;
    }

    /// Draws when the next user request arrives.
    pub(super) fn schedule_arrival(&mut self) {
        let gap = self.traffic.next_gap_ns(&mut self.rng);
        self.next_arrival = self.now.plus_nanos(gap);
    }

    /// Queues the next attack request, unless one is queued or there is no
    /// attack traffic.
    pub(super) fn schedule_attack(&mut self) {
        if self.attack_scheduled {
            return;
        }
        if let Some(gap) = self.traffic.next_attack_gap_ns(&mut self.rng) {
            self.attack_scheduled = true;
            self.queue.push(self.now.plus_nanos(gap), Pending::AttackArrival);
        }
    }

    fn new_req(&mut self, kind: RequestKind, resumed: bool) -> Req {
        let id = self.next_request;
        self.next_request += 1;
        Req {
            id,
            start: self.now,
            kind,
            resumed,
            sampled: id.is_multiple_of(self.sample_every),
            lb: 0,
            backend: NONE16,
            app: NONE16,
            db: NONE8,
            epoch: 0,
            db_epoch: 0,
        }
    }

    /// A user request starts: DNS lookup (if the layout has a resolver),
    /// then the Internet to the load balancer on 443.
    pub(super) fn user_arrival(&mut self) {
        let (kind, resumed) = self.traffic.draw(&mut self.rng);
        let mut req = self.new_req(kind, resumed);
        self.metrics.requests += 1;
        self.metrics.current.requests += 1;
        let (user, wan) = (self.topo.user, self.topo.internet_ns);
        let mut depart = self.now;
        if let Some(dns) = self.topo.dns {
            let live = self.dns_records();
            let lookup = self.dns.lookup(&mut self.rng, self.now, self.node_up[dns], live);
            let (delay, hit, failed) = match lookup {
                Lookup::Answered { delay_ns, hit, address } => {
                    req.lb = address;
                    (delay_ns, hit, false)
                }
                Lookup::Failed { delay_ns } => (delay_ns, false, true),
            };
            depart = self.now.plus_nanos(delay);
            if req.sampled {
                self.emit(Event::DnsLookup {
                    request: req.id,
                    user,
                    dns,
                    depart: self.now,
                    arrive: depart,
                    cache_hit: hit,
                });
            }
            if failed {
                self.queue.push(
                    depart,
                    Pending::Drop(req, dns as u16, PackedReason::pack(DropReason::DnsFailure)),
                );
                return;
            }
        }
        // To the address the user resolved: the VIP's holder in an
        // active-passive pair, the only load balancer without a pair.
        let lb = self.lb_of(req.lb).node;
        let wan = wan / 2 + self.rng.range_ns(0, wan.max(1));
        if let Some(at) = self.travel(req, user, lb, depart, 443, true, wan) {
            self.queue.push(at, Pending::AtLb(req));
        }
    }

    /// An attack request starts from the Internet towards its target port.
    pub(super) fn attack_arrival(&mut self) {
        let req = self.new_req(RequestKind::Attack, false);
        self.metrics.attacks += 1;
        let port = self.traffic.attack_port;
        let topo = Arc::clone(&self.topo);
        // 3306 aims at the MySQL primary's box; anything else at the edge.
        let target = match port {
            3306 => self.primary_node().unwrap_or(self.lb.node),
            _ => self.lb.node,
        };
        let wan = topo.internet_ns;
        if let Some(at) = self.travel(req, topo.user, target, self.now, port, port == 443, wan) {
            self.queue.push(at, Pending::AttackReach(req, target as u16, port));
        }
    }

    /// An attack request reaches its target port on `node`.
    pub(super) fn attack_reach(&mut self, req: Req, node: usize, port: u16) {
        if self.node_up[node] {
            self.metrics.attacks_reached += 1;
            self.metrics.current.attacks_reached += 1;
            if req.sampled {
                self.emit(Event::AttackReached { request: req.id, at: self.now, node, port });
            }
        } else {
            self.drop_request(req, node, DropReason::NodeDown);
        }
    }

    /// The request reaches the load balancer: its CPU (TLS termination in
    /// terminate and re-encrypt modes), the pick of a backend, the way there.
    pub(super) fn at_lb(&mut self, mut req: Req) {
        let (lb, slot) = (self.lb_of(req.lb).node, self.lb_of(req.lb).slot);
        if !self.box_up(lb) {
            let reason = match self.pair.as_ref().map(|p| p.spec.mode) {
                None => DropReason::NodeDown,
                Some(PairMode::ActivePassive) => DropReason::VipOnDeadMaster,
                Some(PairMode::ActiveActive) => DropReason::PinnedToDeadLb,
            };
            return self.drop_request(req, lb, reason);
        }
        self.metrics.current.qps[slot] += 1;
        self.boxes[slot].requests_since_sample += 1;
        let svc = self.topo.scenario.service;
        let mean = if tls::lb_sees_http(self.tls) { svc.lb_ms } else { svc.lb_ms / 2.0 };
        let cost = self.service_ns(mean) + tls::lb_cost_ns(self.tls, req.resumed);
        let timeout = self.timeout_ns();
        let Some(done) = self.boxes[slot].run(self.now, cost, timeout) else {
            return self.drop_request(req, lb, DropReason::Timeout);
        };
        let (balancer, rng) = self.lb_and_rng(req.lb);
        let Some(b) = balancer.pick(rng) else {
            self.queue.push(
                done,
                Pending::Drop(req, lb as u16, PackedReason::pack(DropReason::NoHealthyBackend)),
            );
            return;
        };
        req.backend = b as u16;
        balancer.backends[b].active += 1;
        let (server, server_slot) = (balancer.backends[b].node, balancer.backends[b].slot);
        self.metrics.current.qps[server_slot] += 1;
        let lan = self.topo.lan_ns;
        let port = tls::backend_port(self.tls);
        let enc = tls::backend_encrypted(self.tls);
        if let Some(at) = self.travel(req, lb, server, done, port, enc, lan / 2) {
            self.queue.push(at, Pending::AtServer(req));
        }
    }

    fn backend_node(&self, req: &Req) -> usize {
        self.lb.backends[req.backend as usize].node
    }

    fn backend_slot(&self, req: &Req) -> usize {
        self.lb.backends[req.backend as usize].slot
    }

    /// The request reaches a web server: Nginx (plus TLS in re-encrypt and
    /// passthrough modes), then, where the app runs on the same box, the
    /// app on the same core right after, and the app's query leaves for
    /// MySQL; a web box of split tiers hands the request to an app box.
    pub(super) fn at_server(&mut self, mut req: Req) {
        let web = self.backend_place(req.backend as usize);
        if !self.place_up(web) {
            return self.drop_request(req, web.node, DropReason::NodeDown);
        }
        req.epoch = self.place_epoch(web);
        self.boxes[web.slot].requests_since_sample += 1;
        let svc = self.topo.scenario.service;
        let nginx = self.service_ns(svc.nginx_ms) + tls::server_cost_ns(self.tls, req.resumed);
        let timeout = self.timeout_ns();
        if !self.topo.runs_app[web.node] {
            let Some(done) = self.run_on(web, self.now, nginx, timeout) else {
                return self.drop_request(req, web.node, DropReason::Timeout);
            };
            return self.send_to_app_tier(req, web.node, done);
        }
        let app = self.service_ns(self.app_mean_ms(&req));
        // Nginx hands the request to the app on the same core: one job.
        let Some(done) = self.run_on(web, self.now, nginx + app, timeout) else {
            return self.drop_request(req, web.node, DropReason::Timeout);
        };
        self.send_to_database(req, web.node, done);
    }

    /// The app's mean CPU time for this request.
    pub(super) fn app_mean_ms(&self, req: &Req) -> f64 {
        let svc = &self.topo.scenario.service;
        if req.kind == RequestKind::Write {
            svc.app_write_ms
        } else {
            svc.app_read_ms
        }
    }

    /// The app on `app_node` decides where its query goes when it starts
    /// (`done`) and sends it there: the primary for a write, a replica (or
    /// the primary) for a read.
    pub(super) fn send_to_database(&mut self, mut req: Req, app_node: usize, done: SimTime) {
        let target = if req.kind == RequestKind::Write {
            let p = self.db.primary;
            (self.instance_up(p) && self.db.instances[p].role == Role::Primary).then_some(p)
        } else {
            let replica = match self.read_policy {
                ReadPolicy::Replica => self.db.pick_replica(app_node, &self.node_up),
                ReadPolicy::Primary => None,
            };
            replica.or_else(|| {
                let p = self.db.primary;
                self.instance_up(p).then_some(p)
            })
        };
        let Some(target) = target else {
            let reason = if req.kind == RequestKind::Write {
                DropReason::PrimaryDown
            } else {
                DropReason::NoDatabase
            };
            self.queue.push(done, Pending::Drop(req, app_node as u16, PackedReason::pack(reason)));
            return;
        };
        req.db = target as u8;
        let host = self.db.instances[target].node;
        if host == app_node {
            self.queue.push(done, Pending::AtDb(req));
            return;
        }
        let lan = self.topo.lan_ns;
        let enc = self.topo.scenario.database.tls;
        if let Some(at) = self.travel(req, app_node, host, done, 3306, enc, lan / 2) {
            self.queue.push(at, Pending::AtDb(req));
        }
    }

    /// The box the request is on now (the app box of split tiers once it
    /// got there, else its web box).
    fn holder(&self, req: &Req) -> Place {
        if req.app != NONE16 {
            self.app_tier.boxes[req.app as usize]
        } else {
            self.backend_place(req.backend as usize)
        }
    }

    fn server_still_has(&self, req: &Req) -> bool {
        let at = self.holder(req);
        self.place_up(at) && self.place_epoch(at) == req.epoch
    }

    /// The query reaches MySQL: refused if the instance is down (or not the
    /// primary, for a write), else queued on its box's CPU.
    pub(super) fn at_db(&mut self, mut req: Req) {
        if !self.server_still_has(&req) {
            // The app's box died while Nginx or the app had the request.
            let node = self.holder(&req).node;
            return self.drop_request(req, node, DropReason::NodeDown);
        }
        let i = req.db as usize;
        let host = self.db.instances[i].node;
        let writes = req.kind == RequestKind::Write;
        let refused = if writes { DropReason::PrimaryDown } else { DropReason::NoDatabase };
        if !self.instance_up(i) || (writes && self.db.instances[i].role != Role::Primary) {
            return self.drop_request(req, host, refused);
        }
        req.db_epoch = self.instance_epoch(i) as u16;
        let slot = self.db.instances[i].slot;
        let svc = self.topo.scenario.service;
        let cost = self.service_ns(if writes { svc.mysql_write_ms } else { svc.mysql_read_ms });
        let timeout = self.timeout_ns();
        match self.boxes[slot].run(self.now, cost, timeout) {
            Some(done) => self.queue.push(done, Pending::DbDone(req)),
            None => self.drop_request(req, host, DropReason::Timeout),
        }
    }

    /// MySQL finished the query: the write commits (or the read is counted
    /// stale), and the answer is sent back to the user.
    pub(super) fn db_done(&mut self, req: Req) {
        let i = req.db as usize;
        let host = self.db.instances[i].node;
        let writes = req.kind == RequestKind::Write;
        if !self.instance_up(i) || self.instance_epoch(i) as u16 != req.db_epoch {
            let reason = if writes { DropReason::PrimaryDown } else { DropReason::NoDatabase };
            return self.drop_request(req, host, reason);
        }
        if writes {
            if self.db.instances[i].role != Role::Primary {
                return self.drop_request(req, host, DropReason::PrimaryDown);
            }
            self.db.commit();
            self.metrics.writes_ok += 1;
        } else if self.db.instances[i].role == Role::Replica && self.db.instances[i].stale {
            self.metrics.stale_reads += 1;
        }
        // The answer travels back: MySQL → app (if remote) → web (if split)
        // → LB → user. Replies of open connections pass stateful
        // firewalls, no check.
        let lan = self.topo.lan_ns;
        let remote = host != self.holder(&req).node;
        let split = req.app != NONE16;
        let back = lan * (1 + u64::from(remote) + u64::from(split)) + self.topo.internet_ns;
        // Nothing can stop an answer on its way back, so it is counted now
        // (one event less per request) and dated when it reaches the user.
        self.respond(req, self.now.plus_nanos(back));
    }

    fn release_backend(&mut self, req: &Req) {
        if req.backend != NONE16 {
            let b = &mut self.lb_mut(req.lb).backends[req.backend as usize];
            b.active = b.active.saturating_sub(1);
        }
    }

    /// Counts a request as served; `at` is when the answer reaches the user.
    fn respond(&mut self, req: Req, at: SimTime) {
        self.release_backend(&req);
        let latency = at.0 - req.start.0;
        self.pair_count_served(req.start, at);
        let m = &mut self.metrics;
        m.served += 1;
        m.current.served += 1;
        let bucket = Bucket::of_ns(latency);
        m.latency.record_bucket(bucket);
        m.second_latency.record_bucket(bucket);
        let server_slot = self.backend_slot(&req);
        let lb_slot = self.lb_of(req.lb).slot;
        self.boxes[server_slot].latency_since_sample.record_bucket(bucket);
        if req.app != NONE16 {
            let app_slot = self.app_tier.boxes[req.app as usize].slot;
            self.boxes[app_slot].latency_since_sample.record_bucket(bucket);
        }
        self.boxes[lb_slot].latency_since_sample.record_bucket(bucket);
        if req.sampled {
            let server = self.backend_node(&req);
            self.emit(Event::Served {
                request: req.id,
                kind: req.kind,
                at,
                server,
                latency: SimTime(latency),
            });
        }
    }

    /// Ends a request at `node` for `reason`: counted, and an error
    /// response charged to the box that produced it.
    pub(super) fn drop_request(&mut self, req: Req, node: usize, reason: DropReason) {
        let code = reason.code() as usize;
        match reason {
            DropReason::FirewallRule { firewall, rule } => {
                self.metrics.count_firewall_drop(firewall, Some(rule))
            }
            DropReason::FirewallDefaultDeny { firewall, .. } => {
                self.metrics.count_firewall_drop(firewall, None)
            }
            _ => {}
        }
        if req.kind == RequestKind::Attack {
            self.metrics.attacks_dropped[code] += 1;
        } else {
            self.release_backend(&req);
            self.pair_count_lost(req.start);
            let m = &mut self.metrics;
            m.dropped[code] += 1;
            m.current.dropped[code] += 1;
            if req.kind == RequestKind::Write {
                m.writes_failed += 1;
            }
            // An error response (5xx) counted by the box that produced it:
            // the server if the request got there, else the load balancer.
            if let Some(slot) = self.topo.box_slot[node] {
                self.boxes[slot].errors_since_sample += 1;
            } else if req.backend != NONE16 {
                let slot = self.backend_slot(&req);
                self.boxes[slot].errors_since_sample += 1;
            }
            // Drops before the load balancer (DNS, perimeter firewall) are
            // not 5xx responses of any box.
        }
        if req.sampled {
            self.emit(Event::Dropped {
                request: req.id,
                kind: req.kind,
                at: self.now,
                node,
                reason,
            });
        }
    }
}
