//! A team URL: a libpq connection string, either a URI
//! (`postgres://role@host:port/db?sslmode=verify-full&sslrootcert=/path/ca.pem`) or keyword/value
//! pairs (`host=db.example port=5432 user=alice dbname=desk sslmode=require`).
//!
//! Parsed here rather than by tokio-postgres, which knows neither `verify-ca` nor `verify-full`
//! nor `sslrootcert` nor `passfile`. What the string leaves out comes from the environment as
//! libpq does (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`,
//! `PGPASSFILE`, `PGCONNECT_TIMEOUT`, `PGAPPNAME`), except `sslmode`, which defaults to
//! `require`: TLS is on unless a URL turns it off.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How much TLS a connection insists on (libpq's `sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// No TLS.
    Disable,
    /// TLS if the server offers it, no certificate check (`allow` is read as `prefer`).
    Prefer,
    /// TLS or nothing; the certificate is not checked, unless `sslrootcert` is given, in which
    /// case it is checked as `verify-ca` (as libpq does).
    Require,
    /// TLS, with the server's certificate chained to a trusted root.
    VerifyCa,
    /// TLS, the chain checked and the certificate naming the host connected to.
    VerifyFull,
}

impl SslMode {
    pub fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// Where trusted root certificates come from (`sslrootcert`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// The system's store (`sslrootcert=system`, or nothing given and no
    /// `~/.postgresql/root.crt`).
    System,
    /// A PEM file of one or more certificates.
    File(PathBuf),
}

/// A parsed team URL. Never holds more than the URL said: the password lookup is separate.
#[derive(Clone, PartialEq, Eq)]
pub struct TeamUrl {
    pub user: String,
    /// The password written in the URL itself, if any (discouraged; never stored).
    pub password: Option<String>,
    /// A host name, an IP address, or a directory holding the server's Unix socket.
    pub host: String,
    pub hostaddr: Option<IpAddr>,
    pub port: u16,
    pub dbname: String,
    pub sslmode: SslMode,
    /// `sslrootcert` as given (or from `PGSSLROOTCERT`).
    pub sslrootcert: Option<RootCert>,
    pub passfile: Option<PathBuf>,
    pub connect_timeout: Option<Duration>,
    pub application_name: Option<String>,
    pub options: Option<String>,
}

impl fmt::Debug for TeamUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for TeamUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Reads an environment variable; tests pass their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl TeamUrl {
    /// Parses with the process environment supplying what the string leaves out.
    pub fn parse(s: &str) -> Result<TeamUrl, String> {
        TeamUrl::parse_with_env(s, &process_env)
    }

    pub fn parse_with_env(s: &str, env: Env<'_>) -> Result<TeamUrl, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("the team URL is empty".into());
        }
        let params = if let Some(rest) = s
            .strip_prefix("postgresql://")
            .or_else(|| s.strip_prefix("postgres://"))
        {
            parse_uri(rest)?
        } else if s.contains("://") {
            return Err(format!(
                "a team URL starts with postgres:// or postgresql://, not {}",
                s.split("://").next().unwrap_or_default()
            ));
        } else {
            parse_keywords(s)?
        };
        build(params, env)
    }

    /// The URL to show and to keep in the workspace: everything but the password.
    pub fn redacted(&self) -> String {
        let mut out = format!("postgres://{}@", pct(&self.user));
        if self.host.starts_with('/') {
            // A socket directory goes in the query.
        } else if self.host.contains(':') {
            out.push_str(&format!("[{}]", self.host));
        } else {
            out.push_str(&pct(&self.host));
        }
        if !self.host.starts_with('/') {
            out.push_str(&format!(":{}", self.port));
        }
        out.push('/');
        out.push_str(&pct(&self.dbname));
        let mut query = vec![format!("sslmode={}", self.sslmode.as_str())];
        if self.host.starts_with('/') {
            query.push(format!("host={}", pct(&self.host)));
            query.push(format!("port={}", self.port));
        }
        if let Some(a) = self.hostaddr {
            query.push(format!("hostaddr={a}"));
        }
        match &self.sslrootcert {
            Some(RootCert::System) => query.push("sslrootcert=system".into()),
            Some(RootCert::File(p)) => {
                query.push(format!("sslrootcert={}", pct(&p.to_string_lossy())))
            }
            None => {}
        }
        if let Some(p) = &self.passfile {
            query.push(format!("passfile={}", pct(&p.to_string_lossy())));
        }
        if let Some(t) = self.connect_timeout {
            query.push(format!("connect_timeout={}", t.as_secs()));
        }
        if let Some(a) = &self.application_name {
            query.push(format!("application_name={}", pct(a)));
        }
        if let Some(o) = &self.options {
            query.push(format!("options={}", pct(o)));
        }
        out.push('?');
        out.push_str(&query.join("&"));
        out
    }

    /// Who this URL logs in as, where: `role@host:port/db`, the keyring entry's user name.
    pub fn identity(&self) -> String {
        format!("{}@{}:{}/{}", self.user, self.host, self.port, self.dbname)
    }

    /// Whether the connection goes through a Unix socket (no TLS there, as with libpq).
    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }
}

/// Percent-encodes what would break a URL component.
fn pct(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn unpct(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    format!("bad percent-encoding in the team URL near \"{}\"", &s[i..])
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the team URL decodes to invalid UTF-8".to_string())
}

/// The URI form, after the scheme.
fn parse_uri(rest: &str) -> Result<Vec<(String, String)>, String> {
    let mut params = Vec::new();
    let (main, query) = match rest.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match main.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (main, None),
    };
    let hostspec = match authority.rsplit_once('@') {
        Some((userinfo, hostspec)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                params.push(("user".to_string(), unpct(user)?));
            }
            if let Some(p) = password {
                params.push(("password".to_string(), unpct(p)?));
            }
            hostspec
        }
        None => authority,
    };
    if hostspec.contains(',') {
        return Err("a team URL names one server (several hosts are not supported)".into());
    }
    if !hostspec.is_empty() {
        let (host, port) = if let Some(v6) = hostspec.strip_prefix('[') {
            let (h, after) = v6
                .split_once(']')
                .ok_or("unclosed [ in the team URL's host")?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or("bad port in the team URL")?),
            };
            (h.to_string(), port)
        } else {
            match hostspec.rsplit_once(':') {
                Some((h, p)) => (unpct(h)?, Some(p)),
                None => (unpct(hostspec)?, None),
            }
        };
        if !host.is_empty() {
            params.push(("host".to_string(), host));
        }
        if let Some(p) = port.filter(|p| !p.is_empty()) {
            params.push(("port".to_string(), p.to_string()));
        }
    }
    if let Some(db) = path.filter(|p| !p.is_empty()) {
        params.push(("dbname".to_string(), unpct(db)?));
    }
    if let Some(q) = query {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("the team URL's parameter \"{pair}\" has no value"))?;
            params.push((unpct(k)?, unpct(v)?));
        }
    }
    Ok(params)
}

/// The keyword/value form: `key=value` pairs separated by spaces; values may be single-quoted,
/// with `\'` and `\\` escapes.
fn parse_keywords(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut params = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(format!(
                "the connection string's \"{key}\" has no value (expected {key}=value)"
            ));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.push(chars.next().unwrap_or('\\')),
                    '\'' => {
                        closed = true;
                        break;
                    }
                    c => value.push(c),
                }
            }
            if !closed {
                return Err(format!("unterminated quoted value for \"{key}\""));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '\\' {
                    value.push(chars.next().unwrap_or('\\'));
                } else {
                    value.push(c);
                }
            }
        }
        params.push((key, value));
    }
    Ok(params)
}

fn build(params: Vec<(String, String)>, env: Env<'_>) -> Result<TeamUrl, String> {
    let mut user = None;
    let mut password = None;
    let mut host = None;
    let mut hostaddr = None;
    let mut port = None;
    let mut dbname = None;
    let mut sslmode = None;
    let mut sslrootcert = None;
    let mut passfile = None;
    let mut connect_timeout = None;
    let mut application_name = None;
    let mut options = None;
    for (k, v) in params {
        match k.as_str() {
            "user" => user = Some(v),
            "password" => password = Some(v),
            "host" => host = Some(v),
            "hostaddr" => hostaddr = Some(v),
            "port" => port = Some(v),
            "dbname" => dbname = Some(v),
            "sslmode" => sslmode = Some(v),
            "sslrootcert" => sslrootcert = Some(v),
            "passfile" => passfile = Some(v),
            "connect_timeout" => connect_timeout = Some(v),
            "application_name" => application_name = Some(v),
            "options" => options = Some(v),
            "sslcert" | "sslkey" | "sslpassword" => {
                return Err(format!(
                    "{k}: client certificates are not supported; log in with a password"
                ));
            }
            other => return Err(format!("unknown parameter \"{other}\" in the team URL")),
        }
    }
    let user = user
        .or_else(|| env("PGUSER"))
        .or_else(|| env("USER"))
        .or_else(|| env("LOGNAME"))
        .ok_or("the team URL names no role (postgres://ROLE@host/db)")?;
    let host = host
        .filter(|h| !h.is_empty())
        .or_else(|| env("PGHOST"))
        .unwrap_or_else(|| "localhost".to_string());
    if host.contains(',') {
        return Err("a team URL names one server (several hosts are not supported)".into());
    }
    let hostaddr = match hostaddr.or_else(|| env("PGHOSTADDR")) {
        Some(a) => Some(
            a.parse::<IpAddr>()
                .map_err(|_| format!("hostaddr \"{a}\" is not an IP address"))?,
        ),
        None => None,
    };
    let port = match port.or_else(|| env("PGPORT")) {
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| format!("port \"{p}\" is not a port number"))?,
        None => 5432,
    };
    let dbname = dbname
        .filter(|d| !d.is_empty())
        .or_else(|| env("PGDATABASE"))
        .unwrap_or_else(|| user.clone());
    let sslmode = match sslmode.or_else(|| env("PGSSLMODE")) {
        Some(m) => SslMode::parse(&m).ok_or_else(|| {
            format!(
                "sslmode \"{m}\" is not one of disable, prefer, require, verify-ca, verify-full"
            )
        })?,
        None => SslMode::Require,
    };
    let sslrootcert = sslrootcert
        .or_else(|| env("PGSSLROOTCERT"))
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s == "system" {
                RootCert::System
            } else {
                RootCert::File(PathBuf::from(s))
            }
        });
    let passfile = passfile
        .or_else(|| env("PGPASSFILE"))
        .filter(|s| !s.is_empty())
        .map(PathBuf::from);
    let connect_timeout = match connect_timeout.or_else(|| env("PGCONNECT_TIMEOUT")) {
        Some(t) => {
            let secs = t
                .parse::<u64>()
                .map_err(|_| format!("connect_timeout \"{t}\" is not a number of seconds"))?;
            // libpq: 0 means wait forever; anything under 2 s is taken as 2 s.
            (secs > 0).then(|| Duration::from_secs(secs.max(2)))
        }
        None => None,
    };
    Ok(TeamUrl {
        user,
        password,
        host,
        hostaddr,
        port,
        dbname,
        sslmode,
        sslrootcert,
        passfile,
        connect_timeout,
        application_name: application_name.or_else(|| env("PGAPPNAME")),
        options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn uri_with_everything() {
        let u = TeamUrl::parse_with_env(
            "postgres://al%40ice:p%3Ass@db.example:6543/desk%20one?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=5",
            &no_env,
        )
        .unwrap();
        assert_eq!(u.user, "al@ice");
        assert_eq!(u.password.as_deref(), Some("p:ss"));
        assert_eq!(u.host, "db.example");
        assert_eq!(u.port, 6543);
        assert_eq!(u.dbname, "desk one");
        assert_eq!(u.sslmode, SslMode::VerifyFull);
        assert_eq!(u.sslrootcert, Some(RootCert::File("/etc/ca.pem".into())));
        assert_eq!(u.connect_timeout, Some(Duration::from_secs(5)));
        assert!(!u.redacted().contains("p%3Ass"), "{}", u.redacted());
        assert_eq!(
            u.redacted(),
            "postgres://al%40ice@db.example:6543/desk%20one?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5"
        );
        // The redacted form parses back to the same URL, minus the password.
        let again = TeamUrl::parse_with_env(&u.redacted(), &no_env).unwrap();
        assert_eq!(
            again,
            TeamUrl {
                password: None,
                ..u
            }
        );
    }

    #[test]
    fn defaults_require_tls() {
        let u = TeamUrl::parse_with_env("postgresql://bob@h/db", &no_env).unwrap();
        assert_eq!(u.sslmode, SslMode::Require);
        assert_eq!(u.port, 5432);
        let env = |k: &str| (k == "PGSSLMODE").then(|| "disable".to_string());
        let u = TeamUrl::parse_with_env("postgresql://bob@h/db", &env).unwrap();
        assert_eq!(u.sslmode, SslMode::Disable);
    }

    #[test]
    fn ipv6_and_socket() {
        let u = TeamUrl::parse_with_env("postgres://x@[::1]:5433/d", &no_env).unwrap();
        assert_eq!((u.host.as_str(), u.port), ("::1", 5433));
        let u =
            TeamUrl::parse_with_env("postgres://x@%2Fvar%2Frun%2Fpostgresql/d", &no_env).unwrap();
        assert!(u.is_socket());
        let again = TeamUrl::parse_with_env(&u.redacted(), &no_env).unwrap();
        assert_eq!(again, u);
    }

    #[test]
    fn keyword_form() {
        let u = TeamUrl::parse_with_env(
            "host=db port=5433 user=carol dbname='my desk' password='it\\'s' sslmode=verify-ca",
            &no_env,
        )
        .unwrap();
        assert_eq!(u.user, "carol");
        assert_eq!(u.dbname, "my desk");
        assert_eq!(u.password.as_deref(), Some("it's"));
        assert_eq!(u.sslmode, SslMode::VerifyCa);
    }

    #[test]
    fn bad_input_is_refused_plainly() {
        for bad in [
            "",
            "mysql://x@h/d",
            "postgres://x@h:99999/d",
            "postgres://x@h/d?sslmode=paranoid",
            "postgres://x@h/d?frobnicate=1",
            "postgres://x@h1,h2/d",
            "postgres://x@h/d?sslcert=/c.pem",
            "host=h user",
        ] {
            let e = TeamUrl::parse_with_env(bad, &no_env).unwrap_err();
            assert!(!e.is_empty(), "{bad}");
        }
    }
}
