use std::time::Duration;

use dossier_ingest::{FetchOptions, Limits};
use rstest::rstest;

use super::NOW;
use super::server::{Server, route};

fn limits() -> Limits {
    Limits {
        max_bytes: 1024 * 1024,
    }
}

fn fetch_options() -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(1),
        max_bytes: 1024 * 1024,
        max_redirects: 3,
    }
}

#[test]
fn a_declared_charset_is_honoured() {
    let server = Server::start(route);
    let read =
        dossier_ingest::read_url(&server.url("/notes.txt"), &limits(), &fetch_options(), NOW)
            .unwrap();
    assert_eq!(
        read.document.text,
        "Le ministre a déclaré que les droits seraient réduits."
    );
}

#[rstest]
#[case("ftp://example.org/file.txt")]
#[case("file:///etc/passwd")]
fn only_http_and_https_are_fetched(#[case] url: &str) {
    let err = dossier_ingest::fetch::fetch(url, &FetchOptions::default()).unwrap_err();
    assert_eq!(err.code(), "bad_url", "{err}");
}
