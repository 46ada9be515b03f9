//! A throwaway PostgreSQL cluster for tests, with TLS (feature `testing`).
//!
//! ```no_run
//! use dossier_sync::testing::{TestServer, Options};
//! let server = TestServer::start();                 // hostssl + host lines (plain TCP reaches it)
//! let strict = TestServer::start_with(Options { plain_tcp: false }); // hostssl only
//! let url = server.url("alice");                    // sslmode=verify-full with the test CA
//! let plain = server.url_with("bob", "sslmode=disable");
//! ```
//!
//! API:
//! - [`TestServer::start`] / [`TestServer::start_with`]: initdb in a temp dir as an unprivileged
//!   OS user (tests run as root; `dossier-pg` is created with `useradd` if missing, else `nobody`),
//!   a CA and a server certificate for `127.0.0.1`/`localhost` (rcgen), `ssl = on`, a free port
//!   on 127.0.0.1 only, the Unix socket in the temp dir; pg_hba: `local all all trust`,
//!   `hostssl all all 127.0.0.1/32 scram-sha-256`, and unless `plain_tcp: false`
//!   `host all all 127.0.0.1/32 scram-sha-256`. Roles `alice`, `bob`, `carol`, `mallory`
//!   (LOGIN, password [`TestServer::password`]) and database [`TestServer::DATABASE`] owned by
//!   alice. Panics with the server log when anything fails (it is a test helper).
//! - [`TestServer::url`]`(role)`: `postgres://role:pw@127.0.0.1:PORT/dossier?sslmode=verify-full&sslrootcert=CA`;
//!   [`TestServer::url_with`]`(role, query)`: same host/port/db/password with your own query
//!   (e.g. `"sslmode=disable"`, `"sslmode=verify-full&sslrootcert=/other.pem"`);
//!   [`TestServer::url_without_password`]`(role)` for password-lookup tests.
//! - [`TestServer::ca_path`], [`TestServer::wrong_ca_path`] (a CA that did not sign the server),
//!   [`TestServer::port`], [`TestServer::dir`].
//! - [`TestServer::stop`] (`pg_ctl stop -m immediate`, as a crash), [`TestServer::stop_fast`]
//!   (`-m fast`), [`TestServer::restart`] (start again on the same port and data),
//!   [`TestServer::is_running`].
//! - [`TestServer::superuser`]: a client connected as the bootstrap superuser over the socket;
//!   [`TestServer::sql`]`(sql)`: runs statements as superuser.
//! - [`TestServer::create_role`]`(name)`: another LOGIN role with the standard password.
//! - Drop stops the cluster (`-m immediate`) and deletes the temp dir; if the test process is
//!   killed instead, a watchdog shell stops the cluster within 2 s and deletes the dir.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How the cluster is set up.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Whether pg_hba also accepts TCP connections without TLS (a `host` line after the
    /// `hostssl` one). With it, refusing plain connections is the team's (RLS) doing.
    pub plain_tcp: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { plain_tcp: true }
    }
}

/// The login roles every test cluster has.
pub const ROLES: [&str; 4] = ["alice", "bob", "carol", "mallory"];

/// A running throwaway cluster; stopped and deleted on drop.
pub struct TestServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    os_user: Option<String>,
    port: u16,
    running: bool,
}

const SUPERUSER: &str = "postgres";

impl TestServer {
    /// The database the tests use, owned by alice.
    pub const DATABASE: &'static str = "dossier";

    /// A cluster accepting TLS and plain TCP connections.
    pub fn start() -> TestServer {
        TestServer::start_with(Options::default())
    }

    pub fn start_with(options: Options) -> TestServer {
        let bin = find_bin();
        let os_user = unprivileged_user();
        let dir = tempfile::Builder::new()
            .prefix("dossier-pg-")
            .tempdir()
            .expect("a temp dir");
        let root = dir.path().to_path_buf();
        let root = root.as_path();
        let data = root.join("data");
        std::fs::create_dir(&data).unwrap();
        if let Some(u) = &os_user {
            chown_r(root, u);
        }
        let mut server = TestServer {
            dir,
            bin,
            os_user,
            port: 0,
            running: false,
        };
        server.run(
            "initdb",
            &[
                "-D",
                path_str(&data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        server.write_certificates();
        let hba = format!(
            "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n{}",
            if options.plain_tcp {
                "host all all 127.0.0.1/32 scram-sha-256\n"
            } else {
                ""
            }
        );
        std::fs::write(data.join("pg_hba.conf"), hba).unwrap();
        // fsync off: only the OS crashing would lose data, and tests crash PostgreSQL, not the
        // OS. synchronous_commit stays on: a commit acknowledged survives `stop -m immediate`.
        // Ports are picked at random; a clash (another test took it meanwhile) is retried.
        for attempt in 0..5 {
            server.port = free_port();
            let conf = format!(
                "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n\
                 ssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'\n\
                 fsync = off\nfull_page_writes = off\n\
                 max_connections = 60\nshared_buffers = 32MB\npassword_encryption = scram-sha-256\n",
                server.port,
                path_str(root),
                path_str(&root.join("server.crt")),
                path_str(&root.join("server.key")),
            );
            std::fs::write(data.join("postgresql.auto.conf"), conf).unwrap();
            if server.try_start() {
                break;
            }
            assert!(attempt < 4, "PostgreSQL would not start:\n{}", server.log());
        }
        server.watch_for_orphaning();
        let mut su = server.superuser();
        for role in ROLES {
            su.batch_execute(&format!(
                "CREATE ROLE {role} LOGIN PASSWORD '{}'",
                TestServer::password(role)
            ))
            .unwrap();
        }
        su.batch_execute(&format!(
            "CREATE DATABASE {} OWNER alice",
            TestServer::DATABASE
        ))
        .unwrap();
        server
    }

    /// Every test role's password.
    pub fn password(role: &str) -> String {
        format!("{role}-secret-pw")
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The temp dir holding the data, the socket, the certificates and the log.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The CA that signed the server's certificate (PEM).
    pub fn ca_path(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    /// A CA that did not sign it.
    pub fn wrong_ca_path(&self) -> PathBuf {
        self.dir.path().join("wrong-ca.crt")
    }

    /// `role`'s URL, with its password, checking the server fully (`verify-full`, test CA).
    pub fn url(&self, role: &str) -> String {
        self.url_with(
            role,
            &format!(
                "sslmode=verify-full&sslrootcert={}",
                path_str(&self.ca_path())
            ),
        )
    }

    /// `role`'s URL with its password and the given query string.
    pub fn url_with(&self, role: &str, query: &str) -> String {
        format!(
            "postgres://{role}:{}@127.0.0.1:{}/{}?{query}",
            TestServer::password(role),
            self.port,
            TestServer::DATABASE
        )
    }

    /// `role`'s verify-full URL without a password (the lookup must find it).
    pub fn url_without_password(&self, role: &str) -> String {
        format!(
            "postgres://{role}@127.0.0.1:{}/{}?sslmode=verify-full&sslrootcert={}",
            self.port,
            TestServer::DATABASE,
            path_str(&self.ca_path())
        )
    }

    /// A client connected as the bootstrap superuser over the Unix socket, in `dossier`'s
    /// database if it exists yet.
    pub fn superuser(&self) -> postgres::Client {
        let mut config = postgres::Config::new();
        config
            .host_path(self.dir.path())
            .port(self.port)
            .user(SUPERUSER)
            .dbname("postgres");
        let mut client = config.connect(postgres::NoTls).unwrap_or_else(|e| {
            panic!("superuser connection: {e}\n{}", self.log());
        });
        let has_db = client
            .query_opt(
                "SELECT 1 FROM pg_database WHERE datname = $1",
                &[&TestServer::DATABASE],
            )
            .unwrap()
            .is_some();
        if has_db {
            config.dbname(TestServer::DATABASE);
            client = config.connect(postgres::NoTls).unwrap();
        }
        client
    }

    /// Runs `sql` as the superuser in the `dossier` database.
    pub fn sql(&self, sql: &str) {
        self.superuser()
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Creates another LOGIN role with the standard password.
    pub fn create_role(&self, name: &str) {
        self.sql(&format!(
            "CREATE ROLE {name} LOGIN PASSWORD '{}'",
            TestServer::password(name)
        ));
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`).
    pub fn stop(&mut self) {
        self.stop_mode("immediate");
    }

    /// Stops the server cleanly (`-m fast`: sessions are terminated).
    pub fn stop_fast(&mut self) {
        self.stop_mode("fast");
    }

    /// Starts the stopped server again, same data, same port.
    pub fn restart(&mut self) {
        if self.running {
            self.stop_fast();
        }
        assert!(
            self.try_start(),
            "PostgreSQL would not restart:\n{}",
            self.log()
        );
    }

    pub fn is_running(&self) -> bool {
        self.running
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// A test process killed outright never runs Drop: a small watchdog stops the cluster when
    /// this process is gone (and quits when the temp dir is deleted).
    fn watch_for_orphaning(&self) {
        let data = self.dir.path().join("data");
        let script = format!(
            "while [ -d /proc/{pid} ] && [ -d '{data}' ]; do sleep 2; done; \
             [ -d '{data}' ] && '{pg_ctl}' stop -D '{data}' -m immediate >/dev/null 2>&1 \
             && rm -rf '{root}'; exit 0",
            pid = std::process::id(),
            data = path_str(&data),
            root = path_str(self.dir.path()),
            pg_ctl = path_str(&self.bin.join("pg_ctl")),
        );
        let mut cmd = match &self.os_user {
            Some(u) => {
                let mut c = Command::new("runuser");
                c.args(["-u", u, "--", "sh", "-c", &script]);
                c
            }
            None => {
                let mut c = Command::new("sh");
                c.args(["-c", &script]);
                c
            }
        };
        let _ = cmd
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }

    fn stop_mode(&mut self, mode: &str) {
        if !self.running {
            return;
        }
        let data = self.dir.path().join("data");
        let _ = self.command("pg_ctl", &["stop", "-D", path_str(&data), "-m", mode, "-w"]);
        self.running = false;
    }

    fn try_start(&mut self) -> bool {
        let data = self.dir.path().join("data");
        let log = self.dir.path().join("server.log");
        let ok = self
            .command(
                "pg_ctl",
                &[
                    "start",
                    "-D",
                    path_str(&data),
                    "-l",
                    path_str(&log),
                    "-w",
                    "-t",
                    "60",
                ],
            )
            .status
            .success();
        self.running = ok;
        ok
    }

    fn command(&self, tool: &str, args: &[&str]) -> std::process::Output {
        let exe = self.bin.join(tool);
        let mut cmd = match &self.os_user {
            Some(u) => {
                let mut c = Command::new("runuser");
                c.args(["-u", u, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("LC_ALL", "C")
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()))
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self.command(tool, args);
        assert!(
            out.status.success(),
            "{tool} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn write_certificates(&self) {
        use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair, KeyUsagePurpose};
        let root = self.dir.path();
        let make_ca = |name: &str| {
            let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, name);
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            let key = KeyPair::generate().unwrap();
            let cert = params.self_signed(&key).unwrap();
            (params, cert, key)
        };
        let (ca_params, ca, ca_key) = make_ca("Dossier test CA");
        let (_, wrong, _) = make_ca("Some other CA");
        let mut params =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "localhost");
        let key = KeyPair::generate().unwrap();
        let issuer = rcgen::Issuer::from_params(&ca_params, &ca_key);
        let cert = params.signed_by(&key, &issuer).unwrap();
        std::fs::write(root.join("ca.crt"), ca.pem()).unwrap();
        std::fs::write(root.join("wrong-ca.crt"), wrong.pem()).unwrap();
        std::fs::write(root.join("server.crt"), cert.pem()).unwrap();
        let key_path = root.join("server.key");
        std::fs::write(&key_path, key.serialize_pem()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        if let Some(u) = &self.os_user {
            for f in ["ca.crt", "wrong-ca.crt", "server.crt", "server.key"] {
                chown(&root.join(f), u);
            }
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop_mode("immediate");
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// initdb, pg_ctl and postgres from Debian's `postgresql` package (the newest installed), or
/// from `PG_BIN`.
fn find_bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b).unwrap_or_else(|| {
        panic!(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run \
             scripts/setup.sh test, or set PG_BIN"
        )
    })
}

/// Root cannot run initdb: the OS user to run the cluster as (None when not root). Decided once
/// per process, so that tests starting clusters in parallel agree.
fn unprivileged_user() -> Option<String> {
    static USER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    USER.get_or_init(pick_unprivileged_user).clone()
}

fn pick_unprivileged_user() -> Option<String> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return None;
    }
    let exists = |u: &str| {
        Command::new("id")
            .arg("-u")
            .arg(u)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !exists("dossier-pg") {
        let _ = Command::new("useradd")
            .args([
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                "dossier-pg",
            ])
            .output();
    }
    // Another test may have created it meanwhile: check again.
    if exists("dossier-pg") {
        Some("dossier-pg".into())
    } else {
        Some("nobody".into())
    }
}

fn chown(path: &Path, user: &str) {
    let status = Command::new("chown")
        .arg(user)
        .arg(path)
        .status()
        .expect("chown");
    assert!(status.success(), "chown {user} {}", path.display());
}

fn chown_r(path: &Path, user: &str) {
    let status = Command::new("chown")
        .arg("-R")
        .arg(user)
        .arg(path)
        .status()
        .expect("chown");
    assert!(status.success(), "chown -R {user} {}", path.display());
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
