//! [`Simulation::apply`]: a command changes the run at `now`, or is refused
//! with a reason and changes nothing. One function per command family;
//! nodes are named by id, index or MySQL role and resolved here.

use super::travel::RouteVerdict;
use super::Simulation;
use crate::command::{Command, CommandError, NodeRef};
use crate::database::Role;
use crate::event::Event;
use crate::firewall::resolve;
use crate::scenario::{FailoverMode, NodeKind, RuleSpec, SourceSpec};
use crate::validate::{MAX_RATE_QPS, MAX_RULES, MIN_RATE_QPS};

impl Simulation {
    /// Applies a command at `now`, or refuses it (nothing changes) and says
    /// why.
    pub fn apply(&mut self, command: Command) -> Result<(), CommandError> {
        // Any command may change a rule table or a node's state.
        self.routes.fill(RouteVerdict::UNKNOWN);
        match command {
            Command::Kill(r) => self.kill(&r),
            Command::Restore(r) => self.restore(&r),
            Command::KillOne(r) => self.kill_one(&r),
            Command::RestoreOne(r) => self.restore_one(&r),
            Command::Promote(r) => self.promote_command(&r),
            Command::SetTls(mode) => {
                self.tls = mode;
                Ok(())
            }
            Command::SetLbAlgorithm(a) => {
                self.lb.algorithm = a;
                Ok(())
            }
            Command::SetFailover(mode) => {
                self.set_failover(mode);
                Ok(())
            }
            Command::SetRate { qps } => self.set_rate(qps),
            Command::SetWriteShare { share } => self.set_write_share(share),
            Command::SetAttack { qps, port } => self.set_attack(qps, port),
            Command::AddFirewallRule { firewall, index, rule } => {
                self.add_firewall_rule(&firewall, index, &rule)
            }
            Command::RemoveFirewallRule { firewall, index } => {
                self.remove_firewall_rule(&firewall, index)
            }
            Command::MoveFirewallRule { firewall, from, to } => {
                self.move_firewall_rule(&firewall, from, to)
            }
            Command::SetAgent { node, on } => self.set_agent(&node, on),
        }
    }

    // ----- node state ------------------------------------------------------

    /// `kill:`: a node (the whole box) or, named by role, only the MySQL
    /// process goes down.
    fn kill(&mut self, r: &NodeRef) -> Result<(), CommandError> {
        if let NodeRef::PrimaryDb | NodeRef::ReplicaDb = r {
            let i = self.resolve_instance(r)?;
            let node = self.db.instances[i].node;
            if !self.db.instances[i].process_up {
                return Err(CommandError::AlreadyDown(format!("{r}")));
            }
            self.db.instances[i].process_up = false;
            self.db.instances[i].epoch = self.db.instances[i].epoch.wrapping_add(1);
            if i == self.db.primary {
                self.db.failed_primary = Some(i);
            }
            self.emit(Event::DatabaseDown { at: self.now, node });
            self.plan_auto_failover();
            return Ok(());
        }
        let node = self.resolve(r)?;
        if matches!(self.topo.kinds[node], NodeKind::User) {
            return Err(CommandError::CannotKill(self.name(node)));
        }
        if !self.node_up[node] {
            return Err(CommandError::AlreadyDown(self.name(node)));
        }
        let had_primary = self.db.primary_up();
        self.node_up[node] = false;
        if let Some(slot) = self.topo.box_slot[node] {
            self.boxes[slot].kill();
            self.agents[slot].buffer.clear();
        }
        if let Some(k) = self.topo.firewall_nodes.iter().position(|&f| f == node) {
            self.firewalls[k].alive = false;
        }
        if Some(node) == self.topo.monitoring {
            self.monitoring.kill();
        }
        self.pair_node_killed(node);
        if let Some(p) = self.pool_index(node) {
            self.pools[p].kill_all_work();
        }
        self.emit(Event::NodeDown { at: self.now, node });
        if had_primary && !self.db.primary_up() {
            self.db.failed_primary = Some(self.db.primary);
            self.plan_auto_failover();
        }
        Ok(())
    }

    /// `restore:`: the node or the MySQL process comes back.
    fn restore(&mut self, r: &NodeRef) -> Result<(), CommandError> {
        if let NodeRef::PrimaryDb | NodeRef::ReplicaDb = r {
            // `restore:primary-db` brings back the primary that was lost,
            // even if another one has been promoted since.
            let i = match (r, self.db.failed_primary) {
                (NodeRef::PrimaryDb, Some(f)) => f,
                _ => self.resolve_instance(r)?,
            };
            if self.db.instances[i].process_up {
                return Err(CommandError::AlreadyUp(format!("{r}")));
            }
            self.db.instances[i].process_up = true;
            let node = self.db.instances[i].node;
            self.rejoin(i);
            self.emit(Event::DatabaseUp { at: self.now, node });
            return Ok(());
        }
        let node = self.resolve(r)?;
        if matches!(self.topo.kinds[node], NodeKind::User) {
            return Err(CommandError::CannotKill(self.name(node)));
        }
        if self.node_up[node] {
            return Err(CommandError::AlreadyUp(self.name(node)));
        }
        self.node_up[node] = true;
        if let Some(slot) = self.topo.box_slot[node] {
            self.boxes[slot].restore();
            self.boxes[slot].reset_sample(self.now);
        }
        if let Some(k) = self.topo.firewall_nodes.iter().position(|&f| f == node) {
            self.firewalls[k].alive = true;
        }
        if Some(node) == self.topo.monitoring {
            self.monitoring.alive = true;
        }
        for i in 0..self.db.instances.len() {
            if self.db.instances[i].node == node {
                self.rejoin(i);
            }
        }
        self.pair_node_restored(node);
        self.emit(Event::NodeUp { at: self.now, node });
        Ok(())
    }

    /// A MySQL process back up: if it was the primary and nobody replaced
    /// it, it takes writes again; else it is a replica that catches up.
    fn rejoin(&mut self, i: usize) {
        if self.db.failed_primary == Some(i) {
            self.db.failed_primary = None;
            if self.db.primary == i && self.db.instances[i].role == Role::Primary {
                // Nobody was promoted: pending automatic promotions are void.
                self.db.generation = self.db.generation.wrapping_add(1);
                return;
            }
        }
        let committed = self.db.committed;
        let inst = &mut self.db.instances[i];
        if inst.role == Role::Primary && i != self.db.primary {
            inst.role = Role::Replica;
        }
        inst.received = inst.received.min(committed);
        inst.applied = inst.applied.min(committed);
    }

    // ----- MySQL failover --------------------------------------------------

    /// `promote:`: a live replica becomes the primary, only once the primary
    /// is down.
    fn promote_command(&mut self, r: &NodeRef) -> Result<(), CommandError> {
        if self.db.primary_up() {
            return Err(CommandError::PrimaryStillUp);
        }
        let candidate = match r {
            NodeRef::PrimaryDb => return Err(CommandError::NotAReplica("primary-db".into())),
            NodeRef::ReplicaDb => self.resolve_instance(r)?,
            other => {
                let node = self.resolve(other)?;
                (0..self.db.instances.len())
                    .find(|&i| {
                        self.db.instances[i].node == node
                            && self.db.instances[i].role == Role::Replica
                    })
                    .ok_or_else(|| CommandError::NotAReplica(self.name(node)))?
            }
        };
        if !self.instance_up(candidate) {
            return Err(CommandError::NotAReplica(self.name(self.db.instances[candidate].node)));
        }
        self.promote(candidate, false);
        Ok(())
    }

    /// `failover:`: switching to automatic with the primary already down
    /// plans the promotion at once.
    fn set_failover(&mut self, mode: FailoverMode) {
        let was = self.failover;
        self.failover = mode;
        if was != mode {
            self.plan_auto_failover();
        }
    }

    // ----- traffic ---------------------------------------------------------

    /// `rate:`: the users' request rate, within the validated range.
    fn set_rate(&mut self, qps: f64) -> Result<(), CommandError> {
        if !(MIN_RATE_QPS..=MAX_RATE_QPS).contains(&qps) {
            return Err(CommandError::OutOfRange {
                what: "rate",
                min: MIN_RATE_QPS,
                max: MAX_RATE_QPS,
            });
        }
        self.traffic.rate_qps = qps;
        self.update_sampling();
        Ok(())
    }

    /// `writes:`: the share of user requests that write.
    fn set_write_share(&mut self, share: f64) -> Result<(), CommandError> {
        if !(0.0..=1.0).contains(&share) {
            return Err(CommandError::OutOfRange { what: "write share", min: 0.0, max: 1.0 });
        }
        self.traffic.write_share = share;
        Ok(())
    }

    /// `attack:`: the attack traffic's rate and target port.
    fn set_attack(&mut self, qps: f64, port: u16) -> Result<(), CommandError> {
        if !(0.0..=MAX_RATE_QPS).contains(&qps) {
            return Err(CommandError::OutOfRange {
                what: "attack rate",
                min: 0.0,
                max: MAX_RATE_QPS,
            });
        }
        if port == 0 {
            return Err(CommandError::OutOfRange { what: "port", min: 1.0, max: 65535.0 });
        }
        self.traffic.attack_qps = qps;
        self.traffic.attack_port = port;
        self.update_sampling();
        self.schedule_attack();
        Ok(())
    }

    // ----- firewall rules --------------------------------------------------

    /// `fw:`: inserts a rule (at the end unless `index` says where), its
    /// source resolved to a node now.
    fn add_firewall_rule(
        &mut self,
        firewall: &NodeRef,
        index: Option<usize>,
        rule: &RuleSpec,
    ) -> Result<(), CommandError> {
        let k = self.firewall_slot(firewall)?;
        let len = self.firewalls[k].rules.len();
        if len >= MAX_RULES {
            return Err(CommandError::TooManyRules);
        }
        let index = index.unwrap_or(len);
        if index > len {
            return Err(CommandError::RuleIndexOutOfRange { index, len });
        }
        if let SourceSpec::Node(id) = &rule.source {
            let r: NodeRef = id.parse().map_err(|_| CommandError::UnknownNode(id.clone()))?;
            self.resolve(&r)?;
        }
        let resolved =
            resolve(rule, |id| id.parse::<NodeRef>().ok().and_then(|r| self.resolve(&r).ok()))
                .ok_or_else(|| {
                    CommandError::UnknownNode(match &rule.source {
                        SourceSpec::Node(id) => id.clone(),
                        other => format!("{other:?}"),
                    })
                })?;
        if resolved.port == Some(0) {
            return Err(CommandError::OutOfRange { what: "port", min: 1.0, max: 65535.0 });
        }
        self.firewalls[k].rules.insert(index, resolved);
        Ok(())
    }

    /// `fw-remove:`: deletes rule `index`.
    fn remove_firewall_rule(
        &mut self,
        firewall: &NodeRef,
        index: usize,
    ) -> Result<(), CommandError> {
        let k = self.firewall_slot(firewall)?;
        let len = self.firewalls[k].rules.len();
        if index >= len {
            return Err(CommandError::RuleIndexOutOfRange { index, len });
        }
        self.firewalls[k].rules.remove(index);
        Ok(())
    }

    /// `fw-move:`: moves rule `from` to position `to`.
    fn move_firewall_rule(
        &mut self,
        firewall: &NodeRef,
        from: usize,
        to: usize,
    ) -> Result<(), CommandError> {
        let k = self.firewall_slot(firewall)?;
        let len = self.firewalls[k].rules.len();
        for index in [from, to] {
            if index >= len {
                return Err(CommandError::RuleIndexOutOfRange { index, len });
            }
        }
        let rule = self.firewalls[k].rules.remove(from);
        self.firewalls[k].rules.insert(to, rule);
        Ok(())
    }

    // ----- monitoring ------------------------------------------------------

    /// `agent:`: turns a box's monitoring agent on or off (off forgets what
    /// it had not shipped).
    fn set_agent(&mut self, node: &NodeRef, on: bool) -> Result<(), CommandError> {
        let n = self.resolve(node)?;
        let slot = self.topo.box_slot[n].ok_or_else(|| CommandError::NotABox(self.name(n)))?;
        self.boxes[slot].agent_on = on;
        if !on {
            self.agents[slot].buffer.clear();
        }
        Ok(())
    }

    // ----- one box of a pool ----------------------------------------------

    /// `kill-one:`: the first live box of a pool goes down.
    pub(super) fn kill_one(&mut self, r: &NodeRef) -> Result<(), CommandError> {
        let p = self.resolve_pool(r)?;
        match self.pools[p].kill_one() {
            Some(_) => Ok(()),
            None => Err(CommandError::AlreadyDown(format!("{r}"))),
        }
    }

    /// `restore-one:`: the first dead box of a pool comes back, idle.
    pub(super) fn restore_one(&mut self, r: &NodeRef) -> Result<(), CommandError> {
        let p = self.resolve_pool(r)?;
        match self.pools[p].restore_one() {
            Some(_) => Ok(()),
            None => Err(CommandError::AlreadyUp(format!("{r}"))),
        }
    }

    fn resolve_pool(&self, r: &NodeRef) -> Result<usize, CommandError> {
        let node = self.resolve(r)?;
        self.pool_index(node).ok_or_else(|| CommandError::NotAPool(self.name(node)))
    }

    // ----- naming nodes ----------------------------------------------------

    /// The node a command names (a role names the node its instance runs on).
    pub(super) fn resolve(&self, r: &NodeRef) -> Result<usize, CommandError> {
        match r {
            NodeRef::Index(i) if *i < self.topo.len() => Ok(*i),
            NodeRef::Index(i) => Err(CommandError::UnknownNode(format!("#{i}"))),
            NodeRef::Id(id) => {
                self.topo.scenario.index_of(id).ok_or_else(|| CommandError::UnknownNode(id.clone()))
            }
            NodeRef::PrimaryDb | NodeRef::ReplicaDb => {
                self.resolve_instance(r).map(|i| self.db.instances[i].node)
            }
        }
    }

    /// The MySQL instance a role names (`primary-db` is the current writer,
    /// `replica-db` the first replica).
    fn resolve_instance(&self, r: &NodeRef) -> Result<usize, CommandError> {
        let role_missing = || CommandError::NoSuchRole(r.clone());
        match r {
            NodeRef::PrimaryDb => {
                if self.db.instances.is_empty() {
                    return Err(role_missing());
                }
                Ok(self.db.primary)
            }
            NodeRef::ReplicaDb => (0..self.db.instances.len())
                .find(|&i| self.db.instances[i].role == Role::Replica)
                .ok_or_else(role_missing),
            _ => Err(role_missing()),
        }
    }

    /// The node's id, for refusals.
    pub(super) fn name(&self, node: usize) -> String {
        self.topo.id(node).to_string()
    }

    /// The index of the firewall a command names among the firewalls.
    fn firewall_slot(&self, r: &NodeRef) -> Result<usize, CommandError> {
        let node = self.resolve(r)?;
        self.topo
            .firewall_nodes
            .iter()
            .position(|&f| f == node)
            .ok_or_else(|| CommandError::NotAFirewall(self.name(node)))
    }
}
