//! Infraboard's web app: a Leptos (CSR) whiteboard that drives the
//! `infraboard-sim` crate and draws what it reports.
//!
//! The app owns the only wall-clock → simulated-time conversion; the model
//! itself lives in `sim/` and never knows it is being drawn.

mod app;
mod board;
mod canvas;
mod charts;
mod controls;
mod editor;
mod erased;
mod error_overlay;
mod feed;
mod i18n;
mod inspector;
mod locale;
pub mod offline;
mod present;
mod selfstudy;
mod share;
mod sim_driver;
mod small_sort;
mod study;
mod url_state;
mod wall_clock;
mod watched;

pub use crate::app::App;
pub use crate::i18n::when_first_locale_ready;
