//! Present and study: the guided tour of one request, the explanations with
//! their "show me", and the three issues as scenes.
//!
//! The data modules ([`tour`], [`explain`], [`scenes`], [`script`]) are
//! plain Rust over the simulation's types, tested natively; they name parts
//! of the board by role, so every layout works and one that lacks a part
//! says so instead of showing nothing.

pub mod explain;
pub mod scenes;
pub mod script;
pub mod tour;
