//! The app mounted in a real browser: headless Chromium driven by
//! wasm-bindgen-test-runner through chromedriver (see .cargo/config.toml and
//! webdriver.json; `scripts/test` runs it). Each test mounts its own App into
//! its own element and looks only inside it.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use infraboard_sim::presets;
use leptos::prelude::set_timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh App into a new element of the test page.
fn mount_app() -> HtmlElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let host: HtmlElement = document.create_element("div").expect("a div").unchecked_into();
    document.body().expect("a body").append_child(&host).expect("appended");
    leptos::mount::mount_to(host.clone(), infraboard::App).forget();
    host
}

fn find(host: &HtmlElement, selector: &str) -> Element {
    host.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn text(host: &HtmlElement, selector: &str) -> String {
    find(host, selector).text_content().unwrap_or_default().trim().to_owned()
}

/// Lets `ms` of wall time pass (the app's clock is a browser interval).
fn sleep(ms: u64) -> impl Future<Output = ()> {
    struct Sleep(Rc<RefCell<(bool, Option<Waker>)>>);
    impl Future for Sleep {
        type Output = ();
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let mut state = self.0.borrow_mut();
            if state.0 {
                Poll::Ready(())
            } else {
                state.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
    let state = Rc::new(RefCell::new((false, None::<Waker>)));
    let fire = Rc::clone(&state);
    set_timeout(
        move || {
            let waker = {
                let mut s = fire.borrow_mut();
                s.0 = true;
                s.1.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        },
        Duration::from_millis(ms),
    );
    Sleep(state)
}

#[wasm_bindgen_test]
fn the_board_draws_each_node_of_the_default_layout_with_its_name_as_label() {
    let host = mount_app();
    let scenario = presets::default_scenario();
    // The diagram is the SVG that holds the drawn nodes (panels elsewhere on
    // the page may mention nodes too).
    let svg =
        find(&host, "svg [data-node]").closest("svg").ok().flatten().expect("the board's svg");
    let drawn = svg.inner_html().matches("data-node=").count();
    assert_eq!(drawn, scenario.nodes.len(), "one drawing per node");
    for node in &scenario.nodes {
        let element = svg
            .query_selector(&format!("[data-node=\"{}\"]", node.id))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("{} is drawn", node.id));
        let name = element.get_attribute("aria-label").unwrap_or_default();
        assert!(!name.is_empty(), "{} has an accessible name", node.id);
        assert!(element.get_attribute("role").is_some(), "{} has a role", node.id);
        let label = element
            .query_selector(".node-label")
            .ok()
            .flatten()
            .and_then(|l| l.text_content())
            .unwrap_or_default();
        // A long label is broken over lines (tspans), so compare without spaces.
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(
            squeeze(&label),
            squeeze(&name),
            "{}: the written label is the accessible name",
            node.id
        );
    }
}

#[wasm_bindgen_test]
async fn pause_freezes_the_clock_and_play_restarts_it() {
    let host = mount_app();
    let button: HtmlElement = find(&host, "button.play").unchecked_into();
    assert_eq!(button.get_attribute("aria-pressed").as_deref(), Some("true"), "starts playing");

    sleep(400).await;
    let moving = text(&host, "[data-testid=sim-time]");
    assert_ne!(moving, "0.0", "simulated time moves while playing");

    button.click();
    sleep(150).await;
    assert_eq!(
        button.get_attribute("aria-pressed").as_deref(),
        Some("false"),
        "pressed shows pause"
    );
    let frozen = text(&host, "[data-testid=sim-time]");
    sleep(400).await;
    assert_eq!(text(&host, "[data-testid=sim-time]"), frozen, "time stands still on pause");

    button.click();
    sleep(400).await;
    assert_eq!(button.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_ne!(text(&host, "[data-testid=sim-time]"), frozen, "time moves again after play");
}
