//! Infraboard's web app: a Leptos (CSR) whiteboard that drives the
//! `infraboard-sim` crate and draws what it reports.
//!
//! The app owns the only wall-clock → simulated-time conversion; the model
//! itself lives in `sim/` and never knows it is being drawn.

mod app;
mod board;
pub mod i18n;
mod sim_driver;
pub mod url_state;

pub use crate::app::App;
