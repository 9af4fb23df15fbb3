//! Split tiers: web boxes that run Nginx alone hand each request to an
//! app box (Nginx's upstream, round robin over the app boxes that are up:
//! a refused connection moves on to the next at once), over the backend
//! leg's port and encryption; the app box runs the app and sends the query
//! to MySQL. Boxes where Nginx and the app run together never come here.

use super::pending::{Pending, Req};
use super::pools::Place;
use super::Simulation;
use crate::event::DropReason;
use crate::time::SimTime;
use crate::tls;

/// The app boxes of split tiers (each box of an app pool one by one).
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct AppTier {
    /// Every app box, in node order.
    pub(super) boxes: Vec<Place>,
    /// Nginx's next pick.
    next: usize,
}

impl AppTier {
    pub(super) fn new(boxes: Vec<Place>) -> AppTier {
        AppTier { boxes, next: 0 }
    }
}

impl Simulation {
    /// Nginx on `web` finished at `done`: the next app box that is up gets
    /// the request; none up is a 502 (counted as no backend).
    pub(super) fn send_to_app_tier(&mut self, mut req: Req, web: usize, done: SimTime) {
        let n = self.app_tier.boxes.len();
        let mut pick = None;
        for k in 0..n {
            let i = (self.app_tier.next + k) % n;
            if self.place_up(self.app_tier.boxes[i]) {
                pick = Some(i);
                break;
            }
        }
        let Some(i) = pick else {
            let reason = super::pending::PackedReason::pack(DropReason::NoHealthyBackend);
            self.queue.push(done, Pending::Drop(req, web as u16, reason));
            return;
        };
        self.app_tier.next = if i + 1 == n { 0 } else { i + 1 };
        req.app = i as u16;
        let app = self.app_tier.boxes[i];
        self.metrics.current.qps[app.slot] += 1;
        let (port, enc) = (tls::backend_port(self.tls), tls::backend_encrypted(self.tls));
        let lan = self.topo.lan_ns;
        if let Some(at) = self.travel(req, web, app.node, done, port, enc, lan / 2) {
            self.queue.push(at, Pending::AtApp(req));
        }
    }

    /// The request reaches its app box: the app runs, then its query
    /// leaves for MySQL.
    pub(super) fn at_app(&mut self, mut req: Req) {
        let app = self.app_tier.boxes[req.app as usize];
        if !self.place_up(app) {
            return self.drop_request(req, app.node, DropReason::NodeDown);
        }
        req.epoch = self.place_epoch(app);
        self.boxes[app.slot].requests_since_sample += 1;
        let cost = self.service_ns(self.app_mean_ms(&req));
        let timeout = self.timeout_ns();
        let Some(done) = self.run_on(app, self.now, cost, timeout) else {
            return self.drop_request(req, app.node, DropReason::Timeout);
        };
        self.send_to_database(req, app.node, done);
    }
}
