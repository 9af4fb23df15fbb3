//! The EN / FR switch in the top bar: two real buttons (Tab + Enter/Space
//! reach them), the pressed one being the current language.

use super::{k, t, use_i18n, LangNotice, Locale};
use crate::erased::{dynamic, handler, shown};
use crate::url_state::Notice;
use leptos::prelude::*;

/// Language buttons, plus the notice about an ignored `?lang=` value.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let notice = i18n.notice();
    let buttons: Vec<_> = Locale::ALL
        .into_iter()
        .map(|locale| {
            view! {
                <button
                    type="button"
                    class="lang-button"
                    lang=locale.code()
                    title=locale.endonym()
                    // The name starts with what the button shows ("FR
                    // Français"), so speech input can say what it sees.
                    aria-label=format!("{} {}", locale.code().to_ascii_uppercase(), locale.endonym())
                    aria-pressed=dynamic(move || (i18n.locale() == locale).to_string())
                    data-lang=locale.code()
                    on:click=handler(move |_| i18n.set_locale(locale))
                >
                    // Locale codes are ASCII: `to_uppercase` would link core's
                    // 12 KB Unicode case table for two letters.
                    {locale.code().to_ascii_uppercase()}
                </button>
            }
        })
        .collect();
    let notice_text = move || {
        let locale = i18n.locale();
        notice.get().map(|n| match n {
            LangNotice::Url(Notice::UnknownLanguage(value)) => {
                k::common::notice_unknown_language(locale, value, locale.endonym())
            }
            LangNotice::Unavailable(asked) => {
                k::common::notice_language_unavailable(locale, asked.endonym(), locale.endonym())
            }
            LangNotice::Url(Notice::UnknownMode(value)) => {
                k::common::notice_unknown_mode(locale, value)
            }
        })
    };
    let dismiss = move |_| notice.set(None);
    view! {
        <div class="lang-switch" role="group" aria-label=t(k::common::LANGUAGE)>
            {buttons}
        </div>
        {shown(
            move || notice_text().is_some(),
            move || {
                view! {
                    <p class="notice" role="status">
                        <span>{notice_text}</span>
                        <button type="button" class="notice-dismiss" on:click=handler(dismiss)>
                            {t(k::common::DISMISS)}
                        </button>
                    </p>
                }
                .into_any()
            },
        )}
    }
}
