//! Output files written safely: whole or not at all, through symlinks, never replacing a
//! device, with the user's umask, and checked before any work starts.
//!
//! Every file `deter` writes (converted games, plots, sweep outputs and their manifests, report
//! files) goes through this module, because the obvious "write a temporary file beside the
//! target and rename it over the target" has three traps:
//!
//! - a **symlink** at the target is replaced by a regular file instead of updating the file it
//!   points to, so [`resolve`] follows links first and the rename lands on the real file (the
//!   link stays);
//! - a **special file** (`--out /dev/stdout`, a terminal, a named pipe) would be replaced by a
//!   regular file — as root, even a device node in `/dev`. Such targets are written *into*
//!   instead (they are streams; "whole or not at all" has no meaning for them), and commands
//!   that need a real file beside the output (a sweep's `.partial` and manifest) refuse them;
//! - temporary files are created with mode 0600, so a renamed output would not honour the
//!   user's **umask**; new files are created with mode 0666 minus the umask (normally 0644),
//!   and a replaced file keeps its mode.
//!
//! [`check_target`] runs the same checks before a long computation, so a bad `--out` fails at
//! once rather than after the work. [`OutputLock`] keeps two processes from writing the same
//! output at the same time.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where a path's bytes end up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A regular file (existing or not) at this path, symlinks resolved: written into a
    /// temporary file in the same directory and renamed over it.
    Regular(PathBuf),
    /// A terminal, pipe, socket or device: opened and written into, never replaced.
    Special(PathBuf),
}

/// The most symlinks followed before giving up (as the kernel's `ELOOP`).
const MAX_LINKS: usize = 40;

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn other(msg: String) -> io::Error {
    io::Error::other(msg)
}

/// Resolves `path` as an output: follows symlinks (also dangling ones, whose target will be
/// created), refuses directories, and tells regular files from special ones.
pub fn resolve(path: &Path) -> io::Result<Target> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let dir = parent_of(&p);
                return match fs::metadata(dir) {
                    Ok(m) if m.is_dir() => Ok(Target::Regular(p)),
                    Ok(_) => Err(other(format!("`{}` is not a directory", dir.display()))),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Err(other(format!(
                        "the directory `{}` does not exist",
                        dir.display()
                    ))),
                    Err(e) => Err(e),
                };
            }
            Err(e) => return Err(e),
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            // `/proc/self/fd/N` and `/dev/stdout` are links to pipes and terminals that have no
            // path of their own: ask what the link leads to before following it by name.
            if let Ok(m) = fs::metadata(&p) {
                if !m.is_file() && !m.is_dir() {
                    return Ok(Target::Special(p));
                }
            }
            let link = fs::read_link(&p)?;
            // `/dev/stdout` → `/proc/self/fd/1` → the open file: even when that is a regular
            // file, it is the one the shell opened (perhaps to append); write into it.
            if is_fd_link(&p) || is_fd_link(&link) {
                return Ok(Target::Special(p));
            }
            p = if link.is_absolute() {
                link
            } else {
                parent_of(&p).join(link)
            };
            continue;
        }
        if ft.is_dir() {
            return Err(other(format!(
                "`{}` is a directory; give a file name",
                path.display()
            )));
        }
        if ft.is_file() {
            return Ok(Target::Regular(p));
        }
        return Ok(Target::Special(p));
    }
    Err(other(format!(
        "`{}`: too many levels of symbolic links",
        path.display()
    )))
}

/// True for `/proc/self/fd/N`, `/proc/PID/fd/N` and `/dev/fd/N`: links to open files.
fn is_fd_link(link: &Path) -> bool {
    let parts: Vec<_> = link
        .components()
        .map(|c| c.as_os_str().to_owned())
        .collect();
    let s = |k: usize| parts.get(k).and_then(|p| p.to_str()).unwrap_or("");
    (s(1) == "proc" && s(3) == "fd") || (s(1) == "dev" && s(2) == "fd")
}

/// Checks, before any work, that `path` can be written: [`resolve`] succeeds and, for a regular
/// file, a file can be created in its directory. Returns the resolved target.
pub fn check_target(path: &Path) -> io::Result<Target> {
    let t = resolve(path)?;
    if let Target::Regular(p) = &t {
        // The only reliable test of "can I create a file here" (permissions, ACLs, read-only
        // mounts) is to create one.
        tempfile::Builder::new()
            .prefix(".deter-check-")
            .tempfile_in(parent_of(p))
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot create files in `{}`: {e}", parent_of(p).display()),
                )
            })?;
    }
    Ok(t)
}

/// Like [`check_target`], for outputs that need a real file (with files beside it): a special
/// file is refused with a message saying why.
pub fn check_regular(path: &Path, why: &str) -> io::Result<PathBuf> {
    match check_target(path)? {
        Target::Regular(p) => Ok(p),
        Target::Special(_) => Err(other(format!(
            "`{}` is not a regular file; {why}",
            path.display()
        ))),
    }
}

/// A new temporary file in `dir`, created with mode 0666 minus the umask.
pub fn temp_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(".deter-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}

/// Gives `tmp` the mode of the file it will replace, if there is one.
fn keep_mode(tmp: &File, target: &Path) -> io::Result<()> {
    match fs::metadata(target) {
        Ok(m) => tmp.set_permissions(m.permissions()),
        Err(_) => Ok(()),
    }
}

/// Writes `bytes` to `path` whole or not at all (see the module docs): a regular file (through
/// any symlink) is replaced atomically by a fully written and synced temporary file; a special
/// file is written into.
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match resolve(path)? {
        Target::Special(p) => {
            // Appending: a terminal or pipe does not care, and standard output redirected to a
            // file (`>>` included) continues where the shell left it.
            let mut f = OpenOptions::new().append(true).open(&p)?;
            f.write_all(bytes)?;
            f.flush()
        }
        Target::Regular(p) => {
            let mut tmp = temp_in(parent_of(&p))?;
            tmp.write_all(bytes)?;
            keep_mode(tmp.as_file(), &p)?;
            tmp.as_file().sync_all()?;
            tmp.persist(&p).map_err(|e| e.error)?;
            Ok(())
        }
    }
}

/// Renames a finished file over `target` (both in the same directory), keeping the mode of the
/// file it replaces.
pub fn finish(file: &File, from: &Path, target: &Path) -> io::Result<()> {
    keep_mode(file, target)?;
    file.sync_all()?;
    fs::rename(from, target)
}

/// Creates (or truncates) `path` for writing with mode 0666 minus the umask.
pub fn create(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o666);
    }
    o.open(path)
}

/// An exclusive lock on an output, held while it is written: the file `PATH.lock` beside it,
/// locked with the operating system's advisory file lock (`flock`) and removed when the lock
/// is dropped. A second writer of the same output fails at once instead of interleaving its
/// rows with the first's. A lock left by a killed process is released by the kernel with the
/// process, so a stale `PATH.lock` file does not block anyone.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    _file: Option<File>,
}

/// Why an output could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds the lock.
    #[error(
        "another deter process is writing `{0}` (it holds `{0}.lock`); wait for it to finish \
         or choose another output"
    )]
    Busy(String),
    /// The lock file could not be created or locked.
    #[error("cannot lock `{path}`")]
    Io {
        /// The lock file.
        path: String,
        /// The failure.
        source: io::Error,
    },
}

impl OutputLock {
    /// Locks the output `path` (a resolved regular-file path). On file systems without file
    /// locks, proceeds unlocked.
    pub fn acquire(path: &Path) -> Result<OutputLock, LockError> {
        let lock = with_suffix(path, ".lock");
        let io = |source| LockError::Io {
            path: lock.display().to_string(),
            source,
        };
        loop {
            let f = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock)
                .map_err(io)?;
            match f.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(LockError::Busy(path.display().to_string()))
                }
                Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                    return Ok(OutputLock {
                        path: lock,
                        _file: None,
                    })
                }
                Err(fs::TryLockError::Error(e)) => return Err(io(e)),
            }
            // The holder before us may have removed the file between our open and our lock:
            // then we hold a lock on a file nobody else can see, and must start over.
            if same_file(&f, &lock) {
                return Ok(OutputLock {
                    path: lock,
                    _file: Some(f),
                });
            }
        }
    }
}

#[cfg(unix)]
fn same_file(f: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (f.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked, so a waiting process cannot lock the old file.
        if self._file.is_some() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// `path` with `suffix` appended to its file name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn symlinks_are_written_through_and_devices_written_into() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.txt");
        symlink("real.txt", &link).unwrap();
        write_whole(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        // A dangling link creates its target.
        let dangling = dir.path().join("dangling");
        symlink("made.txt", &dangling).unwrap();
        write_whole(&dangling, b"x").unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("made.txt")).unwrap(),
            "x"
        );
        // A device is written into, not replaced.
        write_whole(Path::new("/dev/null"), b"x").unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
        assert!(resolve(dir.path()).is_err());
        assert!(check_target(&dir.path().join("no/such/dir/x")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn new_files_honour_the_umask_and_replaced_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        write_whole(&p, b"1").unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        // Whatever the umask, a new file is not limited to the owner as temporary files are
        // (unless the umask itself says so).
        let probe = dir.path().join("probe");
        create(&probe).unwrap();
        let want = fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, want);
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_whole(&p, b"2").unwrap();
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn a_second_lock_on_the_same_output_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o.csv");
        let a = OutputLock::acquire(&out).unwrap();
        let e = OutputLock::acquire(&out).unwrap_err();
        assert!(e.to_string().contains("another deter process"), "{e}");
        drop(a);
        assert!(!with_suffix(&out, ".lock").exists());
        OutputLock::acquire(&out).unwrap();
    }
}
