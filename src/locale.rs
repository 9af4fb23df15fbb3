//! The languages the app is written in, as a value: what a link, the
//! stored choice and the browser name, and what every text is looked up
//! with. The texts themselves and the current choice live in `i18n`;
//! this leaf sits below both it and `url_state`, which reads `?lang=`.

/// A language the app is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// English, the reference locale every key is defined in first.
    #[default]
    En,
    /// French.
    Fr,
}

impl Locale {
    /// Every locale, in catalog order.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    /// The BCP 47 tag used in `<html lang>`, the URL and localStorage.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// Parses a tag such as `fr`, `fr-CA` or `EN_us`; `None` when unknown.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.code() == primary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_resolve_by_primary_language() {
        assert_eq!(Locale::from_tag("fr-CA"), Some(Locale::Fr));
        assert_eq!(Locale::from_tag("FR"), Some(Locale::Fr));
        assert_eq!(Locale::from_tag("en_GB"), Some(Locale::En));
        assert_eq!(Locale::from_tag("de"), None);
        assert_eq!(Locale::from_tag(""), None);
    }
}
