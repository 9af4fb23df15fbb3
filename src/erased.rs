//! Leptos building blocks behind `dyn`, compiled once for the whole app.
//!
//! [`shown`]: what `<Show>` does. [`dynamic`]: a reactive text, attribute or
//! class toggle.
//!
//! `<Show when=… fallback=…>` is generic over its condition and its
//! children, so every use brings its own memo, render effect and view-switch
//! code into the wasm. Here the condition and the views go behind `Arc<dyn
//! Fn>` and that machinery exists once; each use only adds its own closures
//! (BENCHMARKS.md, "Bundle size"). Same behaviour: the condition is memoised,
//! so the children are built when it turns true, dropped when it turns
//! false, and left alone while it keeps its value.

use leptos::prelude::*;
use std::sync::{Arc, Mutex};

type Condition = Arc<dyn Fn() -> bool + Send + Sync>;
type Build = Arc<dyn Fn() -> AnyView + Send + Sync>;

/// `<Show when=when>{children}</Show>`.
pub(crate) fn shown(
    when: impl Fn() -> bool + Send + Sync + 'static,
    children: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    erased(Arc::new(when), Arc::new(children), None)
}

/// `<Show when=when fallback=fallback>{children}</Show>`.
pub(crate) fn shown_or(
    when: impl Fn() -> bool + Send + Sync + 'static,
    children: impl Fn() -> AnyView + Send + Sync + 'static,
    fallback: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    erased(Arc::new(when), Arc::new(children), Some(Arc::new(fallback)))
}

fn erased(when: Condition, children: Build, fallback: Option<Build>) -> AnyView {
    let when = ArcMemo::new(move |_| when());
    (move || {
        if when.get() {
            Some(children())
        } else {
            fallback.as_ref().map(|f| f())
        }
    })
    .into_any()
}

/// `Effect::new(move |_| f())`: runs `f` once the view is built and again
/// whenever a signal it read changes. `Effect::new`'s scheduling wrapper is
/// about 1 KB of wasm per closure type; behind `Box<dyn FnMut>` it exists
/// once. A closure that needs the previous run's value keeps it itself.
pub(crate) fn effect(f: impl FnMut() + 'static) {
    erased_effect(Box::new(f));
}

fn erased_effect(mut f: Box<dyn FnMut()>) {
    Effect::new(move |_| f());
}

/// A reactive value in the one form tachys is compiled for: what a view's
/// `move || …` child, attribute or `class:name=` toggle becomes with
/// [`dynamic`].
pub(crate) type Dynamic<T> = Arc<Mutex<dyn FnMut() -> T + Send>>;

/// `move || …` as one type per value type. Under `erase_components` the
/// `view!` macro already puts a closure written inline as a child,
/// `{move || …}`, behind this type, so tachys' render effect and
/// build/rebuild code exist once per value type; a closure held in a
/// variable (`{text}`) or given to an attribute (`aria-label=move || …`)
/// keeps its own type and brings its own copy of that code (and, for an
/// attribute, its own erased-attribute functions). Wrapping it here gives it
/// the shared type. Same behaviour: the value is read in a render effect and
/// the DOM updated when a signal it read changes.
pub(crate) fn dynamic<T: 'static>(f: impl FnMut() -> T + Send + 'static) -> Dynamic<T> {
    Arc::new(Mutex::new(f))
}

/// An event handler in the one form tachys is compiled for, per event type:
/// `on:click=handler(move |ev| …)`. A closure given straight to `on:click`
/// keeps its own type, and each type brings its own copy of the listener's
/// attach code and of the erased-attribute functions; behind
/// `Box<dyn FnMut>` they exist once per event type. Same behaviour: the
/// closure runs on each event.
pub(crate) fn handler<E: 'static>(f: impl FnMut(E) + 'static) -> Box<dyn FnMut(E)> {
    Box::new(f)
}
