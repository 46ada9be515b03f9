//! A small HTTP/1.1 server on 127.0.0.1 whose routes a test changes between polls: a feed that
//! gains, edits and loses entries, answers 304 to its own ETag, 503 then recovers. One thread per
//! connection, `Connection: close`; it lives as long as the test process. Shared by the API and
//! CLI tests, the feeds bench and the desktop test (included with `#[path]`).

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub enum Route {
    /// 200 with this body; answers 304 when the request carries `etag` in If-None-Match.
    Ok {
        content_type: String,
        body: Arc<Vec<u8>>,
        etag: Option<String>,
        gzip: bool,
    },
    Status {
        code: u16,
        reason: String,
        retry_after: Option<String>,
    },
    Redirect(String),
    /// Accepts the connection and never answers.
    Silent,
}

#[derive(Clone)]
pub struct FeedServer {
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    hits: Arc<Mutex<HashMap<String, u32>>>,
}

impl FeedServer {
    pub fn start() -> FeedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = FeedServer {
            base,
            routes: Arc::default(),
            hits: Arc::default(),
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.serve(stream));
            }
        });
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn set(&self, path: &str, route: Route) {
        self.routes.lock().unwrap().insert(path.to_string(), route);
    }

    /// A feed (RSS, Atom, JSON) served with an ETag.
    pub fn feed(&self, path: &str, body: impl Into<Vec<u8>>, etag: Option<&str>) {
        self.set(
            path,
            Route::Ok {
                content_type: "application/rss+xml".into(),
                body: Arc::new(body.into()),
                etag: etag.map(str::to_string),
                gzip: false,
            },
        );
    }

    pub fn page(&self, path: &str, html: impl Into<Vec<u8>>) {
        self.set(
            path,
            Route::Ok {
                content_type: "text/html; charset=utf-8".into(),
                body: Arc::new(html.into()),
                etag: None,
                gzip: false,
            },
        );
    }

    pub fn status(&self, path: &str, code: u16, reason: &str, retry_after: Option<&str>) {
        self.set(
            path,
            Route::Status {
                code,
                reason: reason.into(),
                retry_after: retry_after.map(str::to_string),
            },
        );
    }

    /// How many requests a path has had.
    pub fn hits(&self, path: &str) -> u32 {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    fn serve(&self, mut stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request = String::new();
        if reader.read_line(&mut request).is_err() {
            return;
        }
        let mut if_none_match = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("if-none-match")
            {
                if_none_match = Some(value.trim().to_string());
            }
        }
        let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
        *self.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
        let route = self.routes.lock().unwrap().get(&path).cloned();
        let head = |status: &str, extra: &str, len: usize| {
            format!(
                "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {len}\r\n{extra}\r\n"
            )
        };
        match route {
            Some(Route::Ok {
                content_type,
                body,
                etag,
                gzip,
            }) => {
                if etag.is_some() && if_none_match == etag {
                    let _ = stream.write_all(head("304 Not Modified", "", 0).as_bytes());
                } else {
                    let mut extra = format!("Content-Type: {content_type}\r\n");
                    if let Some(etag) = &etag {
                        extra.push_str(&format!("ETag: {etag}\r\n"));
                    }
                    if gzip {
                        extra.push_str("Content-Encoding: gzip\r\n");
                    }
                    let _ = stream.write_all(head("200 OK", &extra, body.len()).as_bytes());
                    let _ = stream.write_all(&body);
                }
            }
            Some(Route::Status {
                code,
                reason,
                retry_after,
            }) => {
                let extra = retry_after
                    .map(|r| format!("Retry-After: {r}\r\n"))
                    .unwrap_or_default();
                let _ = stream.write_all(head(&format!("{code} {reason}"), &extra, 0).as_bytes());
            }
            Some(Route::Redirect(to)) => {
                let _ = stream
                    .write_all(head("302 Found", &format!("Location: {to}\r\n"), 0).as_bytes());
            }
            Some(Route::Silent) => {
                std::thread::sleep(Duration::from_secs(30));
                return;
            }
            None => {
                let _ = stream.write_all(head("404 Not Found", "", 0).as_bytes());
            }
        }
        let _ = stream.flush();
    }
}

/// An RSS 2.0 document; each item is (guid, title, link, description).
pub fn rss(title: &str, items: &[(&str, &str, &str, &str)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title><link>https://example.test/</link><description>Sample feed</description>\n"
    );
    for (guid, title, link, description) in items {
        out.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><link>{link}</link><description>{description}</description><pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate></item>\n"
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// An article page with a few paragraphs of sample text, for capture.
pub fn article(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><article><h1>{title}</h1>\n{body}</article></body></html>"
    )
}
