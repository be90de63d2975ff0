//! A directory of output files (a report) written as one: the new set replaces the old one at
//! once, a failure (a full disk) leaves the old set intact, and files from an earlier run that
//! the new run no longer writes are removed — but only those: a manifest in the directory
//! (`.deter-files.json`) lists what deter wrote there, and nothing else is ever touched.
//!
//! When the directory holds nothing but deter's own files (or does not exist yet), the new set
//! is written into a fresh sibling directory which then takes the old one's place: on Linux in
//! one atomic step (`renameat2(RENAME_EXCHANGE)`), elsewhere by two renames in quick
//! succession. When it holds other files too (`--out .`, notes the user keeps beside the
//! report), the directory itself is kept: every new file is first written beside its target
//! under a temporary name, and only when all are written are they renamed into place, so a
//! failure still changes nothing; stale files of deter's are removed after that. A symlinked
//! directory is written through. New files and directories honour the umask; replaced files
//! keep their mode.

use super::file as out_file;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The manifest's file name inside the directory.
pub const MANIFEST: &str = ".deter-files.json";

/// The manifest's schema tag.
const SCHEMA: &str = "deter.files/1";

/// The names deter wrote into `dir` last time (empty if it has no manifest).
pub fn own_files(dir: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(dir.join(MANIFEST)) else {
        return Vec::new();
    };
    let v: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    let files = v
        .as_ref()
        .filter(|v| v.get("schema").and_then(|s| s.as_str()) == Some(SCHEMA))
        .and_then(|v| v.get("files"))
        .and_then(|f| f.as_array());
    (files.into_iter().flatten())
        .filter_map(|f| f.as_str())
        // Only plain names: a manifest can never make deter remove anything outside `dir`.
        .filter(|n| is_plain_name(n))
        .map(str::to_string)
        .collect()
}

fn is_plain_name(n: &str) -> bool {
    !n.is_empty() && n != "." && n != ".." && !n.contains(['/', '\\']) && n != MANIFEST
}

fn manifest_bytes(names: &[&str]) -> Vec<u8> {
    let v = serde_json::json!({ "schema": SCHEMA, "files": names });
    let mut b = serde_json::to_vec_pretty(&v).unwrap_or_default();
    b.push(b'\n');
    b
}

/// Resolves `dir` through symlinks; `Ok(None)` if it does not exist yet.
fn resolve_dir(dir: &Path) -> io::Result<Option<PathBuf>> {
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(Some(fs::canonicalize(dir)?)),
        Ok(_) => Err(io::Error::other(format!(
            "`{}` exists and is not a directory",
            dir.display()
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Checks, before any work, that `dir` can take the output: it is a directory or can be
/// created (its parent exists or can be made).
pub fn check_dir(dir: &Path) -> io::Result<()> {
    if let Some(d) = resolve_dir(dir)? {
        out_file::check_target(&d.join(".deter-probe"))?;
        return Ok(());
    }
    // A missing directory is created with its parents; the nearest existing ancestor must be
    // a writable directory.
    let mut a = dir.parent();
    while let Some(p) = a {
        let p = if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        };
        if p.exists() {
            out_file::check_target(&p.join(".deter-probe"))?;
            return Ok(());
        }
        a = p.parent();
    }
    Ok(())
}

/// Writes `files` (plain names and contents) into `dir` as one set (see the module docs);
/// returns the paths written.
pub fn write_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<Vec<PathBuf>> {
    for (n, _) in files {
        if !is_plain_name(n) {
            return Err(io::Error::other(format!("`{n}` is not a plain file name")));
        }
    }
    let existing = resolve_dir(dir)?;
    let own = existing.as_deref().map(own_files).unwrap_or_default();
    let shared = match &existing {
        None => false,
        Some(d) => {
            let cwd = std::env::current_dir().and_then(fs::canonicalize).ok();
            cwd.as_deref() == Some(d.as_path()) || has_foreign(d, &own)?
        }
    };
    match (existing, shared) {
        (Some(d), true) => write_in_place(&d, files, &own)?,
        (Some(d), false) => replace_dir(&d, files)?,
        (None, _) => {
            if let Some(p) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(p)?;
            }
            replace_dir(dir, files)?
        }
    }
    Ok(files.iter().map(|(n, _)| dir.join(n)).collect())
}

/// True if `dir` holds anything deter did not write there.
fn has_foreign(dir: &Path, own: &[String]) -> io::Result<bool> {
    for e in fs::read_dir(dir)? {
        let name = e?.file_name();
        let name = name.to_string_lossy();
        if name != MANIFEST && !own.iter().any(|o| *o == name) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Writes the set into a fresh sibling of `dir`, then puts it in `dir`'s place.
fn replace_dir(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fresh = unique(&parent, &format!(".{name}.deter-new"))?;
    let result = (|| -> io::Result<()> {
        if let Ok(m) = fs::metadata(dir) {
            fs::set_permissions(&fresh, m.permissions())?;
        }
        for (n, bytes) in files {
            write_new(&fresh.join(n), bytes, &dir.join(n))?;
        }
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        write_new(
            &fresh.join(MANIFEST),
            &manifest_bytes(&names),
            &dir.join(MANIFEST),
        )?;
        fs::File::open(&fresh)?.sync_all()?;
        if !dir.exists() {
            return fs::rename(&fresh, dir);
        }
        if exchange(&fresh, dir).is_ok() {
            // `fresh` now holds the old set.
            return fs::remove_dir_all(&fresh);
        }
        let old = unique(&parent, &format!(".{name}.deter-old"))?;
        fs::remove_dir(&old)?;
        fs::rename(dir, &old)?;
        if let Err(e) = fs::rename(&fresh, dir) {
            let _ = fs::rename(&old, dir);
            return Err(e);
        }
        fs::remove_dir_all(&old)
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&fresh);
    }
    result
}

/// A new empty directory in `parent` whose name starts with `stem` (mode 0777 minus umask).
fn unique(parent: &Path, stem: &str) -> io::Result<PathBuf> {
    for k in 0..1000u32 {
        let p = parent.join(format!("{stem}-{}-{k}", std::process::id()));
        match fs::create_dir(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("cannot create a temporary directory"))
}

/// A name in `dir` starting with `stem` that is not taken (for a hard link).
fn unique_name(dir: &Path, stem: &str) -> PathBuf {
    (0u32..)
        .map(|k| dir.join(format!("{stem}-{}-{k}", std::process::id())))
        .find(|p| fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| dir.join(stem))
}

/// Writes a new file (mode 0666 minus umask, or the mode of `like` if that exists), synced.
fn write_new(path: &Path, bytes: &[u8], like: &Path) -> io::Result<()> {
    let mut f = out_file::create(path)?;
    f.write_all(bytes)?;
    if let Ok(m) = fs::metadata(like) {
        f.set_permissions(m.permissions())?;
    }
    f.sync_all()
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Writes the set into `dir` itself, which holds files deter did not write: all new files
/// first under temporary names, then renamed into place; then the manifest; then deter's stale
/// files are removed.
fn write_in_place(dir: &Path, files: &[(String, Vec<u8>)], own: &[String]) -> io::Result<()> {
    // A rename over a directory would fail half-way through the set: refuse before writing.
    for (n, _) in files {
        let target = dir.join(n);
        if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
            return Err(io::Error::other(format!(
                "`{}` is a directory; nothing was written",
                target.display()
            )));
        }
    }
    let mut staged = Vec::new();
    for (n, bytes) in files {
        let target = dir.join(n);
        let mut tmp = out_file::temp_in(dir)?;
        tmp.write_all(bytes)?;
        if let Ok(m) = fs::metadata(&target) {
            tmp.as_file().set_permissions(m.permissions())?;
        }
        tmp.as_file().sync_all()?;
        staged.push((tmp, target));
    }
    // Renames need no disk space, but can still fail (a name the file system refuses): the
    // files they replace are kept under backup names (hard links) until all are done, and put
    // back if one fails.
    let mut backups: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut placed: Vec<PathBuf> = Vec::new();
    let mut result = Ok(());
    for (tmp, target) in staged {
        if target.exists() {
            let b = unique_name(dir, ".deter-old");
            if let Err(e) = fs::hard_link(&target, &b) {
                result = Err(e);
                break;
            }
            backups.push((b, target.clone()));
        }
        match tmp.persist(&target) {
            Ok(_) => placed.push(target),
            Err(e) => {
                result = Err(e.error);
                break;
            }
        }
    }
    if let Err(e) = result {
        for p in &placed {
            if !backups.iter().any(|(_, t)| t == p) {
                let _ = fs::remove_file(p);
            }
        }
        for (b, t) in &backups {
            let _ = fs::rename(b, t);
        }
        return Err(e);
    }
    for (b, _) in &backups {
        let _ = fs::remove_file(b);
    }
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    out_file::write_whole(&dir.join(MANIFEST), &manifest_bytes(&names))?;
    for stale in own.iter().filter(|o| !names.contains(&o.as_str())) {
        let p = dir.join(stale);
        if fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
            fs::remove_file(&p)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str], text: &str) -> Vec<(String, Vec<u8>)> {
        names
            .iter()
            .map(|n| (n.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn own_stale_files_go_and_others_stay() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_dir(&dir, &set(&["a.svg", "report.md"], "1")).unwrap();
        write_dir(&dir, &set(&["b.svg", "report.md"], "2")).unwrap();
        assert!(!dir.join("a.svg").exists(), "own stale file removed");
        assert_eq!(fs::read_to_string(dir.join("b.svg")).unwrap(), "2");
        // A file of the user's turns the directory into a shared one: kept, and own stale
        // files still go.
        fs::write(dir.join("notes.txt"), "mine").unwrap();
        write_dir(&dir, &set(&["c.svg", "report.md"], "3")).unwrap();
        assert_eq!(fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");
        assert!(!dir.join("b.svg").exists());
        assert_eq!(fs::read_to_string(dir.join("c.svg")).unwrap(), "3");
        // No temporary directories or files are left behind.
        let left: Vec<_> = fs::read_dir(root.path()).unwrap().collect();
        assert_eq!(left.len(), 1);
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| !n.starts_with(".deter-") || n == MANIFEST),
            "{names:?}"
        );
    }

    #[test]
    fn a_manifest_cannot_reach_outside_the_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::create_dir(&dir).unwrap();
        fs::write(root.path().join("victim"), "x").unwrap();
        fs::write(
            dir.join(MANIFEST),
            r#"{"schema":"deter.files/1","files":["../victim","/etc/passwd"]}"#,
        )
        .unwrap();
        write_dir(&dir, &set(&["r.md"], "1")).unwrap();
        assert!(root.path().join("victim").exists());
    }

    #[test]
    fn a_failure_half_way_leaves_the_old_set() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        write_dir(&dir, &set(&["a", "b"], "1")).unwrap();
        // The second file cannot be created (a NUL byte in its name), after the first was.
        let bad = vec![
            ("a".to_string(), b"2".to_vec()),
            ("b\0".to_string(), b"2".to_vec()),
        ];
        for shared in [false, true] {
            if shared {
                fs::write(dir.join("notes"), "mine").unwrap();
            }
            assert!(write_dir(&dir, &bad).is_err());
            assert_eq!(fs::read_to_string(dir.join("a")).unwrap(), "1");
            assert_eq!(fs::read_to_string(dir.join("b")).unwrap(), "1");
            let left: Vec<_> = fs::read_dir(root.path()).unwrap().collect();
            assert_eq!(left.len(), 1, "temporary directory left");
            let inside: Vec<String> = fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".deter-") && n != MANIFEST)
                .collect();
            assert!(inside.is_empty(), "{inside:?}");
        }
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        let f = root.path().join("f");
        fs::write(&f, "x").unwrap();
        assert!(check_dir(&f).is_err());
        assert!(write_dir(&f, &set(&["a"], "1")).is_err());
    }
}
