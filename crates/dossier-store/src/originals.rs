//! Originals and versions: the bytes every capture came from (the page as fetched, the PDF,
//! the Word file), and a source's versions — version 1 at capture, one more for each re-import
//! whose text changed, each with its text, its original and what it did to the excerpts.
//!
//! The decisions a reader might question: originals live inside the workspace file, so a
//! backup, a restore or an archive carries them with the text they explain — a folder of files
//! beside the database would drift from it the first time either is copied alone. And they are
//! content-addressed (SHA-256 of the bytes): the same file captured twice costs its bytes once,
//! and the last version referring to an original takes it away (a trigger, `original_release`,
//! so every path that deletes a source, cascades included, does it). Hashing and compressing
//! happen in [`Original::new`], before the write transaction, so a batch of large PDFs does not
//! hold the write lock while it deflates them.

use std::io::{Read as _, Write as _};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Result, StoreError};
use crate::{Workspace, sources};

/// Why a version has no original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NotKept {
    /// Pasted text (there were no bytes), or an import asked not to keep them.
    NoOriginal,
    /// Larger than the import's cap.
    OverCap,
    /// Captured before Dossier kept originals.
    BeforeVersions,
}

impl NotKept {
    pub fn as_str(self) -> &'static str {
        match self {
            NotKept::NoOriginal => "no_original",
            NotKept::OverCap => "over_cap",
            NotKept::BeforeVersions => "before_versions",
        }
    }

    fn parse(s: &str) -> Option<NotKept> {
        match s {
            "no_original" => Some(NotKept::NoOriginal),
            "over_cap" => Some(NotKept::OverCap),
            "before_versions" => Some(NotKept::BeforeVersions),
            _ => None,
        }
    }
}

/// How an original's bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Deflate,
}

impl Compression {
    fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Deflate => "deflate",
        }
    }
}

/// An original ready to store: hashed, and deflated when that makes it smaller.
#[derive(Clone, PartialEq, Eq)]
pub struct Original {
    /// SHA-256 of the bytes as read, lowercase hex.
    pub sha256: String,
    /// Size of the bytes as read.
    pub size: u64,
    pub compression: Compression,
    /// The bytes as stored.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Original {
    // Megabytes of bytes in a test failure or a log line help nobody.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Original")
            .field("sha256", &self.sha256)
            .field("size", &self.size)
            .field("compression", &self.compression)
            .field("stored_size", &self.data.len())
            .finish()
    }
}

/// Deflating the first bytes of a file tells whether the rest is worth trying: a PDF's or a
/// Word file's streams are compressed already, and deflating 50 MB to save nothing is seconds.
const PROBE: usize = 64 * 1024;

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(bytes.len() / 2),
        flate2::Compression::default(),
    );
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// SHA-256, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Original {
    pub fn new(bytes: Vec<u8>) -> Original {
        let sha256 = sha256_hex(&bytes);
        let size = bytes.len() as u64;
        let worth_trying = bytes.len() <= PROBE || {
            let probe = &bytes[..PROBE];
            deflate(probe).len() * 100 < probe.len() * 95
        };
        if worth_trying {
            let deflated = deflate(&bytes);
            if deflated.len() < bytes.len() {
                return Original {
                    sha256,
                    size,
                    compression: Compression::Deflate,
                    data: deflated,
                };
            }
        }
        Original {
            sha256,
            size,
            compression: Compression::None,
            data: bytes,
        }
    }
}

/// What a re-import did to the source's excerpts, kept on the version it created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReanchorSummary {
    /// Placed somewhere else in the new text (or on a slightly changed quote, or back from
    /// being orphaned).
    pub moved: usize,
    /// Not found with confidence in the new text: kept and flagged.
    pub orphaned: usize,
    /// Found with the same quote at the same place.
    pub unchanged: usize,
    #[serde(default)]
    pub moved_ids: Vec<i64>,
    #[serde(default)]
    pub orphaned_ids: Vec<i64>,
}

/// One version of a source, without its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SourceVersion {
    pub number: u32,
    pub uid: String,
    pub captured_at: String,
    /// What it was read as (`html`, `pdf`, …); `None` for pasted text.
    pub format: Option<String>,
    pub original_sha256: Option<String>,
    /// Size of the original as read; also given for one not kept for being over the cap.
    pub original_size: Option<u64>,
    /// Why there is no original (`None` when there is one).
    pub not_kept: Option<NotKept>,
    /// What this version's re-import did to the excerpts; `None` for version 1.
    pub reanchor: Option<ReanchorSummary>,
}

/// An original's bytes as read, checked against their hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalBytes {
    pub version: u32,
    pub format: Option<String>,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// What originals cost a workspace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OriginalStats {
    /// Distinct originals kept.
    pub count: u64,
    /// Their size as read.
    pub bytes: u64,
    /// Their size in the workspace file (after compression).
    pub stored_bytes: u64,
}

/// A fresh version uid: 128 random bits from SQLite's generator, as hex (the same expression
/// as the migration's backfill).
pub(crate) fn new_uid(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT lower(hex(randomblob(16)))", [], |r| r.get(0))?)
}

fn insert_original(conn: &Connection, original: &Original) -> Result<()> {
    // Identical bytes are the same original: a second capture of them stores nothing.
    conn.prepare_cached(
        "INSERT INTO original (sha256, size, stored_size, compression, data)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (sha256) DO NOTHING",
    )?
    .execute(params![
        original.sha256,
        original.size as i64,
        original.data.len() as i64,
        original.compression.as_str(),
        original.data
    ])?;
    Ok(())
}

/// The original columns of a version: (sha256, size, not_kept).
fn original_columns(
    conn: &Connection,
    original: Option<&Original>,
    not_kept: Option<NotKept>,
    size_not_kept: Option<u64>,
) -> Result<(Option<String>, Option<i64>, Option<&'static str>)> {
    Ok(match original {
        Some(o) => {
            insert_original(conn, o)?;
            (Some(o.sha256.clone()), Some(o.size as i64), None)
        }
        None => (
            None,
            size_not_kept.map(|s| s as i64),
            Some(not_kept.unwrap_or(NotKept::NoOriginal).as_str()),
        ),
    })
}

/// Version 1 of a source just added, from its stored text, with no original yet.
pub(crate) fn add_first(conn: &Connection, source_id: i64, now: &str) -> Result<()> {
    let uid = new_uid(conn)?;
    conn.prepare_cached(
        "INSERT INTO source_version (uid, source_id, number, captured_at, body, format, not_kept)
         SELECT ?2, id, 1, ?3, body, format, 'no_original' FROM source WHERE id = ?1",
    )?
    .execute(params![source_id, uid, now])?;
    Ok(())
}

/// What an import brings for a version: the original or why there is none.
pub(crate) struct Kept<'a> {
    pub format: Option<&'a str>,
    pub original: Option<&'a Original>,
    pub not_kept: Option<NotKept>,
    pub size_not_kept: Option<u64>,
}

/// Records on version 1 (written by [`add_first`]) the format and original it was read from.
pub(crate) fn keep_first(conn: &Connection, source_id: i64, kept: Kept<'_>) -> Result<()> {
    let (sha, size, not_kept) =
        original_columns(conn, kept.original, kept.not_kept, kept.size_not_kept)?;
    conn.prepare_cached(
        "UPDATE source_version SET format = ?2, original_sha256 = ?3, original_size = ?4,
                not_kept = ?5
         WHERE source_id = ?1 AND number = 1",
    )?
    .execute(params![source_id, kept.format, sha, size, not_kept])?;
    Ok(())
}

/// Appends the next version of a source (its text as now stored); answers its number.
pub(crate) fn append(
    conn: &Connection,
    source_id: i64,
    kept: Kept<'_>,
    reanchor: &ReanchorSummary,
    now: &str,
) -> Result<u32> {
    let (sha, size, not_kept) =
        original_columns(conn, kept.original, kept.not_kept, kept.size_not_kept)?;
    let number: i64 = conn.query_row(
        "SELECT coalesce(max(number), 0) + 1 FROM source_version WHERE source_id = ?1",
        [source_id],
        |r| r.get(0),
    )?;
    let uid = new_uid(conn)?;
    let reanchor = serde_json::to_string(reanchor).expect("numbers serialize");
    conn.prepare_cached(
        "INSERT INTO source_version (uid, source_id, number, captured_at, body, format,
                original_sha256, original_size, not_kept, reanchor)
         SELECT ?2, id, ?3, ?4, body, ?5, ?6, ?7, ?8, ?9 FROM source WHERE id = ?1",
    )?
    .execute(params![
        source_id,
        uid,
        number,
        now,
        kept.format,
        sha,
        size,
        not_kept,
        reanchor
    ])?;
    Ok(number as u32)
}

fn version_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceVersion> {
    let not_kept: Option<String> = r.get(6)?;
    let reanchor: Option<String> = r.get(7)?;
    Ok(SourceVersion {
        number: r.get::<_, i64>(0)? as u32,
        uid: r.get(1)?,
        captured_at: r.get(2)?,
        format: r.get(3)?,
        original_sha256: r.get(4)?,
        original_size: r.get::<_, Option<i64>>(5)?.map(|s| s as u64),
        not_kept: not_kept.as_deref().and_then(NotKept::parse),
        reanchor: reanchor.and_then(|j| serde_json::from_str(&j).ok()),
    })
}

/// Every version of a source, oldest first.
pub fn versions(conn: &Connection, source_id: i64) -> Result<Vec<SourceVersion>> {
    if !sources::exists(conn, source_id)? {
        return Err(StoreError::SourceNotFound(source_id));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT number, uid, captured_at, format, original_sha256, original_size, not_kept,
                reanchor
         FROM source_version WHERE source_id = ?1 ORDER BY number",
    )?;
    let rows = stmt.query_map([source_id], version_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One version (the latest when `number` is `None`), with its text.
pub fn version(
    conn: &Connection,
    source_id: i64,
    number: Option<u32>,
) -> Result<(SourceVersion, String)> {
    if !sources::exists(conn, source_id)? {
        return Err(StoreError::SourceNotFound(source_id));
    }
    let found = conn
        .prepare_cached(
            "SELECT number, uid, captured_at, format, original_sha256, original_size, not_kept,
                    reanchor, body
             FROM source_version WHERE source_id = ?1 AND (?2 IS NULL OR number = ?2)
             ORDER BY number DESC LIMIT 1",
        )?
        .query_row(params![source_id, number], |r| {
            Ok((version_from_row(r)?, r.get::<_, String>(8)?))
        })
        .optional()?;
    found.ok_or_else(|| match number {
        Some(n) => StoreError::VersionNotFound {
            source_id,
            number: n,
        },
        None => StoreError::invalid(format!("source {source_id} has no versions")),
    })
}

/// The original bytes of a version (the latest when `number` is `None`), decompressed and
/// checked against their SHA-256.
pub fn original(conn: &Connection, source_id: i64, number: Option<u32>) -> Result<OriginalBytes> {
    let (v, _) = version(conn, source_id, number)?;
    let Some(sha) = v.original_sha256.clone() else {
        return Err(StoreError::OriginalNotKept {
            source_id,
            number: v.number,
            reason: match v.not_kept.unwrap_or(NotKept::NoOriginal) {
                NotKept::NoOriginal => "it was pasted, or imported with --no-original",
                NotKept::OverCap => "it was larger than the import's cap for originals",
                NotKept::BeforeVersions => "it was captured before Dossier kept originals",
            },
        });
    };
    let (size, compression, data): (i64, String, Vec<u8>) = conn
        .prepare_cached("SELECT size, compression, data FROM original WHERE sha256 = ?1")?
        .query_row([&sha], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| StoreError::Damaged {
            detail: format!(
                "the original of source {source_id} version {} is missing",
                v.number
            ),
        })?;
    let damaged = |what: &str| StoreError::Damaged {
        detail: format!(
            "the original of source {source_id} version {} {what}",
            v.number
        ),
    };
    let bytes = match compression.as_str() {
        "none" => data,
        "deflate" => {
            // Never inflate past the recorded size: damage must not become a memory bomb.
            let mut out = Vec::with_capacity(size.max(0) as usize);
            flate2::read::DeflateDecoder::new(&data[..])
                .take(size.max(0) as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|_| damaged("cannot be decompressed"))?;
            out
        }
        _ => return Err(damaged("is stored in an unknown way")),
    };
    if bytes.len() as i64 != size || sha256_hex(&bytes) != sha {
        return Err(damaged("does not match its checksum"));
    }
    Ok(OriginalBytes {
        version: v.number,
        format: v.format,
        sha256: sha,
        bytes,
    })
}

/// How many originals the workspace keeps, and their sizes.
pub fn stats(conn: &Connection) -> Result<OriginalStats> {
    Ok(conn.query_row(
        "SELECT count(*), coalesce(sum(size), 0), coalesce(sum(stored_size), 0) FROM original",
        [],
        |r| {
            Ok(OriginalStats {
                count: r.get::<_, i64>(0)? as u64,
                bytes: r.get::<_, i64>(1)? as u64,
                stored_bytes: r.get::<_, i64>(2)? as u64,
            })
        },
    )?)
}

impl Workspace {
    pub fn source_versions(&self, source_id: i64) -> Result<Vec<SourceVersion>> {
        versions(&self.conn, source_id)
    }

    /// A version and its text (the latest when `number` is `None`).
    pub fn source_version(
        &self,
        source_id: i64,
        number: Option<u32>,
    ) -> Result<(SourceVersion, String)> {
        version(&self.conn, source_id, number)
    }

    pub fn source_original(&self, source_id: i64, number: Option<u32>) -> Result<OriginalBytes> {
        original(&self.conn, source_id, number)
    }

    pub fn original_stats(&self) -> Result<OriginalStats> {
        stats(&self.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::{Compression, Original};

    #[test]
    fn text_is_deflated_and_random_bytes_are_kept_as_read() {
        let text = "Steel quotas stay in place. ".repeat(200).into_bytes();
        let o = Original::new(text.clone());
        assert_eq!(o.compression, Compression::Deflate);
        assert!(o.data.len() < text.len() / 4, "repetitive text compresses");

        // An xorshift stream stands in for an already-compressed PDF.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let noise: Vec<u8> = (0..200_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let o = Original::new(noise.clone());
        assert_eq!(o.compression, Compression::None, "no gain, no deflate");
        assert_eq!(o.data, noise);
        assert_eq!(o.size, 200_000);
    }
}
