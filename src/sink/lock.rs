//! One run per output: a run that writes a folder or a file first takes an
//! exclusive OS lock (`flock` on Linux, through [`File::try_lock`]) on a lock
//! file in it or beside it, and a second run on the same output refuses at
//! once, naming the holder. The kernel drops the lock with the process, so a
//! lock file left by a run killed with `kill -9` blocks nothing: the next run
//! locks it again. A run that ends normally removes its lock file.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Error;

/// The lock a run holds on its output while it writes there; released (and
/// its lock file removed) when dropped. See [`lock_output`].
#[derive(Debug)]
pub struct OutputLock {
    /// The lock file and its path; `None` when the output takes no lock.
    held: Option<(File, PathBuf)>,
}

impl OutputLock {
    /// The lock file held, if any.
    pub fn path(&self) -> Option<&Path> {
        self.held.as_ref().map(|(_, p)| p.as_path())
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        if let Some((file, path)) = self.held.take() {
            // Removed while still locked, so no other run can lock this
            // file and then see it vanish; the lock goes with `file`.
            let _ = fs::remove_file(&path);
            drop(file);
        }
    }
}

/// The lock file of an output: `DIR/.pith.lock` in a folder, `FILE.lock`
/// beside a file; `None` for what takes no lock (standard output, `-`, and
/// paths that are neither a folder nor a regular file: a pipe, a device).
pub fn lock_path(output: &Path) -> Option<PathBuf> {
    if output.as_os_str() == "-" {
        return None;
    }
    match fs::metadata(output) {
        Ok(m) if m.is_dir() => Some(output.join(".pith.lock")),
        Ok(m) if !m.is_file() => None,
        _ => {
            let mut name = output.file_name()?.to_os_string();
            name.push(".lock");
            Some(output.with_file_name(name))
        }
    }
}

/// Takes the lock of `output` (a folder that exists, or a file, written or
/// to be written; see [`lock_path`]) for this process, or fails at once with
/// [`Error::Locked`] naming the run that holds it: its pid, when it took the
/// lock and its command line, which the holder writes into the lock file.
///
/// Call it before touching anything in the output. A file system that has
/// no locks (some network mounts) gives an unlocked run, as before.
pub fn lock_output(output: &Path) -> Result<OutputLock, Error> {
    let Some(path) = lock_path(output) else {
        return Ok(OutputLock { held: None });
    };
    let io_err = |e| Error::io(&path, e);
    loop {
        // Not truncated: until it is locked the file is the holder's.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut said = String::new();
                let _ = file.read_to_string(&mut said);
                let said = said.trim();
                let holder = if said.is_empty() {
                    format!(
                        "another pith run holds {} (it has not said which yet)",
                        path.display()
                    )
                } else {
                    format!("another pith run is writing it ({said})")
                };
                return Err(Error::Locked {
                    path: output.to_owned(),
                    holder,
                });
            }
            Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                return Ok(OutputLock { held: None });
            }
            Err(TryLockError::Error(e)) => return Err(io_err(e)),
        }
        // A run that just ended removes its lock file: if this is that
        // removed file, the lock guards nothing; open the path afresh.
        if !same_file(&file, &path) {
            continue;
        }
        file.set_len(0).map_err(io_err)?;
        file.write_all(holder_line().as_bytes()).map_err(io_err)?;
        return Ok(OutputLock {
            held: Some((file, path)),
        });
    }
}

/// Whether `file` is still the file at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// What the holder says of itself: `pid N, since TIME, command ARGS`.
fn holder_line() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| utc(d.as_secs()))
        .unwrap_or_else(|_| "unknown".to_owned());
    let command: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    format!(
        "pid {}, since {since}, command `{}`\n",
        std::process::id(),
        command.join(" ")
    )
}

/// `YYYY-MM-DD HH:MM:SS UTC` of a Unix time.
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days since 1970-01-01 to a civil date, in 400-year eras of 146,097 days
    // with years starting on 1 March (so the leap day falls last).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_798_761_599), "2026-12-31 23:59:59 UTC");
    }

    #[test]
    fn a_second_lock_fails_naming_the_holder_and_a_dropped_one_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_output(dir.path()).unwrap();
        let file = dir.path().join(".pith.lock");
        assert_eq!(first.path(), Some(file.as_path()));
        // A second open file description is refused, as another process is.
        let e = lock_output(dir.path()).unwrap_err().to_string();
        assert!(e.contains(&format!("pid {}", std::process::id())), "{e}");
        assert!(e.contains("another pith run is writing it"), "{e}");
        drop(first);
        assert!(!file.exists());
        let again = lock_output(dir.path()).unwrap();
        assert!(file.exists());
        drop(again);
        // A file output locks FILE.lock beside it; stdout and devices none.
        let out = dir.path().join("out.jsonl");
        let l = lock_output(&out).unwrap();
        assert_eq!(l.path(), Some(dir.path().join("out.jsonl.lock").as_path()));
        assert!(lock_output(&out).is_err());
        assert_eq!(lock_output(Path::new("-")).unwrap().path(), None);
        assert_eq!(lock_output(Path::new("/dev/null")).unwrap().path(), None);
    }

    #[test]
    fn a_lock_file_left_unlocked_blocks_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".pith.lock");
        fs::write(&file, "pid 1, since long ago\n").unwrap();
        let l = lock_output(dir.path()).unwrap();
        let said = fs::read_to_string(&file).unwrap();
        assert!(
            said.starts_with(&format!("pid {},", std::process::id())),
            "{said}"
        );
        drop(l);
    }
}
