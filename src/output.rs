//! Writing outputs so that nothing is ever half-written: a temporary file beside the target,
//! then a rename.
//!
//! The file is written the way a shell redirect would write it, because docs sites and CI
//! artefacts are read by other users and tools: a new file gets the usual permissions (the
//! process umask applies), a file that exists keeps its permissions, and a symbolic link is
//! followed (its target is replaced, not the link), and a device or a pipe (`/dev/null`) is written
//! in place, never renamed over. Folders are created only where the caller says
//! so (inside `--out-dir`); `-o` into a folder that does not exist is an error, not a tree of new
//! folders.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Whether missing parent folders of the target are created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folders {
    /// Inside `--out-dir`: the tool owns the layout.
    Create,
    /// `-o FILE`: the user named the folder; it must exist.
    MustExist,
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8], folders: Folders) -> io::Result<()> {
    write_atomic_with(path, folders, |file| file.write_all(bytes))
}

/// Like [`write_atomic`], but `write` streams the content into the temporary file (unbuffered:
/// buffer in `write` when writing in small pieces). Nothing is replaced if `write` fails.
pub fn write_atomic_with(
    path: &Path,
    folders: Folders,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let target = resolve_link(path)?;
    // A device or a pipe (`-o /dev/null`, `-o /dev/stderr`, a FIFO) is written in place: renaming
    // a file over it would replace the device node itself.
    if std::fs::metadata(&target).is_ok_and(|m| is_written_in_place(&m)) {
        let mut file = OpenOptions::new().write(true).open(&target)?;
        return write(&mut file);
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match folders {
        Folders::Create => std::fs::create_dir_all(&parent)?,
        Folders::MustExist if !parent.is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("the folder {} does not exist: create it first", parent.display()),
            ))
        }
        Folders::MustExist => {}
    }
    let (temp_path, mut file) = create_temporary(&parent)?;
    let result = (|| {
        write(&mut file)?;
        file.sync_all()?;
        if let Ok(existing) = std::fs::metadata(&target) {
            std::fs::set_permissions(&temp_path, existing.permissions())?;
        }
        std::fs::rename(&temp_path, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp_path);
    }
    result
}

/// Whether a file that exists is written in place: anything but a regular file or a folder.
fn is_written_in_place(meta: &std::fs::Metadata) -> bool {
    !meta.is_file() && !meta.is_dir()
}

/// The file a path names, following a symbolic link (as a shell redirect does), so that writing
/// replaces the link's target and keeps the link.
fn resolve_link(path: &Path) -> io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "{} is a symbolic link to nothing that can be written: {e}",
                    path.display()
                ),
            )
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// A new file beside the target, created with the permissions a new file normally gets.
fn create_temporary(parent: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let pid = std::process::id();
    for _ in 0..1000 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!(".dfd-threats-{pid}-{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("cannot create a temporary file in {}", parent.display()),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub/out.json");
        write_atomic(&target, b"one", Folders::Create).unwrap();
        write_atomic(&target, b"two", Folders::Create).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_failed_stream_leaves_the_target_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        write_atomic_with(&target, Folders::MustExist, |w| w.write_all(b"streamed")).unwrap();
        let failed = write_atomic_with(&target, Folders::MustExist, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("stop"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"streamed");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_folder_is_an_error_unless_asked_to_create_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no/such/folder/out.json");
        let err = write_atomic(&target, b"x", Folders::MustExist).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
        assert!(!dir.path().join("no").exists());
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_in_place_not_replaced() {
        // Only looked at, never written: a regression must not replace the machine's /dev/null.
        assert!(is_written_in_place(&std::fs::metadata("/dev/null").unwrap()));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"").unwrap();
        assert!(!is_written_in_place(&std::fs::metadata(&file).unwrap()));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_permissions_kept() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, b"old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.path().join("link.json");
        symlink(&real, &link).unwrap();
        write_atomic(&link, b"new", Folders::MustExist).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        // A new file is not private to its owner: the umask decides, as for any new file.
        let fresh = dir.path().join("fresh.json");
        write_atomic(&fresh, b"x", Folders::MustExist).unwrap();
        let probe = dir.path().join("probe");
        File::create(&probe).unwrap();
        let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        assert_eq!(std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, expected);
    }
}
