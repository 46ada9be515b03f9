//! Polling a feed against a real server on 127.0.0.1: conditional GET, 503 with Retry-After,
//! a gzip bomb stopped at the size limit, a redirect loop and a server that never answers.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use dossier_ingest::FetchOptions;
use dossier_ingest::feed::{FeedOptions, FeedResponse, Validators, fetch_feed, parse_feed};

const FEED: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><guid>a1</guid><title>Duties on steel</title><link>https://example.test/a1</link></item>
</channel></rss>"#;

/// 16 MB of spaces, gzipped to a few KB; made once, before any request times it.
static BOMB: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
    use flate2::{Compression, write::GzEncoder};
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    let spaces = vec![b' '; 1024 * 1024];
    for _ in 0..16 {
        gz.write_all(&spaces).unwrap();
    }
    gz.finish().unwrap()
});

fn serve(mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    let mut headers = Vec::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        headers.push(line.to_ascii_lowercase());
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let reply = |stream: &mut TcpStream, status: &str, extra: &str, body: &[u8]| {
        let _ = stream.write_all(
            format!(
                "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n{extra}\r\n",
                body.len()
            )
            .as_bytes(),
        );
        let _ = stream.write_all(body);
    };
    match path.as_str() {
        "/feed" => {
            if headers
                .iter()
                .any(|h| h.starts_with("if-none-match: \"v1\""))
            {
                reply(&mut stream, "304 Not Modified", "", b"");
            } else {
                reply(
                    &mut stream,
                    "200 OK",
                    "Content-Type: application/rss+xml\r\nETag: \"v1\"\r\n",
                    FEED.as_bytes(),
                );
            }
        }
        "/busy" => reply(
            &mut stream,
            "503 Service Unavailable",
            "Retry-After: 120\r\n",
            b"busy",
        ),
        "/bomb" => {
            let body = &*BOMB;
            reply(
                &mut stream,
                "200 OK",
                "Content-Type: application/rss+xml\r\nContent-Encoding: gzip\r\n",
                body,
            );
        }
        "/loop" => reply(&mut stream, "302 Found", "Location: /loop\r\n", b""),
        "/silent" => std::thread::sleep(Duration::from_secs(5)),
        _ => reply(&mut stream, "404 Not Found", "", b"no"),
    }
    let _ = stream.flush();
}

fn start() -> String {
    std::sync::LazyLock::force(&BOMB);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    base
}

fn options() -> FeedOptions {
    FeedOptions {
        fetch: FetchOptions {
            timeout: Duration::from_secs(1),
            max_bytes: 1024 * 1024,
            max_redirects: 3,
        },
        ..Default::default()
    }
}

#[test]
fn a_feed_is_fetched_then_not_modified_with_its_etag() {
    let base = start();
    let url = format!("{base}/feed");
    let FeedResponse::Body {
        bytes,
        final_url,
        validators,
        ..
    } = fetch_feed(&url, &Validators::default(), &options()).unwrap()
    else {
        panic!("the first poll reads the feed");
    };
    assert_eq!(validators.etag.as_deref(), Some("\"v1\""));
    let parsed = parse_feed(&bytes, &final_url, &options()).unwrap();
    assert_eq!(parsed.entries[0].title, "Duties on steel");
    assert_eq!(
        fetch_feed(&url, &validators, &options()).unwrap(),
        FeedResponse::NotModified,
        "the second poll sends If-None-Match and gets a 304"
    );
}

#[test]
fn bad_servers_give_a_clear_reason() {
    let base = start();
    let busy = fetch_feed(&format!("{base}/busy"), &Validators::default(), &options()).unwrap_err();
    assert!(busy.message.contains("503"), "{busy:?}");
    assert_eq!(busy.retry_after.as_deref(), Some("120"));
    let bomb = fetch_feed(&format!("{base}/bomb"), &Validators::default(), &options()).unwrap_err();
    assert!(bomb.message.contains("larger than"), "{bomb:?}");
    let looped =
        fetch_feed(&format!("{base}/loop"), &Validators::default(), &options()).unwrap_err();
    assert!(
        looped.message.contains("redirects more than 3"),
        "{looped:?}"
    );
    let silent = fetch_feed(
        &format!("{base}/silent"),
        &Validators::default(),
        &options(),
    )
    .unwrap_err();
    assert!(silent.message.contains("no complete answer"), "{silent:?}");
    let file = fetch_feed("file:///etc/passwd", &Validators::default(), &options()).unwrap_err();
    assert!(file.message.contains("http"), "{file:?}");
}
