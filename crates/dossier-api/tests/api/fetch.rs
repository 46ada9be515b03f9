use std::time::Duration;

use dossier_api::import::{ImportOptions, ItemStatus, import_all};
use dossier_ingest::{FetchOptions, Limits};
use dossier_store::Workspace;
use rstest::rstest;

use super::NOW;
use super::server::{Server, route};

fn options() -> ImportOptions {
    ImportOptions {
        limits: Limits {
            max_bytes: 1024 * 1024,
        },
        fetch: FetchOptions {
            timeout: Duration::from_secs(1),
            max_bytes: 1024 * 1024,
            max_redirects: 3,
        },
        ..Default::default()
    }
}

#[test]
fn a_page_is_fetched_through_redirects_and_keeps_its_url_and_retrieval_time() {
    let server = Server::start(route);
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let url = server.url("/moved-twice");
    let summary = import_all(
        &mut ws,
        std::slice::from_ref(&url),
        &options(),
        NOW,
        &mut |_| {},
    );
    assert_eq!(summary.imported, 1, "{summary:?}");
    let id = summary.items[0].id.unwrap();
    let source = ws.get_source(id).unwrap();
    assert_eq!(
        source.origin.as_deref(),
        Some(url.as_str()),
        "the URL asked for, so a re-import finds it"
    );
    assert_eq!(
        source.summary.url.as_deref(),
        Some("https://maplewire.example/2025/03/14/sector-deals"),
        "the canonical URL"
    );
    let (retrieved, format): (Option<String>, Option<String>) = ws
        .conn()
        .query_row(
            "SELECT retrieved_at, format FROM source WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (retrieved.as_deref(), format.as_deref()),
        (Some(NOW), Some("html"))
    );
}

#[rstest]
#[case::not_found("/missing", "fetch_failed", "404 Not Found")]
#[case::too_many_redirects("/loop", "fetch_failed", "redirects more than 3 times")]
#[case::slow("/slow", "fetch_failed", "no complete answer within 1 s")]
#[case::oversized_declared("/big-declared", "too_large", "larger than the import limit")]
#[case::oversized_streamed("/big-streamed", "too_large", "larger than the import limit")]
#[case::not_a_document("/image", "unsupported_format", "a GIF image")]
fn a_bad_url_fails_with_a_reason_and_writes_nothing(
    #[case] path: &str,
    #[case] code: &str,
    #[case] reason: &str,
) {
    let server = Server::start(route);
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws.sqlite")).unwrap();
    let started = std::time::Instant::now();
    let summary = import_all(&mut ws, &[server.url(path)], &options(), NOW, &mut |_| {});
    let item = &summary.items[0];
    assert_eq!(item.status, ItemStatus::Failed);
    assert_eq!(item.code.as_deref(), Some(code), "{item:?}");
    assert!(item.reason.as_deref().unwrap().contains(reason), "{item:?}");
    assert!(ws.list_sources().unwrap().is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the timeout is enforced"
    );
}
