//! Entry point of the web app: register the offline service worker and
//! mount. The panic hook is `App`'s first act (`install_panic_hook`: the
//! message to the console and the error overlay in the page).

fn main() {
    infraboard::offline::register_service_worker();
    leptos::mount::mount_to_body(infraboard::App);
}
