//! The two official languages: what a briefing note is written in, and what the interface speaks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// English or French. JSON and the database spell it `en` / `fr`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The BCP 47 tag a document carries (Word's `w:lang`, the PDF's `/Lang`, `<html lang>`).
    pub fn bcp47(self) -> &'static str {
        match self {
            Lang::En => "en-CA",
            Lang::Fr => "fr-CA",
        }
    }

    /// The language a POSIX locale names: `fr_CA.UTF-8`, `fr`, `fr-CA` → French; anything
    /// else that names a language → English. `None` for an empty or `C`/`POSIX` locale.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let tag = locale.trim();
        if tag.is_empty() || tag == "C" || tag == "POSIX" || tag.starts_with("C.") {
            return None;
        }
        let language = tag
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match language.as_str() {
            "fr" => Some(Lang::Fr),
            "" => None,
            _ => Some(Lang::En),
        }
    }

    /// The language the environment asks for: `DOSSIER_UI_LANG`, then the POSIX order
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`); English when none names one.
    pub fn from_env() -> Lang {
        ["DOSSIER_UI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find_map(|value| Lang::from_locale(&value))
            .unwrap_or_default()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" | "anglais" | "en-ca" | "en_ca" => Ok(Lang::En),
            "fr" | "french" | "français" | "francais" | "fr-ca" | "fr_ca" => Ok(Lang::Fr),
            _ => Err(format!("\"{s}\" is not a language; use en or fr")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_name_their_language() {
        assert_eq!(Lang::from_locale("fr_CA.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::from_locale("fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("de_DE"), Some(Lang::En));
        assert_eq!(Lang::from_locale("C.UTF-8"), None);
        assert_eq!(Lang::from_locale(""), None);
    }

    #[test]
    fn parses_what_a_user_types() {
        assert_eq!("FR".parse::<Lang>(), Ok(Lang::Fr));
        assert_eq!("français".parse::<Lang>(), Ok(Lang::Fr));
        assert!("de".parse::<Lang>().is_err());
    }
}
