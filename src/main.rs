//! Entry point of the web app: install the panic hook, register the offline
//! service worker and mount.

fn main() {
    console_error_panic_hook::set_once();
    infraboard::offline::register_service_worker();
    leptos::mount::mount_to_body(infraboard::App);
}
