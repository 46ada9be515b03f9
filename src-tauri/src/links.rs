//! Links never open inside the app. The window only ever shows Dossier's own pages: any other
//! navigation (a link in a note's preview, a URL a script tries to load) is cancelled, and web
//! and mail links are handed to the system's browser or mail program instead.
//!
//! The handing over is tauri-plugin-opener's (the system's default program for the link, found
//! without going through a shell). A source's original (a PDF, a Word file, a scan) goes to the
//! system's viewer the same way. `DOSSIER_OPEN_WITH` names another program to hand links and
//! files to: the end-to-end tests give a script that records what it was handed, so opening is
//! observable without a browser or viewer.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

use dossier_api::CommandError;

/// Whether `url` is one of the app's own pages: the bundled UI, or Vite's dev server in a
/// debug build.
pub fn is_app_page(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" if url.host_str() == Some("tauri.localhost") => true,
        "http" if cfg!(debug_assertions) => {
            url.host_str() == Some("localhost") && url.port() == Some(5173)
        }
        // `about:srcdoc` is the sandboxed frame a web page's original is shown in (the
        // reader's Versions panel); nothing can be loaded from that address itself.
        "about" => matches!(url.as_str(), "about:blank" | "about:srcdoc"),
        _ => false,
    }
}

/// Whether `url` may be handed to the system: web pages and e-mail addresses only, never a
/// file, a script or an application's custom scheme.
pub fn is_external_link(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https" | "mailto") && !is_app_page(url)
}

/// The guard on every navigation of every window.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("links")
        .on_navigation(|_webview, url| {
            if is_app_page(url) {
                return true;
            }
            if is_external_link(url)
                && let Err(error) = open_external(url)
            {
                log::warn!("{}", error.message);
            }
            false
        })
        .build()
}

/// Opens a web or mail link in the system's program for it.
pub fn open_external(url: &Url) -> Result<(), CommandError> {
    if !is_external_link(url) {
        return Err(CommandError::new(
            "invalid",
            format!("Dossier only opens web and e-mail links, not \"{url}\""),
        ));
    }
    tauri_plugin_opener::open_url(url.as_str(), open_with()).map_err(|e| {
        CommandError::new(
            "io",
            format!("cannot open {url} in the system's browser: {e}"),
        )
    })
}

/// Opens a file Dossier wrote (an original in its cache folder) in the system's program for it.
pub fn open_file(path: &std::path::Path) -> Result<(), CommandError> {
    tauri_plugin_opener::open_path(path, open_with()).map_err(|e| {
        CommandError::new(
            "io",
            format!("cannot open {} in the system's viewer: {e}", path.display()),
        )
    })
}

/// The program named by `DOSSIER_OPEN_WITH`, when it names one.
fn open_with() -> Option<String> {
    std::env::var("DOSSIER_OPEN_WITH")
        .ok()
        .filter(|p| !p.trim().is_empty())
}

/// The page asks for a link to be opened (a citation's URL, a source's address).
#[tauri::command(rename_all = "snake_case")]
pub async fn open_link(url: String) -> Result<(), CommandError> {
    let parsed = Url::parse(url.trim())
        .map_err(|_| CommandError::new("invalid", format!("\"{url}\" is not a web address")))?;
    open_external(&parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn only_the_apps_own_pages_stay_in_the_window() {
        assert!(is_app_page(&url("tauri://localhost/index.html")));
        assert!(is_app_page(&url("http://tauri.localhost/")));
        assert!(is_app_page(&url("about:srcdoc")));
        assert!(!is_app_page(&url("about:config")));
        assert!(!is_app_page(&url("https://example.org/steel")));
        assert!(!is_app_page(&url("file:///etc/passwd")));
        assert!(!is_app_page(&url("http://127.0.0.1:8080/")));
    }

    #[test]
    fn only_web_and_mail_links_go_to_the_system() {
        assert!(is_external_link(&url("https://example.org/steel")));
        assert!(is_external_link(&url("mailto:analyst@example.org")));
        for refused in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "tauri://localhost/",
            "ftp://example.org/x",
            "vscode://open",
        ] {
            assert!(!is_external_link(&url(refused)), "{refused}");
            assert_eq!(open_external(&url(refused)).unwrap_err().code, "invalid");
        }
    }
}
