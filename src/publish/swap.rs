//! Putting the finished staging tree in place of the published one so
//! that the published folder exists, whole, at every instant: one atomic
//! exchange of the two names where the system has it (Linux
//! `renameat2(RENAME_EXCHANGE)`), two renames elsewhere.

use std::fs;
use std::io;
use std::path::Path;

/// Puts `staging` in place of `target`; the previous site becomes `spare`.
pub fn publish(staging: &Path, target: &Path, spare: &Path) -> io::Result<()> {
    if !target.exists() {
        return fs::rename(staging, target);
    }
    match exchange(staging, target) {
        Ok(()) => {
            // `staging` now holds the previous site, still marked as
            // finished: an interruption here leaves it to become the
            // spare at the next build.
            if fs::rename(staging, spare).is_err() {
                let _ = fs::remove_dir_all(staging);
            }
            Ok(())
        }
        Err(_) => two_renames(staging, target, spare),
    }
}

/// The fallback where names cannot be exchanged: for an instant between
/// the two renames, `target` does not exist.
fn two_renames(staging: &Path, target: &Path, spare: &Path) -> io::Result<()> {
    if spare.exists() {
        fs::remove_dir_all(spare)?;
    }
    fs::rename(target, spare)?;
    if let Err(e) = fs::rename(staging, target) {
        // Put the previous site back before reporting.
        let _ = fs::rename(spare, target);
        return Err(e);
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_exchanged() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("new"), "").unwrap();
        fs::write(b.join("old"), "").unwrap();
        let spare = tmp.path().join("spare");
        publish(&a, &b, &spare).unwrap();
        assert!(b.join("new").exists() && spare.join("old").exists() && !a.exists());
    }
}
