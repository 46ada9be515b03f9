//! A tiny HTTP/1.1 server on 127.0.0.1 for URL import tests: fixed routes, one thread per
//! connection, `Connection: close`. It lives as long as the test process.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

pub struct Server {
    pub base: String,
}

pub enum Reply {
    Ok {
        content_type: &'static str,
        body: Vec<u8>,
        declare_length: bool,
    },
    Redirect(String),
    Status(u16, &'static str),
    Slow(Duration),
}

impl Server {
    pub fn start(route: fn(&str) -> Reply) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || serve(stream, route));
            }
        });
        Server { base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn serve(mut stream: TcpStream, route: fn(&str) -> Reply) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let head = |status: &str, extra: &str| {
        format!("HTTP/1.1 {status}\r\nConnection: close\r\n{extra}\r\n")
    };
    let _ = match route(&path) {
        Reply::Ok {
            content_type,
            body,
            declare_length,
        } => {
            let length = if declare_length {
                format!("Content-Length: {}\r\n", body.len())
            } else {
                String::new()
            };
            let _ = stream.write_all(
                head(
                    "200 OK",
                    &format!("Content-Type: {content_type}\r\n{length}"),
                )
                .as_bytes(),
            );
            stream.write_all(&body)
        }
        Reply::Redirect(to) => stream.write_all(
            head(
                "302 Found",
                &format!("Location: {to}\r\nContent-Length: 0\r\n"),
            )
            .as_bytes(),
        ),
        Reply::Status(code, reason) => {
            let body =
                format!("<html><body><p>{code} {reason}: this page is not here.</p></body></html>");
            stream.write_all(
                (head(
                    &format!("{code} {reason}"),
                    &format!(
                        "Content-Type: text/html\r\nContent-Length: {}\r\n",
                        body.len()
                    ),
                ) + &body)
                    .as_bytes(),
            )
        }
        Reply::Slow(wait) => {
            std::thread::sleep(wait);
            stream
                .write_all(
                    head(
                        "200 OK",
                        "Content-Type: text/plain\r\nContent-Length: 5\r\n",
                    )
                    .as_bytes(),
                )
                .and_then(|_| stream.write_all(b"late\n"))
        }
    };
    let _ = stream.flush();
}

const STORY: &str = include_str!("fixtures/wire-story.html");

/// The pages both the ingest and the service-layer tests fetch.
pub fn route(path: &str) -> Reply {
    match path {
        "/article" => Reply::Ok {
            content_type: "text/html; charset=utf-8",
            body: STORY.into(),
            declare_length: true,
        },
        "/moved" => Reply::Redirect("/article".into()),
        "/moved-twice" => Reply::Redirect("/moved".into()),
        "/loop" => Reply::Redirect("/loop".into()),
        "/notes.txt" => Reply::Ok {
            content_type: "text/plain; charset=iso-8859-1",
            body: b"Le ministre a d\xe9clar\xe9 que les droits seraient r\xe9duits.".to_vec(),
            declare_length: true,
        },
        "/big-declared" => Reply::Ok {
            content_type: "text/plain",
            body: vec![b'a'; 3 * 1024 * 1024],
            declare_length: true,
        },
        "/big-streamed" => Reply::Ok {
            content_type: "text/plain",
            body: vec![b'a'; 3 * 1024 * 1024],
            declare_length: false,
        },
        "/slow" => Reply::Slow(Duration::from_secs(4)),
        "/image" => Reply::Ok {
            content_type: "image/gif",
            body: b"GIF89a\x01\0\x01\0\x80\0\0".to_vec(),
            declare_length: true,
        },
        _ => Reply::Status(404, "Not Found"),
    }
}
