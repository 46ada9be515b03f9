//! Writing a file whole: the bytes go to a hidden temporary file in the target's folder, which
//! is synced and then given the target's name, and the folder is synced so the new name
//! survives a power cut. A reader, a crash or a full disk never leaves half a file under the
//! target's name, and no temporary file is left behind by a failure this process sees.
//!
//! Two meanings, and every caller must pick one:
//! - [`write_new`] never replaces anything: backups, archives, a workspace made from an archive
//!   — a file the user already has is never lost to a name clash. The name is given by a hard
//!   link, which the kernel refuses atomically when the name is taken, so two writers racing
//!   for the same name cannot both win.
//! - [`write_replacing`] replaces the target in one rename: exports the user chose to overwrite
//!   (the save dialog asked).
//!
//! The decision a reader might question: where hard links are not supported (some network and
//! FAT file systems), [`write_new`] falls back to checking the name is free and renaming. That
//! leaves a window between the check and the rename in which another program could create the
//! file; a portable no-replace rename does not exist in std, and refusing to write at all on
//! those file systems would be worse.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to a new file at `path`; fails with [`io::ErrorKind::AlreadyExists`] (and
/// leaves the existing file untouched) when something is already there.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_new_with(path, |out| out.write_all(bytes)).map(|_| ())
}

/// [`write_new`] for content written as a stream (a large archive is never held in memory
/// twice). Returns the number of bytes written.
pub fn write_new_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<u64> {
    refuse_existing(path)?;
    let temp = write_temp(path, write)?;
    let bytes = fs::metadata(&temp.0).map(|m| m.len());
    let published = bytes.and_then(|bytes| publish_new(&temp.0, path).map(|()| bytes));
    drop(temp);
    published
}

/// Writes `bytes` to `path`, replacing whatever file is there in one rename: a reader sees the
/// old content or the new, never a mix.
pub fn write_replacing(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = write_temp(path, |out| out.write_all(bytes))?;
    fs::rename(&temp.0, path)?;
    sync_folder_of(path);
    Ok(())
}

/// Gives a finished file at `temp` (made by the caller, for example by SQLite) the name
/// `target` without ever replacing an existing file, then removes `temp` and syncs the folder.
/// `temp` must be in the same folder as `target` (see [`temp_path`]). On failure `temp` is left
/// for the caller, who made it, to remove.
pub fn publish_new(temp: &Path, target: &Path) -> io::Result<()> {
    File::open(temp)?.sync_all()?;
    match fs::hard_link(temp, target) {
        Ok(()) => {
            // The content now has two names; dropping the temporary one cannot lose it.
            let _ = fs::remove_file(temp);
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(exists_error(target)),
        Err(_) => {
            refuse_existing(target)?;
            fs::rename(temp, target)?;
        }
    }
    sync_folder_of(target);
    Ok(())
}

/// A hidden name beside `target` for its temporary file: `.NAME.PID.N.partial`. The process id
/// and a counter keep two processes, or two threads of one, from sharing a temporary file; the
/// `.partial` ending is what backup cleanup recognises as left by a process that died.
pub fn temp_path(target: &Path) -> io::Result<PathBuf> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let name = target.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a file name", target.display()),
        )
    })?;
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    Ok(folder_of(target).join(format!(
        ".{}.{}.{n}.partial",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// A temporary file that removes itself when dropped, unless it was renamed away first (the
/// removal then fails quietly).
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn write_temp(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<Temp> {
    if target.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            format!("{} is a folder; give a file name", target.display()),
        ));
    }
    let path = temp_path(target)?;
    // A file with this name can only be a leftover of a dead process that had our id.
    let _ = fs::remove_file(&path);
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)?;
    let temp = Temp(path);
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    Ok(temp)
}

fn refuse_existing(path: &Path) -> io::Result<()> {
    // `symlink_metadata`: a dangling link is still a name that is taken.
    if fs::symlink_metadata(path).is_ok() {
        return Err(exists_error(path));
    }
    Ok(())
}

fn exists_error(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "{} already exists and is never overwritten; choose another name",
            path.display()
        ),
    )
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Makes a new name durable. Best effort: not every platform can open a folder to sync it, and
/// by now the file is complete under its name, so failing here would report an error for a
/// write that happened.
pub(crate) fn sync_folder_of(path: &Path) {
    let _ = File::open(folder_of(path)).and_then(|d| d.sync_all());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_new_creates_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.md");
        write_new(&path, b"hello").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"hello");
        assert_eq!(
            names(dir.path()),
            ["note.md"],
            "only the file itself remains"
        );
    }

    #[test]
    fn write_new_refuses_an_existing_file_and_leaves_it_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.md");
        fs::write(&path, b"the analyst's own").unwrap();
        let e = write_new(&path, b"new").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert!(e.to_string().contains("already exists"), "{e}");
        assert_eq!(
            fs::read(&path).unwrap(),
            b"the analyst's own",
            "an existing file is never overwritten"
        );
        assert_eq!(names(dir.path()), ["note.md"], "no temporary file is left");
    }

    #[test]
    fn publish_new_refuses_a_taken_name_even_after_the_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copy.sqlite");
        let temp = temp_path(&path).unwrap();
        fs::write(&temp, b"copy").unwrap();
        // The name is taken between the caller's check and the publication.
        fs::write(&path, b"other").unwrap();
        let e = publish_new(&temp, &path).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"other");
    }

    #[test]
    fn write_replacing_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.md");
        fs::write(&path, b"old").unwrap();
        write_replacing(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        write_replacing(&dir.path().join("fresh.md"), b"x").unwrap();
        assert_eq!(names(dir.path()), ["fresh.md", "note.md"]);
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file_and_the_old_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("archive.json");
        let e = write_new_with(&path, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("the disk is full"))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "the disk is full");
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));

        // A rename that cannot happen (the target is a folder) leaves nothing either.
        let folder = dir.path().join("taken");
        fs::create_dir(&folder).unwrap();
        assert!(write_replacing(&folder, b"x").is_err());
        assert_eq!(names(dir.path()), ["taken"]);
        assert!(write_new(&folder, b"x").is_err());
        assert_eq!(names(dir.path()), ["taken"]);
    }

    #[test]
    fn a_missing_folder_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("note.md");
        assert_eq!(
            write_replacing(&path, b"x").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
        assert_eq!(
            write_new(&path, b"x").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }
}
