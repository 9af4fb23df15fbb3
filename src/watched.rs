//! [`Watched`]: a value the page reads in views and effects and changes from
//! handlers, like a `RwSignal`, for state that lives as long as the page.
//!
//! Why not `RwSignal<T>`: each `T` a signal holds brings its own copy of the
//! reactive runtime's read, write and subscription code into the wasm
//! (0.2 to 0.4 KB of gzip per type, BENCHMARKS.md §5). Here the value
//! sits in a plain `RwLock` (nested reads work, as with a signal) and one untyped
//! [`Trigger`] carries the reactivity, so the runtime's code exists once
//! whatever `T` is, and each type adds only its lock and its closures.
//! Same behaviour: `with`/`get` subscribe the running effect or view,
//! `set`/`update` wake what subscribed.
//!
//! The value is leaked on purpose, which keeps `Watched` `Copy` like a
//! signal at no cost per read (keeping it in the owner's arena behind
//! `dyn Any` cost 1.7 KB more): make one per page, in a provider, never
//! per view.

use leptos::prelude::{IsDisposed, Notify, Track, Trigger};
use std::sync::{PoisonError, RwLock};

/// A watched value; see the module docs.
pub(crate) struct Watched<T: 'static> {
    value: &'static RwLock<T>,
    changed: Trigger,
}

impl<T> Clone for Watched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Watched<T> {}

impl<T: Send + 'static> Watched<T> {
    /// A new value, for the rest of the page's life.
    pub(crate) fn new(value: T) -> Self {
        Watched { value: Box::leak(Box::new(RwLock::new(value))), changed: Trigger::new() }
    }

    /// Reads the value and subscribes the running effect or view to it.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.changed.track();
        self.with_untracked(f)
    }

    /// Whether the reactive owner it was made under still stands (false
    /// once that page or view is gone).
    pub(crate) fn is_live(&self) -> bool {
        !self.changed.is_disposed()
    }

    /// Subscribes the running effect or view without reading.
    pub(crate) fn track(&self) {
        self.changed.track();
    }

    /// Reads the value without subscribing (for event handlers).
    pub(crate) fn with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.value.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Changes the value in place and wakes what read it.
    pub(crate) fn update(&self, f: impl FnOnce(&mut T)) {
        f(&mut self.value.write().unwrap_or_else(PoisonError::into_inner));
        self.changed.notify();
    }

    /// Replaces the value and wakes what read it.
    pub(crate) fn set(&self, value: T) {
        self.update(|v| *v = value);
    }
}

impl<T: Clone + Send + 'static> Watched<T> {
    /// A copy of the value, subscribing the running effect or view.
    pub(crate) fn get(&self) -> T {
        self.with(T::clone)
    }

    /// A copy of the value, without subscribing.
    pub(crate) fn get_untracked(&self) -> T {
        self.with_untracked(T::clone)
    }
}
