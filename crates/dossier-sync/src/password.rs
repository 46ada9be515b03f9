//! Finding a role's password the way PostgreSQL users expect, in libpq's order: the URL's own
//! password, then `PGPASSWORD`, then the system keyring (service `dossier`, user
//! `role@host:port/db`), then the password file (`passfile=` in the URL, else `PGPASSFILE`, else
//! `~/.pgpass`). The password is never written into the workspace.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use crate::url::{Env, TeamUrl};

/// The keyring service Dossier's passwords are filed under.
pub const KEYRING_SERVICE: &str = "dossier";

/// How long a keyring lookup may take before it counts as "no password there" (a desktop
/// keyring that prompts or a D-Bus that never answers must not hang a sync).
const KEYRING_WAIT: Duration = Duration::from_secs(3);

/// Where a password was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    Url,
    Environment,
    Keyring,
    PasswordFile(PathBuf),
}

/// The password for `url`, or `None` if there is none anywhere (the server may not ask).
/// The keyring is skipped when `DOSSIER_NO_KEYRING` is set (headless machines, tests).
pub fn find(url: &TeamUrl, env: Env<'_>) -> Option<(String, PasswordSource)> {
    if let Some(p) = &url.password {
        return Some((p.clone(), PasswordSource::Url));
    }
    if let Some(p) = env("PGPASSWORD") {
        return Some((p, PasswordSource::Environment));
    }
    if env("DOSSIER_NO_KEYRING").is_none()
        && let Some(p) = keyring_get(url)
    {
        return Some((p, PasswordSource::Keyring));
    }
    let file = password_file(url, env)?;
    let p = from_password_file(&file, url)?;
    Some((p, PasswordSource::PasswordFile(file)))
}

/// The password file that applies to `url`.
pub fn password_file(url: &TeamUrl, env: Env<'_>) -> Option<PathBuf> {
    url.passfile
        .clone()
        .or_else(|| env("PGPASSFILE").map(PathBuf::from))
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".pgpass")))
}

/// Looks `url` up in a password file, ignoring a file others can read, as libpq does.
pub fn from_password_file(path: &Path, url: &TeamUrl) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            eprintln!(
                "warning: password file \"{}\" has group or world access; permissions should be \
                 u=rw (0600) or less — ignoring it",
                path.display()
            );
            return None;
        }
    }
    let text = std::fs::read_to_string(path).ok()?;
    // A Unix socket counts as `localhost`, as in libpq.
    let host = if url.is_socket() {
        "localhost"
    } else {
        url.host.as_str()
    };
    pgpass_lookup(&text, host, &url.port.to_string(), &url.dbname, &url.user)
}

/// The password of the first line of a `.pgpass` text (`host:port:db:user:password`, `*`
/// matching anything, `\:` and `\\` escapes) that matches.
pub fn pgpass_lookup(text: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut rest = line;
        let mut ok = true;
        for want in [host, port, db, user] {
            match match_field(rest, want) {
                Some(r) => rest = r,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        let mut password = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                ':' => break,
                '\\' => match chars.next() {
                    Some(n) => password.push(n),
                    None => password.push('\\'),
                },
                c => password.push(c),
            }
        }
        return Some(password);
    }
    None
}

/// If the field at the start of `s` matches `want` (or is `*`), the text after its `:`.
fn match_field<'a>(s: &'a str, want: &str) -> Option<&'a str> {
    if let Some(rest) = s.strip_prefix("*:") {
        return Some(rest);
    }
    let mut chars = s.char_indices();
    let mut want_chars = want.chars();
    loop {
        let (i, c) = chars.next()?;
        let c = match c {
            ':' => {
                return want_chars.next().is_none().then(|| &s[i + 1..]);
            }
            '\\' => chars.next()?.1,
            c => c,
        };
        if want_chars.next() != Some(c) {
            return None;
        }
    }
}

/// The keyring's password for `url`; any keyring failure (no D-Bus, no secret service, locked,
/// too slow) counts as none.
pub fn keyring_get(url: &TeamUrl) -> Option<String> {
    let user = url.identity();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let found = keyring::Entry::new(KEYRING_SERVICE, &user)
            .and_then(|e| e.get_password())
            .ok();
        let _ = tx.send(found);
    });
    rx.recv_timeout(KEYRING_WAIT).ok().flatten()
}

/// Files `password` in the system keyring for `url`.
pub fn keyring_set(url: &TeamUrl, password: &str) -> Result<(), String> {
    keyring::Entry::new(KEYRING_SERVICE, &url.identity())
        .and_then(|e| e.set_password(password))
        .map_err(|e| format!("the system keyring refused the password: {e}"))
}

/// Removes the keyring's password for `url` (nothing there is not an error).
pub fn keyring_delete(url: &TeamUrl) -> Result<(), String> {
    match keyring::Entry::new(KEYRING_SERVICE, &url.identity()).and_then(|e| e.delete_credential())
    {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(format!("the system keyring: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_format() {
        let text = "# comment\n\
                    other:5432:*:alice:nope\n\
                    db\\:1:5432:desk:alice:pa\\:ss\\\\word:ignored\n\
                    *:*:*:bob:bobpw\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, "db:1", "5432", "desk", "alice").as_deref(),
            Some("pa:ss\\word")
        );
        assert_eq!(
            pgpass_lookup(text, "x", "1", "y", "bob").as_deref(),
            Some("bobpw")
        );
        assert_eq!(
            pgpass_lookup(text, "x", "1", "y", "z").as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("h:1:d:u:p", "h", "1", "d", "uu"), None);
        // A line without a password field matches nothing (as in libpq).
        assert_eq!(pgpass_lookup("h:1:d:u", "h", "1", "d", "u"), None);
        assert_eq!(
            pgpass_lookup("h:1:d:u:", "h", "1", "d", "u").as_deref(),
            Some("")
        );
    }

    #[cfg(unix)]
    #[test]
    fn group_readable_file_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "*:*:*:*:secret\n").unwrap();
        let url = TeamUrl::parse_with_env("postgres://a@h/d", &|_| None).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(from_password_file(&path, &url), None);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(from_password_file(&path, &url).as_deref(), Some("secret"));
    }

    #[test]
    fn order_url_then_env_then_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "*:*:*:*:from-file\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let file = path.to_string_lossy().to_string();
        let env_with = |pw: Option<&'static str>| {
            let file = file.clone();
            move |k: &str| match k {
                "PGPASSWORD" => pw.map(str::to_string),
                "PGPASSFILE" => Some(file.clone()),
                "DOSSIER_NO_KEYRING" => Some("1".into()),
                _ => None,
            }
        };
        let with_pw = TeamUrl::parse_with_env("postgres://a:from-url@h/d", &|_| None).unwrap();
        let without = TeamUrl::parse_with_env("postgres://a@h/d", &|_| None).unwrap();
        assert_eq!(
            find(&with_pw, &env_with(Some("from-env"))).unwrap(),
            ("from-url".into(), PasswordSource::Url)
        );
        assert_eq!(
            find(&without, &env_with(Some("from-env"))).unwrap(),
            ("from-env".into(), PasswordSource::Environment)
        );
        assert_eq!(
            find(&without, &env_with(None)).unwrap(),
            (
                "from-file".into(),
                PasswordSource::PasswordFile(path.clone())
            )
        );
    }
}
