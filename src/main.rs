//! Entry point of the web app: register the offline service worker, then
//! mount once the reader's language is here (French is a file fetched on
//! demand). The panic hook is `App`'s first act (`install_panic_hook`: the
//! message to the console and the error overlay in the page).

fn main() {
    infraboard::offline::register_service_worker();
    infraboard::when_first_locale_ready(|| leptos::mount::mount_to_body(infraboard::App));
}
