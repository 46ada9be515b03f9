//! Fetching a document from a URL: http and https only, a timeout on the whole exchange, a size
//! limit enforced while reading (not trusted from `Content-Length`), and a bounded number of
//! redirects. Blocking: the CLI imports one item at a time and the app calls this from a
//! blocking task.
//!
//! The decision a reader might question: any status other than 2xx is a failure with the
//! status in the message, even when the server sent a page with it — a 404 page's text is not
//! the article, and importing it would look like success.

use std::time::Duration;

use crate::error::{IngestError, Result};

#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// For the whole request: connecting, redirects and reading the body.
    pub timeout: Duration,
    pub max_bytes: u64,
    pub max_redirects: u32,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: crate::DEFAULT_MAX_BYTES,
            max_redirects: 5,
        }
    }
}

/// A fetched document.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for.
    pub url: String,
    /// Where it was finally read from, after redirects.
    pub final_url: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// Whether an input names a web address (`http://` or `https://`).
pub fn is_url(input: &str) -> bool {
    let lower = input.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The one HTTP client configuration: the time, redirect and status rules every fetch shares
/// (feeds too).
pub(crate) fn agent(options: &FetchOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(options.max_redirects)
        .http_status_as_error(false)
        .user_agent(concat!("Dossier/", env!("CARGO_PKG_VERSION")))
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into()
}

pub fn fetch(url: &str, options: &FetchOptions) -> Result<Fetched> {
    let url = url.trim();
    if !is_url(url) {
        return Err(IngestError::BadUrl {
            url: url.to_string(),
            reason: "only http:// and https:// addresses can be imported".into(),
        });
    }
    let failed = |reason: String| IngestError::Fetch {
        url: url.to_string(),
        reason,
    };
    let mut response = agent(options).get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(_) => failed(format!(
            "no complete answer within {} s",
            options.timeout.as_secs_f32()
        )),
        ureq::Error::TooManyRedirects => failed(format!(
            "it redirects more than {} times",
            options.max_redirects
        )),
        ureq::Error::HostNotFound => failed("the server's name was not found".into()),
        ureq::Error::ConnectionFailed => failed("the server could not be reached".into()),
        ureq::Error::BadUri(reason) => IngestError::BadUrl {
            url: url.to_string(),
            reason,
        },
        other => failed(other.to_string()),
    })?;
    let status = response.status();
    if !status.is_success() {
        let reason = status.canonical_reason().unwrap_or("error");
        return Err(failed(format!(
            "the server answered {} {reason}",
            status.as_u16()
        )));
    }
    let final_url = ureq::ResponseExt::get_uri(&response).to_string();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let declared = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(size) = declared.filter(|&s| s > options.max_bytes) {
        return Err(crate::too_large(url, Some(size), options.max_bytes));
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(options.max_bytes)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => crate::too_large(url, None, options.max_bytes),
            ureq::Error::Timeout(_) => failed(format!(
                "no complete answer within {} s",
                options.timeout.as_secs_f32()
            )),
            other => failed(other.to_string()),
        })?;
    Ok(Fetched {
        url: url.to_string(),
        final_url,
        content_type,
        bytes,
    })
}
