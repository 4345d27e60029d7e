//! Where a result goes: standard output, or a file that cron jobs, mail
//! steps and colleagues rely on. A file is written whole or not at all (a
//! temporary file beside it, renamed over it once complete), is readable by
//! whoever could read it before (a new file follows the umask, an existing
//! one keeps its mode and, where allowed, its owner), is written through a
//! symbolic link rather than replacing the link, and leaves no temporary
//! file behind when the run is interrupted. Messages name the user's path,
//! never the temporary one.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use anyhow::Context;

/// Temporary files to delete if the run is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// On SIGINT or SIGTERM, delete the temporary files still being written and
/// exit as the shell would report the signal (130, 143).
fn install_handler() {
    HANDLER.call_once(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGINT, SIGTERM};
            if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
                std::thread::spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        remove_pending();
                        std::process::exit(128 + signal);
                    }
                });
            }
        }
    });
}

/// Delete every registered temporary file (what the signal handler does).
pub fn remove_pending() {
    let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    for path in pending.drain(..) {
        let _ = fs::remove_file(path);
    }
}

fn register(path: &Path) {
    PENDING.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_path_buf());
}

fn unregister(path: &Path) {
    PENDING.lock().unwrap_or_else(|e| e.into_inner()).retain(|p| p != path);
}

/// An I/O error without the path tempfile attaches to it (its temporary
/// file's): the caller names the user's path instead.
fn bare(e: io::Error) -> io::Error {
    match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::new(e.kind(), e.kind().to_string()),
    }
}

/// Follow symbolic links from `path` to the file they lead to (which may
/// not exist yet). Gives up after 40 links, as the kernel does.
pub fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Write to stdout (`path` is `None` or `-`), or to `path` as described in
/// the module documentation. A device or a pipe (`-o /dev/stdout`, a FIFO)
/// is written in place: renaming a finished file over it would replace it.
pub fn write_output(path: Option<&Path>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    let path = match path {
        Some(p) if p != Path::new("-") => p,
        _ => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
            return Ok(());
        }
    };
    let shown = path.display().to_string();
    let context = || format!("cannot write {shown}");
    let target = resolve_links(path).with_context(context)?;
    let existing = fs::metadata(&target).ok();
    if let Some(m) = &existing {
        if m.is_dir() {
            anyhow::bail!("cannot write {shown}: it is a folder; name a file");
        }
        if !m.is_file() {
            let file = fs::OpenOptions::new().write(true).open(&target).with_context(context)?;
            let mut out = BufWriter::new(file);
            write(&mut out).with_context(context)?;
            out.flush().with_context(context)?;
            return Ok(());
        }
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    install_handler();
    let mut builder = tempfile::Builder::new();
    builder.prefix(".aov-").suffix(".tmp");
    #[cfg(unix)]
    {
        // Created with 0666 less the umask, as any new file; tempfile's own
        // default (0600) would lock out the colleague or web server that
        // reads the report.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let tmp = builder.tempfile_in(dir).map_err(bare).with_context(|| {
        // The file is replaced whole, so its folder must take a new file.
        format!("cannot write {shown}: no new file can be made in its folder {}", dir.display())
    })?;
    register(tmp.path());
    let result = fill(tmp.as_file(), existing.as_ref(), write);
    let result = result.and_then(|()| tmp.as_file().sync_all());
    let tmp_path = tmp.path().to_path_buf();
    let result = match result {
        Ok(()) => tmp.persist(&target).map(drop).map_err(|e| e.error),
        // Dropping the temporary file deletes it.
        Err(e) => Err(e),
    };
    unregister(&tmp_path);
    result.with_context(context)
}

/// Give the new file the mode and owner of the one it replaces, then write.
fn fill(
    file: &File,
    existing: Option<&fs::Metadata>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(m) = existing {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        file.set_permissions(fs::Permissions::from_mode(m.mode() & 0o7777))?;
        // Only root may give a file away; a group the user is in is
        // allowed too. Either may fail, which leaves the user's own.
        if std::os::unix::fs::fchown(file, Some(m.uid()), Some(m.gid())).is_err() {
            let _ = std::os::unix::fs::fchown(file, None, Some(m.gid()));
        }
        // chown may clear set-id bits: put the mode back.
        file.set_permissions(fs::Permissions::from_mode(m.mode() & 0o7777))?;
    }
    #[cfg(not(unix))]
    let _ = existing;
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_to_a_file_that_may_not_exist() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("aov.csv");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("real/out.csv", &link).unwrap();
            assert_eq!(resolve_links(&link).unwrap(), dir.path().join("real/out.csv"));
        }
        let plain = dir.path().join("plain.csv");
        assert_eq!(resolve_links(&plain).unwrap(), plain);
    }

    #[test]
    fn pending_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".aov-x.tmp");
        fs::write(&p, "half").unwrap();
        register(&p);
        remove_pending();
        assert!(!p.exists());
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("aov.csv");
        fs::write(&p, "old\n").unwrap();
        let err = write_output(Some(&p), |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        let text = format!("{err:#}");
        assert!(text.starts_with(&format!("cannot write {}", p.display())), "{text}");
        assert!(!text.contains(".aov-"), "{text}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "old\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
