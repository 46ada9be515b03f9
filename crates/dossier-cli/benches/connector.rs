//! Round trip of a save through the connector as the extension makes it: `POST /v1/pages` of a
//! 200 KB page over a socket to a running release `dossier connector serve`, answer read.
//! Each save is a new page (new address, new text), so every one is extracted and stored.
//! Target: under 300 ms (median). Run with `make bench-connector`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

const SAVES: usize = 30;
const PAGE_BYTES: usize = 200 * 1024;

fn cli() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => root.join(d),
        _ => root.join("target"),
    };
    let bin = target.join("release/dossier");
    assert!(
        bin.is_file(),
        "build it first: cargo build --release -p dossier-cli"
    );
    bin
}

/// A sample article of our own words, about `PAGE_BYTES` long, different for each `n`.
fn page(n: usize) -> String {
    let words = [
        "harbour",
        "levy",
        "carriers",
        "berth",
        "pilot",
        "dredging",
        "channel",
        "tonnage",
        "schedule",
        "consultation",
        "authority",
        "board",
        "quota",
        "tariff",
        "freight",
        "grain",
    ];
    let mut html = format!(
        "<!doctype html><html><head><title>Bench page {n}</title></head><body>\
         <nav>Home | World | Trade</nav><article><h1>Bench article number {n}</h1>"
    );
    let mut i = n * 7919;
    while html.len() < PAGE_BYTES - 200 {
        html.push_str("<p>");
        for _ in 0..60 {
            i = i
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            html.push_str(words[(i >> 33) % words.len()]);
            html.push(' ');
        }
        html.push_str(&format!("paragraph {n}-{}.</p>\n", html.len()));
    }
    html.push_str("</article><footer>Sample text</footer></body></html>");
    html
}

fn post(port: u16, token: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "POST /v1/pages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: chrome-extension://abcdefghijklmnopabcdefghijklmnop\r\n\
         X-Dossier-Connector: 1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.split(' ').nth(1).unwrap().parse().unwrap();
    (status, out)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.sqlite");
    let cli = cli();
    let issued = Command::new(&cli)
        .args([
            "connector",
            "pair",
            "--approve",
            "--new-token",
            "bench",
            "--json",
        ])
        .env("DOSSIER_DB", &db)
        .output()
        .unwrap();
    assert!(
        issued.status.success(),
        "{}",
        String::from_utf8_lossy(&issued.stderr)
    );
    let token: serde_json::Value = serde_json::from_slice(&issued.stdout).unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let mut server = Command::new(&cli)
        .args(["connector", "serve", "--json"])
        .env("DOSSIER_DB", &db)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = serde_json::from_str::<serde_json::Value>(&line).unwrap()["port"]
        .as_u64()
        .unwrap() as u16;

    let bodies: Vec<String> = (0..=SAVES)
        .map(|n| {
            serde_json::json!({
                "url": format!("https://bench.example/article/{n}"),
                "title": format!("Bench page {n}"),
                "html": page(n),
            })
            .to_string()
        })
        .collect();
    // One save first, not timed: the process's first extraction warms its caches.
    assert_eq!(post(port, &token, &bodies[SAVES]).0, 200);
    let mut times = Vec::new();
    for body in &bodies[..SAVES] {
        let t = Instant::now();
        let (status, out) = post(port, &token, body);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(status, 200, "{out}");
    }
    let mut again = Vec::new();
    for body in &bodies[..10] {
        let t = Instant::now();
        let (_, out) = post(port, &token, body);
        again.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(out.contains("already_present"), "{out}");
    }
    let _ = server.kill();
    let _ = server.wait();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let m = median(&mut times);
    let p90 = times[(times.len() * 9).div_ceil(10) - 1];
    let a = median(&mut again);
    let size = bodies[0].len() as f64 / 1024.0;
    println!("connector round trip, release `dossier connector serve`, {size:.0} KB request:");
    println!("  {:<32} {:>8}  {:>8}", "", "median", "p90");
    println!(
        "  {:<32} {m:>6.1}ms  {p90:>6.1}ms",
        format!("new page ({SAVES} saves)")
    );
    println!("  {:<32} {a:>6.1}ms", "already saved (10 saves)");
    println!(
        "  target: median < 300 ms — {}",
        if m < 300.0 { "met" } else { "NOT met" }
    );
    let _ = std::io::stdout().flush();
}
